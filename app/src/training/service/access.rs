//! Resource-scoped access to a run: the access module decides, given how the viewer stands to
//! the run (one of its trainers or not).

use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::identity::access::{Action, Viewer, can_on};
use crate::training::entity::run;
use crate::training::policy::relation_to_run;
use crate::training::service::catalogue::find_run;
use crate::training::service::catalogue::{is_trainer_of, looker};

/// The run `code` of `slug` if `viewer` may manage it; 401 for nobody, 403 for others. An
/// unknown run is 404 for admins and 403 for everyone else, so a trainer learns nothing about
/// runs that are not theirs.
pub async fn authorize_run_for(
    db: &DatabaseConnection,
    viewer: Option<&Viewer>,
    slug: &str,
    code: &str,
) -> Result<(Viewer, run::Model), AppError> {
    let Some(viewer) = viewer else {
        return Err(refuse(AppError::Unauthenticated));
    };
    if !crate::identity::access::can(Some(viewer), Action::ManageRun) {
        return Err(refuse(AppError::Forbidden));
    }
    let is_admin = viewer.has_role(crate::identity::access::Role::Admin);
    let run = match find_run(db, slug, code).await {
        Ok(run) => run,
        Err(crate::error::ServiceError::NotFound) if !is_admin => {
            return Err(refuse(AppError::Forbidden));
        }
        Err(error) => return Err(error.into()),
    };
    let subject = looker(db, viewer).await?.subject;
    let relation = relation_to_run(is_trainer_of(db, run.id, &subject).await?);
    if !can_on(Some(viewer), Action::ManageRun, relation) {
        return Err(refuse(AppError::Forbidden));
    }
    Ok((viewer.clone(), run))
}

/// [`authorize_run_for`] for the current request's viewer (inside a server function).
pub async fn authorize_run(
    db: &DatabaseConnection,
    slug: &str,
    code: &str,
) -> Result<Viewer, AppError> {
    let viewer = crate::identity::service::current::current_viewer().await;
    Ok(authorize_run_for(db, viewer.as_ref(), slug, code).await?.0)
}

fn refuse(error: AppError) -> AppError {
    crate::error::set_response_status(&error);
    error
}
