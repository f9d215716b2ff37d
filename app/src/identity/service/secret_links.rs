//! Secret links (calendar feeds, group invitations): a random token handed out once, of which
//! only the SHA-256 is stored, so the database never holds a working link.

use sha2::{Digest, Sha256};

/// 128 random bits, URL-safe: the session store's id generator.
pub fn new_token() -> String {
    tower_sessions::session::Id::default().to_string()
}

/// What is stored of `token`: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
