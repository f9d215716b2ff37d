//! Who is in a group, changed by hand: the facilitator invites an existing account (which joins
//! only by accepting) or removes a member; an admin hands a group over (adds and removes facilitators) and removes members.
//! None of it reads a word of what is inside.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::identity::access::Role;
use crate::identity::entity::{user, user_role};
use crate::identity::model::AuditEventKind;
use crate::identity::service::audit::{NewAuditEvent, record};
use crate::identity::service::labels::account_labels;
use crate::intervision::entity::{
    account_invitation, group, group_facilitator, group_member, meeting,
};
use crate::intervision::model::{GROUPS_PAGE_SIZE, INVITATION_DAYS, ManagedGroup};
use crate::intervision::service::groups::{GROUP_FULL, is_in_group, leave, member_count};
use crate::intervision::service::notices::{GroupNotice, tell};
use crate::messaging::model::MailKind;
use crate::messaging::rules::MailContent;
use crate::messaging::service::outbox::{NewMail, address_of, queue_to};

/// The account with this e-mail address (as the login gave it, in any case), if there is one;
/// a Dutch message for the form when what was typed is no address at all.
async fn account_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<i32>, ServiceError> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        return Err(ServiceError::Invalid(
            "Vul het e-mailadres van een bestaand account in.".into(),
        ));
    }
    Ok(user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::Email.eq(email))
                .add(user::Column::Email.eq(email.to_lowercase())),
        )
        .one(db)
        .await?
        .map(|account| account.id))
}

/// What the facilitator is told after inviting by address, whether or not an account has it:
/// the answer never tells who has an account.
pub const INVITED_BY_ADDRESS: &str = "Als er een account met dit adres is, krijgt het een uitnodiging per e-mail. Het wordt lid zodra het die aanneemt.";

/// The mail that asks an account to join: no group, theme or name, so a mailbox read by
/// someone else gives nothing away.
fn invitation_mail() -> NewMail {
    NewMail {
        kind: MailKind::IntervisionInvitation,
        subject: "Uitnodiging voor een intervisiegroep".into(),
        content: MailContent::default()
            .paragraph(
                "U bent uitgenodigd voor een intervisiegroep op het leerplatform. Log in en kijk bij Intervisie om de uitnodiging te bekijken; u beslist zelf of u meedoet.",
            )
            .link("Naar mijn intervisiegroepen", "/intervisie"),
        calendar: None,
    }
}

/// The facilitator invites the account with `email` (the alternative to a link): the account
/// is asked by mail and on its intervision page, and joins only by accepting. The same `Ok`
/// whether or not an account has the address, is already in the group or was asked before
/// (then no second mail); the address is not kept.
pub async fn invite_account(
    db: &DatabaseConnection,
    group_id: i32,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some(user_id) = account_by_email(db, email).await? else {
        return Ok(());
    };
    let recipient = address_of(db, user_id).await?;
    let txn = crate::db::begin_write(db).await?;
    group::Entity::find_by_id(group_id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if is_in_group(&*txn, group_id, user_id).await? {
        return Ok(());
    }
    let earlier = account_invitation::Entity::find_by_id((group_id, user_id))
        .one(&*txn)
        .await?;
    if earlier
        .as_ref()
        .is_some_and(|asked| asked.answered_at.is_none() && asked.expires_at > now)
    {
        return Ok(());
    }
    if earlier.is_some() {
        account_invitation::Entity::delete_by_id((group_id, user_id))
            .exec(&*txn)
            .await?;
    }
    account_invitation::ActiveModel {
        group_id: Set(group_id),
        user_id: Set(user_id),
        invited_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        answered_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    queue_to(&*txn, recipient, invitation_mail(), now).await?;
    txn.commit().await?;
    Ok(())
}

/// The groups that ask `user_id` to join and wait for an answer: `(group id, name)`, by name.
pub async fn open_invitations(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<(i32, String)>, ServiceError> {
    let asking: Vec<i32> = account_invitation::Entity::find()
        .select_only()
        .column(account_invitation::Column::GroupId)
        .filter(account_invitation::Column::UserId.eq(user_id))
        .filter(account_invitation::Column::AnsweredAt.is_null())
        .filter(account_invitation::Column::ExpiresAt.gt(now))
        .into_tuple()
        .all(db)
        .await?;
    Ok(group::Entity::find()
        .filter(group::Column::Id.is_in(asking))
        .order_by_asc(group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|group| (group.id, group.name))
        .collect())
}

/// `user_id` accepts (joins as a member, who then accepts the agreement on opening the group)
/// or declines the group's invitation. The group's row is locked while its members are
/// counted, as for a link.
pub async fn answer_invitation(
    db: &DatabaseConnection,
    group_id: i32,
    user_id: i32,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let group = group::Entity::find_by_id(group_id)
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let open = account_invitation::Entity::find_by_id((group_id, user_id))
        .one(&*txn)
        .await?
        .filter(|asked| asked.answered_at.is_none() && asked.expires_at > now)
        .ok_or_else(|| {
            ServiceError::Invalid(
                "Deze uitnodiging is niet (meer) geldig. Vraag de begeleider om een nieuwe.".into(),
            )
        })?;
    if accept && !is_in_group(&*txn, group_id, user_id).await? {
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
        tell(&*txn, user_id, GroupNotice::Joined, now).await?;
    }
    let mut answered: account_invitation::ActiveModel = open.into();
    answered.answered_at = Set(Some(now));
    answered.update(&*txn).await?;
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

/// The facilitator closes the group: read-only from now on (every post but leaving is
/// refused), no new meetings; the meetings still ahead are cancelled and members told;
/// retention runs on as before.
pub async fn close_group(
    db: &DatabaseConnection,
    group_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    use sea_orm::{ActiveModelTrait, Set};
    let txn = crate::db::begin_write(db).await?;
    let Some(row) = group::Entity::find_by_id(group_id).one(&*txn).await? else {
        return Err(ServiceError::NotFound);
    };
    if row.closed_at.is_some() {
        return Ok(());
    }
    let mut row: group::ActiveModel = row.into();
    row.closed_at = Set(Some(now));
    row.update(&*txn).await?;
    let ahead: Vec<i32> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(meeting::Column::GroupId.eq(group_id))
        .filter(meeting::Column::Cancelled.eq(false))
        .filter(meeting::Column::StartsAt.gt(now))
        .into_tuple()
        .all(&*txn)
        .await?;
    for meeting_id in ahead {
        crate::intervision::service::meetings::cancel_in(&*txn, group_id, meeting_id, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A page of the groups for the admins (by name, [`GROUPS_PAGE_SIZE`] a page, pages count
/// from 1): name, who leads, who is in it, meetings held; no content. Also the page shown and
/// how many there are.
pub async fn all_groups(
    db: &impl ConnectionTrait,
    page: u64,
    now: DateTime<Utc>,
) -> Result<(Vec<ManagedGroup>, u64, u64), ServiceError> {
    let paginator = group::Entity::find()
        .order_by_asc(group::Column::Name)
        .order_by_asc(group::Column::Id)
        .paginate(db, GROUPS_PAGE_SIZE);
    let page_count = paginator.num_pages().await?.max(1);
    let page = page.clamp(1, page_count);
    let rows = paginator.fetch_page(page - 1).await?;
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    let facilitators: Vec<(i32, i32)> = group_facilitator::Entity::find()
        .select_only()
        .column(group_facilitator::Column::GroupId)
        .column(group_facilitator::Column::UserId)
        .filter(group_facilitator::Column::GroupId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let members: Vec<(i32, i32)> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .column(group_member::Column::UserId)
        .filter(group_member::Column::GroupId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let held: HashMap<i32, i64> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::GroupId)
        .column_as(meeting::Column::Id.count(), "held")
        .filter(meeting::Column::GroupId.is_in(ids))
        .filter(meeting::Column::Cancelled.eq(false))
        .filter(meeting::Column::StartsAt.lte(now))
        .group_by(meeting::Column::GroupId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let labels = account_labels(
        db,
        facilitators.iter().chain(&members).map(|(_, user)| *user),
    )
    .await?;
    let named = |people: &[(i32, i32)], group_id: i32| {
        let mut named: Vec<(i32, String)> = people
            .iter()
            .filter(|(group, _)| *group == group_id)
            .map(|(_, user)| (*user, labels.get(user).cloned().unwrap_or_default()))
            .collect();
        named.sort_by(|a, b| a.1.cmp(&b.1));
        named
    };
    let managed = rows
        .into_iter()
        .map(|row| ManagedGroup {
            id: row.id,
            facilitators: named(&facilitators, row.id),
            members: named(&members, row.id),
            meetings_held: held.get(&row.id).copied().unwrap_or(0) as u32,
            name: row.name,
        })
        .collect();
    Ok((managed, page, page_count))
}

/// Where the admins' list shows group `group_id`: its page, at the group.
pub async fn group_location(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<String, ServiceError> {
    let page = match group::Entity::find_by_id(group_id).one(db).await? {
        Some(row) => {
            let before = group::Entity::find()
                .filter(
                    Condition::any()
                        .add(group::Column::Name.lt(row.name.clone()))
                        .add(
                            Condition::all()
                                .add(group::Column::Name.eq(row.name))
                                .add(group::Column::Id.lt(group_id)),
                        ),
                )
                .count(db)
                .await?;
            before / GROUPS_PAGE_SIZE + 1
        }
        None => 1,
    };
    Ok(format!("/beheer/intervisie?pagina={page}#groep-{group_id}"))
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
    // Admins see every account anyway: here an unknown address may say so.
    let user_id = account_by_email(&*txn, email)
        .await?
        .ok_or_else(|| ServiceError::Invalid("Er is geen account met dit e-mailadres.".into()))?;
    // An admin manages groups without reading them; leading one would open its log.
    if user_id == admin {
        return Err(ServiceError::Invalid(
            "U kunt uzelf geen begeleider van een groep maken: als beheerder leest u niet mee. Voeg een andere begeleider toe."
                .into(),
        ));
    }
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
    tell(&*txn, user_id, GroupNotice::MadeFacilitator, now).await?;
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
