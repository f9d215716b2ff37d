//! Server functions of courses and modules: thin wrappers around `courses`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::knowledge::model::course::{CourseSummary, CourseView, ModuleView, QuizResult};

#[cfg(feature = "ssr")]
mod server {
    use crate::error::AppError;
    use crate::identity::access::Action;
    use crate::identity::service::current::authorize;

    /// The logged-in user's id, if any; reading modules needs no account.
    pub async fn reader() -> Result<Option<i32>, AppError> {
        Ok(authorize(Action::ReadPublishedKnowledge)
            .await?
            .map(|viewer| viewer.user_id))
    }

    /// A logged-in reader's answers (short form) wait in the server-side session until the
    /// module page shows their result: how a form sent without JavaScript sees it after the
    /// redirect back. A visitor's travel in the address instead, so a visitor never gets a
    /// session row for a self-check.
    pub fn quiz_answers(module: &str) -> crate::flash::Flash<String> {
        crate::flash::Flash::new("quiz", module)
    }

    /// The module page's own address (for a no-JS redirect), at the self-check.
    pub fn self_check_href(course: &str, module: &str, visitor_answers: Option<&str>) -> String {
        let query = visitor_answers
            .map(|answers| format!("?{}={answers}", super::ANSWERS_PARAM))
            .unwrap_or_default();
        format!(
            "/modules/{}/{}{query}#zelftoets",
            crate::paths::encode_path(course),
            crate::paths::encode_path(module)
        )
    }
}

#[server(endpoint = "list_courses")]
pub async fn list_courses() -> Result<Vec<CourseSummary>, AppError> {
    let reader = server::reader().await?;
    let db = crate::context::db()?;
    Ok(crate::knowledge::service::courses::list_courses(
        &db,
        reader,
        crate::context::app_context()?.today(),
    )
    .await?)
}

#[server(endpoint = "get_course")]
pub async fn get_course(course: String) -> Result<CourseView, AppError> {
    let user = server::reader().await?;
    let db = crate::context::db()?;
    let today = crate::context::app_context()?.today();
    Ok(crate::knowledge::service::courses::course_view(&db, &course, user, today).await?)
}

/// The query parameter that carries a visitor's no-JS self-check answers back to the page.
pub const ANSWERS_PARAM: &str = "antwoorden";

/// A module; `answers` (a visitor's no-JS self-check, short form) shows its result.
#[server(endpoint = "get_module")]
pub async fn get_module(
    course: String,
    module: String,
    answers: Option<String>,
) -> Result<ModuleView, AppError> {
    use crate::knowledge::rules::quiz::decode_answers;
    let user = server::reader().await?;
    let db = crate::context::db()?;
    let context = crate::context::app_context()?;
    let mut view = crate::knowledge::service::courses::module_view(
        &db,
        &course,
        &module,
        user,
        context.today(),
    )
    .await?;
    let flashed = server::quiz_answers(&module).take().await?;
    let recorded = flashed.is_some() && user.is_some();
    if let Some(answers) = flashed.or(answers) {
        // The result again from the answers; progress was recorded when they were sent.
        let mut result = crate::knowledge::service::courses::check_quiz(
            &db,
            None,
            &course,
            &module,
            &decode_answers(&answers),
            context.now(),
        )
        .await?;
        result.recorded = recorded;
        view.last_result = Some(result);
    }
    Ok(view)
}

/// Checks the self-check of a module. The values of `answers` are `<question>-<option>`.
#[server(endpoint = "check_quiz")]
pub async fn check_quiz(
    course: String,
    module: String,
    answers: Option<std::collections::BTreeMap<String, String>>,
) -> Result<QuizResult, AppError> {
    let user = server::reader().await?;
    let db = crate::context::db()?;
    // One form field per radio group or checkbox; the values say what was chosen.
    let answers: Vec<String> = answers.unwrap_or_default().into_values().collect();
    let result = crate::knowledge::service::courses::check_quiz(
        &db,
        user,
        &course,
        &module,
        &answers,
        crate::context::app_context()?.now(),
    )
    .await?;
    if crate::flash::is_plain_form_post().await {
        // Without JavaScript: back on the module, at the self-check, with the answers in
        // their short form.
        let short = crate::knowledge::rules::quiz::encode_answers(&answers);
        let href = match user {
            Some(_) => {
                server::quiz_answers(&module).put(&short).await?;
                server::self_check_href(&course, &module, None)
            }
            None => server::self_check_href(&course, &module, Some(&short)),
        };
        leptos_axum::redirect(&href);
    }
    Ok(result)
}

#[server(endpoint = "mark_module_read")]
pub async fn mark_module_read(course: String, module: String) -> Result<(), AppError> {
    use crate::identity::access::Action;
    // Progress is data about oneself, like the profile.
    let viewer =
        crate::identity::service::current::authorize_user(Action::ManageOwnProfile).await?;
    let db = crate::context::db()?;
    Ok(crate::knowledge::service::courses::mark_read(
        &db,
        viewer.user_id,
        &course,
        &module,
        crate::context::app_context()?.now(),
    )
    .await?)
}
