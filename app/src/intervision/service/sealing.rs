//! Intervision content at rest: sealed with XChaCha20-Poly1305 under the application key
//! (`INTERVISION_KEY`, 32 bytes in base64), so a database dump alone reveals nothing. Each
//! sealed value is `version (1 byte) ‖ nonce (24 random bytes) ‖ ciphertext with tag`; the
//! record's id is bound in as associated data, so a sealed value copied to another row does
//! not open.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::ServiceError;

const FORMAT_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// The application key, ready to seal and open. Cheap to clone; never printed.
#[derive(Clone)]
pub struct Sealer {
    cipher: Arc<XChaCha20Poly1305>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// Why a key was refused (the key itself is never in the message).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("INTERVISION_KEY is not base64")]
    NotBase64,
    #[error("INTERVISION_KEY must be 32 bytes, found {0}")]
    WrongLength(usize),
}

/// Shown instead of a text that does not open.
pub const UNREADABLE: &str =
    "[Deze tekst kan niet worden geopend. De beheerder van het leerplatform is op de hoogte.]";

impl Sealer {
    /// From the key in base64, as `INTERVISION_KEY` holds it.
    pub fn from_base64(key: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| KeyError::NotBase64)?;
        if bytes.len() != 32 {
            return Err(KeyError::WrongLength(bytes.len()));
        }
        Ok(Self {
            cipher: Arc::new(XChaCha20Poly1305::new(bytes.as_slice().into())),
        })
    }

    /// A fresh random key in base64, for `leerplatform intervision new-key`.
    pub fn generate_key() -> String {
        STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// Seals `plaintext` for the record `context` (e.g. "dilemma:12").
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Vec<u8>, ServiceError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| ServiceError::Corrupt("sealing failed".into()))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`Sealer::seal`] sealed for `context`; a wrong key, a changed byte or another
    /// record's value is an error, never garbage.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, ServiceError> {
        let refused = || ServiceError::Corrupt(format!("sealed value of {context} does not open"));
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != FORMAT_VERSION {
            return Err(refused());
        }
        let nonce = XNonce::from_slice(&sealed[1..1 + NONCE_LEN]);
        self.cipher
            .decrypt(
                nonce,
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| refused())
    }

    /// One item's text for a list (a reply, a note, an action point): a value that does not
    /// open (another key, damaged bytes) shows as unreadable for that item only and is logged
    /// by its seal context (an id, nothing of its content), so one bad value never takes the
    /// whole page down.
    pub fn open_text_or_unreadable(&self, context: &str, sealed: &[u8]) -> String {
        match self
            .open(context, sealed)
            .ok()
            .and_then(|plain| String::from_utf8(plain).ok())
        {
            Some(text) => text,
            None => {
                tracing::error!(context, "a sealed text does not open with the current key");
                UNREADABLE.to_owned()
            }
        }
    }

    /// Seals a value as JSON.
    pub fn seal_json<T: serde::Serialize>(
        &self,
        context: &str,
        value: &T,
    ) -> Result<Vec<u8>, ServiceError> {
        let json = serde_json::to_vec(value)
            .map_err(|error| ServiceError::Corrupt(format!("serialising {context}: {error}")))?;
        self.seal(context, &json)
    }

    pub fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        context: &str,
        sealed: &[u8],
    ) -> Result<T, ServiceError> {
        serde_json::from_slice(&self.open(context, sealed)?)
            .map_err(|error| ServiceError::Corrupt(format!("reading {context}: {error}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::from_base64(&Sealer::generate_key()).expect("key")
    }

    #[test]
    fn sealed_text_opens_only_with_its_key_and_its_record() {
        let sealer = sealer();
        let text = "Een leerling (16) deelt filmpjes van een prediker.";
        let sealed = sealer.seal("dilemma:1", text.as_bytes()).expect("seal");
        assert!(
            !sealed
                .windows(8)
                .any(|w| text.as_bytes().windows(8).any(|t| t == w))
        );
        assert_eq!(
            sealer.open("dilemma:1", &sealed).expect("open"),
            text.as_bytes()
        );
        assert!(sealer.open("dilemma:2", &sealed).is_err());
        assert!(self::sealer().open("dilemma:1", &sealed).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(sealer.open("dilemma:1", &tampered).is_err());
        // Random nonces: the same text never seals to the same bytes.
        assert_ne!(
            sealer.seal("dilemma:1", text.as_bytes()).expect("seal"),
            sealed
        );
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert_eq!(
            Sealer::from_base64("geen base64!").err(),
            Some(KeyError::NotBase64)
        );
        assert_eq!(
            Sealer::from_base64(&STANDARD.encode([0u8; 16])).err(),
            Some(KeyError::WrongLength(16))
        );
    }
}
