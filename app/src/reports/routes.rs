//! The reports' CSV downloads (server only): each table exactly as the page shows it.

use axum::Router;
use axum::extract::{FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

use crate::answer::{Refusal, WayOn};
use crate::context::AppContext;
use crate::download::attachment;
use crate::error::AppError;
use crate::identity::access::Action;
use crate::identity::service::current::permitted;
use crate::reports::model::ReportKind;
use crate::reports::service::{KeptReports, report_csv, year_or_this};

/// The reports' refusals lead on to the reports page.
pub struct ToReports;

impl WayOn for ToReports {
    const HREF: &'static str = "/beheer/rapportage";
    const LABEL: &'static str = "Naar de rapportage";
}

type Answer = Result<Response, Refusal<ToReports>>;

/// Someone the access module lets see the reports.
pub struct ReportReader;

impl<S: Send + Sync> FromRequestParts<S> for ReportReader {
    type Rejection = Refusal<ToReports>;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        permitted(parts, Action::ViewReports)?;
        Ok(Self)
    }
}

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppContext: FromRef<S>,
{
    Router::new().route("/beheer/rapportage/{file}", get(report_download))
}

/// The year as typed in the address: anything but a year of the reports means this year, as
/// on the page.
#[derive(serde::Deserialize)]
struct YearQuery {
    jaar: Option<String>,
}

/// `/beheer/rapportage/<table>.csv?jaar=<year>`.
async fn report_download(
    State(context): State<AppContext>,
    _reader: ReportReader,
    Path(file): Path<String>,
    Query(query): Query<YearQuery>,
) -> Answer {
    let kind = file
        .strip_suffix(".csv")
        .and_then(ReportKind::from_slug)
        .ok_or(AppError::NotFound)?;
    let year = year_or_this(
        query.jaar.and_then(|y| y.trim().parse().ok()),
        context.now(),
    );
    // The same counts as the page shows.
    let kept = context.get::<std::sync::Arc<KeptReports>>()?;
    let overview = kept
        .overview(&context.db, Some(year), context.now())
        .await?;
    let table = overview
        .tables
        .iter()
        .find(|table| table.kind == kind)
        .ok_or(AppError::NotFound)?;
    Ok(attachment(
        report_csv(table),
        "text/csv; charset=utf-8",
        &format!("{}-{year}.csv", kind.slug()),
    ))
}
