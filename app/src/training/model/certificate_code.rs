//! A certificate's verification code in a form people can read aloud and type: Crockford
//! base32 (no I, L, O or U), in groups of four, case-insensitive, and forgiving of the
//! look-alikes people type for 0 and 1. The encoding is data-encoding's, with Crockford's
//! alphabet and translations.

use std::sync::LazyLock;

use data_encoding::{Encoding, Specification};

/// 80 random bits: 16 characters, four groups of four.
const CODE_BYTES: usize = 10;
const GROUP: usize = 4;

static CROCKFORD: LazyLock<Option<Encoding>> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    // Lower case is the same letter; I and L read as 1, O as 0 (Crockford's rule).
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzIiLlOo");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ111100");
    // Group separators and spaces as people type them.
    spec.ignore.push_str("- ");
    spec.encoding().ok()
});

/// "7KQ2-9XMP-3HTV-WZ0A" from 16 characters.
fn grouped(plain: &str) -> String {
    plain
        .as_bytes()
        .chunks(GROUP)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A new code from ten random bytes.
pub fn code_from(random: [u8; CODE_BYTES]) -> Option<String> {
    let encoding = CROCKFORD.as_ref()?;
    Some(grouped(&encoding.encode(&random)))
}

/// A new random code.
pub fn new_code() -> Option<String> {
    code_from(rand::random())
}

/// The stored form of a code as someone typed or read it ("7kq2 9xmp-3htv-wzoa" is
/// "7KQ2-9XMP-3HTV-WZ0A"); `None` when it is not a code of this form (codes issued before
/// these were URL-safe tokens, looked up as they are).
pub fn normalised(typed: &str) -> Option<String> {
    let encoding = CROCKFORD.as_ref()?;
    let bytes = encoding.decode(typed.trim().as_bytes()).ok()?;
    if bytes.len() != CODE_BYTES {
        return None;
    }
    Some(grouped(&encoding.encode(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_four_groups_of_four_without_look_alikes() {
        let code = code_from([0xff; CODE_BYTES]).unwrap();
        assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let code = code_from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).unwrap();
        assert_eq!(code.len(), 19);
        assert!(
            code.chars()
                .all(|c| c == '-' || "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
            "{code}"
        );
    }

    #[test]
    fn a_typed_code_is_read_whatever_its_case_spacing_and_look_alikes() {
        let code = code_from([0x10, 0x42, 0x08, 0x61, 0x4e, 0xc9, 0x3a, 0x77, 0x00, 0x1f]).unwrap();
        let sloppy = code
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(normalised(&sloppy).as_deref(), Some(code.as_str()));
        assert_eq!(
            normalised(&format!("  {code}  ")).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(
            normalised(&code.replace('-', "")).as_deref(),
            Some(code.as_str())
        );
    }

    #[test]
    fn what_is_not_such_a_code_is_not_read_as_one() {
        // An older code (a URL-safe token) and a code one character short.
        assert_eq!(normalised("Xy3_f9-KQ2mZpR0aBcDeFg"), None);
        assert_eq!(normalised("7KQ2-9XMP-3HTV-WZ0"), None);
        assert_eq!(normalised("7KQ2-9XMP-3HTV-WZ0U"), None);
        assert_eq!(normalised(""), None);
    }
}
