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

    /// A quiz result waits in the server-side session until the module page shows it: that is
    /// how a form sent without JavaScript sees its result after the redirect back.
    pub fn quiz_result(
        module: &str,
    ) -> crate::flash::Flash<crate::knowledge::model::course::QuizResult> {
        crate::flash::Flash::new("quiz", module)
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

#[server(endpoint = "get_module")]
pub async fn get_module(course: String, module: String) -> Result<ModuleView, AppError> {
    let user = server::reader().await?;
    let db = crate::context::db()?;
    let today = crate::context::app_context()?.today();
    let mut view =
        crate::knowledge::service::courses::module_view(&db, &course, &module, user, today).await?;
    view.last_result = server::quiz_result(&module).take().await?;
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
    server::quiz_result(&module)
        .put_for_plain_form(&result)
        .await?;
    if crate::flash::is_plain_form_post().await {
        // Without JavaScript, land on the result rather than at the top of the module.
        leptos_axum::redirect(&format!(
            "/modules/{}/{}#zelftoets",
            crate::paths::encode_path(&course),
            crate::paths::encode_path(&module)
        ));
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
