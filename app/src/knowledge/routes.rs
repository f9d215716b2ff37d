//! Knowledge's routes outside Leptos (server only): the Atom feed. The server merges them.

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::context::AppContext;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new().route("/feed.xml", get(atom_feed))
}

/// The Atom feed of published factsheets.
async fn atom_feed(State(context): State<AppContext>) -> Response {
    match crate::knowledge::service::feed::atom_feed(&context.db, &context.public_url).await {
        Ok(xml) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "feed failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "De feed is even niet beschikbaar.",
            )
                .into_response()
        }
    }
}
