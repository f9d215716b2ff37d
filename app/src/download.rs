//! Every file the platform hands out (CSV, PDF, .ics, the data export): one response, saved
//! under `filename`, never kept by a cache (they hold people's data or secret links).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `body` as a download of `content_type` named `filename` (letters, digits, `-`, `_` and `.`
/// only; anything else becomes `-`).
pub fn attachment(
    body: impl Into<axum::body::Body>,
    content_type: &'static str,
    filename: &str,
) -> Response {
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body.into(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_safely_and_never_cached() {
        let response = attachment("a;b", "text/csv; charset=utf-8", "deelnemers-x/\"y\".csv");
        let headers = response.headers();
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"deelnemers-x--y-.csv\""
        );
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    }
}
