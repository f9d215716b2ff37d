//! Groups: starting one, who is in it, single-use invitation links and the versioned
//! confidentiality agreement every member accepts before seeing anything inside.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::identity::service::secret_links::{new_token, token_hash};
use crate::intervision::entity::{
    agreement_acceptance, group, group_facilitator, group_member, invitation,
};
use crate::intervision::model::{GroupSummary, INVITATION_DAYS, InvitationState};
use crate::intervision::rules::GroupSpec;
use crate::intervision::service::notices::{GroupNotice, tell};

/// Starts a group led by `facilitator`; the agreement is version 1.
pub async fn create_group(
    db: &DatabaseConnection,
    spec: &GroupSpec,
    facilitator: i32,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let group = group::ActiveModel {
        name: Set(spec.name.clone()),
        max_members: Set(spec.max_members as i32),
        retention_months: Set(spec.retention_months as i32),
        agreement_version: Set(1),
        agreement_text: Set(spec.agreement.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    group_facilitator::ActiveModel {
        group_id: Set(group.id),
        user_id: Set(facilitator),
        joined_at: Set(now),
        notify: Set(true),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(group.id)
}

/// The groups `user_id` leads or belongs to, by name.
pub async fn my_groups(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<GroupSummary>, ServiceError> {
    let led: Vec<i32> = group_facilitator::Entity::find()
        .select_only()
        .column(group_facilitator::Column::GroupId)
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    let joined: Vec<i32> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    let groups = group::Entity::find()
        .filter(group::Column::Id.is_in(led.iter().chain(&joined).copied()))
        .order_by_asc(group::Column::Name)
        .all(db)
        .await?;
    let mut summaries = Vec::with_capacity(groups.len());
    for group in groups {
        let members = member_count(db, group.id).await?;
        summaries.push(GroupSummary {
            id: group.id,
            name: group.name,
            is_facilitator: led.contains(&group.id),
            members,
        });
    }
    Ok(summaries)
}

pub(crate) async fn member_count(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<u64, ServiceError> {
    Ok(group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(group_id))
        .count(db)
        .await?)
}

/// Whom a query of a group's people reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Everyone,
    /// Only those who did not turn the group's news mails off.
    WantingNews,
}

/// The members of group `group_id` (account ids) that `reach` covers.
pub async fn member_ids(
    db: &impl ConnectionTrait,
    group_id: i32,
    reach: Reach,
) -> Result<Vec<i32>, ServiceError> {
    let mut query = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::UserId)
        .filter(group_member::Column::GroupId.eq(group_id));
    if reach == Reach::WantingNews {
        query = query.filter(group_member::Column::Notify.eq(true));
    }
    Ok(query.into_tuple().all(db).await?)
}

/// The members of group `group_id` who accepted its current agreement (account ids): only
/// they are told about its meetings, as only they see them.
pub async fn members_who_agreed(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<Vec<i32>, ServiceError> {
    let Some(group) = group::Entity::find_by_id(group_id).one(db).await? else {
        return Ok(Vec::new());
    };
    let members = member_ids(db, group_id, Reach::Everyone).await?;
    let agreed: Vec<i32> = agreement_acceptance::Entity::find()
        .select_only()
        .column(agreement_acceptance::Column::UserId)
        .filter(agreement_acceptance::Column::GroupId.eq(group_id))
        .filter(agreement_acceptance::Column::Version.eq(group.agreement_version))
        .into_tuple()
        .all(db)
        .await?;
    Ok(members
        .into_iter()
        .filter(|id| agreed.contains(id))
        .collect())
}

/// Whether `user_id` is in any group, as a member or facilitator.
pub async fn in_any_group(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, ServiceError> {
    let member = group_member::Entity::find()
        .filter(group_member::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .is_some();
    Ok(member
        || group_facilitator::Entity::find()
            .filter(group_facilitator::Column::UserId.eq(user_id))
            .one(db)
            .await?
            .is_some())
}

/// The facilitators of group `group_id` (account ids) that `reach` covers.
pub async fn facilitator_ids(
    db: &impl ConnectionTrait,
    group_id: i32,
    reach: Reach,
) -> Result<Vec<i32>, ServiceError> {
    let mut query = group_facilitator::Entity::find()
        .select_only()
        .column(group_facilitator::Column::UserId)
        .filter(group_facilitator::Column::GroupId.eq(group_id));
    if reach == Reach::WantingNews {
        query = query.filter(group_facilitator::Column::Notify.eq(true));
    }
    Ok(query.into_tuple().all(db).await?)
}

/// Who is in group `group_id`: the facilitators' and the members' account ids.
pub async fn people_ids(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<(Vec<i32>, Vec<i32>), ServiceError> {
    Ok((
        facilitator_ids(db, group_id, Reach::Everyone).await?,
        member_ids(db, group_id, Reach::Everyone).await?,
    ))
}

/// The facilitators and the members as `(account id, name)`, each by name.
pub async fn people(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<(Vec<(i32, String)>, Vec<(i32, String)>), ServiceError> {
    let (facilitators, members) = people_ids(db, group_id).await?;
    let labels = account_labels(db, facilitators.iter().chain(&members).copied()).await?;
    let named = |ids: &[i32]| {
        let mut named: Vec<(i32, String)> = ids
            .iter()
            .map(|id| (*id, labels.get(id).cloned().unwrap_or_default()))
            .collect();
        named.sort_by(|a, b| a.1.cmp(&b.1));
        named
    };
    Ok((named(&facilitators), named(&members)))
}

/// Everyone in the group, facilitators first, as `(account id, name)`: who can own an
/// action point.
pub async fn people_with_ids(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<Vec<(i32, String)>, ServiceError> {
    let (mut facilitators, members) = people(db, group_id).await?;
    facilitators.extend(members);
    Ok(facilitators)
}

/// The latest version of group `group_id`'s agreement that `user_id` accepted.
pub async fn accepted_version(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
) -> Result<Option<i32>, ServiceError> {
    Ok(agreement_acceptance::Entity::find()
        .select_only()
        .column_as(agreement_acceptance::Column::Version.max(), "version")
        .filter(agreement_acceptance::Column::GroupId.eq(group_id))
        .filter(agreement_acceptance::Column::UserId.eq(user_id))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten())
}

/// Records that `user_id` accepted `version`; refused when the text changed in the meantime,
/// so nobody accepts a text they did not see.
pub async fn accept_agreement(
    db: &impl ConnectionTrait,
    group: &group::Model,
    user_id: i32,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if version != group.agreement_version {
        return Err(ServiceError::Invalid(
            "De afspraken zijn intussen gewijzigd. Lees ze opnieuw en bevestig dan.".into(),
        ));
    }
    agreement_acceptance::ActiveModel {
        group_id: Set(group.id),
        user_id: Set(user_id),
        version: Set(version),
        accepted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The facilitator changes the agreement: a new version, which every member accepts before
/// they see anything inside again. The new version's number.
pub async fn change_agreement(
    db: &DatabaseConnection,
    group_id: i32,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let text = crate::intervision::rules::check_agreement(text).map_err(ServiceError::Invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let row = group::Entity::find_by_id(group_id)
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.agreement_text == text {
        return Err(ServiceError::Invalid(
            "De tekst is niet gewijzigd; de leden hoeven niets opnieuw te bevestigen.".into(),
        ));
    }
    // Told: the members who had accepted the version that now changes.
    let told = members_who_agreed(&*txn, group_id).await?;
    let version = row.agreement_version + 1;
    let mut row: group::ActiveModel = row.into();
    row.agreement_version = Set(version);
    row.agreement_text = Set(text);
    row.update(&*txn).await?;
    for member in told {
        tell(&*txn, member, GroupNotice::AgreementChanged, now).await?;
    }
    txn.commit().await?;
    Ok(version)
}

/// A new single-use invitation link's token for group `group_id`, valid for
/// [`INVITATION_DAYS`]; returned once, only its hash is stored.
pub async fn create_invitation(
    db: &impl ConnectionTrait,
    group_id: i32,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let token = new_token();
    invitation::ActiveModel {
        token_hash: Set(token_hash(&token)),
        group_id: Set(group_id),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

const UNUSABLE: &str =
    "Deze uitnodiging is niet (meer) geldig. Vraag de begeleider van de groep om een nieuwe link.";
pub(crate) const GROUP_FULL: &str = "De groep is vol. Vraag de begeleider wat er mogelijk is.";

/// An invitation and its group, if the link can still be used by someone new.
async fn usable_invitation(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<(invitation::Model, group::Model), &'static str>, ServiceError> {
    let Some(invitation) = invitation::Entity::find_by_id(token_hash(token))
        .one(db)
        .await?
    else {
        return Ok(Err(UNUSABLE));
    };
    if invitation.used_at.is_some() || invitation.expires_at <= now {
        return Ok(Err(UNUSABLE));
    }
    let Some(group) = group::Entity::find_by_id(invitation.group_id)
        .one(db)
        .await?
    else {
        return Ok(Err(UNUSABLE));
    };
    Ok(Ok((invitation, group)))
}

/// Where the link `token` leads for `user_id` (None: not logged in).
pub async fn invitation_state(
    db: &impl ConnectionTrait,
    token: &str,
    user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<InvitationState, ServiceError> {
    let (_, group) = match usable_invitation(db, token, now).await? {
        Ok(found) => found,
        Err(message) => return Ok(InvitationState::Unusable(message.into())),
    };
    if let Some(user_id) = user_id
        && is_in_group(db, group.id, user_id).await?
    {
        return Ok(InvitationState::AlreadyIn { group_id: group.id });
    }
    if member_count(db, group.id).await? >= group.max_members as u64 {
        return Ok(InvitationState::Unusable(GROUP_FULL.into()));
    }
    Ok(InvitationState::Open {
        group_name: group.name,
    })
}

pub(crate) async fn is_in_group(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
) -> Result<bool, ServiceError> {
    Ok(group_member::Entity::find_by_id((group_id, user_id))
        .one(db)
        .await?
        .is_some()
        || group_facilitator::Entity::find_by_id((group_id, user_id))
            .one(db)
            .await?
            .is_some())
}

/// Joins `user_id` to the group of the link `token` and uses the link up; the group's id. The
/// group's row is locked while its members are counted, so two links used at once never take
/// it past its maximum.
pub async fn join(
    db: &DatabaseConnection,
    token: &str,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let (invitation, group) = usable_invitation(&*txn, token, now)
        .await?
        .map_err(|message| ServiceError::Invalid(message.into()))?;
    group::Entity::find_by_id(group.id)
        .lock_exclusive()
        .one(&*txn)
        .await?;
    if is_in_group(&*txn, group.id, user_id).await? {
        return Ok(group.id);
    }
    if member_count(&*txn, group.id).await? >= group.max_members as u64 {
        return Err(ServiceError::Invalid(GROUP_FULL.into()));
    }
    // Used up first: of two people racing for one link, the second finds it used.
    let used = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::TokenHash.eq(invitation.token_hash))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&*txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(ServiceError::Invalid(UNUSABLE.into()));
    }
    group_member::ActiveModel {
        group_id: Set(group.id),
        user_id: Set(user_id),
        joined_at: Set(now),
        notify: Set(true),
    }
    .insert(&*txn)
    .await?;
    tell(&*txn, user_id, GroupNotice::Joined, now).await?;
    txn.commit().await?;
    Ok(group.id)
}

/// `user_id` leaves group `group_id`; with `delete_contributions` their dilemmas (with their
/// threads), their replies and their meeting notes in the group go too.
pub async fn leave(
    db: &DatabaseConnection,
    group_id: i32,
    user_id: i32,
    delete_contributions: bool,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    leave_in(&*txn, group_id, user_id, delete_contributions).await?;
    txn.commit().await?;
    Ok(())
}

/// [`leave`] in the caller's write transaction (an account's erasure leaves every group in
/// the transaction that erases it).
pub(crate) async fn leave_in(
    txn: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
    delete_contributions: bool,
) -> Result<(), ServiceError> {
    let left = group_member::Entity::delete_by_id((group_id, user_id))
        .exec(txn)
        .await?;
    if left.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    // What they still had to do goes back to the group's (first) facilitator.
    let facilitator = facilitator_ids(txn, group_id, Reach::Everyone)
        .await?
        .into_iter()
        .min();
    hand_over(txn, group_id, user_id, facilitator).await?;
    if delete_contributions {
        self::delete_contributions(txn, group_id, user_id).await?;
    }
    Ok(())
}

/// Deletes `user_id`'s dilemmas (with their threads), replies and meeting notes in the group.
pub(crate) async fn delete_contributions(
    txn: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
) -> Result<(), ServiceError> {
    use crate::intervision::entity::{dilemma, dilemma_post};
    use crate::intervision::service::sealed_texts::delete_texts_by;
    let in_group: Vec<i32> = dilemma::Entity::find()
        .select_only()
        .column(dilemma::Column::Id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .into_tuple()
        .all(txn)
        .await?;
    delete_texts_by::<dilemma_post::Entity>(txn, in_group, user_id).await?;
    // Their dilemmas are withdrawn, not expired: the themes' tally forgets them too (as when
    // the author deletes one).
    let own: Vec<i32> = dilemma::Entity::find()
        .select_only()
        .column(dilemma::Column::Id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .filter(dilemma::Column::AuthorUserId.eq(user_id))
        .into_tuple()
        .all(txn)
        .await?;
    for dilemma_id in own {
        crate::intervision::service::themes::forget_themes(txn, dilemma_id).await?;
    }
    dilemma::Entity::delete_many()
        .filter(dilemma::Column::GroupId.eq(group_id))
        .filter(dilemma::Column::AuthorUserId.eq(user_id))
        .exec(txn)
        .await?;
    let meetings: Vec<i32> = crate::intervision::entity::meeting::Entity::find()
        .select_only()
        .column(crate::intervision::entity::meeting::Column::Id)
        .filter(crate::intervision::entity::meeting::Column::GroupId.eq(group_id))
        .into_tuple()
        .all(txn)
        .await?;
    delete_texts_by::<crate::intervision::entity::meeting_note::Entity>(txn, meetings, user_id)
        .await?;
    Ok(())
}

/// The open and continued action points `user_id` holds in group `group_id` go to `to` (a
/// facilitator) when the person leaves or is removed, so nothing agreed is left without an
/// owner.
async fn hand_over(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
    to: Option<i32>,
) -> Result<u64, ServiceError> {
    use crate::intervision::entity::{action_point, dilemma};
    use crate::intervision::model::ActionStatus;
    use sea_orm::sea_query::Expr;
    let dilemmas: Vec<i32> = dilemma::Entity::find()
        .select_only()
        .column(dilemma::Column::Id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(action_point::Entity::update_many()
        .col_expr(action_point::Column::OwnerUserId, Expr::value(to))
        .filter(action_point::Column::DilemmaId.is_in(dilemmas))
        .filter(action_point::Column::OwnerUserId.eq(user_id))
        .filter(action_point::Column::Status.is_in([ActionStatus::Open, ActionStatus::Continued]))
        .exec(db)
        .await?
        .rows_affected)
}
