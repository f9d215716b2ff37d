//! Retention of what accreditation needs: a run's attendance marks and certificates are kept
//! for `RECORDS_KEPT_YEARS` after it closed (the registers' re-registration period), then
//! deleted by a daily job from the durable job table. The run itself and its anonymous
//! evaluation stay; the run records when its records went.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::messaging::model::JobKind;
use crate::messaging::service::jobs;
use crate::training::entity::{certificate, run, run_session, session_attendance};
use crate::training::rules::records_deletion_cutoff;

/// Deletes attendance and certificates of every run closed before the retention cut-off at
/// `now`; how many runs it concerned.
pub async fn purge_expired(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let expired = run::Entity::find()
        .filter(run::Column::ClosedAt.lt(records_deletion_cutoff(now)))
        .filter(run::Column::RecordsDeletedAt.is_null())
        .all(&*txn)
        .await?;
    for expired_run in &expired {
        let sessions: Vec<i32> = run_session::Entity::find()
            .select_only()
            .column(run_session::Column::Id)
            .filter(run_session::Column::RunId.eq(expired_run.id))
            .into_tuple()
            .all(&*txn)
            .await?;
        session_attendance::Entity::delete_many()
            .filter(session_attendance::Column::SessionId.is_in(sessions))
            .exec(&*txn)
            .await?;
        certificate::Entity::delete_many()
            .filter(certificate::Column::RunId.eq(expired_run.id))
            .exec(&*txn)
            .await?;
        let mut marked: run::ActiveModel = expired_run.clone().into();
        marked.records_deleted_at = Set(Some(now));
        marked.update(&*txn).await?;
    }
    txn.commit().await?;
    Ok(expired.len())
}

/// The daily job: purge, then the next run a day later. How many runs it concerned.
pub async fn run_daily(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let purged = purge_expired(db, now).await?;
    jobs::schedule_next_day(db, JobKind::TrainingRecordsRetention, now).await?;
    Ok(purged)
}
