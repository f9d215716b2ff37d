//! Review reminders: the owner of a published document (the team its `owner:` names) gets a
//! mail [`REMINDER_DAYS_BEFORE`] days before its review date and one once the date has passed,
//! each once per document and review date; the editors get a weekly digest of everything
//! overdue. Both through the outbox, from the durable job table. Owners' mailboxes come from
//! `content/owners.yaml`, next to the documents they own.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::dates::{amsterdam_date, format_date_nl};
use crate::error::ServiceError;
use crate::identity::access::Role;
use crate::knowledge::entity::{self as documents, Entity as Documents};
use crate::knowledge::entity::{owner_mailbox, review_reminder};
use crate::knowledge::model::{DocumentStatus, EditorialOverviewPage, ReminderKind};
use crate::messaging::model::{JobKind, MailKind};
use crate::messaging::rules::MailContent;
use crate::messaging::service::outbox::NewMail;
use crate::messaging::service::{jobs, outbox};

/// How many days before its review date a document's owner is reminded.
pub const REMINDER_DAYS_BEFORE: u64 = 30;
/// The file in the content directory that names each owner's mailbox.
pub const OWNERS_FILE: &str = "owners.yaml";
/// How often the editors' digest of overdue documents goes out.
pub const DIGEST_EVERY_DAYS: i64 = 7;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerLine {
    owner: String,
    mailbox: String,
}

/// Reads `owners.yaml` from `content_dir` into the table (no file: no mailboxes), writing only
/// what differs; how many owners have a mailbox. A malformed file or address is refused with
/// the line's owner named, and nothing changes.
pub async fn import_owner_mailboxes(
    db: &DatabaseConnection,
    content_dir: &Path,
) -> Result<usize, ServiceError> {
    let path = content_dir.join(OWNERS_FILE);
    let wanted: BTreeMap<String, String> = match std::fs::read_to_string(&path) {
        Ok(text) => parse_owners(&text)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
        Err(source) => {
            return Err(ServiceError::Io {
                path: path.clone(),
                source,
            });
        }
    };
    let stored: BTreeMap<String, String> = owner_mailbox::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.owner, row.mailbox))
        .collect();
    if stored == wanted {
        return Ok(wanted.len());
    }
    let txn = crate::db::begin_write(db).await?;
    for owner in stored.keys().filter(|owner| !wanted.contains_key(*owner)) {
        owner_mailbox::Entity::delete_by_id(owner.clone())
            .exec(&*txn)
            .await?;
    }
    for (owner, mailbox) in &wanted {
        match stored.get(owner) {
            Some(old) if old == mailbox => {}
            Some(_) => {
                owner_mailbox::ActiveModel {
                    owner: Set(owner.clone()),
                    mailbox: Set(mailbox.clone()),
                }
                .update(&*txn)
                .await?;
            }
            None => {
                owner_mailbox::ActiveModel {
                    owner: Set(owner.clone()),
                    mailbox: Set(mailbox.clone()),
                }
                .insert(&*txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(wanted.len())
}

/// `owners.yaml` as owner → mailbox; every address checked.
fn parse_owners(text: &str) -> Result<BTreeMap<String, String>, ServiceError> {
    let lines: Vec<OwnerLine> = serde_yaml_ng::from_str(text)
        .map_err(|error| ServiceError::Invalid(format!("{OWNERS_FILE}: {error}")))?;
    let mut owners = BTreeMap::new();
    for line in lines {
        let mailbox = line.mailbox.trim().to_owned();
        if lettre::Address::from_str(&mailbox).is_err() {
            return Err(ServiceError::Invalid(format!(
                "{OWNERS_FILE}: '{}' is geen e-mailadres (eigenaar {})",
                mailbox, line.owner
            )));
        }
        owners.insert(line.owner.trim().to_owned(), mailbox);
    }
    Ok(owners)
}

/// A published document as the reminders need it.
#[derive(Debug, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "Documents")]
struct Reviewed {
    slug: String,
    title: String,
    owner: String,
    review_due: NaiveDate,
}

/// Which reminder a document is due for on `today`, if any.
fn reminder_due(review_due: NaiveDate, today: NaiveDate) -> Option<ReminderKind> {
    if review_due < today {
        Some(ReminderKind::Overdue)
    } else if review_due <= today + Days::new(REMINDER_DAYS_BEFORE) {
        Some(ReminderKind::DueSoon)
    } else {
        None
    }
}

/// Queues the reminders due at `now` (each once per document, review date and kind) to the
/// owners with a mailbox; how many were queued.
pub async fn send_review_reminders(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let today = amsterdam_date(now);
    let due: Vec<(Reviewed, ReminderKind)> = Documents::find()
        .filter(documents::Column::Status.eq(DocumentStatus::Published))
        .filter(documents::Column::ReviewDue.lte(today + Days::new(REMINDER_DAYS_BEFORE)))
        .order_by_asc(documents::Column::ReviewDue)
        .into_partial_model::<Reviewed>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|doc| {
            let kind = reminder_due(doc.review_due, today)?;
            Some((doc, kind))
        })
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let mailboxes: HashMap<String, String> = owner_mailbox::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.owner, row.mailbox))
        .collect();
    let sent: HashSet<(String, NaiveDate, ReminderKind)> = review_reminder::Entity::find()
        .filter(
            review_reminder::Column::DocumentSlug.is_in(due.iter().map(|(d, _)| d.slug.clone())),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.document_slug, r.review_due, r.kind))
        .collect();
    let mut queued = 0;
    for (doc, kind) in due {
        let Some(mailbox) = mailboxes.get(&doc.owner) else {
            continue;
        };
        if sent.contains(&(doc.slug.clone(), doc.review_due, kind)) {
            continue;
        }
        let txn = crate::db::begin_write(db).await?;
        review_reminder::ActiveModel {
            document_slug: Set(doc.slug.clone()),
            review_due: Set(doc.review_due),
            kind: Set(kind),
            sent_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        outbox::queue_to(&*txn, Some(mailbox.clone()), reminder_mail(&doc, kind), now).await?;
        txn.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

fn reminder_mail(doc: &Reviewed, kind: ReminderKind) -> NewMail {
    let due = format_date_nl(doc.review_due);
    let (subject, opening) = match kind {
        ReminderKind::DueSoon => (
            format!("Controle nodig vóór {due}: {}", doc.title),
            format!(
                "Over hoogstens {REMINDER_DAYS_BEFORE} dagen is het tijd om dit document van uw team na te lezen. Klopt het nog, werk dan de datum van de laatste controle bij; zo niet, pas het aan."
            ),
        ),
        ReminderKind::Overdue => (
            format!("Controledatum verstreken: {}", doc.title),
            "De controledatum van dit document van uw team is verstreken. Lees het na en werk de datum bij, of pas het aan.".to_owned(),
        ),
    };
    NewMail {
        kind: MailKind::ReviewReminder,
        subject,
        content: MailContent::default()
            .paragraph(opening)
            .facts(vec![
                ("Document".into(), doc.title.clone()),
                ("Eigenaar".into(), doc.owner.clone()),
                ("Volgende controle".into(), due),
            ])
            .link(
                "Document openen in de redactie",
                format!("/redactie/documenten/{}", doc.slug),
            ),
        calendar: None,
    }
}

/// The knowledge team's daily job: the reminders, search words past their keeping, then the
/// next run a day later. How many reminders were queued.
pub async fn run_daily(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let queued = send_review_reminders(db, now).await?;
    crate::knowledge::service::usage::purge_old_misses(db, now).await?;
    jobs::schedule_next_day(db, JobKind::ReviewReminders, now).await?;
    Ok(queued)
}

/// Mails every editor with an address the list of published documents past their review date
/// (nothing when none is); how many mails were queued.
pub async fn send_editorial_digest(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let today = amsterdam_date(now);
    let overdue: Vec<Reviewed> = Documents::find()
        .filter(documents::Column::Status.eq(DocumentStatus::Published))
        .filter(documents::Column::ReviewDue.lt(today))
        .order_by_asc(documents::Column::ReviewDue)
        .order_by_asc(documents::Column::Title)
        .into_partial_model::<Reviewed>()
        .all(db)
        .await?;
    if overdue.is_empty() {
        return Ok(0);
    }
    let addresses = crate::identity::service::accounts::addresses_of_role(db, Role::Editor).await?;
    let count = overdue.len();
    let documents = if count == 1 { "document" } else { "documenten" };
    let facts = overdue
        .iter()
        .map(|doc| {
            (
                doc.title.clone(),
                format!("{} · sinds {}", doc.owner, format_date_nl(doc.review_due)),
            )
        })
        .collect();
    let content = MailContent::default()
        .paragraph(format!(
            "Bij {count} {documents} is de controledatum verstreken. De eigenaren kregen een herinnering als hun team een postbus heeft."
        ))
        .facts(facts)
        .link("Naar de redactie", "/redactie");
    let txn = crate::db::begin_write(db).await?;
    for address in &addresses {
        outbox::queue_to(
            &*txn,
            Some(address.clone()),
            NewMail {
                kind: MailKind::EditorialDigest,
                subject: format!("Redactie: {count} {documents} over de controledatum"),
                content: content.clone(),
                calendar: None,
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(addresses.len())
}

/// The weekly job: the digest, then the next one a week later.
pub async fn run_weekly(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let queued = send_editorial_digest(db, now).await?;
    jobs::enqueue(
        db,
        JobKind::EditorialDigest,
        0,
        now + Duration::days(DIGEST_EVERY_DAYS),
        now,
    )
    .await?;
    Ok(queued)
}

/// Adds to the overview's page the reminders sent for each document's current review date,
/// and the owners on the page who have no mailbox.
pub async fn annotate_overview(
    db: &impl ConnectionTrait,
    page: &mut EditorialOverviewPage,
) -> Result<(), ServiceError> {
    let slugs: Vec<String> = page.items.iter().map(|i| i.slug.clone()).collect();
    let mut latest: HashMap<(String, NaiveDate), (ReminderKind, DateTime<Utc>)> = HashMap::new();
    for reminder in review_reminder::Entity::find()
        .filter(review_reminder::Column::DocumentSlug.is_in(slugs))
        .all(db)
        .await?
    {
        let key = (reminder.document_slug, reminder.review_due);
        if latest
            .get(&key)
            .is_none_or(|(_, at)| *at < reminder.sent_at)
        {
            latest.insert(key, (reminder.kind, reminder.sent_at));
        }
    }
    for item in &mut page.items {
        item.reminded = latest
            .get(&(item.slug.clone(), item.review_due))
            .map(|(kind, at)| (*kind, amsterdam_date(*at)));
    }
    let with_mailbox: HashSet<String> = owner_mailbox::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.owner)
        .collect();
    let mut without: Vec<String> = page
        .items
        .iter()
        .map(|i| i.owner.clone())
        .filter(|owner| !with_mailbox.contains(owner))
        .collect();
    without.sort();
    without.dedup();
    page.owners_without_mailbox = without;
    Ok(())
}

/// The editors' overview page: documents by owner, the backlog still open, and what the
/// reminders did for each document's review date.
pub async fn editorial_page(
    db: &DatabaseConnection,
    today: NaiveDate,
    page: u64,
) -> Result<EditorialOverviewPage, ServiceError> {
    let mut overview = crate::knowledge::service::workflow::overview_page(db, today, page).await?;
    overview.backlog = crate::knowledge::service::backlog::backlog(db)
        .await?
        .into_iter()
        .filter(|item| item.status.is_open())
        .collect();
    annotate_overview(db, &mut overview).await?;
    Ok(overview)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_reminded_thirty_days_before_and_once_overdue() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let days = |n: i64| today + Duration::days(n);
        assert_eq!(reminder_due(days(31), today), None);
        assert_eq!(reminder_due(days(30), today), Some(ReminderKind::DueSoon));
        assert_eq!(reminder_due(today, today), Some(ReminderKind::DueSoon));
        assert_eq!(reminder_due(days(-1), today), Some(ReminderKind::Overdue));
    }

    #[test]
    fn owners_name_real_addresses() {
        let owners =
            parse_owners("- owner: Kennisteam Online\n  mailbox: online@lse.example\n").unwrap();
        assert_eq!(owners["Kennisteam Online"], "online@lse.example");
        let wrong = parse_owners("- owner: Team\n  mailbox: geen adres\n").unwrap_err();
        assert!(
            wrong
                .to_string()
                .contains("'geen adres' is geen e-mailadres (eigenaar Team)")
        );
        assert!(parse_owners("- owner: Team\n  postbus: a@b.nl\n").is_err());
    }
}
