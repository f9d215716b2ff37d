//! The personal calendar feed: one secret, revocable address per person (made and revoked on
//! `/mijn/trainingen`) with the training sessions they are confirmed for and the meetings of
//! their intervision groups. It joins two domains, so it lives above both.

use axum::Router;
use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use axum::routing::get;
use sea_orm::DatabaseConnection;

use crate::answer::error_response;
use crate::context::AppContext;
use crate::error::{AppError, ServiceError};
use crate::intervision::service::meetings::meeting_events;
use crate::training::routes::ics;
use crate::training::service::calendar::{feed_owner, training_events};

/// The feed behind `token`; unknown or revoked tokens are not found.
pub async fn personal_feed(db: &DatabaseConnection, token: &str) -> Result<String, ServiceError> {
    let owner = feed_owner(db, token).await?;
    let mut calendar = crate::ics::calendar("Mijn agenda (leerplatform)");
    for event in training_events(db, owner)
        .await?
        .into_iter()
        .chain(meeting_events(db, owner).await?)
    {
        calendar.push(event);
    }
    Ok(calendar.done().to_string())
}

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new().route("/agenda/{file}", get(personal_calendar))
}

/// `/agenda/<token>.ics`: the token is the only key, so the answer for a wrong one is a plain
/// 404 whatever the reason.
async fn personal_calendar(
    State(context): State<AppContext>,
    Path(file): Path<String>,
) -> Response {
    let not_found = |error: AppError| error_response(&error, "/", "Naar de startpagina");
    let Some(token) = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= 64)
    else {
        return not_found(AppError::NotFound);
    };
    match personal_feed(&context.db, token).await {
        Ok(body) => ics(body, "mijn-agenda.ics"),
        Err(error) => not_found(error.into()),
    }
}
