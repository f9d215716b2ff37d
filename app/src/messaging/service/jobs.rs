//! The durable job table. Domains enqueue timed work in the transaction of the change that
//! causes it; the server's runner claims what is due, runs it, and finishes or reschedules it.
//! Claiming locks the rows it takes (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the one writer
//! on SQLite) and leases them, so with several app nodes each job runs once, and a job whose
//! runner died is taken over when its lease ends.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::messaging::entity::job;
use crate::messaging::model::{JobKind, JobState};
use crate::messaging::rules::{MAX_ATTEMPTS, retry_delay_minutes};

/// How long a claimed job is its runner's before another may take it over.
pub const LEASE_MINUTES: i64 = 5;

/// How long finished jobs are kept (for the record), after which housekeeping removes them.
pub const FINISHED_JOB_RETENTION_DAYS: i64 = 7;

/// Adds a job, due at `run_at`, in the caller's transaction.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: JobKind,
    subject_id: i32,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    Ok(new_job(kind, subject_id, run_at, now).insert(db).await?.id)
}

/// A pending job's row, as [`enqueue`] writes it.
pub fn new_job(
    kind: JobKind,
    subject_id: i32,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> job::ActiveModel {
    job::ActiveModel {
        kind: Set(kind),
        subject_id: Set(subject_id),
        state: Set(JobState::Pending),
        run_at: Set(run_at),
        attempts: Set(0),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
}

/// Claims up to `limit` due jobs of `kinds` (pending and due, or running with an ended
/// lease), oldest first, counting the attempt. Rows another runner holds are skipped, not
/// waited for.
pub async fn claim_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
    kinds: &[JobKind],
) -> Result<Vec<job::Model>, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let due = job::Entity::find()
        .filter(job::Column::Kind.is_in(kinds.iter().copied()))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(job::Column::State.eq(JobState::Pending))
                        .add(job::Column::RunAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(job::Column::State.eq(JobState::Running))
                        .add(job::Column::LockedUntil.lte(now)),
                ),
        )
        .order_by_asc(job::Column::RunAt)
        .order_by_asc(job::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&*txn)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for found in due {
        let mut active = found.into_active_model();
        active.state = Set(JobState::Running);
        active.locked_until = Set(Some(now + Duration::minutes(LEASE_MINUTES)));
        active.attempts = Set(active.attempts.take().unwrap_or(0) + 1);
        claimed.push(active.update(&*txn).await?);
    }
    txn.commit().await?;
    Ok(claimed)
}

/// The job is done.
pub async fn complete(
    db: &impl ConnectionTrait,
    job_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Done))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives claimed jobs that were not started back (a node shutting down): pending again, the
/// lease and the attempt undone, so another node takes them at once.
pub async fn release(db: &impl ConnectionTrait, job_ids: &[i32]) -> Result<u64, ServiceError> {
    if job_ids.is_empty() {
        return Ok(0);
    }
    Ok(job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Pending))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).sub(1),
        )
        .filter(job::Column::Id.is_in(job_ids.iter().copied()))
        .filter(job::Column::State.eq(JobState::Running))
        .exec(db)
        .await?
        .rows_affected)
}

/// The try failed: due again after the back-off, or failed for good after the last attempt.
/// `error` is kept for the admins (shortened); it must not name a person.
pub async fn retry_later(
    db: &impl ConnectionTrait,
    claimed: &job::Model,
    error: &str,
    now: DateTime<Utc>,
) -> Result<JobState, ServiceError> {
    let gives_up = claimed.attempts >= MAX_ATTEMPTS;
    let state = if gives_up {
        JobState::Failed
    } else {
        JobState::Pending
    };
    let mut active = job::Entity::find_by_id(claimed.id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into_active_model();
    active.state = Set(state);
    active.locked_until = Set(None);
    active.last_error = Set(Some(shorten(error)));
    if gives_up {
        active.finished_at = Set(Some(now));
    } else {
        active.run_at = Set(now + Duration::minutes(retry_delay_minutes(claimed.attempts)));
    }
    active.update(db).await?;
    Ok(state)
}

/// At most 500 characters, what the column holds.
pub fn shorten(text: &str) -> String {
    text.chars().take(500).collect()
}

/// Removes jobs finished longer than the retention period ago. Returns how many.
pub async fn purge_finished(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    Ok(job::Entity::delete_many()
        .filter(job::Column::State.is_in([JobState::Done, JobState::Failed]))
        .filter(job::Column::FinishedAt.lt(now - Duration::days(FINISHED_JOB_RETENTION_DAYS)))
        .exec(db)
        .await?
        .rows_affected)
}

/// Pending jobs of `kind` for `subject_id` (tests and the runner's bookkeeping).
pub async fn pending_for(
    db: &impl ConnectionTrait,
    kind: JobKind,
    subject_id: i32,
) -> Result<Vec<job::Model>, ServiceError> {
    Ok(job::Entity::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::SubjectId.eq(subject_id))
        .filter(job::Column::State.eq(JobState::Pending))
        .order_by_asc(job::Column::RunAt)
        .all(db)
        .await?)
}

/// Puts a daily job of `kind` in the table, due now, unless one is waiting (at start-up).
pub async fn schedule_daily(
    db: &impl ConnectionTrait,
    kind: JobKind,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if pending_for(db, kind, 0).await?.is_empty() {
        enqueue(db, kind, 0, now, now).await?;
    }
    Ok(())
}

/// The next run of a daily job of `kind`, a day after this one.
pub async fn schedule_next_day(
    db: &impl ConnectionTrait,
    kind: JobKind,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    enqueue(db, kind, 0, now + Duration::days(1), now).await?;
    Ok(())
}
