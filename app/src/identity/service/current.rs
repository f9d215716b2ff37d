//! The request's user, as resolved by the server's session middleware, and the check every
//! server function starts with.

use crate::error::{AppError, set_response_status};
use crate::identity::access::{Action, Viewer, can};

/// Session keys. Only ids and timestamps live in the session, never tokens or profile data.
pub const USER_ID_KEY: &str = "user_id";
pub const AUTHENTICATED_AT_KEY: &str = "authenticated_at";
/// The provider's `name` claim, kept in the session (not stored) until the first profile is
/// saved: it prefills the name, which the user may change.
pub const SUGGESTED_NAME_KEY: &str = "suggested_name";
pub const PENDING_LOGIN_KEY: &str = "pending_login";
/// The ID token, kept in the server-side session only when the provider offers logout
/// (RP-initiated logout needs it as `id_token_hint`); never sent to the browser.
pub const ID_TOKEN_HINT_KEY: &str = "id_token_hint";

/// Put into each request's extensions by the server before any handler runs.
#[derive(Clone, Debug, Default)]
pub struct CurrentViewer(pub Option<Viewer>);

pub async fn current_viewer() -> Option<Viewer> {
    match leptos_axum::extract::<axum::Extension<CurrentViewer>>().await {
        Ok(axum::Extension(current)) => current.0,
        Err(_) => {
            tracing::warn!("no viewer in request; treating as anonymous");
            None
        }
    }
}

/// The viewer, if they may perform `action`; otherwise 401 (not logged in) or 403.
pub async fn authorize(action: Action) -> Result<Option<Viewer>, AppError> {
    let viewer = current_viewer().await;
    if can(viewer.as_ref(), action) {
        return Ok(viewer);
    }
    let error = if viewer.is_some() {
        // A logged-in user asking for what their roles do not allow leaves a trace (the
        // action only: no account, no address).
        tracing::warn!(?action, "access refused");
        AppError::Forbidden
    } else {
        AppError::Unauthenticated
    };
    set_response_status(&error);
    Err(error)
}

/// Like [`authorize`] for actions only a logged-in user can perform.
pub async fn authorize_user(action: Action) -> Result<Viewer, AppError> {
    authorize(action).await?.ok_or_else(|| {
        set_response_status(&AppError::Unauthenticated);
        AppError::Unauthenticated
    })
}

/// The viewer a plain axum handler's extractor sees: what the server put in the request's
/// extensions (nobody when it is missing).
pub fn viewer_of(parts: &axum::http::request::Parts) -> Option<Viewer> {
    parts
        .extensions
        .get::<CurrentViewer>()
        .and_then(|current| current.0.clone())
}

/// The signed-in viewer of `parts`, if the access module lets them do `action` at all: 401 for
/// nobody, 403 for anyone else.
pub fn permitted(parts: &axum::http::request::Parts, action: Action) -> Result<Viewer, AppError> {
    match viewer_of(parts) {
        None => Err(AppError::Unauthenticated),
        Some(viewer) if !can(Some(&viewer), action) => Err(AppError::Forbidden),
        Some(viewer) => Ok(viewer),
    }
}
