//! A meeting's agenda: the facilitator puts the group's dilemmas on it, in order, and starts
//! a method for each from there; the meeting page shows which method was used for which
//! dilemma, also after the dilemma itself is gone.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::intervision::entity::{agenda_item, dilemma, group, meeting};
use crate::intervision::model::AgendaItemView;
use crate::intervision::rules::methods;
use crate::intervision::service::access::dilemma_in_group;
use crate::intervision::service::dilemmas::question_of;
use crate::intervision::service::meetings::find_meeting;
use crate::intervision::service::sealing::Sealer;

/// The agenda of meeting `meeting_id` of the group, in order.
pub async fn agenda_of(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    group_id: i32,
    meeting_id: i32,
) -> Result<Vec<AgendaItemView>, ServiceError> {
    find_meeting(db, group_id, meeting_id).await?;
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .all(db)
        .await?;
    let dilemmas = dilemma::Entity::find()
        .filter(dilemma::Column::Id.is_in(items.iter().filter_map(|item| item.dilemma_id)))
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let dilemma = item
                .dilemma_id
                .and_then(|id| dilemmas.iter().find(|row| row.id == id))
                .map(|row| (row.id, question_of(sealer, row)));
            AgendaItemView {
                id: item.id,
                dilemma,
                method: item
                    .method
                    .as_deref()
                    .and_then(methods::method)
                    .map(|method| method.name.to_owned()),
            }
        })
        .collect())
}

/// How many dilemmas the agenda offers: the newest; an agenda is for recent casework, and
/// each one offered is opened for its question.
pub const CANDIDATES: u64 = 40;

/// The group's newest dilemmas that are not on this meeting's agenda yet: `(id, question)`,
/// for the facilitator's choice.
pub async fn candidates(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    group_id: i32,
    meeting_id: i32,
) -> Result<Vec<(i32, String)>, ServiceError> {
    let on_agenda: Vec<i32> = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|item| item.dilemma_id)
        .collect();
    Ok(dilemma::Entity::find()
        .filter(dilemma::Column::GroupId.eq(group_id))
        .filter(dilemma::Column::Id.is_not_in(on_agenda))
        .order_by_desc(dilemma::Column::CreatedAt)
        .order_by_desc(dilemma::Column::Id)
        .limit(CANDIDATES)
        .all(db)
        .await?
        .iter()
        .map(|row| (row.id, question_of(sealer, row)))
        .collect())
}

/// The meeting, if its agenda may change: not cancelled, its group open.
async fn open_meeting(
    db: &impl ConnectionTrait,
    group_id: i32,
    meeting_id: i32,
) -> Result<meeting::Model, ServiceError> {
    let row = find_meeting(db, group_id, meeting_id).await?;
    if row.cancelled {
        return Err(ServiceError::Invalid(
            "Deze bijeenkomst is afgelast; haar agenda ligt vast.".into(),
        ));
    }
    let closed = group::Entity::find_by_id(group_id)
        .one(db)
        .await?
        .is_some_and(|group| group.closed_at.is_some());
    if closed {
        return Err(ServiceError::Invalid(
            "Deze groep is afgesloten; er komt niets meer bij.".into(),
        ));
    }
    Ok(row)
}

/// Puts dilemma `dilemma_id` of the group at the end of the meeting's agenda.
pub async fn add_to_agenda(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    dilemma_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    open_meeting(&*txn, group_id, meeting_id).await?;
    dilemma_in_group(&*txn, group_id, dilemma_id)
        .await
        .map_err(|_| ServiceError::Invalid("Kies een dilemma van deze groep.".into()))?;
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .all(&*txn)
        .await?;
    if items.iter().any(|item| item.dilemma_id == Some(dilemma_id)) {
        return Err(ServiceError::Invalid(
            "Dit dilemma staat al op de agenda van deze bijeenkomst.".into(),
        ));
    }
    let position = items.iter().map(|item| item.position).max().unwrap_or(0) + 1;
    agenda_item::ActiveModel {
        meeting_id: Set(meeting_id),
        dilemma_id: Set(Some(dilemma_id)),
        position: Set(position),
        method: Set(None),
        added_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The agenda item `item_id` of the meeting (not found through another meeting or group).
async fn item_of(
    db: &impl ConnectionTrait,
    group_id: i32,
    meeting_id: i32,
    item_id: i32,
) -> Result<agenda_item::Model, ServiceError> {
    find_meeting(db, group_id, meeting_id).await?;
    agenda_item::Entity::find_by_id(item_id)
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Takes an item off the agenda, as long as no method was used for it (then it is part of
/// what the meeting did).
pub async fn remove_from_agenda(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    item_id: i32,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    open_meeting(&*txn, group_id, meeting_id).await?;
    let item = item_of(&*txn, group_id, meeting_id, item_id).await?;
    if item.method.is_some() {
        return Err(ServiceError::Invalid(
            "Voor dit dilemma is al een methode gebruikt; het blijft op de agenda.".into(),
        ));
    }
    agenda_item::Entity::delete_by_id(item.id)
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Starts `method` for the item's dilemma from the agenda: the method runner begins at its
/// first step and the item records the method. The dilemma's id, for its page.
pub async fn start_from_agenda(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    item_id: i32,
    method: &str,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    open_meeting(&*txn, group_id, meeting_id).await?;
    let item = item_of(&*txn, group_id, meeting_id, item_id).await?;
    let Some(dilemma_id) = item.dilemma_id else {
        return Err(ServiceError::Invalid(
            "Dit dilemma is er niet meer; de bewaartermijn is verstreken of de inbrenger heeft het verwijderd."
                .into(),
        ));
    };
    start_method(&*txn, group_id, dilemma_id, method, now).await?;
    record_method(&*txn, dilemma_id, method, Some(item.id)).await?;
    txn.commit().await?;
    Ok(dilemma_id)
}

/// Records `method` as used for the dilemma on agenda item `item` (None: the dilemma's latest
/// item, if it is on an agenda at all).
pub(crate) async fn record_method(
    db: &impl ConnectionTrait,
    dilemma_id: i32,
    method: &str,
    item: Option<i32>,
) -> Result<(), ServiceError> {
    let query = agenda_item::Entity::find().filter(agenda_item::Column::DilemmaId.eq(dilemma_id));
    let row = match item {
        Some(item) => {
            query
                .filter(agenda_item::Column::Id.eq(item))
                .one(db)
                .await?
        }
        None => query.order_by_desc(agenda_item::Column::Id).one(db).await?,
    };
    if let Some(row) = row.filter(|row| row.method.as_deref() != Some(method)) {
        let mut row: agenda_item::ActiveModel = row.into();
        row.method = Set(Some(method.to_owned()));
        row.update(db).await?;
    }
    Ok(())
}

/// Starts `method` (a slug) for dilemma `dilemma_id` of the group, at its first step; starting
/// again restarts it, another slug switches to that method. The dilemma's latest agenda item
/// records the method used.
pub async fn start_method(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
    method: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if methods::method(method).is_none() {
        return Err(ServiceError::Invalid("Kies een methode.".into()));
    }
    let row = dilemma_in_group(db, group_id, dilemma_id).await?;
    let mut row: dilemma::ActiveModel = row.into();
    row.method = Set(Some(method.to_owned()));
    row.method_step = Set(Some(0));
    row.step_started_at = Set(Some(now));
    row.method_minutes = Set(None);
    row.update(db).await?;
    record_method(db, dilemma_id, method, None).await?;
    Ok(())
}
