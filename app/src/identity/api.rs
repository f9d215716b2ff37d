//! Server functions of the identity domain. Each asks the access module first.

use leptos::prelude::*;

use super::access::Viewer;
use super::model::{AuditPage, ProfileForm, SaveProfileOutcome, UserSummary};
use super::profile::ProfileInput;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::access::{Action, Role};
#[cfg(feature = "ssr")]
use super::current::{
    PROFILE_DRAFT_KEY, PROFILE_SAVED_KEY, authorize_user, session, session_error,
};

/// Who is logged in (None: nobody). Carries no tokens.
#[server(endpoint = "current_viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(super::current::current_viewer().await)
}

/// The profile form: an unsaved draft from a refused no-JS submission if there is one,
/// otherwise what is stored.
#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<ProfileForm, AppError> {
    let viewer = authorize_user(Action::ManageOwnProfile).await?;
    let session = session().await?;
    let just_saved = session
        .remove::<bool>(PROFILE_SAVED_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or(false);
    if let Some(draft) = session
        .get::<ProfileForm>(PROFILE_DRAFT_KEY)
        .await
        .map_err(session_error)?
    {
        return Ok(draft);
    }
    let db = crate::db::from_context()?;
    let stored = super::service::profile(&db, viewer.user_id).await?;
    Ok(ProfileForm {
        complete: stored.is_some(),
        input: stored.map(|p| p.to_input()).unwrap_or_default(),
        errors: Default::default(),
        just_saved,
    })
}

#[server(endpoint = "save_profile")]
pub async fn save_profile(input: ProfileInput) -> Result<SaveProfileOutcome, AppError> {
    let viewer = authorize_user(Action::ManageOwnProfile).await?;
    let session = session().await?;
    match super::profile::validate(&input) {
        Ok(profile) => {
            let db = crate::db::from_context()?;
            super::service::save_profile(&db, viewer.user_id, &profile).await?;
            session
                .remove::<ProfileForm>(PROFILE_DRAFT_KEY)
                .await
                .map_err(session_error)?;
            session
                .insert(PROFILE_SAVED_KEY, true)
                .await
                .map_err(session_error)?;
            Ok(SaveProfileOutcome::Saved)
        }
        Err(errors) => {
            // Kept in the server-side session so a no-JS form shows it again after the
            // redirect back; nothing typed ends up in a URL.
            let draft = ProfileForm {
                input,
                errors: errors.clone(),
                complete: viewer.profile_complete,
                just_saved: false,
            };
            session
                .insert(PROFILE_DRAFT_KEY, &draft)
                .await
                .map_err(session_error)?;
            Ok(SaveProfileOutcome::Invalid(errors))
        }
    }
}

#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    authorize_user(Action::ManageRoles).await?;
    let db = crate::db::from_context()?;
    Ok(super::service::list_users(&db).await?)
}

/// One checkbox per assignable role; a no-JS form sends only the checked ones.
#[server(endpoint = "set_user_roles")]
pub async fn set_user_roles(
    user_id: i32,
    trainer: Option<String>,
    facilitator: Option<String>,
    editor: Option<String>,
    admin: Option<String>,
) -> Result<(), AppError> {
    let actor = authorize_user(Action::ManageRoles).await?;
    let roles: Vec<Role> = [
        (Role::Trainer, trainer),
        (Role::Facilitator, facilitator),
        (Role::Editor, editor),
        (Role::Admin, admin),
    ]
    .into_iter()
    .filter_map(|(role, checked)| checked.map(|_| role))
    .collect();
    let db = crate::db::from_context()?;
    Ok(super::service::set_roles(&db, actor.user_id, user_id, &roles).await?)
}

#[server(endpoint = "audit_log")]
pub async fn audit_log(event: Option<String>, page: Option<u64>) -> Result<AuditPage, AppError> {
    authorize_user(Action::ReadAuditLog).await?;
    let kind = event
        .as_deref()
        .filter(|e| !e.is_empty())
        .and_then(super::model::AuditEventKind::from_slug);
    let db = crate::db::from_context()?;
    Ok(super::audit::list(&db, kind, page.unwrap_or(1)).await?)
}
