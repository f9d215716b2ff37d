//! The reports' server function: the access module first, then the service.

use leptos::prelude::*;

use crate::error::AppError;
use crate::reports::model::ReportsOverview;

/// Every table of the reports for `year` (this year when absent or out of range).
#[server(endpoint = "get_reports")]
pub async fn get_reports(year: Option<i32>) -> Result<ReportsOverview, AppError> {
    crate::identity::service::current::authorize_user(crate::identity::access::Action::ViewReports)
        .await?;
    let context = crate::context::app_context()?;
    let kept = context.get::<std::sync::Arc<crate::reports::service::KeptReports>>()?;
    Ok((*kept.overview(&context.db, year, context.now()).await?).clone())
}
