//! What a training form handler needs before it acts, taken from the request: a participant
//! who may enrol (`Participant`), the trainer of the run in the path or an admin (`RunStaff`),
//! someone who may add runs or manage certificates, or a participant acting on their own
//! trainings (`OwnTrainings`). A refusal is the framed error page; a visitor who must log in or complete
//! their profile first is sent there and back.

use std::collections::HashMap;

use axum::extract::{FromRef, FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::answer::{Refusal, WayOn};
use crate::context::AppContext;
use crate::error::AppError;
use crate::identity::access::{Action, Viewer, can};
use crate::identity::service::current::CurrentViewer;
use crate::paths::{encode_path, login_href};
use crate::training::entity::run;
use crate::training::service::access::authorize_run_for;

/// Training's refusals lead on to the catalogue.
pub struct ToTrainings;

impl WayOn for ToTrainings {
    const HREF: &'static str = "/trainingen";
    const LABEL: &'static str = "Naar de trainingen";
}

pub type Refused = Refusal<ToTrainings>;

fn current(parts: &Parts) -> Option<Viewer> {
    parts
        .extensions
        .get::<CurrentViewer>()
        .and_then(|current| current.0.clone())
}

async fn path_params<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<HashMap<String, String>, AppError> {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|Path(params)| params)
        .map_err(|_| AppError::NotFound)
}

/// Someone who may enrol, with a complete profile: anonymous visitors go to the login and an
/// incomplete profile to the profile form, both returning to the training of the path.
pub struct Participant(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Participant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = path_params(parts, state)
            .await
            .map_err(|error| Refused::from(error).into_response())?;
        let back = format!(
            "/trainingen/{}",
            params.get("slug").map_or("", String::as_str)
        );
        match current(parts) {
            None => Err(Redirect::to(&login_href(&back)).into_response()),
            Some(viewer) if !can(Some(&viewer), Action::Enrol) => {
                Err(Refused::from(AppError::Forbidden).into_response())
            }
            Some(viewer) if !viewer.profile_complete => {
                let profile = format!("/profiel?volgende={}", encode_path(&back));
                Err(Redirect::to(&profile).into_response())
            }
            Some(viewer) => Ok(Self(viewer)),
        }
    }
}

/// A trainer of the run in the path (`{slug}/{run}`), or an admin, and that run.
pub struct RunStaff {
    pub viewer: Viewer,
    pub run: run::Model,
}

impl<S> FromRequestParts<S> for RunStaff
where
    S: Send + Sync,
    AppContext: FromRef<S>,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let context = AppContext::from_ref(state);
        let params = path_params(parts, state).await?;
        let (Some(slug), Some(code)) = (params.get("slug"), params.get("run")) else {
            return Err(AppError::NotFound.into());
        };
        let viewer = current(parts);
        let (viewer, run) = authorize_run_for(&context.db, viewer.as_ref(), slug, code).await?;
        Ok(Self { viewer, run })
    }
}

/// The signed-in person, if the access module lets them do `action` at all.
fn signed_in_to(parts: &Parts, action: Action) -> Result<Viewer, Refused> {
    match current(parts) {
        None => Err(AppError::Unauthenticated.into()),
        Some(viewer) if !can(Some(&viewer), action) => Err(AppError::Forbidden.into()),
        Some(viewer) => Ok(viewer),
    }
}

/// Someone who may add a run to a training.
pub struct RunCreator(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for RunCreator {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        signed_in_to(parts, Action::CreateRun).map(Self)
    }
}

/// Someone who may issue and revoke certificates by hand.
pub struct CertificateManager(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for CertificateManager {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        signed_in_to(parts, Action::ManageCertificates).map(Self)
    }
}

/// Anyone signed in (what they may see is the service's to say, e.g. only their own
/// certificate).
pub struct SignedIn(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        current(parts)
            .map(Self)
            .ok_or_else(|| AppError::Unauthenticated.into())
    }
}

/// Someone signed in who may enrol, acting on their own trainings (calendar link, evaluation);
/// anonymous visitors go to the login, which returns to their trainings.
pub struct OwnTrainings(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for OwnTrainings {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match current(parts) {
            Some(viewer) if can(Some(&viewer), Action::Enrol) => Ok(Self(viewer)),
            Some(_) => Err(Refused::from(AppError::Forbidden).into_response()),
            None => Err(Redirect::to(&login_href("/mijn/trainingen")).into_response()),
        }
    }
}
