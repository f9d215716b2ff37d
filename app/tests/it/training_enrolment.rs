//! Enrolment on SQLite and PostgreSQL: seats, the fair mix, the waitlist and its offers,
//! approval, cut-offs, capacity changes, cancelling a run, the importer's rules for runs, and
//! 1,000 simultaneous requests for 20 seats.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use app::error::ServiceError;
use app::messaging::entity::mail;
use app::messaging::model::{JobKind, MailKind};
use app::training::entity::{enrolment, run};
use app::training::model::EnrolmentStatus;
use app::training::model::facts::{IntakeKind, IntakeQuestion};
use app::training::service::enrolment as enrolments;
use app::training::service::runs_import::import_runs;
use app::vocabulary::WorkField;

use crate::common::builders::{AccountBuilder, RunBuilder, SessionSpec, TrainingBuilder, date};

const SLUG: &str = "verdieping";
const CODE: &str = "2027-voorjaar";

fn now() -> DateTime<Utc> {
    "2026-12-01T10:00:00Z".parse().unwrap()
}

/// The training these tests enrol in, without its run.
pub(crate) fn training() -> TrainingBuilder {
    TrainingBuilder::new(SLUG).title("Verdieping")
}

/// The one run of [`training`], by default 12 seats and two sessions in March 2027.
pub(crate) fn run_spec() -> RunBuilder {
    RunBuilder::new(CODE)
}

pub(crate) async fn set_up(
    db: &DatabaseConnection,
    training: TrainingBuilder,
) -> tempfile::TempDir {
    training.import(db, now()).await
}

/// `count` accounts with complete profiles in `work_field`; returns their ids.
pub(crate) async fn people(
    db: &DatabaseConnection,
    prefix: &str,
    count: usize,
    work_field: WorkField,
) -> Vec<i32> {
    AccountBuilder::new(prefix)
        .profile(work_field)
        .at(now())
        .insert_many(db, count)
        .await
}

pub(crate) async fn enrol(db: &DatabaseConnection, user: i32) -> (EnrolmentStatus, Option<u32>) {
    let outcome = enrolments::enrol(db, user, SLUG, CODE, &[], now())
        .await
        .unwrap();
    (outcome.status, outcome.waitlist_position)
}

async fn status_of(db: &DatabaseConnection, user: i32) -> EnrolmentStatus {
    enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|e| e.id)
        .unwrap()
        .status
}

async fn skj_number(db: &DatabaseConnection, user_id: i32, number: &str) {
    app::identity::entity::register_number::ActiveModel {
        user_id: Set(user_id),
        register: Set("skj".into()),
        number: Set(number.into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

pub(crate) async fn the_run(db: &DatabaseConnection) -> run::Model {
    enrolments::find_run(db, SLUG, CODE).await.unwrap()
}

async fn seats_fill_then_the_waitlist_in_order(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec().capacity(2))).await;
    let users = people(db, "p", 4, WorkField::Zorg).await;
    assert_eq!(
        enrol(db, users[0]).await,
        (EnrolmentStatus::Confirmed, None)
    );
    // A double click changes nothing.
    assert_eq!(
        enrol(db, users[0]).await,
        (EnrolmentStatus::Confirmed, None)
    );
    assert_eq!(
        enrol(db, users[1]).await,
        (EnrolmentStatus::Confirmed, None)
    );
    assert_eq!(
        enrol(db, users[2]).await,
        (EnrolmentStatus::Waitlisted, Some(1))
    );
    assert_eq!(
        enrol(db, users[3]).await,
        (EnrolmentStatus::Waitlisted, Some(2))
    );
    assert_eq!(the_run(db).await.seats_taken, 2);
    let full = mail::Entity::find()
        .filter(mail::Column::Recipient.eq("p-3@test.invalid"))
        .filter(mail::Column::Kind.eq(MailKind::Waitlisted))
        .one(db)
        .await
        .unwrap()
        .expect("the waitlist mail");
    assert!(
        full.body
            .contains("De training is vol. U staat op de wachtlijst op plaats 2.")
    );
    // Without a complete profile nobody enrols; the message says what to do.
    let incomplete = people(db, "nieuw", 1, WorkField::Zorg).await[0];
    let mut account: app::identity::entity::user::ActiveModel =
        app::identity::entity::user::Entity::find_by_id(incomplete)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
    account.profile_completed_at = Set(None);
    account.update(db).await.unwrap();
    let refused = enrolments::enrol(db, incomplete, SLUG, CODE, &[], now()).await;
    assert!(
        matches!(refused, Err(ServiceError::Invalid(ref m)) if m.contains("profiel")),
        "{refused:?}"
    );
    // Outside the enrolment window nobody enrols.
    let late = now() + Duration::days(120);
    let closed = enrolments::enrol(db, users[3] + 100, SLUG, CODE, &[], late).await;
    assert!(closed.is_err());
}

async fn the_work_field_share_holds(db: &DatabaseConnection) {
    let _dir = set_up(
        db,
        training().run(run_spec().capacity(4).max_work_field_share(50)),
    )
    .await;
    let police = people(db, "politie", 3, WorkField::Veiligheid).await;
    let care = people(db, "zorg", 2, WorkField::Zorg).await;
    assert_eq!(enrol(db, police[0]).await.0, EnrolmentStatus::Confirmed);
    assert_eq!(enrol(db, police[1]).await.0, EnrolmentStatus::Confirmed);
    // Half of four seats is two: the third police officer waits although seats are free, and
    // is told so: not "the training is full".
    let waiting = enrolments::enrol(db, police[2], SLUG, CODE, &[], now())
        .await
        .unwrap();
    assert_eq!(
        (waiting.status, waiting.waitlist_position),
        (EnrolmentStatus::Waitlisted, Some(1))
    );
    assert!(
        waiting
            .message_nl()
            .starts_with("Er zijn nog plaatsen, maar voor uw werkterrein is het maximum bereikt"),
        "{}",
        waiting.message_nl()
    );
    let told = mail::Entity::find()
        .filter(mail::Column::Recipient.eq("politie-2@test.invalid"))
        .filter(mail::Column::Kind.eq(MailKind::Waitlisted))
        .one(db)
        .await
        .unwrap()
        .expect("the waitlist mail");
    assert!(
        told.body
            .contains("voor uw werkterrein is het maximum bereikt"),
        "{}",
        told.body
    );
    assert!(!told.body.contains("De training is vol"), "{}", told.body);
    assert_eq!(enrol(db, care[0]).await.0, EnrolmentStatus::Confirmed);
    assert_eq!(enrol(db, care[1]).await.0, EnrolmentStatus::Confirmed);
    assert_eq!(the_run(db).await.seats_taken, 4);
    // A police seat frees: the waiting officer fits the share again and is offered it.
    enrolments::cancel(db, police[0], SLUG, CODE, now())
        .await
        .unwrap();
    assert_eq!(status_of(db, police[2]).await, EnrolmentStatus::Offered);
}

async fn freed_seats_are_offered_in_order_and_offers_move_on(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec().capacity(1).offer_hours(24))).await;
    let users = people(db, "w", 4, WorkField::Zorg).await;
    enrol(db, users[0]).await;
    enrol(db, users[1]).await;
    enrol(db, users[2]).await;
    enrol(db, users[3]).await;
    // The confirmed participant cancels (well before the cut-off): the first in line is offered.
    assert_eq!(
        enrolments::cancel(db, users[0], SLUG, CODE, now())
            .await
            .unwrap(),
        EnrolmentStatus::Cancelled
    );
    assert_eq!(status_of(db, users[1]).await, EnrolmentStatus::Offered);
    // They decline: the next one is offered.
    enrolments::decline_offer(db, users[1], SLUG, CODE, now())
        .await
        .unwrap();
    assert_eq!(status_of(db, users[1]).await, EnrolmentStatus::Declined);
    assert_eq!(status_of(db, users[2]).await, EnrolmentStatus::Offered);
    // Nobody answers for a day: the offer expires and moves on (the clock moves, not the test).
    assert_eq!(
        enrolments::expire_offers(db, now() + Duration::hours(23))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        enrolments::expire_offers(db, now() + Duration::hours(25))
            .await
            .unwrap(),
        1
    );
    assert_eq!(status_of(db, users[2]).await, EnrolmentStatus::Expired);
    assert_eq!(status_of(db, users[3]).await, EnrolmentStatus::Offered);
    // A sweep again changes nothing.
    assert_eq!(
        enrolments::expire_offers(db, now() + Duration::hours(25))
            .await
            .unwrap(),
        0
    );
    enrolments::accept_offer(db, users[3], SLUG, CODE, now() + Duration::hours(26))
        .await
        .unwrap();
    assert_eq!(status_of(db, users[3]).await, EnrolmentStatus::Confirmed);
    assert_eq!(the_run(db).await.seats_taken, 1);
}

async fn no_offers_after_the_waitlist_cut_off_and_late_cancellation_is_recorded(
    db: &DatabaseConnection,
) {
    let _dir = set_up(db, training().run(run_spec().capacity(1))).await;
    let users = people(db, "c", 2, WorkField::Zorg).await;
    enrol(db, users[0]).await;
    enrol(db, users[1]).await;
    // 1 March 2027: after the waitlist cut-off (25 Feb) and after free cancellation (18 Feb).
    let late: DateTime<Utc> = "2027-03-01T10:00:00Z".parse().unwrap();
    assert_eq!(
        enrolments::cancel(db, users[0], SLUG, CODE, late)
            .await
            .unwrap(),
        EnrolmentStatus::LateCancelled
    );
    assert_eq!(status_of(db, users[1]).await, EnrolmentStatus::Waitlisted);
}

/// A written intake answer reaches the trainers, so it passes the privacy guard; refused, it
/// says what to leave out, and nothing is stored.
async fn a_written_intake_answer_passes_the_privacy_guard(db: &DatabaseConnection) {
    let with_text = training().intake(IntakeQuestion {
        question: "Welke casus speelt er?".into(),
        kind: IntakeKind::Text,
    });
    let _dir = set_up(db, with_text.run(run_spec().capacity(3))).await;
    let users = people(db, "g", 1, WorkField::Zorg).await;
    let named = enrolments::enrol(
        db,
        users[0],
        SLUG,
        CODE,
        &["Een leerling, bereikbaar op 06-12345678, zoekt contact met extremisten.".into()],
        now(),
    )
    .await;
    let Err(ServiceError::Fields(errors)) = named else {
        panic!("{named:?}");
    };
    assert!(
        errors["antwoord_1"].starts_with("Vraag 1: Uw antwoord bevat een telefoonnummer"),
        "{errors:?}"
    );
    let stored = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(users[0]))
        .one(db)
        .await
        .unwrap();
    assert!(stored.is_none(), "{stored:?}");
    let described = enrolments::enrol(
        db,
        users[0],
        SLUG,
        CODE,
        &["Een leerling (15) zoekt online contact met extremisten; de school twijfelt over een melding.".into()],
        now(),
    )
    .await;
    assert!(described.is_ok(), "{described:?}");
}

async fn approval_confirms_or_waitlists_and_rejection_gives_a_reason(db: &DatabaseConnection) {
    let with_intake = training()
        .approval()
        .intake(IntakeQuestion {
            question: "Uw rol?".into(),
            kind: IntakeKind::Choice(vec!["Inbrenger".into(), "Ketenpartner".into()]),
        })
        .intake(IntakeQuestion {
            question: "Ervaring?".into(),
            kind: IntakeKind::YesNo,
        });
    let _dir = set_up(db, with_intake.run(run_spec().capacity(1))).await;
    let users = people(db, "a", 3, WorkField::Zorg).await;
    // The run's trainer (login name `trainer`) has an account with an address.
    AccountBuilder::new("trainer")
        .email("trainer@test.invalid")
        .insert(db)
        .await;
    // The intake is checked per question, in Dutch, before anything is stored.
    let wrong = enrolments::enrol(
        db,
        users[0],
        SLUG,
        CODE,
        &["Baas".into(), "ja".into()],
        now(),
    )
    .await;
    assert!(
        matches!(wrong, Err(ServiceError::Fields(ref errors))
            if errors.len() == 1 && errors["antwoord_1"].contains("Vraag 1")),
        "{wrong:?}"
    );
    // Every wrong answer at once, each at its own field.
    let all_wrong = enrolments::enrol(
        db,
        users[0],
        SLUG,
        CODE,
        &["".into(), "misschien".into()],
        now(),
    )
    .await;
    let Err(ServiceError::Fields(errors)) = all_wrong else {
        panic!("{all_wrong:?}");
    };
    assert_eq!(
        errors.into_iter().collect::<Vec<_>>(),
        vec![
            (
                "antwoord_1".to_owned(),
                "Vraag 1: Geef een antwoord.".to_owned()
            ),
            (
                "antwoord_2".to_owned(),
                "Vraag 2: Kies ja of nee.".to_owned()
            ),
        ]
    );
    let answers = ["Inbrenger".to_owned(), "ja".to_owned()];
    for user in &users {
        let outcome = enrolments::enrol(db, *user, SLUG, CODE, &answers, now())
            .await
            .unwrap();
        assert_eq!(outcome.status, EnrolmentStatus::Requested);
    }
    // Each request is acknowledged; the trainer hears of each one, without a name.
    assert_eq!(
        mails_to(db, "a-0@test.invalid").await,
        [MailKind::RequestReceived]
    );
    let notices = mail::Entity::find()
        .filter(mail::Column::Recipient.eq("trainer@test.invalid"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(notices.len(), 3);
    assert!(notices.iter().all(|m| m.kind == MailKind::NewRequest
        && m.subject == "Nieuwe aanvraag: Verdieping"
        && !m.body.contains("a 0")));
    let requests = enrolment::Entity::find().all(db).await.unwrap();
    let id_of = |user: i32| requests.iter().find(|e| e.user_id == user).unwrap().id;
    assert_eq!(
        requests[0].intake_answers.clone().unwrap().0,
        [
            ("Uw rol?".to_owned(), "Inbrenger".to_owned()),
            ("Ervaring?".to_owned(), "ja".to_owned())
        ]
    );
    let first = enrolments::approve(db, id_of(users[0]), now())
        .await
        .unwrap();
    assert_eq!(first.status, EnrolmentStatus::Confirmed);
    let second = enrolments::approve(db, id_of(users[1]), now())
        .await
        .unwrap();
    assert_eq!(
        (second.status, second.waitlist_position),
        (EnrolmentStatus::Waitlisted, Some(1))
    );
    assert!(
        enrolments::reject(db, id_of(users[2]), "  ", now())
            .await
            .is_err()
    );
    enrolments::reject(
        db,
        id_of(users[2]),
        "De training is bedoeld voor inbrengers.",
        now(),
    )
    .await
    .unwrap();
    let rejected = enrolment::Entity::find_by_id(id_of(users[2]))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rejected.status, EnrolmentStatus::Rejected);
    assert_eq!(
        rejected.rejection_reason.as_deref(),
        Some("De training is bedoeld voor inbrengers.")
    );
    // A decided request is not decided again.
    assert!(
        enrolments::approve(db, id_of(users[2]), now())
            .await
            .is_err()
    );
}

async fn capacity_changes_and_cancelling_the_run(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec().capacity(2))).await;
    let users = people(db, "k", 4, WorkField::Zorg).await;
    for user in &users {
        enrol(db, *user).await;
    }
    let run_id = the_run(db).await.id;
    let refused = enrolments::set_capacity(db, run_id, 1, now()).await;
    assert!(
        matches!(refused, Err(ServiceError::Invalid(ref m)) if m.contains("2 plaatsen")),
        "{refused:?}"
    );
    let offered = enrolments::set_capacity(db, run_id, 3, now())
        .await
        .unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(status_of(db, users[2]).await, EnrolmentStatus::Offered);
    assert_eq!(status_of(db, users[3]).await, EnrolmentStatus::Waitlisted);
    let affected = enrolments::cancel_run(db, run_id, "De trainer is ziek.", now())
        .await
        .unwrap();
    assert_eq!(affected.len(), 4);
    for user in &users {
        assert_eq!(status_of(db, *user).await, EnrolmentStatus::Cancelled);
    }
    assert_eq!(the_run(db).await.seats_taken, 0);
}

async fn the_importer_creates_runs_once_and_keeps_browser_changes(db: &DatabaseConnection) {
    let dir = set_up(db, training().run(run_spec().capacity(12))).await;
    let again = import_runs(db, dir.path(), now()).await.unwrap();
    assert_eq!((again.added, again.unchanged), (0, 1));
    // A file change updates the run while nobody changed it in the browser.
    training().run(run_spec().capacity(14)).write_to(dir.path());
    assert_eq!(import_runs(db, dir.path(), now()).await.unwrap().updated, 1);
    assert_eq!(the_run(db).await.capacity, 14);
    // Changed in the browser: the file no longer decides.
    enrolments::set_capacity(db, the_run(db).await.id, 16, now())
        .await
        .unwrap();
    training().run(run_spec().capacity(10)).write_to(dir.path());
    assert_eq!(import_runs(db, dir.path(), now()).await.unwrap().kept, 1);
    assert_eq!(the_run(db).await.capacity, 16);
    // A broken run is reported with the file, in Dutch.
    training()
        .run(run_spec().session_at(0, |first| first.end = "08:00"))
        .write_to(dir.path());
    let report = import_runs(db, dir.path(), now()).await.unwrap();
    assert!(report.rejected[0].1.contains("bijeenkomst 1"), "{report:?}");
}

/// The kinds of mail queued for `prefix-i`, oldest first.
async fn mails_to(db: &DatabaseConnection, address: &str) -> Vec<MailKind> {
    mail::Entity::find()
        .filter(mail::Column::Recipient.eq(address))
        .order_by_asc(mail::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

async fn pending_job(
    db: &DatabaseConnection,
    kind: JobKind,
    subject: i32,
) -> Option<DateTime<Utc>> {
    app::messaging::service::jobs::pending_for(db, kind, subject)
        .await
        .unwrap()
        .first()
        .map(|job| job.run_at)
}

async fn enrolment_of(db: &DatabaseConnection, user: i32) -> enrolment::Model {
    enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// The preparatory course "basis" with `modules` (in this order), written beside the
/// training in `dir` and imported.
async fn import_preparation(db: &DatabaseConnection, dir: &std::path::Path, modules: &[&str]) {
    let mut files = vec![(
        "modules/basis/course.md".to_owned(),
        crate::common::module("basis", "Over.\n"),
    )];
    for (i, module) in modules.iter().enumerate() {
        files.push((
            format!("modules/basis/{:02}-{module}.md", i + 1),
            crate::common::module(module, "Tekst.\n"),
        ));
    }
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    crate::common::write_files(dir, &files);
    app::knowledge::service::import::import_content_dir(db, dir, now())
        .await
        .unwrap();
}

/// Every change queues its mail in the same transaction, and timed work as jobs: reminders for
/// the confirmed, an expiry job at the offer's deadline that moves the seat on exactly once.
async fn each_change_queues_its_mail_and_its_timed_work(db: &DatabaseConnection) {
    let dir = set_up(
        db,
        training().preparation("basis").run(run_spec().capacity(1)),
    )
    .await;
    import_preparation(db, dir.path(), &["een"]).await;
    let users = people(db, "m", 3, WorkField::Zorg).await;
    let address = |i: usize| format!("m-{i}@test.invalid");
    assert_eq!(enrol(db, users[0]).await.0, EnrolmentStatus::Confirmed);
    assert_eq!(enrol(db, users[1]).await.0, EnrolmentStatus::Waitlisted);
    assert_eq!(
        mails_to(db, &address(0)).await,
        vec![MailKind::EnrolmentConfirmed]
    );
    assert_eq!(mails_to(db, &address(1)).await, vec![MailKind::Waitlisted]);
    let confirmation = mail::Entity::find()
        .filter(mail::Column::Recipient.eq(address(0)))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let ics = confirmation.calendar.expect("the sessions attached");
    assert!(ics.contains("DTSTART:20270304T083000Z"), "{ics}");
    assert!(confirmation.subject.contains("Verdieping"));
    // Reminders: three days before the first session, and a week before for the preparation.
    let first = enrolment_of(db, users[0]).await;
    assert_eq!(
        pending_job(db, JobKind::SessionReminder, first.id)
            .await
            .unwrap()
            .to_rfc3339(),
        "2027-03-01T08:30:00+00:00"
    );
    assert_eq!(
        pending_job(db, JobKind::PreparationReminder, first.id)
            .await
            .unwrap()
            .to_rfc3339(),
        "2027-02-25T08:30:00+00:00"
    );
    // The preparation reminder goes out only while the course is unfinished.
    app::training::service::mails::send_preparation_reminder(db, first.id, now())
        .await
        .unwrap();
    assert_eq!(
        mails_to(db, &address(0)).await,
        vec![MailKind::EnrolmentConfirmed, MailKind::PreparationReminder]
    );

    // A cancellation frees the seat: the next is offered it, with an expiry job at the deadline.
    enrolments::cancel(db, users[0], SLUG, CODE, now())
        .await
        .unwrap();
    assert_eq!(
        mails_to(db, &address(0)).await,
        vec![
            MailKind::EnrolmentConfirmed,
            MailKind::PreparationReminder,
            MailKind::EnrolmentCancelled
        ]
    );
    // The cancelled participant's reminder no longer sends anything.
    app::training::service::mails::send_session_reminder(db, first.id, now())
        .await
        .unwrap();
    assert_eq!(mails_to(db, &address(0)).await.len(), 3);
    let offered = enrolment_of(db, users[1]).await;
    assert_eq!(offered.status, EnrolmentStatus::Offered);
    assert_eq!(
        mails_to(db, &address(1)).await,
        vec![MailKind::Waitlisted, MailKind::SeatOffered]
    );
    let deadline = pending_job(db, JobKind::ExpireOffer, offered.id)
        .await
        .unwrap();
    assert_eq!(deadline, now() + Duration::hours(48));
    assert_eq!(offered.offer_expires_at, Some(deadline));

    // The expiry job before the deadline does nothing; at it, the offer expires once.
    assert!(
        !enrolments::expire_offer(db, offered.id, deadline - Duration::minutes(1))
            .await
            .unwrap()
    );
    assert!(
        enrolments::expire_offer(db, offered.id, deadline)
            .await
            .unwrap()
    );
    assert!(
        !enrolments::expire_offer(db, offered.id, deadline)
            .await
            .unwrap()
    );
    assert_eq!(
        mails_to(db, &address(1)).await,
        vec![
            MailKind::Waitlisted,
            MailKind::SeatOffered,
            MailKind::OfferExpired
        ]
    );
    assert_eq!(status_of(db, users[1]).await, EnrolmentStatus::Expired);

    // A run cancelled: everyone active hears it.
    assert_eq!(enrol(db, users[2]).await.0, EnrolmentStatus::Confirmed);
    enrolments::cancel_run(db, the_run(db).await.id, "Te weinig aanmeldingen.", now())
        .await
        .unwrap();
    assert_eq!(
        mails_to(db, &address(2)).await,
        vec![MailKind::EnrolmentConfirmed, MailKind::RunCancelled]
    );
}

/// A run of 2 × 3 hours (80 % needed, SKJ and Registerplein points) with three confirmed
/// participants; the first has an SKJ number.
struct Attended {
    run: run::Model,
    ids: Vec<i32>,
    sessions: Vec<app::training::entity::run_session::Model>,
}

/// The moment after the last session when the run is closed.
fn after_the_run() -> DateTime<Utc> {
    "2027-03-19T10:00:00Z".parse().unwrap()
}

/// [`Attended`], with both sessions recorded: the first present throughout, the second 30
/// minutes late once (5,5 hours), the third absent once (3 hours).
async fn attended(db: &DatabaseConnection) -> Attended {
    use app::training::model::SessionPresence::{Absent, Late, Present};
    use app::training::service::attendance;
    set_up(
        db,
        training()
            .accreditation("SKJ", 6)
            .accreditation("Registerplein", 6)
            .min_attendance(80)
            .run(run_spec().capacity(10)),
    )
    .await;
    let ids = people(db, "deelnemer", 3, WorkField::Zorg).await;
    for id in &ids {
        assert_eq!(enrol(db, *id).await.0, EnrolmentStatus::Confirmed);
    }
    skj_number(db, ids[0], "100012345").await;
    let run = the_run(db).await;
    let sessions = app::training::service::calendar::sessions_of(db, run.id)
        .await
        .unwrap();
    let marks = [
        [
            (ids[0], Present, 0),
            (ids[1], Late, 30),
            (ids[2], Absent, 0),
        ],
        [
            (ids[0], Present, 0),
            (ids[1], Present, 0),
            (ids[2], Present, 0),
        ],
    ];
    for (session, marks) in sessions.iter().zip(marks) {
        attendance::record(db, &run, session.id, &marks, now())
            .await
            .unwrap();
    }
    Attended { run, ids, sessions }
}

/// [`attended`], closed after the last session; and the first participant's certificate code.
async fn closed(db: &DatabaseConnection) -> (Attended, String) {
    let attended = attended(db).await;
    app::training::service::certificates::close_run(db, &attended.run, after_the_run())
        .await
        .unwrap();
    let code = app::training::service::certificates::certificates_of(db, attended.ids[0])
        .await
        .unwrap()[0]
        .code
        .clone();
    let run = the_run(db).await;
    (Attended { run, ..attended }, code)
}

async fn attendance_is_recorded_and_the_completion_rule_decides(db: &DatabaseConnection) {
    use app::training::model::SessionPresence::{Late, Present};
    use app::training::service::{attendance, certificates};

    let Attended { run, ids, sessions } = attended(db).await;
    // Late needs its minutes, within the session.
    assert!(matches!(
        attendance::record(db, &run, sessions[0].id, &[(ids[1], Late, 0)], now()).await,
        Err(ServiceError::Invalid(_))
    ));
    let register = attendance::register(db, &run, sessions[0].id)
        .await
        .unwrap();
    assert_eq!(register.len(), 3);
    assert_eq!(
        register
            .iter()
            .find(|r| r.user_id == ids[1])
            .map(|r| (r.presence, r.minutes)),
        Some((Some(Late), 30))
    );
    // 2 × 3 hours; 80 % is 4,8 hours: 5,5 hours passes, 3 hours does not.
    let short = attendance::completion_of(db, &run, ids[2]).await.unwrap();
    assert_eq!((short.attended_minutes, short.total_minutes), (180, 360));
    assert!(!short.is_complete());
    assert!(short.missing_nl()[0].starts_with("Nog 1,8 uur aanwezigheid nodig"));

    // Not before the last session; then once, and the register is frozen.
    assert!(matches!(
        certificates::close_run(db, &run, now()).await,
        Err(ServiceError::Invalid(_))
    ));
    let closing = certificates::close_run(db, &run, after_the_run())
        .await
        .unwrap();
    assert_eq!((closing.issued, closing.not_met), (2, 1));
    let run = the_run(db).await;
    assert!(matches!(
        certificates::close_run(db, &run, after_the_run()).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        attendance::record(
            db,
            &run,
            sessions[0].id,
            &[(ids[2], Present, 0)],
            after_the_run()
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
}

/// The register tells, per participant, whether the preparatory course is done: read for all
/// of them at once, and each sees only their own progress counted.
async fn the_register_tells_who_finished_the_preparation(db: &DatabaseConnection) {
    use app::training::service::attendance;

    let dir = set_up(
        db,
        training().preparation("basis").run(run_spec().capacity(3)),
    )
    .await;
    import_preparation(db, dir.path(), &["een", "twee"]).await;
    let ids = people(db, "voorbereid", 3, WorkField::Zorg).await;
    for id in &ids {
        assert_eq!(enrol(db, *id).await.0, EnrolmentStatus::Confirmed);
    }
    use app::knowledge::service::courses::mark_read;
    // The first read both modules, the second only one, the third none.
    for (who, module) in [(0, "een"), (0, "twee"), (1, "een")] {
        mark_read(db, ids[who], "basis", module, now())
            .await
            .unwrap();
    }
    let register = attendance::run_register(db, &the_run(db).await)
        .await
        .unwrap();
    let unprepared: Vec<bool> = ids
        .iter()
        .map(|id| {
            let row = register.rows.iter().find(|r| r.user_id == *id).unwrap();
            row.missing
                .iter()
                .any(|m| m == "Voorbereidende cursus niet afgerond.")
        })
        .collect();
    assert_eq!(unprepared, [false, true, true]);
}

/// The register: every participant against every session, hours and the rule's outcome; as
/// CSV with ISO dates and hours as numbers; once closed, who got a certificate and why not.
async fn the_register_shows_every_mark_with_hours_and_the_outcome(db: &DatabaseConnection) {
    use app::training::model::SessionPresence::{Absent, Late, Present};
    use app::training::service::{attendance, certificates};

    let Attended { run, .. } = attended(db).await;
    let register = attendance::run_register(db, &run).await.unwrap();
    assert_eq!(register.sessions.len(), 2);
    let names: Vec<&str> = register.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["deelnemer 0", "deelnemer 1", "deelnemer 2"]);
    let marks: Vec<_> = register.rows.iter().map(|r| r.marks.clone()).collect();
    assert_eq!(
        marks,
        [
            vec![Some((Present, 0)), Some((Present, 0))],
            vec![Some((Late, 30)), Some((Present, 0))],
            vec![Some((Absent, 0)), Some((Present, 0))],
        ]
    );
    let hours: Vec<(i64, bool)> = register
        .rows
        .iter()
        .map(|r| (r.attended_minutes, r.complete))
        .collect();
    assert_eq!(hours, [(360, true), (330, true), (180, false)]);
    assert_eq!(
        register.rows[2].missing,
        ["3 uur aanwezig, 4,8 uur nodig (80 % van 6 uur)."]
    );
    assert!(register.rows.iter().all(|r| r.certified.is_none()));
    assert_eq!(
        register.no_shows,
        [("deelnemer 2".to_owned(), date("2027-03-04"))]
    );
    assert!(register.late_cancellations.is_empty());
    let csv = attendance::register_csv(&register);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "\"Naam\";\"2027-03-04 09:30\";\"2027-03-18 09:30\";\"Uren aanwezig\";\"Uren totaal\";\"Voldoet aan de eis\""
    );
    assert_eq!(
        lines[2],
        "\"deelnemer 1\";\"Te laat (30 min)\";\"Aanwezig\";\"5,5\";\"6\";\"ja\""
    );

    // After the free-cancellation cut-off (18 February), a cancellation is a late one.
    let late_one = people(db, "laat", 1, WorkField::Zorg).await[0];
    assert_eq!(enrol(db, late_one).await.0, EnrolmentStatus::Confirmed);
    let late_day: DateTime<Utc> = "2027-02-25T10:00:00Z".parse().unwrap();
    enrolments::cancel(db, late_one, SLUG, CODE, late_day)
        .await
        .unwrap();
    assert_eq!(
        attendance::run_register(db, &run)
            .await
            .unwrap()
            .late_cancellations,
        [("laat 0".to_owned(), date("2027-02-25"))]
    );
    certificates::close_run(db, &run, after_the_run())
        .await
        .unwrap();
    let closed = attendance::run_register(db, &the_run(db).await)
        .await
        .unwrap();
    let certified: Vec<Option<bool>> = closed.rows.iter().map(|r| r.certified).collect();
    assert_eq!(certified, [Some(true), Some(true), Some(false)]);
    assert!(
        attendance::register_csv(&closed)
            .lines()
            .nth(3)
            .unwrap()
            .ends_with("\"nee\";\"nee\"")
    );
}

async fn closing_issues_certificates_that_anyone_can_verify(db: &DatabaseConnection) {
    use app::training::service::certificates;

    let (Attended { ids, .. }, code) = closed(db).await;
    // Who got a certificate hears so; who fell short does not.
    let certified = mails_to(db, "deelnemer-0@test.invalid").await;
    assert_eq!(certified.last(), Some(&MailKind::CertificateAvailable));
    assert!(
        !mails_to(db, "deelnemer-2@test.invalid")
            .await
            .contains(&MailKind::CertificateAvailable)
    );
    assert_eq!(
        certificates::certificates_of(db, ids[0])
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        certificates::certificates_of(db, ids[2])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        code.len(),
        19,
        "80 random bits in four groups of four: {code}"
    );
    let verified = certificates::verify(db, &code).await.unwrap();
    assert!(verified.valid);
    assert_eq!(
        (
            verified.participant_name.as_str(),
            verified.hours.as_str(),
            verified.dates.as_str()
        ),
        ("deelnemer 0", "6 uur", "4 maart 2027 en 18 maart 2027")
    );
    assert_eq!(
        certificates::verify(
            db,
            &certificates::certificates_of(db, ids[1]).await.unwrap()[0].code
        )
        .await
        .unwrap()
        .hours,
        "5,5 uur"
    );
}

async fn the_accreditation_exports_list_numbers_and_who_has_none(db: &DatabaseConnection) {
    use app::training::service::certificates;

    let (Attended { run, .. }, _) = closed(db).await;
    // PE-online per session date, the CSV with a BOM, who has no number apart.
    let skj = certificates::register_export(db, &run, "SKJ")
        .await
        .unwrap();
    assert_eq!(skj.without_number, vec!["deelnemer 1".to_owned()]);
    assert_eq!(
        certificates::pe_online_list(&skj, "2027-03-04").as_deref(),
        Some("100012345\n")
    );
    let csv = certificates::register_csv(&skj);
    assert!(
        csv.starts_with('\u{feff}')
            && csv.contains("\"100012345\";\"4 maart 2027 en 18 maart 2027\";\"6 uur\";\"6\""),
        "{csv}"
    );
    let plein = certificates::register_export(db, &run, "Registerplein")
        .await
        .unwrap();
    assert_eq!(plein.without_number.len(), 2);
}

/// A code reads aloud and types: four groups of four in Crockford's alphabet, found whatever
/// the case, spacing or look-alike characters; a code of the older form is still found.
async fn a_certificate_code_is_found_as_people_type_it(db: &DatabaseConnection) {
    use app::training::entity::certificate;
    use app::training::service::certificates;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    let (_, code) = closed(db).await;
    assert_eq!(code.len(), 19, "{code}");
    assert!(
        code.split('-').all(|group| group.len() == 4
            && group
                .chars()
                .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c))),
        "{code}"
    );
    let typed = code
        .to_lowercase()
        .replace('-', " ")
        .replace('0', "o")
        .replace('1', "l");
    let found = certificates::verify(db, &typed).await.unwrap();
    assert!(found.valid);
    // An older code, issued before readable codes, keeps working as it was printed.
    let stored = certificate::Entity::find().one(db).await.unwrap().unwrap();
    let mut older: certificate::ActiveModel = stored.into();
    older.code = Set("Xy3_f9-KQ2mZpR0aBcDeFg".to_owned());
    older.update(db).await.unwrap();
    assert!(
        certificates::verify(db, "Xy3_f9-KQ2mZpR0aBcDeFg")
            .await
            .is_ok()
    );
    assert!(matches!(
        certificates::verify(db, "xy3_f9-kq2mzpr0abcdefg").await,
        Err(ServiceError::NotFound)
    ));
}

/// The PDF, read back: name, hours, points with the number, the code; the QR it draws decodes
/// to the verification address.
async fn the_certificate_pdf_names_it_all_and_its_qr_leads_to_the_check(db: &DatabaseConnection) {
    use app::training::service::{certificate_pdf, certificates};

    let (_, code) = closed(db).await;
    let found = certificates::find_certificate(db, &code).await.unwrap();
    let url = format!("http://127.0.0.1:3000/certificaat/{code}");
    let pdf = certificate_pdf::certificate_pdf(&found, &url, "Expertisecentrum Noord").unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    // PDF/A-2a and PDF/UA-1 (krilla's validators refuse to write anything else): a tagged
    // structure, Dutch, a title shown as the window title, and both claims in the metadata.
    let catalog = document.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"nl-NL");
    assert!(catalog.get(b"StructTreeRoot").is_ok());
    let marked = catalog.get(b"MarkInfo").unwrap();
    let marked = document.dereference(marked).unwrap().1.as_dict().unwrap();
    assert!(marked.get(b"Marked").unwrap().as_bool().unwrap());
    let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let metadata = document.get_object(metadata).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8_lossy(&metadata.content).into_owned();
    for claim in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "Certificaat Verdieping",
    ] {
        assert!(xmp.contains(claim), "{claim} in {xmp}");
    }
    let text = document.extract_text(&[1]).unwrap();
    for expected in [
        "Expertisecentrum Noord",
        "deelnemer 0",
        "Verdieping",
        "6 uur",
        "SKJ: 6 punten",
        "100012345",
        code.as_str(),
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let (width, modules) = certificate_pdf::qr_modules(&url).unwrap();
    let scale = 4;
    let size = (width + 8) * scale;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        let (column, row) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
        if column < width && row < width && modules[row * width + column] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    assert_eq!(grids[0].decode().unwrap().1, url);
}

async fn certificates_given_by_hand_or_revoked_carry_a_reason(db: &DatabaseConnection) {
    use app::training::service::certificates;

    let (Attended { run, ids, .. }, code) = closed(db).await;
    let after = after_the_run();
    // By hand: an admin gives the one who fell short a certificate, with a reason, once.
    assert_eq!(
        certificates::without_certificate(db, run.id).await.unwrap(),
        vec![(ids[2], "deelnemer 2".to_owned())]
    );
    assert!(matches!(
        certificates::issue_by_hand(db, &run, ids[2], "kort", ids[0], after).await,
        Err(ServiceError::Invalid(_))
    ));
    let reason = "Heeft het gemiste deel ingehaald.";
    assert!(matches!(
        certificates::issue_by_hand(db, &run, ids[1], reason, ids[0], after).await,
        Err(ServiceError::Invalid(_))
    ));
    let by_hand = certificates::issue_by_hand(db, &run, ids[2], reason, ids[0], after)
        .await
        .unwrap();
    assert_eq!(
        certificates::verify(db, &by_hand).await.unwrap().hours,
        "3 uur"
    );
    assert!(
        certificates::without_certificate(db, run.id)
            .await
            .unwrap()
            .is_empty()
    );
    let issued_audit = app::identity::entity::audit_event::Entity::find()
        .filter(app::identity::entity::audit_event::Column::Event.eq("certificate_issued"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(issued_audit.len(), 1);

    // Revoked: the public page says so, with a reason in the audit log.
    assert!(matches!(
        certificates::revoke(db, &code, "te kort", ids[2], after).await,
        Err(ServiceError::Invalid(_))
    ));
    certificates::revoke(
        db,
        &code,
        "Aanwezigheid bleek onjuist geregistreerd.",
        ids[2],
        after,
    )
    .await
    .unwrap();
    assert!(!certificates::verify(db, &code).await.unwrap().valid);
    // In the holder's personal-data export.
    let export = app::personal_data::export(db, ids[0], after).await.unwrap();
    assert_eq!(
        export["certificaten_en_aanwezigheid"]["certificaten"][0]["code"],
        code
    );
    assert_eq!(
        export["certificaten_en_aanwezigheid"]["aanwezigheid"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn the_evaluation_is_anonymous_once_per_person_and_shown_from_five(db: &DatabaseConnection) {
    use app::training::service::evaluations;

    let _dir = set_up(db, training().run(run_spec().capacity(10))).await;
    let ids = people(db, "evaluator", 6, WorkField::Zorg).await;
    for id in &ids[..5] {
        enrol(db, *id).await;
    }
    let run = the_run(db).await;
    let answer = || ("4,5,3,4".to_owned(), Some("Meer oefenen.".to_owned()));
    // Not before the last session.
    assert!(
        !evaluations::may_evaluate(db, &run, ids[0], now())
            .await
            .unwrap()
    );
    let (scores, remark) = answer();
    assert!(matches!(
        evaluations::submit(db, &run, ids[0], scores, remark, now()).await,
        Err(ServiceError::Invalid(_))
    ));
    let after: DateTime<Utc> = "2027-03-18T16:00:00Z".parse().unwrap();
    for id in &ids[..4] {
        let (scores, remark) = answer();
        evaluations::submit(db, &run, *id, scores, remark, after)
            .await
            .unwrap();
    }
    // Once per person; not for someone who was not a participant.
    let (scores, remark) = answer();
    assert!(
        evaluations::submit(db, &run, ids[0], scores, remark, after)
            .await
            .is_err()
    );
    assert!(
        !evaluations::may_evaluate(db, &run, ids[5], after)
            .await
            .unwrap()
    );
    // While participants can answer, trainers see nothing, not even the count: a reload
    // between two answers must not tell what the new one said.
    let during = evaluations::summary(db, run.id, after).await.unwrap();
    assert_eq!(during.open_until.as_deref(), Some("1 april 2027"));
    assert!(during.count.is_empty() && during.averages.is_empty() && during.remarks.is_empty());
    // Differing remarks, to see that the stored list does not keep the order of arrival.
    evaluations::submit(
        db,
        &run,
        ids[4],
        "2,5,3,4".into(),
        Some("Zz laatste".into()),
        after,
    )
    .await
    .unwrap();
    let stored = app::training::entity::evaluation_answers::Entity::find_by_id(run.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !stored.answers.contains("evaluator"),
        "no account in the answers"
    );
    // After the period: everything at once; answering is over.
    let closed: DateTime<Utc> = "2027-04-02T08:00:00Z".parse().unwrap();
    let (scores, remark) = answer();
    assert!(matches!(
        evaluations::submit(db, &run, ids[0], scores, remark, closed).await,
        Err(ServiceError::Invalid(_))
    ));
    let five = evaluations::summary(db, run.id, closed).await.unwrap();
    assert_eq!(five.open_until, None);
    assert_eq!(five.count, "5");
    assert_eq!(five.averages[0].1, "3,6");
    assert_eq!(five.remarks.len(), 5);
}

/// Five years after closing, attendance and certificates go (a daily job); nothing before.
/// Two sessions on one day are one PE-online list for that date, with everyone who attended
/// either of them, and the run's page offers that date once.
async fn two_sessions_on_one_day_make_one_pe_online_list(db: &DatabaseConnection) {
    use app::training::model::SessionPresence::{Absent, Present};
    use app::training::service::{attendance, certificates};

    let afternoon = SessionSpec {
        date: date("2027-03-18"),
        start: "13:30",
        end: "16:30",
        location: "Utrecht",
        link: None,
    };
    let text = training()
        .accreditation("SKJ", 6)
        .min_attendance(50)
        .run(run_spec().capacity(10).add_session(afternoon));
    let _dir = set_up(db, text).await;
    let ids = people(db, "middag", 1, WorkField::Zorg).await;
    assert_eq!(enrol(db, ids[0]).await.0, EnrolmentStatus::Confirmed);
    skj_number(db, ids[0], "100054321").await;
    let run = the_run(db).await;
    let sessions = app::training::service::calendar::sessions_of(db, run.id)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 3);
    // Not in the morning of the 18th, present in its afternoon.
    for (session, presence) in sessions.iter().zip([Present, Absent, Present]) {
        attendance::record(db, &run, session.id, &[(ids[0], presence, 0)], now())
            .await
            .unwrap();
    }
    let after: DateTime<Utc> = "2027-03-19T10:00:00Z".parse().unwrap();
    assert_eq!(
        certificates::close_run(db, &run, after)
            .await
            .unwrap()
            .issued,
        1
    );
    let run = the_run(db).await;
    let skj = certificates::register_export(db, &run, "SKJ")
        .await
        .unwrap();
    let dates: Vec<&str> = skj.per_session.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(dates, ["2027-03-04", "2027-03-18"]);
    assert_eq!(
        certificates::pe_online_list(&skj, "2027-03-18").as_deref(),
        Some("100054321\n")
    );
    let completion = certificates::run_completion(db, &run, now()).await.unwrap();
    assert_eq!(
        completion.registers[0].1,
        ["2027-03-04".to_owned(), "2027-03-18".to_owned()]
    );
}

async fn attendance_and_certificates_go_five_years_after_closing(db: &DatabaseConnection) {
    use app::messaging::service::jobs;
    use app::training::entity::{certificate, session_attendance};
    use app::training::model::SessionPresence::Present;
    use app::training::service::{attendance, certificates, retention};

    let _dir = set_up(db, training().run(run_spec().capacity(10))).await;
    let ids = people(db, "bewaard", 2, WorkField::Zorg).await;
    for id in &ids {
        enrol(db, *id).await;
    }
    let run = the_run(db).await;
    let sessions = app::training::service::calendar::sessions_of(db, run.id)
        .await
        .unwrap();
    for session in &sessions {
        let marks: Vec<_> = ids.iter().map(|id| (*id, Present, 0)).collect();
        attendance::record(db, &run, session.id, &marks, now())
            .await
            .unwrap();
    }
    let closed_at: DateTime<Utc> = "2027-03-19T10:00:00Z".parse().unwrap();
    certificates::close_run(db, &run, closed_at).await.unwrap();
    // A closed run is past cancelling.
    assert!(matches!(
        enrolments::cancel_run(db, run.id, "Toch niet.", closed_at).await,
        Err(ServiceError::Invalid(_))
    ));
    let code = certificates::certificates_of(db, ids[0]).await.unwrap()[0]
        .code
        .clone();

    // A day short of five years: everything is still there.
    let almost = "2032-03-18T10:00:00Z".parse().unwrap();
    assert_eq!(retention::purge_expired(db, almost).await.unwrap(), 0);
    assert!(certificates::verify(db, &code).await.unwrap().valid);
    assert_eq!(
        session_attendance::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        4
    );

    // The daily job, once five years have passed: both go, the run says when, once.
    jobs::schedule_daily(db, JobKind::TrainingRecordsRetention, almost)
        .await
        .unwrap();
    jobs::schedule_daily(db, JobKind::TrainingRecordsRetention, almost)
        .await
        .unwrap();
    assert_eq!(
        jobs::pending_for(db, JobKind::TrainingRecordsRetention, 0)
            .await
            .unwrap()
            .len(),
        1
    );
    let later: DateTime<Utc> = "2032-03-20T10:00:00Z".parse().unwrap();
    assert_eq!(retention::run_daily(db, later).await.unwrap(), 1);
    assert!(
        session_attendance::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        certificate::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        certificates::verify(db, &code).await,
        Err(ServiceError::NotFound)
    ));
    let run = the_run(db).await;
    assert_eq!(run.records_deleted_at, Some(later));
    let completion = certificates::run_completion(db, &run, now()).await.unwrap();
    assert_eq!(
        completion.records_deleted_on.as_deref(),
        Some("20 maart 2032")
    );
    assert!(completion.without_certificate.is_empty() && completion.registers.is_empty());
    assert_eq!(
        retention::purge_expired(db, later + Duration::days(1))
            .await
            .unwrap(),
        0
    );
    assert!(
        jobs::pending_for(db, JobKind::TrainingRecordsRetention, 0)
            .await
            .unwrap()
            .iter()
            .any(|job| job.run_at == later + Duration::days(1))
    );
}

/// Every session row of the run, as stored (ids included).
async fn session_rows(
    db: &DatabaseConnection,
    run_id: i32,
) -> Vec<app::training::entity::run_session::Model> {
    use app::training::entity::run_session;
    run_session::Entity::find()
        .filter(run_session::Column::RunId.eq(run_id))
        .order_by_asc(run_session::Column::Position)
        .all(db)
        .await
        .unwrap()
}

async fn attendance_rows(
    db: &DatabaseConnection,
) -> Vec<app::training::entity::session_attendance::Model> {
    app::training::entity::session_attendance::Entity::find()
        .all(db)
        .await
        .unwrap()
}

/// The run's editor form as the browser would send it back.
async fn stored_form(db: &DatabaseConnection) -> app::training::model::RunForm {
    app::training::service::run_editor::editor(db, SLUG, Some(CODE), None)
        .await
        .unwrap()
        .form
}

async fn save_form(
    db: &DatabaseConnection,
    form: &app::training::model::RunForm,
    at: DateTime<Utc>,
) -> Result<Vec<i32>, ServiceError> {
    let spec = app::training::rules::parse_run_form(form).unwrap();
    app::training::service::run_editor::update_run(db, the_run(db).await.id, &spec, at).await
}

/// The mails of `address` of `kind`, with their calendar attachments.
async fn mails_of_kind(db: &DatabaseConnection, address: &str, kind: MailKind) -> Vec<mail::Model> {
    mail::Entity::find()
        .filter(mail::Column::Recipient.eq(address))
        .filter(mail::Column::Kind.eq(kind))
        .order_by_asc(mail::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// A session moved in the run form reaches the calendars of the confirmed participants: a
/// mail with the old and new time and an invitation with the same UID and a raised SEQUENCE.
/// Saving unchanged tells nobody; the waitlist is not told; cancelling the run sends the
/// confirmed participants a cancellation of every session.
async fn a_moved_session_and_a_cancelled_run_update_the_participants_calendars(
    db: &DatabaseConnection,
) {
    let _dir = set_up(db, training().run(run_spec().capacity(1))).await;
    let ids = people(db, "agenda", 2, WorkField::Zorg).await;
    assert_eq!(enrol(db, ids[0]).await.0, EnrolmentStatus::Confirmed);
    assert_eq!(enrol(db, ids[1]).await.0, EnrolmentStatus::Waitlisted);
    let (confirmed, waiting) = ("agenda-0@test.invalid", "agenda-1@test.invalid");
    let run = the_run(db).await;
    let sessions = session_rows(db, run.id).await;
    let later = now() + Duration::hours(1);

    let form = stored_form(db).await;
    save_form(db, &form, later).await.unwrap();
    assert!(
        mails_of_kind(db, confirmed, MailKind::SessionChanged)
            .await
            .is_empty()
    );

    let mut moved = form.clone();
    moved.sessions[1].start = "10:00".into();
    save_form(db, &moved, later).await.unwrap();
    let after = session_rows(db, run.id).await;
    assert_eq!((after[1].id, after[1].sequence), (sessions[1].id, 1));
    assert_eq!(
        after[0].sequence, 0,
        "an unchanged session keeps its sequence"
    );
    let told = mails_of_kind(db, confirmed, MailKind::SessionChanged).await;
    assert_eq!(told.len(), 1);
    assert!(
        told[0].body.contains("Wordt: ") && told[0].body.contains("10:00"),
        "{}",
        told[0].body
    );
    let invitation = told[0].calendar.clone().unwrap();
    let uid = format!("UID:run-{}-session-{}@", run.id, sessions[1].id);
    for line in ["METHOD:REQUEST", "SEQUENCE:1", uid.as_str()] {
        assert!(invitation.contains(line), "{line} in {invitation}");
    }
    assert_eq!(
        invitation.matches("BEGIN:VEVENT").count(),
        1,
        "only the moved session"
    );
    assert!(
        mails_of_kind(db, waiting, MailKind::SessionChanged)
            .await
            .is_empty()
    );

    enrolments::cancel_run(db, run.id, "Te weinig aanmeldingen.", later)
        .await
        .unwrap();
    let cancelled = mails_of_kind(db, confirmed, MailKind::RunCancelled).await;
    let cancellation = cancelled[0].calendar.clone().unwrap();
    for line in [
        "METHOD:CANCEL",
        "STATUS:CANCELLED",
        "SEQUENCE:2",
        uid.as_str(),
    ] {
        assert!(cancellation.contains(line), "{line} in {cancellation}");
    }
    assert_eq!(cancellation.matches("BEGIN:VEVENT").count(), 2);
    let not_in_calendar = mails_of_kind(db, waiting, MailKind::RunCancelled).await;
    assert_eq!(not_in_calendar.len(), 1);
    assert!(not_in_calendar[0].calendar.is_none());
}

/// A message to a run goes to the chosen group only, through the outbox, and is logged with
/// the run (sender, group, count, subject; not the text). A group nobody is in is refused at
/// its field and logs nothing.
async fn a_message_to_a_run_reaches_its_group_and_is_logged(db: &DatabaseConnection) {
    use app::training::model::{MessageAudience, RunMessageForm};
    use app::training::rules::parse_run_message;
    use app::training::service::run_messages;

    let _dir = set_up(db, training().run(run_spec().capacity(2))).await;
    let ids = people(db, "bericht", 3, WorkField::Zorg).await;
    for id in &ids {
        enrol(db, *id).await;
    }
    let sender = AccountBuilder::new("trainer").insert(db).await.user_id;
    let run = the_run(db).await;
    let message = |audience: &str| {
        parse_run_message(&RunMessageForm {
            subject: "Ander lokaal".into(),
            body: "De tweede bijeenkomst is in lokaal 2.14.\n\nNeem uw casus mee.".into(),
            audience: audience.into(),
        })
        .unwrap()
    };
    let sent = run_messages::send(db, &run, sender, &message("confirmed"), now())
        .await
        .unwrap();
    assert_eq!(sent, 2);
    assert_eq!(
        mails_to(db, "bericht-0@test.invalid").await.last(),
        Some(&MailKind::RunMessage)
    );
    assert!(
        !mails_to(db, "bericht-2@test.invalid")
            .await
            .contains(&MailKind::RunMessage)
    );
    let mail = &mails_of_kind(db, "bericht-1@test.invalid", MailKind::RunMessage).await[0];
    assert!(
        mail.subject.starts_with("Ander lokaal — Verdieping"),
        "{}",
        mail.subject
    );
    assert!(mail.body.contains("Neem uw casus mee."), "{}", mail.body);
    let log = run_messages::log_of(db, run.id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].audience, log[0].recipients, log[0].subject.as_str()),
        (MessageAudience::Confirmed, 2, "Ander lokaal")
    );
    // Nobody waits once the waitlist person is removed: refused at the field, nothing logged.
    enrolments::cancel(db, ids[2], SLUG, CODE, now())
        .await
        .unwrap();
    let nobody = run_messages::send(db, &run, sender, &message("waitlist"), now()).await;
    let Err(ServiceError::Fields(errors)) = nobody else {
        panic!("{nobody:?}");
    };
    assert_eq!(errors["audience"], "Er is niemand bij de wachtlijst.");
    assert_eq!(run_messages::log_of(db, run.id).await.unwrap().len(), 1);
}

/// A coordinator finds people by name or organisation (any case, a `%` taken literally) and
/// enrols one on their behalf: no intake, no approval, after the window closed, with the
/// reason in the audit log; a missing reason and run are refused together at their fields.
async fn a_coordinator_finds_a_person_and_enrols_them_on_their_behalf(db: &DatabaseConnection) {
    use app::identity::entity::audit_event;
    use app::training::service::people;

    let with_approval = training().approval().intake(IntakeQuestion {
        question: "Uw rol?".into(),
        kind: IntakeKind::YesNo,
    });
    let _dir = set_up(db, with_approval.run(run_spec().capacity(5))).await;
    let ids = people(db, "namens", 2, WorkField::Onderwijs).await;
    let coordinator = AccountBuilder::new("coordinator").insert(db).await.user_id;
    let (found, more) = people::find_people(db, "NAMENS 1").await.unwrap();
    assert!(!more);
    assert_eq!(
        found.iter().map(|p| p.user_id).collect::<Vec<_>>(),
        vec![ids[1]]
    );
    assert!(
        people::find_people(db, "n").await.unwrap().0.is_empty(),
        "too short"
    );
    assert!(
        people::find_people(db, "%").await.unwrap().0.is_empty(),
        "a literal %"
    );

    let refused =
        enrolments::enrol_on_behalf(db, coordinator, ids[1], SLUG, "", " kort ", now()).await;
    let Err(ServiceError::Fields(errors)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        errors.keys().cloned().collect::<Vec<_>>(),
        ["reden", "uitvoering"]
    );

    // After the enrolment window closed (but before the first session): still possible.
    let late = date("2027-03-01").and_hms_opt(9, 0, 0).unwrap().and_utc();
    let outcome = enrolments::enrol_on_behalf(
        db,
        coordinator,
        ids[1],
        SLUG,
        CODE,
        "Aangemeld door de teamleider per telefoon.",
        late,
    )
    .await
    .unwrap();
    assert_eq!(outcome.status, EnrolmentStatus::Confirmed);
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::SubjectUserId.eq(ids[1]))
        .all(db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_user_id, Some(coordinator));
    assert!(
        audit[0]
            .detail
            .ends_with("Aangemeld door de teamleider per telefoon.")
    );
    let (found, _) = people::find_people(db, "namens 1").await.unwrap();
    assert_eq!(found[0].enrolments[0].status, EnrolmentStatus::Confirmed);
    assert_eq!(found[0].enrolments[0].run_code, CODE);
}

/// The people search reads accounts through an index, not the whole table (a scan of 50,000
/// accounts was the page's 400 ms on PostgreSQL): on PostgreSQL a part of a name few share
/// through the trigram indexes, on SQLite by walking the name index in the page's order.
async fn the_people_search_reads_accounts_through_an_index(db: &DatabaseConnection) {
    use app::identity::entity::user;
    use app::training::service::people;
    use sea_orm::{DbBackend, QueryTrait};

    let created = now();
    let accounts = (0..2000).map(|i| user::ActiveModel {
        issuer: Set("http://127.0.0.1/test".into()),
        subject: Set(format!("zoek-{i}")),
        display_name: Set(Some(format!("Deelnemer {i}"))),
        organisation: Set(Some(format!("Organisatie {}", i % 50))),
        created_at: Set(created),
        last_login_at: Set(created),
        ..Default::default()
    });
    user::Entity::insert_many(accounts).exec(db).await.unwrap();
    let backend = db.get_database_backend();
    let query = people::accounts_matching("jansen").build(backend);
    let plan = crate::common::query_plan(db, query, "users").await;
    let wanted: &[&str] = match backend {
        DbBackend::Postgres => &["idx_users_name_trigrams", "idx_users_organisation_trigrams"],
        _ => &["USING INDEX idx_users_display_name"],
    };
    for index in wanted {
        assert!(plan.contains(index), "{index} not in the plan:\n{plan}");
    }
    let (found, more) = people::find_people(db, "nemer 1999").await.unwrap();
    assert_eq!((found.len(), more), (1, false));
}

/// A run's edit form keeps its sessions' identities and their attendance: saving it unchanged
/// writes nothing, a new time updates that session, removing a session with attendance is
/// refused at its field (and by the database), closing waits for the last session's end time,
/// and a closed run is frozen: no edit, enrolment, cancellation, capacity or attendance change.
async fn run_edits_keep_sessions_and_attendance_and_a_closed_run_is_frozen(
    db: &DatabaseConnection,
) {
    use app::training::model::SessionPresence::Present;
    use app::training::service::{attendance, certificates};
    use sea_orm::ModelTrait;

    let dir = set_up(
        db,
        training()
            .accreditation("SKJ", 6)
            .min_attendance(50)
            .run(run_spec().capacity(10)),
    )
    .await;
    let ids = people(db, "bewaard", 3, WorkField::Zorg).await;
    for id in &ids {
        assert_eq!(enrol(db, *id).await.0, EnrolmentStatus::Confirmed);
    }
    // A name that a spreadsheet would run as a formula.
    let mut renamed: app::identity::entity::user::ActiveModel =
        app::identity::entity::user::Entity::find_by_id(ids[0])
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
    renamed.display_name = Set(Some("=HYPERLINK(\"http://x\";\"klik\")".into()));
    renamed.update(db).await.unwrap();
    skj_number(db, ids[0], "100012345").await;
    let run = the_run(db).await;
    let sessions = session_rows(db, run.id).await;
    let marks: Vec<_> = ids.iter().map(|id| (*id, Present, 0)).collect();
    attendance::record(db, &run, sessions[0].id, &marks, now())
        .await
        .unwrap();
    let register = attendance_rows(db).await;
    assert_eq!(register.len(), 3);

    // Saving the form unchanged changes no stored row (not the run, a session or a mark).
    let later = now() + Duration::hours(1);
    let form = stored_form(db).await;
    save_form(db, &form, later).await.unwrap();
    assert_eq!(the_run(db).await, run);
    assert_eq!(session_rows(db, run.id).await, sessions);
    assert_eq!(attendance_rows(db).await, register);
    // Recording the same marks again changes nothing either.
    attendance::record(db, &run, sessions[0].id, &marks, later)
        .await
        .unwrap();
    assert_eq!(attendance_rows(db).await, register);

    // A new time updates that session: same ids, the register intact.
    let mut moved = form.clone();
    moved.sessions[1].start = "10:00".into();
    save_form(db, &moved, later).await.unwrap();
    let after_move = session_rows(db, run.id).await;
    assert_eq!(
        after_move.iter().map(|s| s.id).collect::<Vec<_>>(),
        sessions.iter().map(|s| s.id).collect::<Vec<_>>()
    );
    assert_eq!(after_move[1].starts_at, "10:00");
    assert_eq!(attendance_rows(db).await, register);

    // A session with attendance cannot be removed: refused at its date field.
    let mut removed = moved.clone();
    removed.sessions[0] = Default::default();
    match save_form(db, &removed, later).await {
        Err(ServiceError::InvalidDocument { field, message }) => {
            assert_eq!(field, Some("sessie_1_date"));
            assert!(message.contains("aanwezigheid"), "{message}");
        }
        other => panic!("expected a refusal at the session, got {other:?}"),
    }
    assert_eq!(session_rows(db, run.id).await, after_move);
    assert_eq!(attendance_rows(db).await, register);
    // Nor by the database: no cascade takes the register with it.
    assert!(after_move[0].clone().delete(db).await.is_err());
    assert_eq!(attendance_rows(db).await, register);

    // Closing waits for the end time of the last session (12:30 in Amsterdam, 11:30 UTC).
    let during_last: DateTime<Utc> = "2027-03-18T11:00:00Z".parse().unwrap();
    assert!(matches!(
        certificates::close_run(db, &the_run(db).await, during_last).await,
        Err(ServiceError::Invalid(_))
    ));
    let ended: DateTime<Utc> = "2027-03-18T11:31:00Z".parse().unwrap();
    certificates::close_run(db, &the_run(db).await, ended)
        .await
        .unwrap();
    let closed = the_run(db).await;
    let frozen_sessions = session_rows(db, run.id).await;
    let frozen_register = attendance_rows(db).await;

    // Frozen: the form, the file, enrolment, cancellation, capacity and attendance.
    assert!(matches!(
        save_form(db, &moved, ended).await,
        Err(ServiceError::Invalid(_))
    ));
    let newcomer = people(db, "laat", 1, WorkField::Zorg).await[0];
    assert!(matches!(
        enrolments::enrol(db, newcomer, SLUG, CODE, &[], ended).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        enrolments::cancel(db, ids[1], SLUG, CODE, ended).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        enrolments::set_capacity(db, closed.id, 20, ended).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        attendance::record(
            db,
            &run,
            sessions[0].id,
            &[(ids[1], app::training::model::SessionPresence::Absent, 0)],
            ended
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
    training()
        .run(
            run_spec()
                .capacity(10)
                .session_at(1, |second| second.date = date("2027-03-25")),
        )
        .write_to(dir.path());
    let runs = import_runs(db, dir.path(), ended).await.unwrap();
    assert_eq!(runs.kept, 1, "{runs:?}");
    assert_eq!(the_run(db).await, closed);
    assert_eq!(session_rows(db, run.id).await, frozen_sessions);
    assert_eq!(attendance_rows(db).await, frozen_register);

    // The accreditation CSV neutralises a formula in a name.
    let skj = certificates::register_export(db, &closed, "SKJ")
        .await
        .unwrap();
    let csv = certificates::register_csv(&skj);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\""),
        "{csv}"
    );

    // A revoked certificate is no longer handed to its holder as valid.
    let code = certificates::certificates_of(db, ids[0]).await.unwrap()[0]
        .code
        .clone();
    assert!(
        certificates::holders_certificate(db, &code, ids[0])
            .await
            .is_ok()
    );
    assert!(matches!(
        certificates::holders_certificate(db, &code, ids[1]).await,
        Err(ServiceError::NotFound)
    ));
    certificates::revoke(db, &code, "Ten onrechte uitgereikt.", newcomer, ended)
        .await
        .unwrap();
    assert!(matches!(
        certificates::holders_certificate(db, &code, ids[0]).await,
        Err(ServiceError::Withdrawn { .. })
    ));
    assert!(!certificates::verify(db, &code).await.unwrap().valid);
}

/// Enrolment ends when the first session starts, whatever the window says.
async fn enrolment_ends_when_the_first_session_starts(db: &DatabaseConnection) {
    let _dir = set_up(
        db,
        training().run(run_spec().capacity(10).enrolment_closes(date("2027-03-04"))),
    )
    .await;
    let ids = people(db, "start", 3, WorkField::Zorg).await;
    // The days before and after the first session's day.
    let day_before: DateTime<Utc> = "2027-03-03T20:00:00Z".parse().unwrap();
    let day_after: DateTime<Utc> = "2027-03-05T08:00:00Z".parse().unwrap();
    assert!(
        enrolments::enrol(db, ids[2], SLUG, CODE, &[], day_before)
            .await
            .is_ok()
    );
    match enrolments::enrol(db, ids[1], SLUG, CODE, &[], day_after).await {
        Err(ServiceError::Invalid(message)) => assert!(message.contains("begonnen"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // 09:00 in Amsterdam: before the 09:30 start.
    let before: DateTime<Utc> = "2027-03-04T08:00:00Z".parse().unwrap();
    let started: DateTime<Utc> = "2027-03-04T08:31:00Z".parse().unwrap();
    assert!(
        enrolments::enrol(db, ids[0], SLUG, CODE, &[], before)
            .await
            .is_ok()
    );
    match enrolments::enrol(db, ids[1], SLUG, CODE, &[], started).await {
        Err(ServiceError::Invalid(message)) => assert!(message.contains("begonnen"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A trainer's overview: only the runs they give, current ones first by their next session,
/// with how full each is and what waits; the runs behind them after.
async fn a_trainer_sees_the_runs_they_give_and_what_waits(db: &DatabaseConnection) {
    use app::training::model::RunStage;
    use app::training::service::trainer_runs::runs_given_by;

    let _open = TrainingBuilder::new("verdieping")
        .title("Verdieping")
        .run(
            RunBuilder::new("2027-voorjaar")
                .capacity(2)
                .trainers(&["trainer"]),
        )
        .run(
            RunBuilder::new("2027-winter")
                .trainers(&["trainer"])
                .enrolment(date("2026-11-01"), date("2027-01-10"), date("2027-01-12"))
                .session_at(0, |s| s.date = date("2027-01-14"))
                .session_at(1, |s| s.date = date("2027-01-28")),
        )
        .run(
            RunBuilder::new("2026-najaar")
                .trainers(&["trainer"])
                .enrolment(date("2026-09-01"), date("2026-10-20"), date("2026-10-25"))
                .session_at(0, |s| s.date = date("2026-11-05"))
                .session_at(1, |s| s.date = date("2026-11-19")),
        )
        .run(RunBuilder::new("2027-ander").trainers(&["iemand-anders"]))
        .import(db, now())
        .await;
    let _approval = TrainingBuilder::new("met-goedkeuring")
        .title("Met goedkeuring")
        .approval()
        .run(RunBuilder::new("2027-voorjaar").trainers(&["trainer"]))
        .import(db, now())
        .await;
    let people = people(db, "vol", 3, WorkField::Zorg).await;
    for person in &people {
        enrolments::enrol(db, *person, "verdieping", "2027-voorjaar", &[], now())
            .await
            .unwrap();
    }
    enrolments::enrol(
        db,
        people[0],
        "met-goedkeuring",
        "2027-voorjaar",
        &[],
        now(),
    )
    .await
    .unwrap();

    let runs = runs_given_by(db, "trainer", 1, now()).await.unwrap().runs;
    let order: Vec<(&str, &str, RunStage)> = runs
        .iter()
        .map(|r| (r.training_slug.as_str(), r.code.as_str(), r.stage))
        .collect();
    assert_eq!(
        order,
        [
            ("verdieping", "2027-winter", RunStage::Upcoming),
            ("met-goedkeuring", "2027-voorjaar", RunStage::Upcoming),
            ("verdieping", "2027-voorjaar", RunStage::Upcoming),
            ("verdieping", "2026-najaar", RunStage::Ended),
        ]
    );
    let full = &runs[2];
    assert_eq!(
        (full.seats_taken, full.capacity, full.waitlisted),
        (2, 2, 1)
    );
    assert_eq!(full.fill_nl(), "2 van 2 plaatsen bezet (100 %)");
    assert_eq!(full.training_title, "Verdieping");
    assert_eq!(runs[1].requests, 1);
    assert_eq!(
        full.next_session
            .as_ref()
            .map(|s| (s.date, s.starts_at.as_str())),
        Some((date("2027-03-04"), "09:30"))
    );
    assert!(runs[3].next_session.is_none());
    // Someone who gives no run sees none, however many runs exist.
    assert!(
        runs_given_by(db, "deelnemer", 1, now())
            .await
            .unwrap()
            .runs
            .is_empty()
    );
}

/// The coordinators' overview over every run: current runs first by their next session (on
/// the same day by title), then the ones behind us (cancelled, closed or past) by their last
/// session, the latest first; paged by 25, narrowed by training and by stage. The database
/// places and pages them, so ten years of runs are not read for one page.
async fn the_coordinators_overview_places_pages_and_narrows_every_run(db: &DatabaseConnection) {
    use app::training::model::{RunStage, RunsFilter, RunsShown};
    use app::training::service::trainer_runs::all_runs;

    let session = |day: &str| SessionSpec {
        date: date(day),
        start: "09:30",
        end: "12:30",
        location: "Utrecht",
        link: None,
    };
    let _verdieping = TrainingBuilder::new("verdieping")
        .title("Verdieping")
        .run(
            RunBuilder::new("2027-winter")
                .enrolment(date("2026-11-01"), date("2027-01-10"), date("2027-01-12"))
                .session_at(0, |s| s.date = date("2027-01-14"))
                .session_at(1, |s| s.date = date("2027-01-28")),
        )
        .run(RunBuilder::new("2027-voorjaar"))
        .run(
            RunBuilder::new("2026-najaar")
                .enrolment(date("2026-09-01"), date("2026-10-20"), date("2026-10-25"))
                .session_at(0, |s| s.date = date("2026-11-05"))
                .session_at(1, |s| s.date = date("2026-11-19")),
        )
        .run(
            RunBuilder::new("2026-loopt")
                .enrolment(date("2026-09-01"), date("2026-11-10"), date("2026-11-15"))
                .session_at(0, |s| s.date = date("2026-11-20"))
                .session_at(1, |s| s.date = date("2026-12-10")),
        )
        .import(db, now())
        .await;
    let _approval = TrainingBuilder::new("met-goedkeuring")
        .title("Met goedkeuring")
        .approval()
        .run(RunBuilder::new("2027-voorjaar"))
        .import(db, now())
        .await;
    let mut archive = TrainingBuilder::new("archief").title("Archief");
    let first_monday = date("2024-01-01");
    for week in 0..24u64 {
        let day = |offset: u64| (first_monday + chrono::Days::new(7 * (week + offset))).to_string();
        let mut past = RunBuilder::new(&format!("2024-{:02}", week + 1)).enrolment(
            date("2023-11-01"),
            date("2023-12-15"),
            date("2023-12-20"),
        );
        let (first, second) = (day(0), day(1));
        past = past
            .session_at(0, |s| *s = session(&first))
            .session_at(1, |s| *s = session(&second));
        archive = archive.run(past);
    }
    let _archive = archive.import(db, now()).await;
    // Closed early, with its sessions still ahead: behind us all the same.
    let winter = run::Entity::find()
        .filter(run::Column::Code.eq("2027-winter"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    run::ActiveModel {
        closed_at: Set(Some(now())),
        ..winter.into()
    }
    .update(db)
    .await
    .unwrap();

    let shown = |filter: RunsFilter| async move {
        let overview = all_runs(db, &filter, now()).await.unwrap();
        let runs: Vec<(String, String, RunStage)> = overview
            .runs
            .into_iter()
            .map(|r| (r.training_slug, r.code, r.stage))
            .collect();
        (runs, overview.total, overview.page, overview.page_count)
    };
    let every = |page| RunsFilter {
        page,
        ..RunsFilter::default()
    };
    let (first_page, total, page, pages) = shown(every(1)).await;
    assert_eq!((total, page, pages), (29, 1, 2));
    let owned = |slug: &str, code: &str, stage| (slug.to_owned(), code.to_owned(), stage);
    assert_eq!(
        first_page[..6],
        [
            owned("verdieping", "2026-loopt", RunStage::Underway),
            owned("met-goedkeuring", "2027-voorjaar", RunStage::Upcoming),
            owned("verdieping", "2027-voorjaar", RunStage::Upcoming),
            owned("verdieping", "2027-winter", RunStage::Closed),
            owned("verdieping", "2026-najaar", RunStage::Ended),
            owned("archief", "2024-24", RunStage::Ended),
        ]
    );
    assert_eq!(first_page.len(), 25);
    assert_eq!(first_page[24], owned("archief", "2024-05", RunStage::Ended));
    // A page past the end shows the last one.
    let (last_page, _, page, _) = shown(every(9)).await;
    assert_eq!(page, 2);
    let codes: Vec<&str> = last_page.iter().map(|(_, code, _)| code.as_str()).collect();
    assert_eq!(codes, ["2024-04", "2024-03", "2024-02", "2024-01"]);

    let (current, total, _, pages) = shown(RunsFilter {
        stage: Some(RunsShown::Current),
        page: 1,
        ..RunsFilter::default()
    })
    .await;
    assert_eq!((total, pages), (3, 1));
    assert!(current.iter().all(|(_, _, stage)| stage.is_current()));
    let (behind, total, _, _) = shown(RunsFilter {
        training: Some("verdieping".to_owned()),
        stage: Some(RunsShown::Behind),
        page: 1,
    })
    .await;
    assert_eq!(total, 2);
    assert_eq!(
        behind,
        [
            owned("verdieping", "2027-winter", RunStage::Closed),
            owned("verdieping", "2026-najaar", RunStage::Ended),
        ]
    );
}

/// A run's first and last session date, which lists place runs by, follow its sessions through
/// the importer and the run editor; saving the form unchanged writes nothing.
async fn a_runs_first_and_last_session_dates_follow_its_sessions(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec())).await;
    let span = |run: run::Model| (run.first_session_on, run.last_session_on);
    assert_eq!(
        span(the_run(db).await),
        (Some(date("2027-03-04")), Some(date("2027-03-18")))
    );
    let mut form = stored_form(db).await;
    form.sessions[1].date = "2027-04-01".into();
    form.sessions.push(app::training::model::SessionForm {
        date: "2027-02-25".into(),
        start: "13:00".into(),
        end: "16:00".into(),
        location: "Utrecht".into(),
        link: String::new(),
    });
    save_form(db, &form, now()).await.unwrap();
    let moved = the_run(db).await;
    assert_eq!(
        span(moved.clone()),
        (Some(date("2027-02-25")), Some(date("2027-04-01")))
    );
    // Unchanged: the run's row stays as it is, to the second.
    let unchanged = stored_form(db).await;
    save_form(db, &unchanged, now() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(the_run(db).await, moved);
}

on_both_databases!(
    the_register_tells_who_finished_the_preparation,
    the_people_search_reads_accounts_through_an_index,
    a_trainer_sees_the_runs_they_give_and_what_waits,
    a_runs_first_and_last_session_dates_follow_its_sessions,
    the_coordinators_overview_places_pages_and_narrows_every_run,
    run_edits_keep_sessions_and_attendance_and_a_closed_run_is_frozen,
    enrolment_ends_when_the_first_session_starts,
    the_evaluation_is_anonymous_once_per_person_and_shown_from_five,
    attendance_and_certificates_go_five_years_after_closing,
    attendance_is_recorded_and_the_completion_rule_decides,
    the_register_shows_every_mark_with_hours_and_the_outcome,
    closing_issues_certificates_that_anyone_can_verify,
    the_accreditation_exports_list_numbers_and_who_has_none,
    the_certificate_pdf_names_it_all_and_its_qr_leads_to_the_check,
    a_certificate_code_is_found_as_people_type_it,
    certificates_given_by_hand_or_revoked_carry_a_reason,
    two_sessions_on_one_day_make_one_pe_online_list,
    each_change_queues_its_mail_and_its_timed_work,
    seats_fill_then_the_waitlist_in_order,
    the_work_field_share_holds,
    requests_in_line_together_get_what_each_would_alone,
    freed_seats_are_offered_in_order_and_offers_move_on,
    no_offers_after_the_waitlist_cut_off_and_late_cancellation_is_recorded,
    approval_confirms_or_waitlists_and_rejection_gives_a_reason,
    a_written_intake_answer_passes_the_privacy_guard,
    a_coordinator_finds_a_person_and_enrols_them_on_their_behalf,
    a_message_to_a_run_reaches_its_group_and_is_logged,
    a_moved_session_and_a_cancelled_run_update_the_participants_calendars,
    capacity_changes_and_cancelling_the_run,
    the_importer_creates_runs_once_and_keeps_browser_changes,
);

/// 1,000 people ask for 20 seats at the same moment: exactly 20 confirmed, 980 waitlisted with
/// positions 1–980, no errors. Fifty of them click twice: both of their requests answer the
/// same, and they hold one enrolment each.
async fn a_thousand_simultaneous_requests_for_twenty_seats(db: &DatabaseConnection) {
    let _dir = set_up(db, training().run(run_spec().capacity(20))).await;
    let users = people(db, "druk", 1000, WorkField::Zorg).await;
    let tasks: Vec<_> = users
        .iter()
        .chain(users.iter().step_by(20))
        .map(|user| {
            let db = db.clone();
            let user = *user;
            tokio::spawn(async move {
                let outcome = enrolments::enrol(&db, user, SLUG, CODE, &[], now()).await;
                (user, outcome)
            })
        })
        .collect();
    let mut answers: std::collections::BTreeMap<i32, Vec<(EnrolmentStatus, Option<u32>)>> =
        Default::default();
    for task in tasks {
        let (user, outcome) = task.await.unwrap();
        let outcome = outcome.unwrap();
        answers
            .entry(user)
            .or_default()
            .push((outcome.status, outcome.waitlist_position));
    }
    let mut confirmed = 0;
    let mut positions = Vec::new();
    for (user, outcomes) in &answers {
        assert!(
            outcomes.iter().all(|o| *o == outcomes[0]),
            "user {user}: {outcomes:?}"
        );
        match outcomes[0] {
            (EnrolmentStatus::Confirmed, None) => confirmed += 1,
            (EnrolmentStatus::Waitlisted, Some(position)) => positions.push(position),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(answers.len(), 1000);
    assert_eq!(answers.values().filter(|o| o.len() == 2).count(), 50);
    assert_eq!(confirmed, 20);
    positions.sort();
    assert_eq!(positions, (1..=980).collect::<Vec<u32>>());
    assert_eq!(the_run(db).await.seats_taken, 20);
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(the_run(db).await.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(enrolments.len(), 1000, "one enrolment per person");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_simultaneous_requests_for_twenty_seats_on_sqlite() {
    // A file, as in production: several connections, not the one of an in-memory database.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/druk.db?mode=rwc", dir.path().display());
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    a_thousand_simultaneous_requests_for_twenty_seats(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_simultaneous_requests_for_twenty_seats_on_postgres() {
    let pg = crate::common::postgres().await;
    a_thousand_simultaneous_requests_for_twenty_seats(&pg.db).await;
}

/// Requests that wait in line for one run go together in one transaction, and each gets what
/// it would have got alone: the work-field share holds, a refused intake answer is refused
/// (nothing stored), the waitlist numbers and positions run without gaps, and every enrolment
/// has its mail with its send job.
async fn requests_in_line_together_get_what_each_would_alone(db: &DatabaseConnection) {
    let with_intake = training().intake(IntakeQuestion {
        question: "Ervaring?".into(),
        kind: IntakeKind::YesNo,
    });
    let _dir = set_up(
        db,
        with_intake.run(run_spec().capacity(10).max_work_field_share(50)),
    )
    .await;
    let care = people(db, "zorg", 40, WorkField::Zorg).await;
    let school = people(db, "school", 20, WorkField::Onderwijs).await;
    let tasks: Vec<_> = care
        .iter()
        .map(|user| (*user, WorkField::Zorg))
        .chain(school.iter().map(|user| (*user, WorkField::Onderwijs)))
        .enumerate()
        .map(|(index, (user, field))| {
            let db = db.clone();
            // Every tenth request answers nothing: refused.
            let answer = if index % 10 == 9 { "" } else { "ja" };
            tokio::spawn(async move {
                let outcome =
                    enrolments::enrol(&db, user, SLUG, CODE, &[answer.into()], now()).await;
                (user, field, outcome)
            })
        })
        .collect();
    let mut refused = Vec::new();
    let mut confirmed = std::collections::HashMap::<WorkField, usize>::new();
    let mut positions = std::collections::BTreeMap::new();
    for task in tasks {
        match task.await.unwrap() {
            (user, _, Err(ServiceError::Fields(fields))) => {
                assert!(fields.contains_key("antwoord_1"), "{fields:?}");
                refused.push(user);
            }
            (_, field, Ok(outcome)) if outcome.status == EnrolmentStatus::Confirmed => {
                *confirmed.entry(field).or_default() += 1;
            }
            (user, _, Ok(outcome)) => {
                assert_eq!(outcome.status, EnrolmentStatus::Waitlisted);
                assert!(outcome.waitlist_reason.is_some());
                positions.insert(outcome.waitlist_position.unwrap(), user);
            }
            (_, _, Err(other)) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(refused.len(), 6);
    assert_eq!(confirmed[&WorkField::Zorg], 5, "the share: 5 of 10 seats");
    assert_eq!(confirmed[&WorkField::Onderwijs], 5);
    assert_eq!(
        positions.keys().copied().collect::<Vec<u32>>(),
        (1..=44).collect::<Vec<u32>>()
    );
    let run = the_run(db).await;
    assert_eq!((run.seats_taken, run.waitlist_counter), (10, 44));
    let stored = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 54);
    assert!(stored.iter().all(|e| !refused.contains(&e.user_id)));
    // A fresh run: each waiting person's number is their position.
    for e in stored
        .iter()
        .filter(|e| e.status == EnrolmentStatus::Waitlisted)
    {
        assert_eq!(positions[&(e.waitlist_seq.unwrap() as u32)], e.user_id);
    }
    let mails: Vec<(i32, MailKind)> = mail::Entity::find()
        .select_only()
        .column(mail::Column::Id)
        .column(mail::Column::Kind)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    let of_kind = |kind| mails.iter().filter(|(_, k)| *k == kind).count();
    assert_eq!(of_kind(MailKind::EnrolmentConfirmed), 10);
    assert_eq!(of_kind(MailKind::Waitlisted), 44);
    let sends: Vec<i32> = app::messaging::entity::job::Entity::find()
        .select_only()
        .column(app::messaging::entity::job::Column::SubjectId)
        .filter(app::messaging::entity::job::Column::Kind.eq(JobKind::SendMail))
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    let mut sent: Vec<i32> = sends;
    sent.sort();
    let mut queued: Vec<i32> = mails.iter().map(|(id, _)| *id).collect();
    queued.sort();
    assert_eq!(sent, queued, "one send job per mail");
}

/// Two nodes (two connection pools on one database) get the same fifty people's requests at
/// once: each node puts its own requests in line, the run's lock puts the nodes' transactions
/// in line, and a person's request that meets the other node's at the unique index answers
/// that one's outcome. One enrolment each, positions without gaps.
async fn two_nodes_with_the_same_requests_agree(
    node: &DatabaseConnection,
    other: &DatabaseConnection,
) {
    let _dir = set_up(node, training().run(run_spec().capacity(5))).await;
    let users = people(node, "twee", 50, WorkField::Zorg).await;
    let tasks: Vec<_> = users
        .iter()
        .flat_map(|user| [(node.clone(), *user), (other.clone(), *user)])
        .map(|(db, user)| {
            tokio::spawn(async move {
                let outcome = enrolments::enrol(&db, user, SLUG, CODE, &[], now()).await;
                (user, outcome.map(|o| (o.status, o.waitlist_position)))
            })
        })
        .collect();
    let mut answers: std::collections::BTreeMap<i32, Vec<(EnrolmentStatus, Option<u32>)>> =
        Default::default();
    for task in tasks {
        let (user, outcome) = task.await.unwrap();
        answers.entry(user).or_default().push(outcome.unwrap());
    }
    let mut positions = Vec::new();
    for (user, outcomes) in &answers {
        assert_eq!(outcomes.len(), 2);
        assert_eq!(outcomes[0], outcomes[1], "user {user}");
        if let (EnrolmentStatus::Waitlisted, Some(position)) = outcomes[0] {
            positions.push(position);
        }
    }
    positions.sort();
    assert_eq!(positions, (1..=45).collect::<Vec<u32>>());
    let stored = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(the_run(node).await.id))
        .count(node)
        .await
        .unwrap();
    assert_eq!(stored, 50, "one enrolment per person");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_with_the_same_requests_agree_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/twee.db?mode=rwc", dir.path().display());
    let node = app::db::connect_and_migrate(&url).await.unwrap();
    let other = app::db::connect_and_migrate(&url).await.unwrap();
    two_nodes_with_the_same_requests_agree(&node, &other).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_with_the_same_requests_agree_on_postgres() {
    let pg = crate::common::postgres().await;
    let admin = crate::common::postgres_admin_url();
    let url = format!("{}/{}", admin.rsplit_once('/').unwrap().0, pg.name());
    let other = app::db::connect_and_migrate(&url).await.unwrap();
    two_nodes_with_the_same_requests_agree(&pg.db, &other).await;
}

/// The shipped trainings keep a run open for enrolment on every day through 2030, so the
/// embedded run (`make run`) shows one whatever the date.
#[tokio::test]
async fn the_shipped_trainings_have_a_run_open_for_enrolment_every_day_through_2030() {
    use app::training::service::catalogue::list_trainings;

    let db = crate::common::sqlite().await;
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let now = crate::common::now();
    app::knowledge::service::import::import_content_dir(&db, &content, now)
        .await
        .unwrap();
    let report = import_runs(&db, &content, now).await.unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
    while day <= last {
        let at = day.and_hms_opt(10, 0, 0).unwrap().and_utc();
        let trainings = list_trainings(&db, None, None, None, None, at)
            .await
            .unwrap();
        let open = trainings
            .iter()
            .flat_map(|training| &training.runs)
            .any(|run| run.enrolment_opens <= day && day <= run.enrolment_closes);
        assert!(open, "no run open for enrolment on {day}");
        day += Duration::days(1);
    }
}
