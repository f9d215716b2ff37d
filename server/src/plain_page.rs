//! Small Dutch HTML pages for answers outside the Leptos app: login refusals, rate limits,
//! time-outs, and the outcome of a form posted without JavaScript that a server function refused.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::provide_context;

use app::answer::FramedAnswer;
use app::error::AppError;

use crate::AppState;

/// A page with `title`, `message` (plain text, escaped here) and a way on: back to `back` (a
/// local path) when given, else to log in again; always to the home page.
pub fn plain_page(status: StatusCode, title: &str, message: &str, back: Option<&str>) -> Response {
    let (raw_title, raw_message) = (title, message);
    let title = html_escape::encode_text(title);
    let message = html_escape::encode_text(message);
    let way_on = match back {
        Some(path) => format!(
            "<a href=\"{}\">Terug naar het formulier</a>",
            html_escape::encode_double_quoted_attribute(path)
        ),
        None => "<a href=\"/auth/login\">Opnieuw inloggen</a>".to_owned(),
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Leerplatform LSE</title>\
         <link rel=\"stylesheet\" href=\"/pkg/leerplatform.css\"></head>\
         <body><main class=\"container error-page\"><h1>{title}</h1><p class=\"lead\">{message}</p>\
         <p>{way_on} · <a href=\"/\">Naar de startpagina</a></p>\
         </main></body></html>"
    );
    let mut response = (status, Html(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Where it passes the `framed_answers` layer (a route's refusal) it becomes a page in the
    // site's frame; this page stays for answers given before the session layers (rate limits,
    // oversized bodies, time-outs), which must stay cheap.
    response.extensions_mut().insert(FramedAnswer {
        status: status.as_u16(),
        title: raw_title.to_owned(),
        message: raw_message.to_owned(),
        secret_link: None,
        way_on: match back {
            Some(path) => (path.to_owned(), "Terug naar het formulier".to_owned()),
            None => ("/".to_owned(), "Naar de startpagina".to_owned()),
        },
        needs_login: back.is_none(),
        confirm: None,
    });
    response
}

/// A server function refusing a form the browser posted itself (no JavaScript: it asks for
/// HTML) would leave the user on a JSON error. Such refusals become a page with the Dutch
/// message and a link back to the form.
pub async fn plain_form_errors(request: Request, next: Next) -> Response {
    let is_plain_form = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    if !is_plain_form {
        return next.run(request).await;
    }
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(local_path_of)
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let status = response.status();
    // server_fn 0.8 strips its error parameters from the address it sends the browser back to
    // and leaves an empty query behind ("/profiel?"): the address the person came from, as it was.
    if status.is_redirection()
        && let Some(location) = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_suffix('?'))
            .and_then(|v| HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    // Only a server function's JSON error: pages such as the 429 and 413 are already Dutch.
    if !(status.is_client_error() || status.is_server_error()) || !is_json {
        return response;
    }
    let body = to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&body).unwrap_or(AppError::Internal);
    let mut answer = FramedAnswer::refusal(
        &error,
        back.as_deref().unwrap_or("/"),
        "Terug naar het formulier",
    );
    answer.status = status.as_u16();
    answer.into_response()
}

/// Renders a [`FramedAnswer`] a handler returned as a page of the app, with the person's
/// header and menu: it sits inside the session and viewer layers, so the page knows who is
/// logged in. A refusal that asks to log in again leads back to the form it came from.
pub async fn framed_answers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri().clone();
    let headers = request.headers().clone();
    let extensions = request.extensions().clone();
    let from_form = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(local_path_of)
        .map(str::to_owned);
    let is_post = request.method() == Method::POST;
    let response = next.run(request).await;
    let Some(mut answer) = response.extensions().get::<FramedAnswer>().cloned() else {
        return response;
    };
    if let (true, true, Some(form)) = (answer.needs_login, is_post, from_form) {
        answer.way_on = (form, "Terug naar het formulier".to_owned());
    }
    let mut page_request = Request::new(axum::body::Body::empty());
    *page_request.uri_mut() = uri;
    *page_request.headers_mut() = headers;
    *page_request.extensions_mut() = extensions;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let context = state.context.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            context.provide();
            provide_context(answer.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut page = render(page_request).await;
    *page.status_mut() = status;
    page.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    page
}

/// The path and query of a same-site address (`Referer` is full for our own origin only).
pub fn local_path_of(url: &str) -> Option<&str> {
    let after_scheme = url.split_once("://")?.1;
    let path = &after_scheme[after_scheme.find('/')?..];
    app::paths::safe_local_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_lead_back() {
        assert_eq!(
            local_path_of("http://127.0.0.1:3000/redactie/documenten/x?a=1"),
            Some("/redactie/documenten/x?a=1")
        );
        assert_eq!(local_path_of("https://example.org//evil.example"), None);
        assert_eq!(local_path_of("no-url"), None);
    }
}
