//! Server functions of the knowledge domain: thin wrappers around the service.

use leptos::prelude::*;

use super::model::{EditorialItem, Factsheet, FactsheetSummary};
use crate::error::AppError;

/// How many factsheets the home page lists.
pub const RECENT_COUNT: u64 = 6;

#[server(endpoint = "list_factsheets")]
pub async fn list_factsheets() -> Result<Vec<FactsheetSummary>, AppError> {
    let db = crate::db::from_context()?;
    Ok(super::service::list_published(&db).await?)
}

#[server(endpoint = "recent_factsheets")]
pub async fn recent_factsheets() -> Result<Vec<FactsheetSummary>, AppError> {
    let db = crate::db::from_context()?;
    Ok(super::service::recently_reviewed(&db, RECENT_COUNT).await?)
}

#[server(endpoint = "get_factsheet")]
pub async fn get_factsheet(slug: String) -> Result<Factsheet, AppError> {
    let db = crate::db::from_context()?;
    let today = chrono::Utc::now().date_naive();
    Ok(super::service::get_published(&db, &slug, today).await?)
}

/// The editors' overview: every document, overdue reviews first.
#[server(endpoint = "editorial_overview")]
pub async fn editorial_overview() -> Result<Vec<EditorialItem>, AppError> {
    crate::identity::current::authorize_user(
        crate::identity::access::Action::ViewEditorialDashboard,
    )
    .await?;
    let db = crate::db::from_context()?;
    let today = chrono::Utc::now().date_naive();
    Ok(super::service::editorial_overview(&db, today).await?)
}

/// Full-text search; each parameter as it comes from the `/zoeken` query string.
#[server(endpoint = "search_documents")]
pub async fn search_documents(
    q: String,
    phenomenon: Option<String>,
    audience: Option<String>,
    kind: Option<String>,
) -> Result<super::model::SearchResults, AppError> {
    use crate::vocabulary::{Audience, Phenomenon};
    let index = use_context::<std::sync::Arc<super::search::SearchIndex>>().ok_or_else(|| {
        tracing::error!("no search index in the request context");
        AppError::Internal
    })?;
    let query = super::model::SearchQuery {
        text: q,
        phenomenon: phenomenon.as_deref().and_then(Phenomenon::from_slug),
        audience: audience.as_deref().and_then(Audience::from_slug),
        kind: kind
            .as_deref()
            .and_then(super::model::DocumentKind::from_slug),
    };
    Ok(index.search(&query)?)
}
