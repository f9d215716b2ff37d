//! Retention: a group's dilemmas (with their threads and read records) go once its retention
//! period has passed since they were brought in, a meeting's notes once it has passed since
//! the meeting; only a count per phenomenon stays, for reports. Run daily from the durable job
//! table. The facilitator may change the period: shorter applies to everything at once,
//! longer only to what is written after the change.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::intervision::entity::{
    dilemma, group, meeting, meeting_note, retained_count, retention_change,
};
use crate::intervision::rules::retention_segments;
use crate::messaging::model::JobKind;
use crate::messaging::service::jobs;

/// Deletes every dilemma past its group's retention at `now`, keeping the counts; how many.
pub async fn purge_expired(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let mut purged = 0;
    for group in group::Entity::find().all(&*txn).await? {
        purged += purge_group(&*txn, &group, now).await?;
    }
    txn.commit().await?;
    Ok(purged)
}

/// The group's content that is past its period at `now` (see `rules::retention_segments`):
/// dilemmas by when they were brought in, a meeting's notes by when it was held.
struct Expired {
    dilemmas: Vec<dilemma::Model>,
    meetings: Vec<i32>,
}

async fn expired(
    db: &impl ConnectionTrait,
    group_id: i32,
    current_months: i32,
    now: DateTime<Utc>,
) -> Result<Expired, ServiceError> {
    let changes: Vec<(DateTime<Utc>, i32)> = retention_change::Entity::find()
        .filter(retention_change::Column::GroupId.eq(group_id))
        .order_by_asc(retention_change::Column::ChangedAt)
        .order_by_asc(retention_change::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|change| (change.changed_at, change.months_before))
        .collect();
    let mut found = Expired {
        dilemmas: Vec::new(),
        meetings: Vec::new(),
    };
    for segment in retention_segments(&changes, current_months) {
        let Some(cutoff) = now.checked_sub_months(Months::new(segment.months.max(0) as u32)) else {
            continue;
        };
        let mut dilemmas = dilemma::Entity::find()
            .filter(dilemma::Column::GroupId.eq(group_id))
            .filter(dilemma::Column::CreatedAt.lt(cutoff));
        let mut meetings = meeting::Entity::find()
            .select_only()
            .column(meeting::Column::Id)
            .filter(meeting::Column::GroupId.eq(group_id))
            .filter(meeting::Column::StartsAt.lt(cutoff));
        if let Some(from) = segment.from {
            dilemmas = dilemmas.filter(dilemma::Column::CreatedAt.gte(from));
            meetings = meetings.filter(meeting::Column::StartsAt.gte(from));
        }
        if let Some(until) = segment.until {
            dilemmas = dilemmas.filter(dilemma::Column::CreatedAt.lt(until));
            meetings = meetings.filter(meeting::Column::StartsAt.lt(until));
        }
        found.dilemmas.extend(dilemmas.all(db).await?);
        found
            .meetings
            .extend(meetings.into_tuple::<i32>().all(db).await?);
    }
    Ok(found)
}

/// Purges one group in the caller's transaction; how many dilemmas went.
async fn purge_group(
    db: &impl ConnectionTrait,
    group: &group::Model,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let expired = expired(db, group.id, group.retention_months, now).await?;
    // Notes of meetings held before the cut-off go (counted as meetings, which stay).
    meeting_note::Entity::delete_many()
        .filter(meeting_note::Column::MeetingId.is_in(expired.meetings))
        .exec(db)
        .await?;
    if expired.dilemmas.is_empty() {
        return Ok(0);
    }
    let mut per_phenomenon = BTreeMap::new();
    for row in &expired.dilemmas {
        *per_phenomenon.entry(row.phenomenon).or_insert(0) += 1;
    }
    for (phenomenon, count) in per_phenomenon {
        add_to_count(db, group.id, phenomenon, count).await?;
    }
    // Their agenda items stay, emptied by the foreign key, with the method used.
    dilemma::Entity::delete_many()
        .filter(dilemma::Column::Id.is_in(expired.dilemmas.iter().map(|row| row.id)))
        .exec(db)
        .await?;
    Ok(expired.dilemmas.len())
}

/// What a new, shorter period would remove at once: `(dilemmas, meetings whose notes go)`.
pub async fn shortening_removes(
    db: &impl ConnectionTrait,
    group_id: i32,
    months: u32,
    now: DateTime<Utc>,
) -> Result<(usize, usize), ServiceError> {
    let current = group::Entity::find_by_id(group_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?
        .retention_months;
    let months = i32::try_from(months).unwrap_or(i32::MAX).min(current);
    // As if the change were made now: everything written so far falls under the shorter one.
    let found = expired(db, group_id, months, now).await?;
    let with_notes = meeting_note::Entity::find()
        .filter(meeting_note::Column::MeetingId.is_in(found.meetings))
        .all(db)
        .await?
        .into_iter()
        .map(|note| note.meeting_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    Ok((found.dilemmas.len(), with_notes))
}

/// What changing the period did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionChanged {
    /// The same period: nothing was written.
    Unchanged,
    /// Longer: only for what is written from now on.
    Longer,
    /// Shorter: applied at once; how many dilemmas went.
    Shorter { purged: usize },
}

/// The facilitator sets the group's retention to `months` (checked by
/// `rules::parse_retention`): the change is kept, and a shorter period purges at once.
pub async fn change_retention(
    db: &DatabaseConnection,
    group_id: i32,
    months: u32,
    now: DateTime<Utc>,
) -> Result<RetentionChanged, ServiceError> {
    let months =
        i32::try_from(months).map_err(|_| ServiceError::Invalid("Ongeldige termijn.".into()))?;
    let txn = crate::db::begin_write(db).await?;
    let row = group::Entity::find_by_id(group_id)
        .lock_exclusive()
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.closed_at.is_some() {
        return Err(ServiceError::Invalid(
            "Deze groep is afgesloten; haar bewaartermijn ligt vast.".into(),
        ));
    }
    let before = row.retention_months;
    if before == months {
        return Ok(RetentionChanged::Unchanged);
    }
    retention_change::ActiveModel {
        group_id: Set(group_id),
        changed_at: Set(now),
        months_before: Set(before),
        months_after: Set(months),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let mut row: group::ActiveModel = row.into();
    row.retention_months = Set(months);
    let row = row.update(&*txn).await?;
    let changed = if months < before {
        RetentionChanged::Shorter {
            purged: purge_group(&*txn, &row, now).await?,
        }
    } else {
        RetentionChanged::Longer
    };
    txn.commit().await?;
    Ok(changed)
}

async fn add_to_count(
    db: &impl ConnectionTrait,
    group_id: i32,
    phenomenon: crate::vocabulary::Phenomenon,
    count: i32,
) -> Result<(), ServiceError> {
    match retained_count::Entity::find_by_id((group_id, phenomenon.slug().to_owned()))
        .one(db)
        .await?
    {
        Some(row) => {
            let dilemmas = row.dilemmas + count;
            let mut row: retained_count::ActiveModel = row.into();
            row.dilemmas = Set(dilemmas);
            row.update(db).await?;
        }
        None => {
            retained_count::ActiveModel {
                group_id: Set(group_id),
                phenomenon: Set(phenomenon.slug().to_owned()),
                dilemmas: Set(count),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The daily job: purge, then the next run a day later. How many dilemmas went.
pub async fn run_daily(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let purged = purge_expired(db, now).await?;
    crate::intervision::service::themes::purge_old_tallies(db, now).await?;
    jobs::schedule_next_day(db, JobKind::IntervisionRetention, now).await?;
    Ok(purged)
}
