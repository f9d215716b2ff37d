//! What an intervision form handler needs before it acts, taken from the request: the person,
//! allowed by the access module to do the route's action in the group of the path (`InGroup`),
//! or an admin of the groups (`GroupAdmin`). A refusal is the framed error page, so handlers
//! start with their resource in hand.

use std::marker::PhantomData;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::Method;
use axum::http::request::Parts;

use crate::answer::{Refusal, WayOn};
use crate::context::AppContext;
use crate::error::AppError;
use crate::identity::access::{Action, Viewer};
use crate::identity::service::current::{permitted, viewer_of};
use crate::intervision::service::access::{Standing, authorize_group};
use crate::paths::path_param;

/// Intervision's refusals lead on to the person's groups.
pub struct ToGroups;

impl WayOn for ToGroups {
    const HREF: &'static str = "/intervisie";
    const LABEL: &'static str = "Naar mijn intervisiegroepen";
}

pub type Refused = Refusal<ToGroups>;

/// What a handler may do in the group of its path.
pub trait GroupRule: Send + Sync {
    const ACTION: Action;
    /// A member who has not yet accepted the current agreement passes too (to accept it, or
    /// to leave).
    const PENDING_MEMBER: bool = false;
    /// Also in a closed group (leaving, accepting the agreement): a closed group takes no
    /// other post.
    const WHEN_CLOSED: bool = false;
}

/// A member with standing (agreement accepted) or the facilitator: reading and writing.
pub struct Member;
impl GroupRule for Member {
    const ACTION: Action = Action::ReadGroup;
}

/// Any member, also one who has not accepted the current agreement yet.
pub struct AnyMember;
impl GroupRule for AnyMember {
    const ACTION: Action = Action::ReadGroup;
    const PENDING_MEMBER: bool = true;
    const WHEN_CLOSED: bool = true;
}

/// The group's facilitator.
pub struct Facilitator;
impl GroupRule for Facilitator {
    const ACTION: Action = Action::LeadGroup;
}

/// The person and the group of the path (`{group}`), if the access module lets them do
/// `R::ACTION` in it: 401 for nobody, 404 for everyone else, whether the group exists or not.
pub struct InGroup<R> {
    pub viewer: Viewer,
    pub standing: Standing,
    rule: PhantomData<R>,
}

impl<R> InGroup<R> {
    pub fn id(&self) -> i32 {
        self.standing.group.id
    }
}

/// The path's `{group}` as a number; anything else is as unknown as a group that does not exist.
async fn group_in_path<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<i32, AppError> {
    path_param(parts, state, "group")
        .await?
        .parse()
        .map_err(|_| AppError::NotFound)
}

impl<S, R> FromRequestParts<S> for InGroup<R>
where
    S: Send + Sync,
    AppContext: FromRef<S>,
    R: GroupRule,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let context = AppContext::from_ref(state);
        let viewer = viewer_of(parts);
        let group = group_in_path(parts, state).await?;
        let (viewer, standing) = authorize_group(
            &context.db,
            viewer.as_ref(),
            group,
            R::ACTION,
            R::PENDING_MEMBER,
        )
        .await?;
        // A closed group is read-only: every post but leaving is refused, in Dutch.
        if standing.group.closed_at.is_some() && !R::WHEN_CLOSED && parts.method == Method::POST {
            return Err(AppError::InvalidInput(
                "Deze groep is afgesloten: u kunt nog lezen wat er staat, maar er komt niets meer bij."
                    .into(),
            )
            .into());
        }
        Ok(Self {
            viewer,
            standing,
            rule: PhantomData,
        })
    }
}

/// An admin acting on the group of the path (`/beheer/intervisie/{group}/…`); whether the
/// group exists is the service's to say.
pub struct GroupAdmin {
    pub viewer: Viewer,
    pub group: i32,
}

impl<S> FromRequestParts<S> for GroupAdmin
where
    S: Send + Sync,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let viewer = permitted(parts, Action::ManageGroups)?;
        let group = group_in_path(parts, state).await?;
        Ok(Self { viewer, group })
    }
}

/// A signed-in person who may join groups (answering an invitation).
pub struct Joiner(pub Viewer);

impl<S> FromRequestParts<S> for Joiner
where
    S: Send + Sync,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Joiner(permitted(parts, Action::JoinGroup)?))
    }
}

/// An id from the path; one that is no number names nothing that exists.
pub fn id(value: &str) -> Result<i32, Refused> {
    value.parse().map_err(|_| AppError::NotFound.into())
}
