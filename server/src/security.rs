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
    // A 304 carries no policy: the browser would apply it to its cached copy, whose body holds
    // the nonce of the policy it came with (RFC 9111, 4.3.4), and the page would lose its
    // stylesheet and scripts.
    if response.status() != StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(NON_PAGE_POLICY));
    }
    repaired_leptos_html(response).await
}

/// Two repairs of the HTML Leptos 0.8.23 writes, until a release carries the fixes:
/// - it puts the page's nonce into the `crossorigin` attribute of the WASM and JS preloads
///   (leptos-rs/leptos#4843, fixed by #4844, not released in 0.8), an invalid value on which
///   Firefox may drop the preload and leave the page without hydration: it becomes
///   `crossorigin=""` (anonymous, what the fix writes);
/// - the async renderer appends its resource scripts after `</html>` (invalid HTML, which
///   browsers repair by moving them into the body): they move in front of `</body>`.
///
/// Every page renders whole before it is sent (`SsrMode::Async`), so reading the body here
/// delays nothing.
async fn repaired_leptos_html(response: Response) -> Response {
    use http_body_util::BodyExt;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let nonce = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|policy| policy.split("'nonce-").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .map(str::to_owned);
    let (true, Some(nonce)) = (is_html, nonce) else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            tracing::warn!(%error, "reading a page to send failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let needle = format!("crossorigin=\"{nonce}\"").into_bytes();
    let bytes = replace_all(bytes, &needle, b"crossorigin=\"\"");
    let bytes = scripts_inside_body(bytes);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// `…</body></html><script>…</script>` as `…<script>…</script></body></html>`; hydration
/// markers (`<!>`) Leptos may write around `</html>` (it does with `erase_components`) move in
/// with them.
fn scripts_inside_body(bytes: axum::body::Bytes) -> axum::body::Bytes {
    const BODY_END: &[u8] = b"</body>";
    const HTML_END: &[u8] = b"</html>";
    let Some(body_end) = bytes.windows(BODY_END.len()).rposition(|w| w == BODY_END) else {
        return bytes;
    };
    let after_body = &bytes[body_end + BODY_END.len()..];
    if after_body == HTML_END {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..body_end]);
    match after_body
        .windows(HTML_END.len())
        .position(|w| w == HTML_END)
    {
        Some(html_end) => {
            out.extend_from_slice(&after_body[..html_end]);
            out.extend_from_slice(&after_body[html_end + HTML_END.len()..]);
        }
        None => out.extend_from_slice(after_body),
    }
    out.extend_from_slice(BODY_END);
    out.extend_from_slice(HTML_END);
    out.into()
}

fn replace_all(data: axum::body::Bytes, needle: &[u8], with: &[u8]) -> axum::body::Bytes {
    let Some(first) = data.windows(needle.len()).position(|w| w == needle) else {
        return data;
    };
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..first]);
    let mut rest = &data[first..];
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out.into()
}

/// Refuses state-changing requests that another site made the browser send (CSRF). Browsers
/// mark them with `Sec-Fetch-Site`, older ones at least with `Origin`; same-origin forms,
/// with or without JavaScript, pass, and so do clients that send neither (no browser).
pub async fn refuse_cross_origin(
    State(public_origin): State<std::sync::Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe_method && is_cross_origin(request.headers(), &public_origin) {
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

/// Cross-origin unless `Sec-Fetch-Site` says otherwise or, where browsers do not send it, the
/// `Origin` is exactly ours: scheme, host and port of `PUBLIC_URL` (not the `Host` header,
/// which a proxy may rewrite and which says nothing of the scheme).
fn is_cross_origin(headers: &HeaderMap, public_origin: &str) -> bool {
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
    match text(header::ORIGIN.as_str()) {
        None => false,
        Some(origin) => !origin.eq_ignore_ascii_case(public_origin),
    }
}

/// The largest request body each kind of route accepts: the editor's document (256 KB of text,
/// which form encoding can grow up to threefold) on its two server functions, a few kilobytes
/// for every other form and server function. Anything larger is refused before it is read.
pub fn body_limit_for(path: &str) -> usize {
    match path {
        "/api/save_document" | "/api/preview_markdown" => 3 * 256 * 1024 + 64 * 1024,
        _ => 64 * 1024,
    }
}

pub async fn body_limit(request: Request, next: Next) -> Response {
    let limit = body_limit_for(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::plain_page::local_path_of)
        .unwrap_or("/")
        .to_owned();
    let too_large = || {
        crate::plain_page::plain_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Te groot",
            "Wat u verstuurde is groter dan het leerplatform op deze plek aanneemt. Maak de tekst korter en probeer het opnieuw.",
            Some(&back),
        )
    };
    if declared.is_some_and(|length| length > limit) {
        return too_large();
    }
    // A body without (or with a false) length is read up to the limit here, so an oversized
    // one is a 413 rather than a failure halfway through a handler.
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
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

    #[test]
    fn what_follows_the_body_moves_inside_it_markers_included() {
        let moved = |html: &'static str| {
            String::from_utf8(scripts_inside_body(axum::body::Bytes::from(html)).to_vec())
                .expect("utf-8")
        };
        assert_eq!(
            moved("<body><p>a</p></body></html><script>x</script>"),
            "<body><p>a</p><script>x</script></body></html>"
        );
        assert_eq!(
            moved("<body><p>a</p><!></body><!><!></html><!><script>x</script>"),
            "<body><p>a</p><!><!><!><!><script>x</script></body></html>"
        );
        assert_eq!(moved("<body></body></html>"), "<body></body></html>");
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn recognises_cross_origin_requests() {
        const OURS: &str = "http://127.0.0.1:3000";
        let cross = |pairs: &[(&'static str, &'static str)]| is_cross_origin(&headers(pairs), OURS);
        assert!(!cross(&[]));
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(!cross(&[("sec-fetch-site", "none")]));
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(cross(&[("sec-fetch-site", "same-site")]));
        assert!(!cross(&[("origin", "http://127.0.0.1:3000")]));
        assert!(
            cross(&[("origin", "https://127.0.0.1:3000")]),
            "other scheme"
        );
        assert!(cross(&[("origin", "https://example.org")]));
        assert!(cross(&[("origin", "null")]));
    }

    #[tokio::test]
    async fn a_request_past_the_time_limit_gets_a_dutch_503() {
        use axum::body::Body;
        use axum::routing::get;
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route(
                "/traag",
                get(|| async {
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    "klaar"
                }),
            )
            .route("/snel", get(|| async { "klaar" }))
            .layer(axum::middleware::from_fn_with_state(
                std::time::Duration::from_millis(50),
                time_limit,
            ));
        let request = |path: &str| Request::get(path).body(Body::empty()).unwrap();
        let slow = app.clone().oneshot(request("/traag")).await.unwrap();
        assert_eq!(slow.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(slow.into_body(), 64 * 1024)
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&body).contains("Dit duurde te lang"));
        let quick = app.oneshot(request("/snel")).await.unwrap();
        assert_eq!(quick.status(), StatusCode::OK);
    }
}
