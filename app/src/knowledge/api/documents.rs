//! Server functions of the knowledge domain: thin wrappers around the service.

use leptos::prelude::*;

use crate::error::AppError;
use crate::knowledge::model::{
    EditorialOverviewPage, Factsheet, FactsheetListing, FactsheetSummary,
};

/// How many factsheets the home page lists.
pub const RECENT_COUNT: u64 = 6;

/// One page of the factsheet index; each filter as it comes from the query string (an
/// unknown value filters nothing).
#[server(endpoint = "list_factsheets")]
pub async fn list_factsheets(
    phenomenon: Option<String>,
    audience: Option<String>,
    page: Option<u64>,
) -> Result<FactsheetListing, AppError> {
    let db = crate::context::db()?;
    Ok(crate::knowledge::service::documents::list_published_page(
        &db,
        phenomenon
            .as_deref()
            .and_then(crate::vocabulary::Phenomenon::from_slug),
        audience
            .as_deref()
            .and_then(crate::vocabulary::WorkField::from_slug),
        page.unwrap_or(1),
    )
    .await?)
}

#[server(endpoint = "recent_factsheets")]
pub async fn recent_factsheets() -> Result<Vec<FactsheetSummary>, AppError> {
    let db = crate::context::db()?;
    Ok(crate::knowledge::service::documents::recently_reviewed(&db, RECENT_COUNT).await?)
}

#[server(endpoint = "get_factsheet")]
pub async fn get_factsheet(slug: String) -> Result<Factsheet, AppError> {
    let context = crate::context::app_context()?;
    let memo = context.get::<crate::knowledge::service::documents::RelatedMemo>()?;
    Ok(crate::knowledge::service::documents::get_published(
        &context.db,
        &memo,
        &slug,
        context.today(),
    )
    .await?)
}

/// The editors' overview: every document, overdue reviews first.
#[server(endpoint = "editorial_overview")]
pub async fn editorial_overview(page: Option<u64>) -> Result<EditorialOverviewPage, AppError> {
    crate::identity::service::current::authorize_user(
        crate::identity::access::Action::ViewEditorialDashboard,
    )
    .await?;
    let db = crate::context::db()?;
    let today = crate::context::app_context()?.today();
    Ok(crate::knowledge::service::reviews::editorial_page(&db, today, page.unwrap_or(1)).await?)
}

/// Full-text search; each parameter as it comes from the `/zoeken` query string.
#[server(endpoint = "search_documents")]
pub async fn search_documents(
    q: String,
    phenomenon: Option<String>,
    audience: Option<String>,
    kind: Option<String>,
) -> Result<crate::knowledge::model::SearchResults, AppError> {
    use crate::vocabulary::{Phenomenon, WorkField};
    let index = crate::knowledge::service::search::from_context()?;
    let query = crate::knowledge::model::SearchQuery {
        text: q,
        phenomenon: phenomenon.as_deref().and_then(Phenomenon::from_slug),
        audience: audience.as_deref().and_then(WorkField::from_slug),
        kind: kind
            .as_deref()
            .and_then(crate::knowledge::model::SearchKind::from_slug),
    };
    let results = index.search(&query)?;
    if results.total == 0
        && let Some(usage) = crate::context::app_context()?
            .optional::<std::sync::Arc<crate::knowledge::service::usage::Usage>>()
    {
        // Counted for the reports: words that found nothing show where knowledge is missing.
        usage.note_miss(&query.text);
    }
    Ok(results)
}
