//! Knowledge's routes outside Leptos (server only): the Atom feed, and the backlog's form
//! posts (plain forms that work the same with and without JavaScript, each ending in a
//! redirect to the themes page with its outcome or its refused form, once). The server merges
//! them.

use axum::Router;
use axum::extract::{Form, FromRef, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_sessions::Session;

use crate::answer::{Refusal, WayOn};
use crate::context::AppContext;
use crate::error::{AppError, ServiceError};
use crate::flash::redirect_with;
use crate::identity::access::Action;
use crate::identity::service::current::permitted;
use crate::knowledge::api::backlog::{backlog_draft_flash, backlog_notice_flash};
use crate::knowledge::model::backlog::{BacklogDraft, BacklogForm};
use crate::knowledge::rules::backlog::check_backlog_form;
use crate::knowledge::service::backlog;
use crate::notice::Notice;
use crate::vocabulary::Theme;

/// The knowledge staff's page of themes and their backlog.
pub const THEMES_PAGE: &str = "/redactie/themas";

/// Knowledge's refusals lead on to the editorial overview.
pub struct ToEditorial;

impl WayOn for ToEditorial {
    const HREF: &'static str = "/redactie";
    const LABEL: &'static str = "Naar de redactie";
}

type Answer = Result<Response, Refusal<ToEditorial>>;

/// Someone the access module lets edit knowledge.
pub struct Editor;

impl<S: Send + Sync> FromRequestParts<S> for Editor {
    type Rejection = Refusal<ToEditorial>;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        permitted(parts, Action::EditKnowledge)?;
        Ok(Self)
    }
}

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new()
        .route("/feed.xml", get(atom_feed))
        .route("/redactie/themas/gewenst", post(add_backlog_item))
        .route("/redactie/themas/gewenst/{item}", post(change_backlog_item))
}

/// Back to the themes page at `anchor`: with the refused form as typed, or with the outcome.
async fn back_to_themes(
    session: &Session,
    anchor: &str,
    outcome: Result<&str, BacklogDraft>,
) -> Answer {
    let location = format!("{THEMES_PAGE}#{anchor}");
    Ok(match outcome {
        Ok(message) => {
            redirect_with(
                session,
                &backlog_notice_flash(),
                &Notice::done(message),
                &location,
            )
            .await?
        }
        Err(draft) => redirect_with(session, &backlog_draft_flash(), &draft, &location).await?,
    })
}

/// "Factsheet gewenst": a new backlog item from a theme.
async fn add_backlog_item(
    State(context): State<AppContext>,
    _editor: Editor,
    session: Session,
    Form(form): Form<BacklogForm>,
) -> Answer {
    // Only a known theme's slug goes into the redirect.
    let anchor = Theme::from_slug(form.thema.trim()).map_or_else(
        || "themas".to_owned(),
        |theme| format!("thema-{}", theme.slug()),
    );
    let outcome = match check_backlog_form(&form, true) {
        Ok(item) => {
            backlog::add_item(&context.db, &item, context.now()).await?;
            Ok("De gewenste factsheet staat op de lijst van de redactie.")
        }
        Err(errors) => Err(BacklogDraft {
            item: None,
            form,
            errors,
        }),
    };
    back_to_themes(&session, &anchor, outcome).await
}

/// A backlog item's new status (with its document or reason), title or theme.
async fn change_backlog_item(
    State(context): State<AppContext>,
    _editor: Editor,
    session: Session,
    Path(item): Path<String>,
    Form(form): Form<BacklogForm>,
) -> Answer {
    let id: i32 = item.parse().map_err(|_| AppError::NotFound)?;
    let anchor = format!("gewenst-{id}");
    let checked = check_backlog_form(&form, false).map_err(ServiceError::Fields);
    let changed = match checked {
        Ok(item) => backlog::change_item(&context.db, id, &item, context.now()).await,
        Err(refused) => Err(refused),
    };
    let outcome = match changed {
        Ok(true) => Ok("De gewenste factsheet is bijgewerkt."),
        Ok(false) => Ok("Er was niets gewijzigd."),
        Err(ServiceError::Fields(errors)) => Err(BacklogDraft {
            item: Some(id),
            form,
            errors,
        }),
        Err(other) => return Err(other.into()),
    };
    back_to_themes(&session, &anchor, outcome).await
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
