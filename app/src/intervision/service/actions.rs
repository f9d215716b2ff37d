//! Action points: what someone will do after a dilemma, sealed like the dilemma, and the
//! follow-up round that opens each meeting with the points still open.

use crate::intervision::service::access::dilemma_in_group;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::dates::format_date_nl;
use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::intervision::entity::{action_point, dilemma};
use crate::intervision::model::{ActionPointView, ActionStatus};
use crate::intervision::rules::ValidAction;
use crate::intervision::service::overrides::record_name_override;
use crate::intervision::service::sealing::Sealer;

/// What a row's sealed text is bound to.
fn seal_context(id: i32) -> String {
    crate::intervision::service::sealed_texts::seal_context::<action_point::Entity>(id)
}

/// Adds an action point to dilemma `dilemma_id` of group `group_id`; its id.
pub async fn add_action(
    db: &DatabaseConnection,
    sealer: &Sealer,
    group_id: i32,
    dilemma_id: i32,
    writer: i32,
    action: &ValidAction,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    dilemma_in_group(&*txn, group_id, dilemma_id).await?;
    let row = action_point::ActiveModel {
        dilemma_id: Set(dilemma_id),
        owner_user_id: Set(action.owner),
        sealed: Set(Vec::new()),
        due_on: Set(action.due_on),
        status: Set(ActionStatus::Open),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let id = row.id;
    let sealed = sealer.seal(&seal_context(id), action.text.as_bytes())?;
    let mut row: action_point::ActiveModel = row.into();
    row.sealed = Set(sealed);
    row.update(&*txn).await?;
    record_name_override(&*txn, group_id, writer, action.names_overruled, now).await?;
    // Someone who is given an action point by another hears of it: without the group, the
    // dilemma or the text, only that there is one.
    if let Some(owner) = action.owner.filter(|owner| *owner != writer) {
        use crate::intervision::service::notices::{GroupNotice, tell};
        tell(&*txn, owner, GroupNotice::ActionPointAssigned, now).await?;
    }
    txn.commit().await?;
    Ok(id)
}

async fn views(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    rows: Vec<action_point::Model>,
) -> Result<Vec<ActionPointView>, ServiceError> {
    let labels = account_labels(db, rows.iter().filter_map(|r| r.owner_user_id)).await?;
    rows.into_iter()
        .map(|row| {
            let text = sealer.open_text_or_unreadable(&seal_context(row.id), &row.sealed);
            Ok(ActionPointView {
                id: row.id,
                dilemma_id: row.dilemma_id,
                text,
                owner: row
                    .owner_user_id
                    .and_then(|id| labels.get(&id).cloned())
                    .unwrap_or_else(|| "de groep".to_owned()),
                owner_id: row.owner_user_id,
                due: row.due_on.map(format_date_nl),
                status: row.status,
                may_change: false,
            })
        })
        .collect()
}

/// The action points of one dilemma, in order.
pub async fn of_dilemma(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    dilemma_id: i32,
) -> Result<Vec<ActionPointView>, ServiceError> {
    let rows = action_point::Entity::find()
        .filter(action_point::Column::DilemmaId.eq(dilemma_id))
        .order_by_asc(action_point::Column::Id)
        .all(db)
        .await?;
    views(db, sealer, rows).await
}

/// The follow-up round: every open or continued action point of the group's dilemmas.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    group_id: i32,
) -> Result<Vec<ActionPointView>, ServiceError> {
    let dilemmas: Vec<i32> = dilemma::Entity::find()
        .select_only()
        .column(dilemma::Column::Id)
        .filter(dilemma::Column::GroupId.eq(group_id))
        .into_tuple()
        .all(db)
        .await?;
    let rows = action_point::Entity::find()
        .filter(action_point::Column::DilemmaId.is_in(dilemmas))
        .filter(action_point::Column::Status.is_in([ActionStatus::Open, ActionStatus::Continued]))
        .order_by_asc(action_point::Column::DueOn)
        .order_by_asc(action_point::Column::Id)
        .all(db)
        .await?;
    views(db, sealer, rows).await
}

/// Sets where action point `action_id` of the group stands; only its owner or a facilitator
/// of the group (`actor`: account, leads the group) may.
pub async fn set_status(
    db: &impl ConnectionTrait,
    group_id: i32,
    action_id: i32,
    status: ActionStatus,
    actor: (i32, bool),
) -> Result<(), ServiceError> {
    let row = action_point::Entity::find_by_id(action_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    dilemma_in_group(db, group_id, row.dilemma_id).await?;
    let (user_id, leads) = actor;
    if !leads && row.owner_user_id != Some(user_id) {
        return Err(ServiceError::Invalid(
            "Een actiepunt werkt u bij als het van u is; de begeleider kan elk actiepunt bijwerken."
                .into(),
        ));
    }
    if row.status == status {
        return Ok(());
    }
    let mut row: action_point::ActiveModel = row.into();
    row.status = Set(status);
    row.update(db).await?;
    Ok(())
}
