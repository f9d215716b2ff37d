//! Security headers on every response. Pages get their nonce-based Content-Security-Policy
//! while rendering (`app::csp`); everything else gets a policy that allows nothing.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

const SEC_FETCH_SITE: &str = "sec-fetch-site";

const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn security_headers(
    State(https_only): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https_only {
        // Served over https (PUBLIC_URL): browsers must never fall back to plain http.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Full referrer to our own origin only: no-JS form posts redirect back through it, and
    // no factsheet or page address leaks to the external sites we link to.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(NON_PAGE_POLICY));
    response
}

/// Refuses state-changing requests that another site made the browser send (CSRF). Browsers
/// mark them with `Sec-Fetch-Site`, older ones at least with `Origin`; same-origin forms,
/// with or without JavaScript, pass, and so do clients that send neither (no browser).
pub async fn refuse_cross_origin(request: Request, next: Next) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe_method && is_cross_origin(request.headers()) {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-origin request refused");
        return (
            StatusCode::FORBIDDEN,
            Html(
                "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
                 <title>Verzoek geweigerd</title></head><body><h1>Verzoek geweigerd</h1>\
                 <p>Dit verzoek kwam niet van het leerplatform zelf en is daarom niet uitgevoerd. \
                 Ga naar de pagina op het leerplatform en probeer het daar opnieuw.</p></body></html>",
            ),
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    match text(SEC_FETCH_SITE) {
        // "none": the user started it (address bar, bookmark).
        Some("same-origin" | "none") => return false,
        Some(_) => return true,
        None => {}
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => false,
        (Some(origin), Some(host)) => origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .is_none_or(|origin_host| !origin_host.eq_ignore_ascii_case(host)),
        (Some(_), None) => true,
    }
}

/// Answers a request that runs past `limit` with a Dutch 503, so a slow database or a heavy
/// request cannot hold a connection open indefinitely.
pub async fn time_limit(
    State(limit): State<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, "request timed out");
            crate::auth::auth_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "Dit duurde te lang. Probeer het over een ogenblik opnieuw.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn recognises_cross_origin_requests() {
        assert!(!is_cross_origin(&headers(&[])));
        assert!(!is_cross_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(is_cross_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(is_cross_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        let host = ("host", "127.0.0.1:3000");
        assert!(!is_cross_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            host
        ])));
        assert!(is_cross_origin(&headers(&[
            ("origin", "https://example.org"),
            host
        ])));
        assert!(is_cross_origin(&headers(&[("origin", "null"), host])));
        assert!(is_cross_origin(&headers(&[(
            "origin",
            "http://127.0.0.1:3000"
        )])));
    }
}
