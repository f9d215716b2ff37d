//! The mail outbox. A domain queues a mail in the transaction of the change it reports (the
//! mail row and its send job commit or roll back with it); the job runner delivers it through
//! [`Mailer`] and records how it went; admins see every mail's state and can queue a failed
//! one again. Mail carries no case data, only what the recipient did on the platform.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::messaging::entity::{job, mail};
use crate::messaging::model::{
    JobKind, MailKind, MailRow, MailState, OUTBOX_PAGE_SIZE, OutboxView,
};
use crate::messaging::rules::{MAX_ATTEMPTS, MailContent};
use crate::messaging::service::jobs;
use crate::messaging::service::smtp::Mailer;

/// How long a sent mail stays in the outbox (it names a person and a training), and a failed
/// one (for the admins to look into).
pub const SENT_MAIL_RETENTION_DAYS: i64 = 30;
pub const FAILED_MAIL_RETENTION_DAYS: i64 = 90;

/// A mail to queue.
#[derive(Clone, Debug)]
pub struct NewMail {
    pub kind: MailKind,
    pub subject: String,
    pub content: MailContent,
    /// An .ics attachment (the sessions of a confirmed run).
    pub calendar: Option<String>,
}

/// Queues `mail` to the account's e-mail address, with its send job, in the caller's
/// transaction. `None` when the account has no address (the provider gave none): the outcome
/// is on the person's own page either way.
pub async fn queue_for_user(
    db: &impl ConnectionTrait,
    user_id: i32,
    mail: NewMail,
    now: DateTime<Utc>,
) -> Result<Option<i32>, ServiceError> {
    let recipient = address_of(db, user_id).await?;
    queue_to(db, recipient, mail, now).await
}

/// The account's e-mail address, if the provider gave one.
pub async fn address_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<String>, ServiceError> {
    Ok(user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Email)
        .into_tuple::<Option<String>>()
        .one(db)
        .await?
        .flatten())
}

/// Queues `mail` to `recipient` (read by the caller, before its write lock), with its send
/// job, in the caller's transaction; nothing when there is no address.
pub async fn queue_to(
    db: &impl ConnectionTrait,
    recipient: Option<String>,
    mail: NewMail,
    now: DateTime<Utc>,
) -> Result<Option<i32>, ServiceError> {
    let Some(recipient) = recipient else {
        return Ok(None);
    };
    let stored = new_mail(recipient, mail, now).insert(db).await?;
    jobs::enqueue(db, JobKind::SendMail, stored.id, now, now).await?;
    Ok(Some(stored.id))
}

/// [`queue_to`] for many mails at once, in two statements (the mails, then their send
/// jobs): a burst of enrolments writes its waitlist mails together.
pub async fn queue_many(
    db: &impl ConnectionTrait,
    mails: Vec<(Option<String>, NewMail, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let rows: Vec<mail::ActiveModel> = mails
        .into_iter()
        .filter_map(|(recipient, mail, at)| Some(new_mail(recipient?, mail, at)))
        .collect();
    let ids = mail::Entity::insert_many(rows)
        .exec_with_returning_keys(db)
        .await?;
    // Each mail has one send job; which row gets which id does not matter.
    let sends = ids
        .into_iter()
        .map(|id| jobs::new_job(JobKind::SendMail, id, now, now));
    job::Entity::insert_many(sends)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn new_mail(recipient: String, mail: NewMail, now: DateTime<Utc>) -> mail::ActiveModel {
    mail::ActiveModel {
        kind: Set(mail.kind),
        recipient: Set(recipient),
        subject: Set(mail.subject.chars().take(200).collect()),
        body: Set(crate::db::to_json_text(&mail.content)),
        calendar: Set(mail.calendar),
        state: Set(MailState::Queued),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

/// Sends the mail of a claimed `send_mail` job and records the attempt on the mail. `Err`
/// carries the reason for the job's retry; after the last attempt the mail counts as failed.
pub async fn deliver(
    db: &DatabaseConnection,
    mailer: &Mailer,
    claimed: &job::Model,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let found = mail::Entity::find_by_id(claimed.subject_id)
        .one(db)
        .await
        .map_err(|error| error.to_string())?;
    // Purged or already sent (a job taken over after its runner died): nothing to do.
    let Some(found) = found.filter(|m| m.state != MailState::Sent) else {
        return Ok(());
    };
    let content: MailContent = serde_json::from_str(&found.body)
        .map_err(|error| format!("stored mail {} is unreadable: {error}", found.id))?;
    let result = mailer.send(&found, &content).await;
    let attempts = found.attempts + 1;
    let mut active = found.into_active_model();
    active.attempts = Set(attempts);
    match &result {
        Ok(()) => {
            active.state = Set(MailState::Sent);
            active.sent_at = Set(Some(now));
            active.last_error = Set(None);
        }
        Err(error) => {
            active.last_error = Set(Some(jobs::shorten(error)));
            if claimed.attempts >= MAX_ATTEMPTS {
                active.state = Set(MailState::Failed);
            }
        }
    }
    active.update(db).await.map_err(|error| error.to_string())?;
    result
}

/// Queues a failed mail again (an admin's decision after fixing the cause).
pub async fn retry_failed(
    db: &DatabaseConnection,
    mail_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let found = mail::Entity::find_by_id(mail_id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if found.state != MailState::Failed {
        return Err(ServiceError::Invalid(
            "Alleen een mislukte e-mail kan opnieuw in de wachtrij.".into(),
        ));
    }
    let mut active = found.into_active_model();
    active.state = Set(MailState::Queued);
    active.attempts = Set(0);
    active.update(&*txn).await?;
    jobs::enqueue(&*txn, JobKind::SendMail, mail_id, now, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The admins' view: counts per state and the newest mails (not their text).
pub async fn overview(
    db: &impl ConnectionTrait,
    smtp_configured: bool,
) -> Result<OutboxView, ServiceError> {
    let mails = mail::Entity::find()
        .select_only()
        .columns([
            mail::Column::Id,
            mail::Column::Kind,
            mail::Column::Recipient,
            mail::Column::State,
            mail::Column::Attempts,
            mail::Column::LastError,
            mail::Column::CreatedAt,
            mail::Column::SentAt,
        ])
        .order_by_desc(mail::Column::CreatedAt)
        .order_by_desc(mail::Column::Id)
        .limit(OUTBOX_PAGE_SIZE)
        .into_tuple::<(
            i32,
            MailKind,
            String,
            MailState,
            i32,
            Option<String>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        )>()
        .all(db)
        .await?
        .into_iter()
        .map(
            |(id, kind, recipient, state, attempts, last_error, created_at, sent_at)| MailRow {
                id,
                kind,
                recipient,
                state,
                attempts,
                last_error,
                created_at,
                sent_at,
            },
        )
        .collect();
    let counts: std::collections::HashMap<MailState, i64> = mail::Entity::find()
        .select_only()
        .column(mail::Column::State)
        .column_as(mail::Column::Id.count(), "n")
        .group_by(mail::Column::State)
        .into_tuple::<(MailState, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let count = |state| counts.get(&state).copied().unwrap_or(0).max(0) as u64;
    Ok(OutboxView {
        queued: count(MailState::Queued),
        sent: count(MailState::Sent),
        failed: count(MailState::Failed),
        mails,
        smtp_configured,
        notice: None,
    })
}

/// Removes sent and failed mail past its retention period. Returns how many.
pub async fn purge_old(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, ServiceError> {
    let sent = mail::Entity::delete_many()
        .filter(mail::Column::State.eq(MailState::Sent))
        .filter(mail::Column::CreatedAt.lt(now - Duration::days(SENT_MAIL_RETENTION_DAYS)))
        .exec(db)
        .await?
        .rows_affected;
    let failed = mail::Entity::delete_many()
        .filter(mail::Column::State.eq(MailState::Failed))
        .filter(mail::Column::CreatedAt.lt(now - Duration::days(FAILED_MAIL_RETENTION_DAYS)))
        .exec(db)
        .await?
        .rows_affected;
    Ok(sent + failed)
}

/// The mail still kept for the account's current address, for the person's data export
/// (kind, subject, state, times).
/// The messaging part of erasing an account: every mail to its address goes, sent or not.
pub async fn erase_mail_to(db: &impl ConnectionTrait, address: &str) -> Result<(), ServiceError> {
    mail::Entity::delete_many()
        .filter(mail::Column::Recipient.eq(address))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn mails_export(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<serde_json::Value>, ServiceError> {
    let Some(address) = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|account| account.email)
    else {
        return Ok(Vec::new());
    };
    Ok(mail::Entity::find()
        .filter(mail::Column::Recipient.eq(address))
        .order_by_asc(mail::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "soort": m.kind.label(),
                "onderwerp": m.subject,
                "status": m.state.label(),
                "aangemaakt_utc": m.created_at.to_rfc3339(),
                "verstuurd_utc": m.sent_at.map(|t| t.to_rfc3339()),
            })
        })
        .collect())
}
