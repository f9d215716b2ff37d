//! The Content-Security-Policy of every rendered page. Inline scripts (hydration, resolved
//! resources) carry a fresh per-response nonce that leptos_axum generates; nothing else inline
//! may run, and the WASM is compiled from our own origin only.

use leptos::nonce::use_nonce;
use leptos::prelude::use_context;

/// Another origin forms may lead to: the login provider, whose logout page the logout form
/// redirects to (`form-action` covers redirects). Put in the app context by the server.
#[derive(Clone, Debug)]
pub struct ProviderOrigin(pub String);

pub fn page_policy(nonce: &str, provider: Option<&str>) -> String {
    let provider = provider
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'{provider}; frame-ancestors 'none'"
    )
}

/// Puts the page policy, with this response's nonce, on the response being rendered.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let provider = crate::context::app_context()
        .ok()
        .and_then(|context| context.optional::<ProviderOrigin>());
    let policy = page_policy(&nonce, provider.as_ref().map(|p| p.0.as_str()));
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}
