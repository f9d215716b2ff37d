//! The intervision part of erasing an account (see `personal_data::erase`): the person leaves
//! every group taking their dilemmas, replies and notes along (their open action points go to
//! the facilitator), and every trace of them in a group goes: reads, attendance, agreement
//! acceptances, invitations and name overrides. Erasure waits while they lead a group that
//! is still open: it would be left without a facilitator.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::ServiceError;
use crate::intervision::entity::{
    account_invitation, agreement_acceptance, dilemma, dilemma_read, group, group_facilitator,
    group_member, guard_override, meeting_attendance,
};

/// Why the account cannot be erased yet, in Dutch (empty: it can).
pub async fn refusals(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<String>, ServiceError> {
    let led: Vec<i32> = group_facilitator::Entity::find()
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.group_id)
        .collect();
    Ok(group::Entity::find()
        .filter(group::Column::Id.is_in(led))
        .filter(group::Column::ClosedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|open| {
            format!(
                "U begeleidt de intervisiegroep \"{}\". Laat een beheerder de groep eerst aan een andere begeleider overdragen, of sluit haar af.",
                open.name
            )
        })
        .collect())
}

/// The intervision part of the erasure, in the caller's transaction.
pub async fn erase_member(db: &impl ConnectionTrait, user_id: i32) -> Result<(), ServiceError> {
    use crate::intervision::service::groups::{delete_contributions, leave_in};
    let memberships: Vec<i32> = group_member::Entity::find()
        .filter(group_member::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.group_id)
        .collect();
    for group_id in memberships {
        leave_in(db, group_id, user_id, true).await?;
    }
    // Closed groups they led (open ones refuse the erasure): what they wrote there goes too.
    let led: Vec<i32> = group_facilitator::Entity::find()
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.group_id)
        .collect();
    for group_id in led {
        delete_contributions(db, group_id, user_id).await?;
    }
    group_facilitator::Entity::delete_many()
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // Dilemmas left anywhere else (a group they had left without deleting them).
    dilemma::Entity::delete_many()
        .filter(dilemma::Column::AuthorUserId.eq(user_id))
        .exec(db)
        .await?;
    dilemma_read::Entity::delete_many()
        .filter(dilemma_read::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    meeting_attendance::Entity::delete_many()
        .filter(meeting_attendance::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    agreement_acceptance::Entity::delete_many()
        .filter(agreement_acceptance::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    account_invitation::Entity::delete_many()
        .filter(account_invitation::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    guard_override::Entity::delete_many()
        .filter(guard_override::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
