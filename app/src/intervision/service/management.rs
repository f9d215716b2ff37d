//! Who is in a group, changed by hand: the facilitator adds an existing account or removes a
//! member; an admin hands a group over (adds and removes facilitators) and removes members.
//! None of it reads a word of what is inside.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::identity::access::Role;
use crate::identity::entity::{user, user_role};
use crate::identity::model::AuditEventKind;
use crate::identity::service::audit::{NewAuditEvent, record};
use crate::intervision::entity::{group, group_facilitator, group_member, meeting};
use crate::intervision::model::ManagedGroup;
use crate::intervision::service::groups::{GROUP_FULL, is_in_group, leave, member_count, people};
use crate::training::rules::small_count_nl;

/// The account with this e-mail address (as the login gave it, in any case), or a Dutch
/// message for the form.
async fn account_by_email(db: &impl ConnectionTrait, email: &str) -> Result<i32, ServiceError> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        return Err(ServiceError::Invalid(
            "Vul het e-mailadres van een bestaand account in.".into(),
        ));
    }
    user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::Email.eq(email))
                .add(user::Column::Email.eq(email.to_lowercase())),
        )
        .one(db)
        .await?
        .map(|account| account.id)
        .ok_or_else(|| {
            ServiceError::Invalid(
                "Er is geen account met dit e-mailadres; maak een uitnodigingslink.".into(),
            )
        })
}

/// Adds the account with `email` to the group as a member (the facilitator's choice instead
/// of a link); they accept the agreement when they first open the group.
pub async fn add_member(
    db: &DatabaseConnection,
    group_id: i32,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let user_id = account_by_email(&*txn, email).await?;
    // Locked like a join by link, so the maximum holds.
    let group = group::Entity::find_by_id(group_id)
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if is_in_group(&*txn, group_id, user_id).await? {
        return Err(ServiceError::Invalid(
            "Dit account hoort al bij de groep.".into(),
        ));
    }
    if member_count(&*txn, group_id).await? >= group.max_members as u64 {
        return Err(ServiceError::Invalid(GROUP_FULL.into()));
    }
    group_member::ActiveModel {
        group_id: Set(group_id),
        user_id: Set(user_id),
        joined_at: Set(now),
        notify: Set(true),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a member; what they wrote stays in the group's log (pseudonymised, under the
/// group's retention), as when a member leaves without deleting it.
pub async fn remove_member(
    db: &DatabaseConnection,
    group_id: i32,
    user_id: i32,
) -> Result<(), ServiceError> {
    leave(db, group_id, user_id, false).await
}

/// Every group for the admins: name, who leads, who is in it, meetings held; no content.
pub async fn all_groups(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<ManagedGroup>, ServiceError> {
    let mut managed = Vec::new();
    for row in group::Entity::find()
        .order_by_asc(group::Column::Name)
        .all(db)
        .await?
    {
        let (facilitators, members) = people(db, row.id).await?;
        let held = meeting::Entity::find()
            .filter(meeting::Column::GroupId.eq(row.id))
            .filter(meeting::Column::Cancelled.eq(false))
            .filter(meeting::Column::StartsAt.lte(now))
            .count(db)
            .await?;
        managed.push(ManagedGroup {
            id: row.id,
            name: row.name,
            facilitators,
            member_count: small_count_nl(members.len() as u32),
            members,
            meetings_held: held as u32,
        });
    }
    Ok(managed)
}

async fn audit(
    db: &impl ConnectionTrait,
    actor: i32,
    subject: i32,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    record(
        db,
        NewAuditEvent {
            event: AuditEventKind::GroupManaged,
            actor_user_id: Some(actor),
            subject_user_id: Some(subject),
            detail,
        },
        now,
    )
    .await
}

/// An admin makes the account with `email` a facilitator of the group (to hand it over, or
/// to share the lead); it must have the facilitator role and not be a member.
pub async fn add_facilitator(
    db: &DatabaseConnection,
    group_id: i32,
    email: &str,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let user_id = account_by_email(&*txn, email).await?;
    group::Entity::find_by_id(group_id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if user_role::Entity::find_by_id((user_id, Role::Facilitator.slug().to_owned()))
        .one(&*txn)
        .await?
        .is_none()
    {
        return Err(ServiceError::Invalid(
            "Dit account heeft de rol intervisiebegeleider niet; geef die eerst bij Gebruikers."
                .into(),
        ));
    }
    if is_in_group(&*txn, group_id, user_id).await? {
        return Err(ServiceError::Invalid(
            "Dit account hoort al bij de groep (als lid of begeleider).".into(),
        ));
    }
    group_facilitator::ActiveModel {
        group_id: Set(group_id),
        user_id: Set(user_id),
        joined_at: Set(now),
        notify: Set(true),
    }
    .insert(&*txn)
    .await?;
    audit(
        &*txn,
        admin,
        user_id,
        &format!("facilitator_added group={group_id}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An admin takes a facilitator off the group; a group always keeps one.
pub async fn remove_facilitator(
    db: &DatabaseConnection,
    group_id: i32,
    user_id: i32,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    group::Entity::find_by_id(group_id)
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let leading = group_facilitator::Entity::find()
        .filter(group_facilitator::Column::GroupId.eq(group_id))
        .count(&*txn)
        .await?;
    let removed = group_facilitator::Entity::delete_by_id((group_id, user_id))
        .exec(&*txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    if leading <= 1 {
        return Err(ServiceError::Invalid(
            "Een groep houdt minstens één begeleider: voeg eerst de nieuwe toe.".into(),
        ));
    }
    audit(
        &*txn,
        admin,
        user_id,
        &format!("facilitator_removed group={group_id}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An admin removes a member (audited); their contributions stay, as with [`remove_member`].
pub async fn admin_remove_member(
    db: &DatabaseConnection,
    group_id: i32,
    user_id: i32,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    remove_member(db, group_id, user_id).await?;
    audit(
        db,
        admin,
        user_id,
        &format!("member_removed group={group_id}"),
        now,
    )
    .await
}
