//! A value carried in the server-side session across exactly one redirect: how a form posted
//! without JavaScript shows its outcome (errors, what was typed, "opgeslagen") on the page it
//! returns to. Taken once, then gone; never in a URL.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_sessions::Session;

use crate::error::AppError;

pub struct Flash<T> {
    key: String,
    _value: PhantomData<fn() -> T>,
}

impl<T: Serialize + DeserializeOwned> Flash<T> {
    /// `scope` tells flashes of one kind apart (e.g. the document being edited).
    pub fn new(kind: &str, scope: &str) -> Self {
        Self {
            key: format!("flash:{kind}:{scope}"),
            _value: PhantomData,
        }
    }

    pub async fn put(&self, value: &T) -> Result<(), AppError> {
        session()
            .await?
            .insert(&self.key, value)
            .await
            .map_err(session_error)
    }

    /// Keeps `value` only when the browser posted the form itself (no JavaScript): a page that
    /// is hydrated shows the outcome in place, and a flash left behind would reappear later.
    pub async fn put_for_plain_form(&self, value: &T) -> Result<(), AppError> {
        if is_plain_form_post().await {
            self.put(value).await?;
        }
        Ok(())
    }

    /// The value, removed from the session: a reload no longer shows it.
    pub async fn take(&self) -> Result<Option<T>, AppError> {
        session()
            .await?
            .remove::<T>(&self.key)
            .await
            .map_err(session_error)
    }

    /// [`Flash::put`] from a plain axum handler, which has the session but no Leptos context.
    pub async fn put_in(&self, session: &Session, value: &T) -> Result<(), AppError> {
        session
            .insert(&self.key, value)
            .await
            .map_err(session_error)
    }

    pub async fn clear(&self) -> Result<(), AppError> {
        self.take().await.map(drop)
    }
}

/// Whether the browser posted this form itself (it asks for HTML); a hydrated form calls its
/// server function asking for JSON.
pub async fn is_plain_form_post() -> bool {
    leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|headers| {
            headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|accept| accept.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The request's server-side session (the server's session layer puts it there).
pub async fn session() -> Result<Session, AppError> {
    // A page's data still loading after its request was given up (the client left) no longer
    // has the request: nobody waits for the answer, and that is no failure of the server.
    if leptos::prelude::use_context::<axum::http::request::Parts>().is_none() {
        tracing::debug!("session asked for after the request ended");
        return Err(AppError::Unavailable);
    }
    leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!(%error, "no session layer");
        AppError::Internal
    })
}

pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store failed");
    AppError::Internal
}

/// The one way a plain form post ends: `value` into `flash` for the page at `location`, and
/// the browser sent there.
pub async fn redirect_with<T: Serialize + DeserializeOwned>(
    session: &Session,
    flash: &Flash<T>,
    value: &T,
    location: &str,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    flash.put_in(session, value).await?;
    Ok(axum::response::Redirect::to(location).into_response())
}
