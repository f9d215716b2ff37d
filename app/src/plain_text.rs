//! Rules for the short texts that reach a calendar, a mail header or a CSV file (places, links,
//! names): no control characters, which would let a value start a new line (and so a new
//! calendar event or header) there, and links that are plain `https` addresses.

/// Whether `text` holds a control character (line breaks and tabs included).
pub fn has_control_characters(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Shown next to a link field that is not a plain `https` address.
pub const LINK_MESSAGE: &str = "Een link die begint met https://, zonder spaties of regeleinden.";

/// Shown next to a one-line field that holds a line break or another control character.
pub const ONE_LINE_MESSAGE: &str = "Eén regel tekst, zonder regeleinden of tabs.";

/// An `https` address with a host and nothing a calendar or mail could misread: no spaces,
/// control characters, quotes or angle brackets, and no user name before the host.
pub fn is_https_link(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let rest_ok = rest
        .chars()
        .all(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | '\\'));
    host_ok && rest_ok && text.len() <= 500
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_https_addresses_are_links() {
        assert!(is_https_link("https://meet.example.org/abc-123?pwd=x#y"));
        assert!(is_https_link("https://127.0.0.1:8443/kamer"));
        for refused in [
            "http://meet.example.org/x",
            "https://",
            "https:///pad",
            "https://user@evil.example/",
            "https://meet.example.org/x\r\nEND:VEVENT\r\nBEGIN:VEVENT",
            "https://meet.example.org/x y",
            "https://meet.example.org/\"onclick",
            "javascript:alert(1)",
        ] {
            assert!(!is_https_link(refused), "{refused:?}");
        }
        assert!(has_control_characters("Utrecht\r\nBEGIN:VEVENT"));
        assert!(has_control_characters("a\tb"));
        assert!(!has_control_characters("Utrecht, zaal 3; 2e verdieping"));
    }
}
