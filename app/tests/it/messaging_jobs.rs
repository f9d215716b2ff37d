//! The durable job table on SQLite and PostgreSQL: concurrent runners claim each due job once,
//! a job whose runner died is taken over after its lease, failures back off and then stop, and
//! the outbox waits out an SMTP outage.

use std::collections::BTreeSet;

use chrono::Duration;
use sea_orm::DatabaseConnection;

use app::messaging::model::{JobKind, JobState};
use app::messaging::rules::MAX_ATTEMPTS;
use app::messaging::service::jobs;

use crate::common::now;

async fn concurrent_runners_claim_each_due_job_once(db: &DatabaseConnection) {
    for subject in 0..60 {
        jobs::enqueue(db, JobKind::ExpireOffer, subject, now(), now())
            .await
            .unwrap();
    }
    // Not due yet.
    jobs::enqueue(
        db,
        JobKind::ExpireOffer,
        1_000,
        now() + Duration::hours(1),
        now(),
    )
    .await
    .unwrap();
    let runners: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let claimed = jobs::claim_due(&db, now(), 7, &JobKind::ALL).await.unwrap();
                    if claimed.is_empty() {
                        break mine;
                    }
                    mine.extend(claimed.into_iter().map(|job| job.subject_id));
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for runner in runners {
        all.extend(runner.await.unwrap());
    }
    let distinct: BTreeSet<i32> = all.iter().copied().collect();
    assert_eq!(all.len(), 60, "no job claimed twice");
    assert_eq!(distinct, (0..60).collect());

    // A runner that died: after the lease, another takes the job over (attempt 2).
    let later = now() + Duration::minutes(jobs::LEASE_MINUTES + 1);
    let taken_over = jobs::claim_due(db, later, 100, &JobKind::ALL)
        .await
        .unwrap();
    assert_eq!(taken_over.len(), 60);
    assert!(taken_over.iter().all(|job| job.attempts == 2));
    for job in &taken_over {
        jobs::complete(db, job.id, later).await.unwrap();
    }
    let much_later = later + Duration::hours(2);
    let rest = jobs::claim_due(db, much_later, 100, &JobKind::ALL)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1, "only the one that came due");
    assert_eq!(rest[0].subject_id, 1_000);
    // Only the kinds asked for are claimed.
    jobs::enqueue(db, JobKind::SendMail, 7, much_later, much_later)
        .await
        .unwrap();
    let without_mail: Vec<JobKind> = JobKind::ALL
        .into_iter()
        .filter(|k| *k != JobKind::SendMail)
        .collect();
    assert!(
        jobs::claim_due(db, much_later, 100, &without_mail)
            .await
            .unwrap()
            .is_empty()
    );
    // Finished jobs are purged after the retention period.
    assert_eq!(
        jobs::purge_finished(
            db,
            later + Duration::days(jobs::FINISHED_JOB_RETENTION_DAYS + 1)
        )
        .await
        .unwrap(),
        60
    );
}

/// A node that shuts down gives claimed jobs it has not started back: pending again, no lease,
/// the attempt undone, so another node takes them at once; a finished job is left alone.
async fn a_node_shutting_down_gives_claimed_jobs_back(db: &DatabaseConnection) {
    use app::messaging::entity::job;
    use sea_orm::EntityTrait;
    for subject in 0..3 {
        jobs::enqueue(db, JobKind::ExpireOffer, subject, now(), now())
            .await
            .unwrap();
    }
    let claimed = jobs::claim_due(db, now(), 10, &[JobKind::ExpireOffer])
        .await
        .unwrap();
    assert_eq!(claimed.len(), 3);
    jobs::complete(db, claimed[0].id, now()).await.unwrap();
    let ids: Vec<i32> = claimed.iter().map(|job| job.id).collect();
    assert_eq!(
        jobs::release(db, &ids).await.unwrap(),
        2,
        "not the finished one"
    );
    for (index, id) in ids.iter().enumerate() {
        let row = job::Entity::find_by_id(*id).one(db).await.unwrap().unwrap();
        if index == 0 {
            assert_eq!(row.state, JobState::Done);
        } else {
            assert_eq!(
                (row.state, row.attempts, row.locked_until),
                (JobState::Pending, 0, None)
            );
        }
    }
    // Another node claims them at once, not after the lease.
    let again = jobs::claim_due(db, now(), 10, &[JobKind::ExpireOffer])
        .await
        .unwrap();
    assert_eq!(again.len(), 2);
    assert!(again.iter().all(|job| job.attempts == 1));
}

async fn a_failing_job_backs_off_and_then_fails_for_good(db: &DatabaseConnection) {
    jobs::enqueue(db, JobKind::SessionReminder, 1, now(), now())
        .await
        .unwrap();
    let mut at = now();
    let mut waits = Vec::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let claimed = jobs::claim_due(db, at, 10, &JobKind::ALL).await.unwrap();
        assert_eq!(claimed.len(), 1, "attempt {attempt}");
        assert_eq!(claimed[0].attempts, attempt);
        let state = jobs::retry_later(db, &claimed[0], "mailserver niet bereikbaar", at)
            .await
            .unwrap();
        if attempt < MAX_ATTEMPTS {
            assert_eq!(state, JobState::Pending);
            let next = jobs::pending_for(db, JobKind::SessionReminder, 1)
                .await
                .unwrap()[0]
                .run_at;
            waits.push((next - at).num_minutes());
            // Not due before its time.
            assert!(
                jobs::claim_due(db, next - Duration::seconds(1), 10, &JobKind::ALL)
                    .await
                    .unwrap()
                    .is_empty()
            );
            at = next;
        } else {
            assert_eq!(state, JobState::Failed);
        }
    }
    assert_eq!(waits, vec![1, 5, 15, 60, 240]);
    assert!(
        jobs::claim_due(db, at + Duration::days(1), 10, &JobKind::ALL)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The outbox on both databases: a mail queued for an account is tried against a mail server
/// that is down (the attempt and its reason recorded, the mail still queued), and delivered
/// once a real SMTP server answers on that port.
async fn the_outbox_survives_an_smtp_outage(db: &DatabaseConnection) {
    use app::messaging::model::{MailKind, MailState};
    use app::messaging::rules::MailContent;
    use app::messaging::service::outbox::{self, NewMail};
    use app::messaging::service::smtp::Mailer;
    use sea_orm::EntityTrait;

    let account = crate::common::builders::AccountBuilder::new("ontvanger")
        .email("ontvanger@test.invalid")
        .at(now())
        .insert(db)
        .await;
    let mail = NewMail {
        kind: MailKind::SeatOffered,
        subject: "Er is een plaats voor u".into(),
        content: MailContent::default()
            .paragraph("Neem haar aan.")
            .link("Uw trainingen", "/mijn/trainingen"),
        calendar: None,
    };
    let mail_id = outbox::queue_for_user(db, account.user_id, mail, now())
        .await
        .unwrap()
        .unwrap();
    let port = crate::common::smtp_sink::closed_port();
    let mailer = |port: u16| {
        Mailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Leerplatform <noreply@test.invalid>",
            "https://leer.example.nl",
        )
        .unwrap()
    };
    let claimed = jobs::claim_due(db, now(), 10, &[JobKind::SendMail])
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let failure = outbox::deliver(db, &mailer(port), &claimed[0], now())
        .await
        .unwrap_err();
    assert_eq!(failure, "mailserver niet bereikbaar");
    assert_eq!(
        jobs::retry_later(db, &claimed[0], &failure, now())
            .await
            .unwrap(),
        JobState::Pending
    );
    let stored = app::messaging::entity::mail::Entity::find_by_id(mail_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.state, stored.attempts), (MailState::Queued, 1));
    assert_eq!(
        stored.last_error.as_deref(),
        Some("mailserver niet bereikbaar")
    );

    let (sink, _) = crate::common::smtp_sink::SmtpSink::start(port).await;
    let later = now() + Duration::minutes(2);
    let claimed = jobs::claim_due(db, later, 10, &[JobKind::SendMail])
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1, "due again after the back-off");
    outbox::deliver(db, &mailer(port), &claimed[0], later)
        .await
        .unwrap();
    jobs::complete(db, claimed[0].id, later).await.unwrap();
    let sent = app::messaging::entity::mail::Entity::find_by_id(mail_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((sent.state, sent.attempts), (MailState::Sent, 2));
    assert_eq!(sent.sent_at, Some(later));
    let received = sink.messages();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].recipients, vec!["ontvanger@test.invalid"]);
    assert!(
        received[0]
            .data
            .contains("Subject: Er is een plaats voor u"),
        "{}",
        received[0].data
    );
    // The overview counts it; the person's export lists it.
    let overview = outbox::overview(db, true).await.unwrap();
    assert_eq!((overview.queued, overview.sent, overview.failed), (0, 1, 0));
    assert_eq!(
        outbox::mails_export(db, account.user_id)
            .await
            .unwrap()
            .len(),
        1
    );
    // Sent mail is removed after its retention period.
    assert_eq!(
        outbox::purge_old(
            db,
            later + Duration::days(outbox::SENT_MAIL_RETENTION_DAYS + 1)
        )
        .await
        .unwrap(),
        1
    );
}

on_both_databases!(
    a_node_shutting_down_gives_claimed_jobs_back,
    concurrent_runners_claim_each_due_job_once,
    a_failing_job_backs_off_and_then_fails_for_good,
    the_outbox_survives_an_smtp_outage,
);
