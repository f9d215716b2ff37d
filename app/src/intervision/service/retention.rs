//! Retention: a group's dilemmas (with their threads and read records) go once its retention
//! period has passed since they were brought in; only a count per phenomenon stays, for
//! reports. Run daily from the durable job table.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::intervision::entity::{dilemma, group, meeting, meeting_note, retained_count};
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
        let Some(cutoff) =
            now.checked_sub_months(Months::new(group.retention_months.max(0) as u32))
        else {
            continue;
        };
        // Notes of meetings held before the cut-off go (counted as meetings, which stay).
        let old_meetings: Vec<i32> = meeting::Entity::find()
            .select_only()
            .column(meeting::Column::Id)
            .filter(meeting::Column::GroupId.eq(group.id))
            .filter(meeting::Column::StartsAt.lt(cutoff))
            .into_tuple()
            .all(&*txn)
            .await?;
        meeting_note::Entity::delete_many()
            .filter(meeting_note::Column::MeetingId.is_in(old_meetings))
            .exec(&*txn)
            .await?;
        let expired = dilemma::Entity::find()
            .filter(dilemma::Column::GroupId.eq(group.id))
            .filter(dilemma::Column::CreatedAt.lt(cutoff))
            .all(&*txn)
            .await?;
        if expired.is_empty() {
            continue;
        }
        let mut per_phenomenon = BTreeMap::new();
        for row in &expired {
            *per_phenomenon.entry(row.phenomenon).or_insert(0) += 1;
        }
        for (phenomenon, count) in per_phenomenon {
            add_to_count(&*txn, group.id, phenomenon, count).await?;
        }
        dilemma::Entity::delete_many()
            .filter(dilemma::Column::Id.is_in(expired.iter().map(|row| row.id)))
            .exec(&*txn)
            .await?;
        purged += expired.len();
    }
    txn.commit().await?;
    Ok(purged)
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
    jobs::schedule_next_day(db, JobKind::IntervisionRetention, now).await?;
    Ok(purged)
}
