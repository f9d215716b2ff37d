//! Mail over a real SMTP conversation on loopback: an enrolment's mail is queued with the
//! enrolment, survives a mail-server outage, and is sent (text, HTML, the sessions as .ics)
//! once the server is back; the admins' outbox page and its "queue again".

use app::clock::Clock;
use app::context::AppContext;
use app::messaging::entity::{job, mail};
use app::messaging::model::{JobKind, JobState, MailKind, MailState};
use app::messaging::service::smtp::Mailer;
use axum::http::StatusCode;
use mail_parser::{MessageParser, MimeHeaders};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use server::jobs::run_due_jobs;

use crate::support::smtp_sink::{SmtpSink, closed_port};
use crate::support::{Browser, RUN, TRAINING, login_as, test_app};

const SITE: &str = "https://leer.example.nl";

fn mailer(port: u16) -> Mailer {
    Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Leerplatform <noreply@leer.example.nl>",
        SITE,
    )
    .unwrap()
    .signed_by("Expertisecentrum Noord")
}

async fn only_mail(db: &sea_orm::DatabaseConnection) -> mail::Model {
    let mut mails = mail::Entity::find().all(db).await.unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    mails.remove(0)
}

#[tokio::test]
async fn an_enrolment_mail_waits_out_an_smtp_outage_and_then_arrives_complete() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "deelnemer", &[]).await;
    let mut browser = Browser::with_session(&session);
    let reply = browser
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/inschrijven"),
            "",
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    // Queued with the enrolment: the mail and its job.
    let queued = only_mail(&app.db).await;
    assert_eq!(queued.kind, MailKind::EnrolmentConfirmed);
    assert_eq!(queued.state, MailState::Queued);
    assert_eq!(queued.recipient, "deelnemer@test.invalid");

    // The mail server is down: the try fails, the mail stays queued, the job comes back later.
    let port = closed_port();
    let start = chrono::Utc::now();
    let context = AppContext::new(app.db.clone(), Clock::manual(start), SITE.into());
    let down = mailer(port);
    run_due_jobs(&context, Some(&down)).await.unwrap();
    let after_failure = only_mail(&app.db).await;
    assert_eq!(after_failure.state, MailState::Queued);
    assert_eq!(after_failure.attempts, 1);
    assert!(after_failure.last_error.is_some());
    let send_job = job::Entity::find()
        .filter(job::Column::Kind.eq(JobKind::SendMail))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(send_job.state, JobState::Pending);
    assert!(send_job.run_at > start, "retried after a back-off");
    // Before the back-off ends, nothing is tried again.
    run_due_jobs(&context, Some(&down)).await.unwrap();
    assert_eq!(only_mail(&app.db).await.attempts, 1);

    // The server is back; after the back-off the mail goes out, once.
    let (sink, _) = SmtpSink::start(port).await;
    context.clock.advance(chrono::Duration::minutes(2));
    run_due_jobs(&context, Some(&mailer(port))).await.unwrap();
    run_due_jobs(&context, Some(&mailer(port))).await.unwrap();
    let sent = only_mail(&app.db).await;
    assert_eq!(sent.state, MailState::Sent);
    assert_eq!(sent.attempts, 2);
    let received = sink.messages();
    assert_eq!(received.len(), 1, "sent exactly once");
    assert_eq!(received[0].recipients, vec!["deelnemer@test.invalid"]);
    let message = MessageParser::default()
        .parse(received[0].data.as_bytes())
        .expect("a MIME message");
    assert_eq!(message.subject(), Some("Ingeschreven: Verdieping"));
    let text = message.body_text(0).unwrap();
    assert!(text.contains("U bent ingeschreven."), "{text}");
    assert!(text.contains(&format!("{SITE}/mijn/trainingen")), "{text}");
    assert!(text.contains("4 maart 2031"), "{text}");
    // Signed by the organisation, and named by its training, never by a run's code alone.
    assert!(
        text.contains("Met vriendelijke groet,\nExpertisecentrum Noord"),
        "{text}"
    );
    assert!(
        message.subject().is_some_and(|s| !s.contains(RUN)),
        "{text}"
    );
    let html = message.body_html(0).unwrap();
    assert!(html.contains("U bent ingeschreven."), "{html}");
    let calendar = message
        .attachments()
        .find(|part| part.attachment_name() == Some("training.ics"))
        .expect("the sessions as an .ics attachment");
    let ics = String::from_utf8_lossy(calendar.contents()).into_owned();
    assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
    assert!(ics.contains("DTSTART:20310304T083000Z"), "{ics}");
    // The confirmed participant gets the online link in their own calendar.
    assert!(ics.contains("meet.example.org/geheim"), "{ics}");
    // A reminder is waiting for three days before the first session.
    let reminder = job::Entity::find()
        .filter(job::Column::Kind.eq(JobKind::SessionReminder))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a session reminder");
    assert_eq!(
        reminder.run_at.to_rfc3339(),
        "2031-03-01T08:30:00+00:00",
        "three days before 09:30 Amsterdam time"
    );
}

#[tokio::test]
async fn a_mail_that_keeps_failing_is_marked_failed_and_an_admin_can_queue_it_again() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "deelnemer", &[]).await;
    Browser::with_session(&session)
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/inschrijven"),
            "",
        )
        .await;
    let context = AppContext::new(
        app.db.clone(),
        Clock::manual(chrono::Utc::now()),
        SITE.into(),
    );
    let down = mailer(closed_port());
    for _ in 0..app::messaging::rules::MAX_ATTEMPTS {
        run_due_jobs(&context, Some(&down)).await.unwrap();
        context.clock.advance(chrono::Duration::hours(5));
    }
    let failed = only_mail(&app.db).await;
    assert_eq!(failed.state, MailState::Failed);
    assert_eq!(failed.attempts, app::messaging::rules::MAX_ATTEMPTS);

    // The admin sees it (kind, recipient, state; not the text) and queues it again.
    let (_, admin) = login_as(&app.db, "beheerder", &["admin"]).await;
    let mut admin = Browser::with_session(&admin);
    let page = admin.get(&app.router, "/beheer/mail").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Inschrijving bevestigd"),
        "{}",
        page.body
    );
    assert!(page.body.contains("deelnemer@test.invalid"));
    assert!(page.body.contains("Mislukt"));
    assert!(!page.body.contains("U bent ingeschreven."), "no mail text");
    let retry = admin
        .post_form(
            &app.router,
            &format!("/beheer/mail/{}/opnieuw", failed.id),
            "",
        )
        .await;
    assert_eq!(retry.status, StatusCode::SEE_OTHER);
    assert_eq!(retry.location(), "/beheer/mail?opnieuw=ok");
    let again = only_mail(&app.db).await;
    assert_eq!(again.state, MailState::Queued);
    let (sink, port) = SmtpSink::start(0).await;
    run_due_jobs(&context, Some(&mailer(port))).await.unwrap();
    assert_eq!(only_mail(&app.db).await.state, MailState::Sent);
    assert_eq!(sink.messages().len(), 1);
    // Queuing a mail that did not fail is refused with a message, not an error.
    let refused = admin
        .post_form(
            &app.router,
            &format!("/beheer/mail/{}/opnieuw", failed.id),
            "",
        )
        .await;
    assert_eq!(refused.location(), "/beheer/mail?opnieuw=nee");

    // Participants do not see the outbox.
    let mut participant = Browser::with_session(&session);
    let forbidden = participant.get(&app.router, "/beheer/mail").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let post = participant
        .post_form(
            &app.router,
            &format!("/beheer/mail/{}/opnieuw", failed.id),
            "",
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_account_without_an_address_gets_no_mail_and_the_enrolment_still_counts() {
    let app = test_app(None, &[]).await;
    let (user_id, session) = login_as(&app.db, "zonderadres", &[]).await;
    let mut account = app::identity::entity::user::Entity::find_by_id(user_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    account.email = Set(None);
    account.update(&app.db).await.unwrap();
    let reply = Browser::with_session(&session)
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/inschrijven"),
            "",
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(mail::Entity::find().all(&app.db).await.unwrap().is_empty());
}
