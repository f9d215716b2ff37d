//! The Content-Security-Policy of every rendered page. Inline scripts (hydration, resolved
//! resources) carry a fresh per-response nonce that leptos_axum generates; nothing else inline
//! may run, and the WASM is compiled from our own origin only.

use leptos::nonce::use_nonce;
use leptos::prelude::use_context;

pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the page policy, with this response's nonce, on the response being rendered.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = axum::http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}
