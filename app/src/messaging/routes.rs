//! Messaging's plain form post (server only): an admin queues a failed mail again.

use axum::Router;
use axum::extract::{Extension, FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use crate::context::AppContext;
use crate::error::ServiceError;
use crate::identity::access::{Action, can};
use crate::identity::service::current::CurrentViewer;
use crate::messaging::service::outbox;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new().route("/beheer/mail/{id}/opnieuw", post(retry))
}

async fn retry(
    State(context): State<AppContext>,
    Extension(current): Extension<CurrentViewer>,
    Path(id): Path<i32>,
) -> Response {
    match &current.0 {
        None => return StatusCode::UNAUTHORIZED.into_response(),
        Some(viewer) if !can(Some(viewer), Action::ViewOutbox) => {
            return StatusCode::FORBIDDEN.into_response();
        }
        Some(_) => {}
    }
    match outbox::retry_failed(&context.db, id, context.now()).await {
        Ok(()) => Redirect::to("/beheer/mail?opnieuw=ok").into_response(),
        Err(ServiceError::Invalid(_)) => Redirect::to("/beheer/mail?opnieuw=nee").into_response(),
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "queueing a mail again failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
