//! Resource-scoped access to a group: the access module decides, given how the viewer stands
//! to the group. A group the viewer is not in answers exactly as one that does not exist.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{AppError, ServiceError, set_response_status};
use crate::identity::access::{Action, Relation, Viewer, can_on};
use crate::intervision::entity::{dilemma, group, group_facilitator, group_member};
use crate::intervision::policy::relation_to_group;
use crate::intervision::service::groups::accepted_version;

/// How one account stands to one group.
#[derive(Clone, Debug)]
pub struct Standing {
    pub group: group::Model,
    pub is_facilitator: bool,
    pub is_member: bool,
    /// The latest agreement version the account accepted.
    pub accepted_version: Option<i32>,
}

impl Standing {
    pub fn relation(&self) -> Relation {
        relation_to_group(
            self.is_facilitator,
            self.is_member,
            self.accepted_version == Some(self.group.agreement_version),
        )
    }
}

/// How `user_id` stands to group `group_id`; None when there is no such group.
pub async fn standing(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
) -> Result<Option<Standing>, ServiceError> {
    let Some(group) = group::Entity::find_by_id(group_id).one(db).await? else {
        return Ok(None);
    };
    let is_facilitator = group_facilitator::Entity::find_by_id((group_id, user_id))
        .one(db)
        .await?
        .is_some();
    let is_member = group_member::Entity::find_by_id((group_id, user_id))
        .one(db)
        .await?
        .is_some();
    let accepted_version = accepted_version(db, group_id, user_id).await?;
    Ok(Some(Standing {
        group,
        is_facilitator,
        is_member,
        accepted_version,
    }))
}

/// The viewer and their standing if they may perform `action` in group `group_id`: 401 for
/// nobody; 404 for everyone else, whether the group exists or not. A member who has not yet
/// accepted the current agreement passes only with `allow_pending_member` (the agreement page).
pub async fn authorize_group(
    db: &impl ConnectionTrait,
    viewer: Option<&Viewer>,
    group_id: i32,
    action: Action,
    allow_pending_member: bool,
) -> Result<(Viewer, Standing), AppError> {
    let Some(viewer) = viewer else {
        return Err(refuse(AppError::Unauthenticated));
    };
    let standing = standing(db, group_id, viewer.user_id).await?;
    match standing {
        Some(standing)
            if can_on(Some(viewer), action, standing.relation())
                || (allow_pending_member && standing.is_member) =>
        {
            Ok((viewer.clone(), standing))
        }
        // A member who has yet to accept the changed agreement follows a link into the group:
        // a page takes them to the group's page, which asks them to accept it (or leave).
        Some(standing) if standing.is_member => {
            match leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                Some(response) => {
                    let to = format!("/intervisie/{group_id}");
                    if let Ok(location) = axum::http::HeaderValue::from_str(&to) {
                        response.insert_header(axum::http::header::LOCATION, location);
                        response.set_status(axum::http::StatusCode::SEE_OTHER);
                    }
                    Err(AppError::NotFound)
                }
                None => Err(refuse(AppError::NotFound)),
            }
        }
        _ => Err(refuse(AppError::NotFound)),
    }
}

fn refuse(error: AppError) -> AppError {
    set_response_status(&error);
    error
}

/// Dilemma `dilemma_id`, if it belongs to group `group_id`: every action on a dilemma, its
/// replies or its action points checks the group of the address with this, so membership of
/// one group opens nothing in another (not found otherwise).
pub async fn dilemma_in_group(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
) -> Result<dilemma::Model, ServiceError> {
    dilemma::Entity::find_by_id(dilemma_id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}
