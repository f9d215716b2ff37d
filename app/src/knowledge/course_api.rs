//! Server functions of courses and modules: thin wrappers around `courses`.

use leptos::prelude::*;

use super::course_model::{CourseSummary, CourseView, ModuleView, QuizResult};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod server {
    use crate::error::AppError;
    use crate::identity::access::Action;
    use crate::identity::current::{authorize, session, session_error};

    /// The logged-in user's id, if any; reading modules needs no account.
    pub async fn reader() -> Result<Option<i32>, AppError> {
        Ok(authorize(Action::ReadPublishedKnowledge)
            .await?
            .map(|viewer| viewer.user_id))
    }

    /// A quiz result waits in the server-side session until the module page shows it: that is
    /// how a form sent without JavaScript sees its result after the redirect back.
    pub fn result_key(module: &str) -> String {
        format!("quiz:{module}")
    }

    pub async fn take_result(
        module: &str,
    ) -> Result<Option<super::super::course_model::QuizResult>, AppError> {
        session()
            .await?
            .remove(&result_key(module))
            .await
            .map_err(session_error)
    }
}

#[server(endpoint = "list_courses")]
pub async fn list_courses() -> Result<Vec<CourseSummary>, AppError> {
    let db = crate::db::from_context()?;
    Ok(super::courses::list_courses(&db).await?)
}

#[server(endpoint = "get_course")]
pub async fn get_course(course: String) -> Result<CourseView, AppError> {
    let user = server::reader().await?;
    let db = crate::db::from_context()?;
    let today = chrono::Utc::now().date_naive();
    Ok(super::courses::course_view(&db, &course, user, today).await?)
}

#[server(endpoint = "get_module")]
pub async fn get_module(course: String, module: String) -> Result<ModuleView, AppError> {
    let user = server::reader().await?;
    let db = crate::db::from_context()?;
    let today = chrono::Utc::now().date_naive();
    let mut view = super::courses::module_view(&db, &course, &module, user, today).await?;
    view.last_result = server::take_result(&module).await?;
    Ok(view)
}

/// Checks the self-check of a module. The values of `answers` are `<question>-<option>`.
#[server(endpoint = "check_quiz")]
pub async fn check_quiz(
    course: String,
    module: String,
    answers: Option<std::collections::BTreeMap<String, String>>,
) -> Result<QuizResult, AppError> {
    use crate::identity::current::{session, session_error};
    let user = server::reader().await?;
    let db = crate::db::from_context()?;
    // One form field per radio group or checkbox; the values say what was chosen.
    let answers: Vec<String> = answers.unwrap_or_default().into_values().collect();
    let result = super::courses::check_quiz(&db, user, &course, &module, &answers).await?;
    session()
        .await?
        .insert(&server::result_key(&module), &result)
        .await
        .map_err(session_error)?;
    Ok(result)
}

#[server(endpoint = "mark_module_read")]
pub async fn mark_module_read(course: String, module: String) -> Result<(), AppError> {
    use crate::identity::access::Action;
    // Progress is data about oneself, like the profile.
    let viewer = crate::identity::current::authorize_user(Action::ManageOwnProfile).await?;
    let db = crate::db::from_context()?;
    Ok(super::courses::mark_read(&db, viewer.user_id, &course, &module).await?)
}
