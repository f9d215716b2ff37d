//! The job runner: polls the durable job table (see `app::messaging::service::jobs`) and does
//! what is due: sending mail, expiring offers, reminders, intervision retention. Each job is claimed by one runner,
//! also with several app nodes on PostgreSQL; a failed try is retried with back-off, and a
//! restart loses nothing because everything lives in the database.

use std::time::Duration;

use app::context::AppContext;
use app::error::ServiceError;
use app::messaging::entity::job;
use app::messaging::model::{JobKind, JobState};
use app::messaging::service::smtp::Mailer;
use app::messaging::service::{jobs, outbox};
use app::training::service::{enrolment, mails};
use sea_orm::DatabaseConnection;

/// Jobs claimed per round.
const BATCH: u64 = 20;

/// Runs every due job, in rounds, until none is left (or a bound is reached, so one poll never
/// runs unbounded). Without a mail server, mail jobs are left for later. Returns how many ran.
pub async fn run_due_jobs(
    context: &AppContext,
    mailer: Option<&Mailer>,
) -> Result<usize, ServiceError> {
    run_due_jobs_until(context, mailer, &Stop::never()).await
}

/// Whether the node is shutting down (see `main`'s signal handling): the runner finishes the
/// job in hand and gives the rest of its batch back.
#[derive(Clone)]
pub struct Stop(tokio::sync::watch::Receiver<bool>);

impl Stop {
    pub fn new(receiver: tokio::sync::watch::Receiver<bool>) -> Self {
        Self(receiver)
    }

    fn never() -> Self {
        let (_, receiver) = tokio::sync::watch::channel(false);
        Self(receiver)
    }

    fn requested(&self) -> bool {
        *self.0.borrow()
    }
}

/// [`run_due_jobs`], stopping between two jobs once `stop` is requested: the claimed jobs not
/// yet started go back to the table for another node.
pub async fn run_due_jobs_until(
    context: &AppContext,
    mailer: Option<&Mailer>,
    stop: &Stop,
) -> Result<usize, ServiceError> {
    let kinds: Vec<JobKind> = JobKind::ALL
        .into_iter()
        .filter(|kind| mailer.is_some() || *kind != JobKind::SendMail)
        .collect();
    let mut ran = 0;
    while ran < 1_000 && !stop.requested() {
        let claimed = jobs::claim_due(&context.db, context.now(), BATCH, &kinds).await?;
        if claimed.is_empty() {
            break;
        }
        for (index, job) in claimed.iter().enumerate() {
            if stop.requested() {
                let rest: Vec<i32> = claimed[index..].iter().map(|job| job.id).collect();
                let released = jobs::release(&context.db, &rest).await?;
                tracing::info!(released, "shutting down: claimed jobs given back");
                return Ok(ran);
            }
            run_one(&context.db, mailer, job, context).await?;
            ran += 1;
        }
    }
    Ok(ran)
}

async fn run_one(
    db: &DatabaseConnection,
    mailer: Option<&Mailer>,
    claimed: &job::Model,
    context: &AppContext,
) -> Result<(), ServiceError> {
    let now = context.now();
    let result = match claimed.kind {
        JobKind::SendMail => match mailer {
            Some(mailer) => outbox::deliver(db, mailer, claimed, now).await,
            None => Err("geen mailserver ingesteld".to_owned()),
        },
        JobKind::ExpireOffer => enrolment::expire_offer(db, claimed.subject_id, now)
            .await
            .map(drop)
            .map_err(|error| error.to_string()),
        JobKind::SessionReminder | JobKind::PreparationReminder => remind(db, claimed, now)
            .await
            .map_err(|error| error.to_string()),
        JobKind::IntervisionRetention => app::intervision::service::retention::run_daily(db, now)
            .await
            .map(|purged| {
                if purged > 0 {
                    tracing::info!(purged, "intervision content past its retention deleted");
                }
            })
            .map_err(|error| error.to_string()),
        JobKind::TrainingRecordsRetention => app::training::service::retention::run_daily(db, now)
            .await
            .map(|runs| {
                if runs > 0 {
                    tracing::info!(
                        runs,
                        "attendance and certificates past their retention deleted"
                    );
                }
            })
            .map_err(|error| error.to_string()),
        JobKind::ReviewReminders => app::knowledge::service::reviews::run_daily(db, now)
            .await
            .map(|queued| {
                if queued > 0 {
                    tracing::info!(queued, "review reminders queued");
                }
            })
            .map_err(|error| error.to_string()),
        JobKind::EditorialDigest => app::knowledge::service::reviews::run_weekly(db, now)
            .await
            .map(drop)
            .map_err(|error| error.to_string()),
    };
    match result {
        Ok(()) => jobs::complete(db, claimed.id, now).await,
        Err(error) => {
            // The job's id and kind only: the error may concern an address.
            let state = jobs::retry_later(db, claimed, &error, now).await?;
            if state == JobState::Failed {
                tracing::error!(job = claimed.id, kind = %claimed.kind, "job failed for good");
            } else {
                tracing::warn!(job = claimed.id, kind = %claimed.kind, attempts = claimed.attempts, "job failed; retried later");
            }
            Ok(())
        }
    }
}

/// A reminder and its mail in one transaction.
async fn remind(
    db: &DatabaseConnection,
    claimed: &job::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ServiceError> {
    let txn = app::db::begin_write(db).await?;
    match claimed.kind {
        JobKind::SessionReminder => {
            mails::send_session_reminder(&*txn, claimed.subject_id, now).await?;
        }
        _ => mails::send_preparation_reminder(&*txn, claimed.subject_id, now).await?,
    }
    txn.commit().await?;
    Ok(())
}

/// Polls for due jobs every `every` until `stop` is requested; first puts the daily jobs in
/// the table if none is waiting. The task ends once the job in hand is done.
pub fn spawn_runner(
    context: AppContext,
    mailer: Option<Mailer>,
    every: Duration,
    stop: Stop,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Put in the table once, due now; each run schedules its own next one.
        for daily in [
            JobKind::IntervisionRetention,
            JobKind::TrainingRecordsRetention,
            JobKind::ReviewReminders,
            JobKind::EditorialDigest,
        ] {
            if let Err(error) = jobs::schedule_daily(&context.db, daily, context.now()).await {
                tracing::warn!(%error, kind = %daily, "scheduling a daily job failed");
            }
        }
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut stopping = stop.0.clone();
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = stopping.wait_for(|stop| *stop) => break,
            }
            match run_due_jobs_until(&context, mailer.as_ref(), &stop).await {
                Ok(0) => {}
                Ok(ran) => tracing::debug!(ran, "jobs run"),
                Err(error) => tracing::warn!(%error, "the job runner could not read its table"),
            }
            if stop.requested() {
                break;
            }
        }
    })
}
