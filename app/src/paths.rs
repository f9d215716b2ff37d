//! Local paths in links and redirects: the one check of where a redirect may go, and the one
//! encoder for paths carried in a query value.

/// `next` when it is a path on this site that is safe to redirect to, else `None`. Refused:
/// other hosts (`//evil`, `/\evil`, and their percent-encoded forms), `/auth/*` (no login
/// loops), control characters, and anything over 500 bytes.
pub fn safe_local_path(next: &str) -> Option<&str> {
    let decoded_start: String = percent_decode_prefix(next);
    let is_local = next.starts_with('/')
        && !decoded_start.starts_with("//")
        && !decoded_start.starts_with("/\\")
        && !next.starts_with("/auth/")
        && next.len() <= 500
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !decoded_start.chars().any(|c| c.is_control() || c == '\\');
    is_local.then_some(next)
}

/// The first characters of `path` with `%XX` decoded, enough to see what a browser would
/// make of the start of the address.
fn percent_decode_prefix(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() && out.len() < 8 {
        if bytes[i] == b'%'
            && let Some(hex) = path.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a local path for use as a query value (`?next=`, `?volgende=`); `/` stays.
pub fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/auth/login` with a way back to `next` (or to the home page when `next` is not local).
pub fn login_href(next: &str) -> String {
    format!(
        "/auth/login?next={}",
        encode_path(safe_local_path(next).unwrap_or("/"))
    )
}

/// The path parameter `name` of the request (`{group}`, `{run}`…), for extractors that load
/// a resource before the handler runs; a missing one names nothing that exists.
#[cfg(feature = "ssr")]
pub async fn path_param<S: Send + Sync>(
    parts: &mut axum::http::request::Parts,
    state: &S,
    name: &str,
) -> Result<String, crate::error::AppError> {
    use axum::extract::{FromRequestParts, Path};
    let Path(mut params) =
        Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| crate::error::AppError::NotFound)?;
    params.remove(name).ok_or(crate::error::AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_pass() {
        for good in [
            "/",
            "/factsheets/jihadisme",
            "/zoeken?q=a%20b",
            "/profiel?volgende=%2Fmodules",
        ] {
            assert_eq!(safe_local_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%2F%2Fevil.example",
            "/%2fevil.example",
            "/auth/login",
            "/a\nb",
            "/%0Aevil",
            "relative",
        ] {
            assert_eq!(safe_local_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_local_path(&format!("/{}", "a".repeat(600))), None);
    }

    #[test]
    fn login_links_carry_only_local_paths() {
        assert_eq!(
            login_href("/modules/a b"),
            "/auth/login?next=/modules/a%20b"
        );
        assert_eq!(login_href("//evil.example"), "/auth/login?next=/");
    }
}
