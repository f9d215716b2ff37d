//! What a training form handler needs before it acts, taken from the request: a participant
//! who may enrol (`Participant`), the trainer of the run in the path or an admin (`RunStaff`),
//! someone who may add runs or manage certificates, or a participant acting on their own
//! trainings (`OwnTrainings`). A refusal is the framed error page; a visitor who must log in or complete
//! their profile first is sent there and back.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::answer::{Refusal, WayOn};
use crate::context::AppContext;
use crate::error::AppError;
use crate::identity::access::{Action, Viewer, can};
use crate::identity::service::current::{permitted, viewer_of};
use crate::paths::{encode_path, login_href, path_param};
use crate::training::entity::run;
use crate::training::service::access::authorize_run_for;

/// Training's refusals lead on to the catalogue.
pub struct ToTrainings;

impl WayOn for ToTrainings {
    const HREF: &'static str = "/trainingen";
    const LABEL: &'static str = "Naar de trainingen";
}

pub type Refused = Refusal<ToTrainings>;

/// Someone who may enrol, with a complete profile: anonymous visitors go to the login and an
/// incomplete profile to the profile form, both returning to the training of the path.
pub struct Participant(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Participant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let slug = path_param(parts, state, "slug")
            .await
            .map_err(|error| Refused::from(error).into_response())?;
        let back = format!("/trainingen/{slug}");
        match viewer_of(parts) {
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
        let slug = path_param(parts, state, "slug").await?;
        let code = path_param(parts, state, "run").await?;
        let viewer = viewer_of(parts);
        let (viewer, run) = authorize_run_for(&context.db, viewer.as_ref(), &slug, &code).await?;
        Ok(Self { viewer, run })
    }
}

/// Someone who may add a run to a training.
pub struct RunCreator(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for RunCreator {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(permitted(parts, Action::CreateRun)?))
    }
}

/// Someone who may issue and revoke certificates by hand.
pub struct CertificateManager(pub Viewer);

/// Someone who coordinates trainings (the people search, enrolling on someone's behalf).
pub struct Coordinator(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Coordinator {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(permitted(parts, Action::CoordinateTrainings)?))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CertificateManager {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(permitted(parts, Action::ManageCertificates)?))
    }
}

/// Anyone signed in (what they may see is the service's to say, e.g. only their own
/// certificate).
pub struct SignedIn(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        viewer_of(parts)
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
        match viewer_of(parts) {
            Some(viewer) if can(Some(&viewer), Action::Enrol) => Ok(Self(viewer)),
            Some(_) => Err(Refused::from(AppError::Forbidden).into_response()),
            None => Err(Redirect::to(&login_href("/mijn/trainingen")).into_response()),
        }
    }
}
