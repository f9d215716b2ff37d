//! Server functions of the identity domain. Each asks the access module first.

use leptos::prelude::*;

use crate::error::AppError;
use crate::identity::access::Viewer;
use crate::identity::model::{AuditPage, ProfileForm, SaveProfileOutcome, UserPage};
use crate::identity::rules::ProfileInput;

#[cfg(feature = "ssr")]
use crate::identity::access::{Action, Role};
#[cfg(feature = "ssr")]
use crate::identity::model::{ROLES_FROM_PROVIDER_NL, RolesSource};
#[cfg(feature = "ssr")]
use crate::identity::service::current::authorize_user;

/// A refused no-JS submission (what was typed, with the errors), shown once after the redirect.
#[cfg(feature = "ssr")]
fn profile_draft() -> crate::flash::Flash<ProfileForm> {
    crate::flash::Flash::new("profile", "draft")
}

/// "Uw profiel is opgeslagen.", shown once after the redirect.
#[cfg(feature = "ssr")]
fn profile_saved() -> crate::flash::Flash<bool> {
    crate::flash::Flash::new("profile", "saved")
}

/// Who is logged in (None: nobody). Carries no tokens.
#[server(endpoint = "current_viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::identity::service::current::current_viewer().await)
}

/// The profile form: an unsaved draft from a refused no-JS submission if there is one,
/// otherwise what is stored.
#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<ProfileForm, AppError> {
    let viewer = authorize_user(Action::ManageOwnProfile).await?;
    let just_saved = profile_saved().take().await?.unwrap_or(false);
    if let Some(draft) = profile_draft().take().await? {
        return Ok(draft);
    }
    let db = crate::context::db()?;
    let stored = crate::identity::service::accounts::profile(&db, viewer.user_id).await?;
    let complete = stored.is_some();
    let mut input = stored.map(|p| p.to_input()).unwrap_or_default();
    if !complete && input.display_name.is_empty() {
        let suggested: Option<String> = crate::flash::session()
            .await?
            .get(crate::identity::service::current::SUGGESTED_NAME_KEY)
            .await
            .map_err(crate::flash::session_error)?;
        input.display_name = suggested.unwrap_or_default();
    }
    Ok(ProfileForm {
        complete,
        input,
        errors: Default::default(),
        just_saved,
    })
}

#[server(endpoint = "save_profile")]
/// Saves the profile; after a first save with `next` (where the user was going when the login
/// asked for a profile), the user continues there.
pub async fn save_profile(
    input: ProfileInput,
    next: Option<String>,
) -> Result<SaveProfileOutcome, AppError> {
    let viewer = authorize_user(Action::ManageOwnProfile).await?;
    match crate::identity::rules::validate(&input) {
        Ok(profile) => {
            let db = crate::context::db()?;
            crate::identity::service::accounts::save_profile(
                &db,
                viewer.user_id,
                &profile,
                crate::context::app_context()?.now(),
            )
            .await?;
            profile_draft().clear().await?;
            let session = crate::flash::session().await?;
            session
                .remove::<String>(crate::identity::service::current::SUGGESTED_NAME_KEY)
                .await
                .map_err(crate::flash::session_error)?;
            let next = next
                .as_deref()
                .and_then(crate::paths::safe_local_path)
                .filter(|next| !next.starts_with("/profiel"))
                .map(str::to_owned);
            match &next {
                Some(next) => {
                    if crate::flash::is_plain_form_post().await {
                        leptos_axum::redirect(next);
                    }
                }
                None => profile_saved().put(&true).await?,
            }
            Ok(SaveProfileOutcome::Saved { next })
        }
        Err(errors) => {
            // Kept in the server-side session so a no-JS form shows it again after the
            // redirect back; nothing typed ends up in a URL. The form adds its own empty row
            // at the end, so trailing empty rows are not kept (they would pile up).
            let mut input = input;
            while input
                .registers
                .last()
                .is_some_and(|row| row.register.trim().is_empty() && row.number.trim().is_empty())
            {
                input.registers.pop();
            }
            let draft = ProfileForm {
                input,
                errors: errors.clone(),
                complete: viewer.profile_complete,
                just_saved: false,
            };
            profile_draft().put(&draft).await?;
            Ok(SaveProfileOutcome::Invalid(errors))
        }
    }
}

#[server(endpoint = "list_users")]
pub async fn list_users(page: Option<u64>) -> Result<UserPage, AppError> {
    authorize_user(Action::ManageRoles).await?;
    let db = crate::context::db()?;
    let mut listing =
        crate::identity::service::accounts::list_users(&db, page.unwrap_or(1)).await?;
    listing.roles_source = RolesSource::current()?;
    Ok(listing)
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
    if RolesSource::current()? == RolesSource::Provider {
        return Err(crate::error::ServiceError::Invalid(ROLES_FROM_PROVIDER_NL.into()).into());
    }
    let roles: Vec<Role> = [
        (Role::Trainer, trainer),
        (Role::Facilitator, facilitator),
        (Role::Editor, editor),
        (Role::Admin, admin),
    ]
    .into_iter()
    .filter_map(|(role, checked)| checked.map(|_| role))
    .collect();
    let db = crate::context::db()?;
    Ok(crate::identity::service::accounts::set_roles(
        &db,
        actor.user_id,
        user_id,
        &roles,
        crate::context::app_context()?.now(),
    )
    .await?)
}

#[server(endpoint = "audit_log")]
pub async fn audit_log(
    event: Option<String>,
    stretch: Option<crate::identity::model::AuditStretch>,
) -> Result<AuditPage, AppError> {
    authorize_user(Action::ReadAuditLog).await?;
    let kind = event
        .as_deref()
        .filter(|e| !e.is_empty())
        .and_then(crate::identity::model::AuditEventKind::from_slug);
    let db = crate::context::db()?;
    Ok(crate::identity::service::audit::list(&db, kind, stretch.unwrap_or_default()).await?)
}
