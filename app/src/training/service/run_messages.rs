//! Messages from a run's trainers or a coordinator to its participants and/or its waitlist:
//! each recipient gets the mail through the outbox, in the same transaction as the line in
//! the run's log (who sent it, when, to whom, how many, the subject).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::error::{FieldErrors, ServiceError};
use crate::identity::service::labels::account_labels;
use crate::messaging::model::MailKind;
use crate::messaging::rules::MailContent;
use crate::messaging::service::outbox::{self, NewMail};
use crate::training::entity::{enrolment, run, run_message};
use crate::training::model::{EnrolmentStatus, MessageAudience, RunMessageLog, RunStatus};
use crate::training::rules::ValidRunMessage;
use crate::training::service::calendar::title_of;

/// The enrolment states a message to `audience` reaches (an offered seat is still waiting).
fn statuses(audience: MessageAudience) -> Vec<EnrolmentStatus> {
    let waiting = [EnrolmentStatus::Waitlisted, EnrolmentStatus::Offered];
    match audience {
        MessageAudience::Confirmed => vec![EnrolmentStatus::Confirmed],
        MessageAudience::Waitlist => waiting.to_vec(),
        MessageAudience::Both => [EnrolmentStatus::Confirmed]
            .into_iter()
            .chain(waiting)
            .collect(),
    }
}

/// Sends `message` to its audience in `run` for `sender`; returns how many it went to. A
/// cancelled run, or an audience nobody is in, is refused at the field.
pub async fn send(
    db: &DatabaseConnection,
    run: &run::Model,
    sender: i32,
    message: &ValidRunMessage,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    if run.status == RunStatus::Cancelled {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is geannuleerd; de deelnemers hebben daarover al bericht gekregen."
                .into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let recipients: Vec<i32> = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run.id))
        .filter(enrolment::Column::Status.is_in(statuses(message.audience)))
        .order_by_asc(enrolment::Column::Id)
        .all(&*txn)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    if recipients.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert(
            "audience".into(),
            format!("Er is niemand bij {}.", message.audience.label()),
        );
        return Err(ServiceError::Fields(errors));
    }
    let title = title_of(&*txn, &run.training_slug).await?;
    let mut content = MailContent::default().paragraph(format!(
        "Een bericht over de training {title} (uitvoering {}):",
        run.code
    ));
    for paragraph in message
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        content = content.paragraph(paragraph);
    }
    let content = content.link(
        "Naar de training",
        format!("/trainingen/{}", run.training_slug),
    );
    for user_id in &recipients {
        outbox::queue_to(
            &*txn,
            outbox::address_of(&*txn, *user_id).await?,
            NewMail {
                kind: MailKind::RunMessage,
                subject: format!("{} — {title}", message.subject),
                content: content.clone(),
                calendar: None,
            },
            now,
        )
        .await?;
    }
    run_message::ActiveModel {
        run_id: Set(run.id),
        sender_user_id: Set(Some(sender)),
        sent_at: Set(now),
        audience: Set(message.audience),
        recipients: Set(i32::try_from(recipients.len()).unwrap_or(i32::MAX)),
        subject: Set(message.subject.clone()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(recipients.len())
}

/// The messages written to `run_id`, newest first.
pub async fn log_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<RunMessageLog>, ServiceError> {
    let rows = run_message::Entity::find()
        .filter(run_message::Column::RunId.eq(run_id))
        .order_by_desc(run_message::Column::SentAt)
        .order_by_desc(run_message::Column::Id)
        .all(db)
        .await?;
    let names = account_labels(db, rows.iter().filter_map(|row| row.sender_user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| RunMessageLog {
            sent_at: row.sent_at,
            sender: row
                .sender_user_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "(verwijderd account)".to_owned()),
            audience: row.audience,
            recipients: u32::try_from(row.recipients).unwrap_or(0),
            subject: row.subject,
        })
        .collect())
}
