//! Server function of the knowledge loop: the themes page for knowledge staff.

use leptos::prelude::*;

use crate::error::AppError;
use crate::knowledge::model::backlog::ThemesPage;
use crate::notice::Notice;

/// The outcome of a backlog form, shown once on the themes page.
#[cfg(feature = "ssr")]
pub fn backlog_notice_flash() -> crate::flash::Flash<Notice> {
    crate::flash::Flash::new("backlog-notice", "themas")
}

/// A refused backlog form as typed, with its errors, shown once at its theme or item.
#[cfg(feature = "ssr")]
pub fn backlog_draft_flash() -> crate::flash::Flash<crate::knowledge::model::backlog::BacklogDraft>
{
    crate::flash::Flash::new("backlog-form", "themas")
}

/// Per theme of the dilemmas brought in: how often (only where enough groups did), what
/// already covers it and its backlog; with a refused form or an outcome, once.
#[server(endpoint = "theme_demand")]
pub async fn theme_demand() -> Result<(ThemesPage, Option<Notice>), AppError> {
    crate::identity::service::current::authorize_user(
        crate::identity::access::Action::ViewEditorialDashboard,
    )
    .await?;
    let context = crate::context::app_context()?;
    let index = crate::knowledge::service::search::from_context()?;
    let counts =
        context.get::<std::sync::Arc<crate::intervision::service::themes::KeptThemeCounts>>()?;
    let mut page = crate::knowledge::service::backlog::themes_page(
        &context.db,
        &index,
        &counts,
        context.now(),
    )
    .await?;
    page.draft = backlog_draft_flash().take().await?;
    let notice = backlog_notice_flash().take().await?;
    Ok((page, notice))
}
