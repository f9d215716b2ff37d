//! Enrolment: seats, the fair mix, the waitlist that fills itself, offers, approval and
//! cancellation. Every change runs in one write transaction that first locks the run row
//! (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` serialises writers), and seats are
//! taken only by conditional updates the database's CHECK constraints back up, so capacity and
//! the work-field share hold under any number of simultaneous requests.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::messaging::model::JobKind;
use crate::messaging::service::jobs;
use crate::training::entity::enrolment::IntakeAnswers;
use crate::training::entity::{enrolment, run, work_field_seats};
use crate::training::model::facts::{IntakeKind, MAX_INTAKE_ANSWER, TrainingFacts};
use crate::training::model::{EnrolmentOutcome, EnrolmentStatus, RunStatus, WaitlistReason};
use crate::training::rules::{enrolment_is_open, work_field_cap};
pub use crate::training::service::catalogue::find_run;
use crate::training::service::catalogue::{
    first_session_of, training_facts_and_title, waitlist_position,
};
use crate::training::service::mails::{self, Addressee, News};
use crate::vocabulary::WorkField;

/// A closed run is final: its enrolments, capacity and register no longer change.
pub(crate) fn refuse_when_closed(run: &run::Model, action: &str) -> Result<(), ServiceError> {
    match run.closed_at {
        Some(_) => Err(ServiceError::Invalid(format!(
            "Deze uitvoering is afgesloten; {action} kan niet meer."
        ))),
        None => Ok(()),
    }
}

/// Locks and reads the run inside the write transaction.
pub(crate) async fn lock_run(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<run::Model, ServiceError> {
    run::Entity::find_by_id(run_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The work field an enrolment counts under (a complete profile is required) and the address
/// its mail goes to.
async fn applicant(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<(WorkField, Option<String>), ServiceError> {
    let account = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    account
        .profile_completed_at
        .and(account.work_field.as_deref().and_then(WorkField::from_slug))
        .map(|field| (field, account.email))
        .ok_or_else(|| {
            ServiceError::Invalid(
                "Vul eerst uw profiel aan (naam, organisatie en werkterrein); daarna kunt u zich inschrijven.".into(),
            )
        })
}

/// Checks the answers to the intake (one per question, in order) and pairs them with their
/// questions; every refused answer at once, by its field (`antwoord_<n>`). Written answers
/// reach the trainers, so they pass the privacy guard.
pub fn check_intake(
    facts: &TrainingFacts,
    answers: &[String],
) -> Result<Option<IntakeAnswers>, ServiceError> {
    if facts.intake.is_empty() {
        return Ok(None);
    }
    let mut pairs = Vec::with_capacity(facts.intake.len());
    let mut errors = crate::error::FieldErrors::new();
    for (index, question) in facts.intake.iter().enumerate() {
        let answer = answers.get(index).map(|a| a.trim()).unwrap_or_default();
        let refusal = if answer.is_empty() {
            Some("Geef een antwoord.".to_owned())
        } else if answer.chars().count() > MAX_INTAKE_ANSWER {
            Some(format!("Hoogstens {MAX_INTAKE_ANSWER} tekens."))
        } else {
            match &question.kind {
                IntakeKind::Choice(options) if !options.iter().any(|o| o == answer) => {
                    Some("Kies een van de mogelijkheden.".to_owned())
                }
                IntakeKind::YesNo if answer != "ja" && answer != "nee" => {
                    Some("Kies ja of nee.".to_owned())
                }
                IntakeKind::Text => crate::privacy_guard::refusal(
                    "Uw antwoord bevat",
                    answer,
                    crate::privacy_guard::Guarded::Prose,
                )
                .err(),
                _ => None,
            }
        };
        match refusal {
            Some(message) => {
                errors.insert(
                    crate::training::rules::intake_field_name(index),
                    format!("Vraag {}: {message}", index + 1),
                );
            }
            None => pairs.push((question.question.clone(), answer.to_owned())),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Fields(errors));
    }
    Ok(Some(IntakeAnswers(pairs)))
}

/// The active enrolment of `user_id` in `run_id`, if any.
async fn active_enrolment(
    db: &impl ConnectionTrait,
    run_id: i32,
    user_id: i32,
) -> Result<Option<enrolment::Model>, ServiceError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run_id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::Active.eq(1))
        .one(db)
        .await?)
}

async fn outcome_of(
    db: &impl ConnectionTrait,
    enrolment: &enrolment::Model,
) -> Result<EnrolmentOutcome, ServiceError> {
    Ok(EnrolmentOutcome {
        status: enrolment.status,
        waitlist_position: waitlist_position(db, enrolment).await?,
        waitlist_reason: None,
    })
}

/// Enrols `user_id` in a run: confirmed when a seat is free and the work field is within its
/// share, otherwise waitlisted in order; `requested` when the training needs approval. A
/// second request while one is active returns that one (a double click changes nothing).
pub async fn enrol(
    db: &DatabaseConnection,
    user_id: i32,
    training_slug: &str,
    run_code: &str,
    answers: &[String],
    now: DateTime<Utc>,
) -> Result<EnrolmentOutcome, ServiceError> {
    // Everything that can be read before the write lock is read here.
    let (facts, title) = training_facts_and_title(db, training_slug).await?;
    let (work_field, recipient) = applicant(db, user_id).await?;
    let run_id = find_run(db, training_slug, run_code).await?.id;
    let addressee = Addressee { recipient, title };
    let request = Request {
        user_id,
        run_id,
        facts,
        work_field,
        answers: answers.to_vec(),
        addressee,
        on_behalf: None,
        now,
    };
    let lane_db = db.clone();
    crate::db::on_write_lane(db, async move { enrol_in_turn(&lane_db, request).await }).await
}

/// A coordinator enrols an existing account on the person's behalf: the seat or waitlist as
/// for anyone (the work-field share included), but no intake and no approval (the coordinator
/// decided), also after the enrolment window closed (until the first session starts). The
/// reason goes to the audit log with the coordinator's name.
pub async fn enrol_on_behalf(
    db: &DatabaseConnection,
    coordinator: i32,
    user_id: i32,
    training_slug: &str,
    run_code: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<EnrolmentOutcome, ServiceError> {
    let reason = reason.trim();
    let mut errors = crate::error::FieldErrors::new();
    if reason.chars().count() < 10 {
        errors.insert(
            "reden".into(),
            "Geef een reden van minstens 10 tekens; die komt in de auditlog.".into(),
        );
    }
    let run = find_run(db, training_slug, run_code).await;
    if run.is_err() {
        errors.insert("uitvoering".into(), "Kies een uitvoering.".into());
    }
    let applicant = applicant(db, user_id).await.map_err(|_| {
        ServiceError::Invalid(
            "Deze persoon heeft het profiel nog niet aangevuld (organisatie en werkterrein); inschrijven kan pas daarna.".into(),
        )
    });
    let run = match run {
        Ok(run) if errors.is_empty() => run,
        _ => return Err(ServiceError::Fields(errors)),
    };
    let (work_field, recipient) = applicant?;
    let (facts, title) = training_facts_and_title(db, training_slug).await?;
    let request = Request {
        user_id,
        run_id: run.id,
        facts,
        work_field,
        answers: Vec::new(),
        addressee: Addressee { recipient, title },
        on_behalf: Some(OnBehalf {
            coordinator,
            reason: reason.to_owned(),
        }),
        now,
    };
    let lane_db = db.clone();
    crate::db::on_write_lane(db, async move { enrol_in_turn(&lane_db, request).await }).await
}

/// Who enrolled someone else, and why.
struct OnBehalf {
    coordinator: i32,
    reason: String,
}

/// What [`enrol`] read before taking the write lock.
struct Request {
    user_id: i32,
    run_id: i32,
    facts: TrainingFacts,
    work_field: WorkField,
    answers: Vec<String>,
    addressee: Addressee,
    on_behalf: Option<OnBehalf>,
    now: DateTime<Utc>,
}

/// Requests to enrol in one run, in line on this node. While a transaction holds the run's
/// lock, the requests that arrive wait here, and the next transaction takes them all: one
/// lock, one commit and one statement per kind of row for the lot. With a transaction each, a
/// burst of a thousand waited for a thousand commits in a row, each behind the one before
/// (over 3 s on PostgreSQL). Across nodes, the run's lock still puts the transactions in line.
#[derive(Default)]
struct RunLine {
    waiting: std::sync::Mutex<Vec<Waiting>>,
    /// Held by the request whose transaction runs for the line.
    turn: tokio::sync::Mutex<()>,
}

/// A request in line and where its answer goes.
struct Waiting {
    request: Request,
    answer: tokio::sync::oneshot::Sender<Result<EnrolmentOutcome, ServiceError>>,
}

/// At most this many requests go in one transaction (a statement's parameters are limited).
const LINE_BATCH: usize = 200;

impl RunLine {
    /// The line of `run_id` in `db`.
    fn of(db: &DatabaseConnection, run_id: i32) -> std::sync::Arc<RunLine> {
        type Lines = HashMap<(usize, i32), std::sync::Arc<RunLine>>;
        static LINES: std::sync::LazyLock<std::sync::Mutex<Lines>> =
            std::sync::LazyLock::new(Default::default);
        LINES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry((crate::db::pool_identity(db), run_id))
            .or_default()
            .clone()
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The requests first in line, up to [`LINE_BATCH`].
    fn next_batch(&self) -> Vec<Waiting> {
        let mut waiting = self.waiting();
        let taken = waiting.len().min(LINE_BATCH);
        waiting.drain(..taken).collect()
    }
}

async fn enrol_in_turn(
    db: &DatabaseConnection,
    request: Request,
) -> Result<EnrolmentOutcome, ServiceError> {
    use tokio::sync::oneshot::error::TryRecvError;
    // A repeated request (a double click) answers what the first one gave, found here before
    // it waits in line.
    if let Some(existing) = active_enrolment(db, request.run_id, request.user_id).await? {
        return outcome_of(db, &existing).await;
    }
    let line = RunLine::of(db, request.run_id);
    let (answer, mut answered) = tokio::sync::oneshot::channel();
    line.waiting().push(Waiting { request, answer });
    let lost = || ServiceError::Task("an enrolment in line got no answer".into());
    loop {
        let turn = line.turn.lock().await;
        match answered.try_recv() {
            Ok(outcome) => return outcome,
            Err(TryRecvError::Closed) => return Err(lost()),
            Err(TryRecvError::Empty) => {}
        }
        let batch = line.next_batch();
        if batch.is_empty() {
            // This request is in a batch under way.
            drop(turn);
            return answered.await.unwrap_or_else(|_| Err(lost()));
        }
        // A task of its own: a request whose client goes away leaves the batch to finish.
        let lane_db = db.clone();
        let _ = tokio::spawn(async move { enrol_batch(&lane_db, batch).await }).await;
        drop(turn);
        match answered.try_recv() {
            Ok(outcome) => return outcome,
            Err(TryRecvError::Closed) => return Err(lost()),
            // Beyond the batch: in line for the next.
            Err(TryRecvError::Empty) => {}
        }
    }
}

/// Enrols a batch of requests for one run: together in one transaction, or, when that fails
/// (a request of the same person on another node came first), one by one. A person's second
/// request in the batch answers what the first one gave.
async fn enrol_batch(db: &DatabaseConnection, batch: Vec<Waiting>) {
    let mut seen = HashSet::new();
    let (first, repeated): (Vec<Waiting>, Vec<Waiting>) = batch
        .into_iter()
        .partition(|waiting| seen.insert(waiting.request.user_id));
    let mut alone = Vec::new();
    if first.len() > 1 {
        let requests: Vec<&Request> = first.iter().map(|w| &w.request).collect();
        match enrol_together(db, &requests).await {
            Ok(outcomes) => {
                for (waiting, outcome) in first.into_iter().zip(outcomes) {
                    let _ = waiting.answer.send(outcome);
                }
            }
            Err(_) => alone = first,
        }
    } else {
        alone = first;
    }
    for waiting in alone.into_iter().chain(repeated) {
        let outcome = enrol_alone(db, &waiting.request).await;
        let _ = waiting.answer.send(outcome);
    }
}

/// One request in a transaction of its own.
async fn enrol_alone(
    db: &DatabaseConnection,
    request: &Request,
) -> Result<EnrolmentOutcome, ServiceError> {
    let (run_id, user_id) = (request.run_id, request.user_id);
    if let Some(existing) = active_enrolment(db, run_id, user_id).await? {
        return outcome_of(db, &existing).await;
    }
    match enrol_under_lock(db, request).await {
        // Two requests of one person that raced meet at the unique (run, user, active) index;
        // the second answers the first one's outcome.
        Err(ServiceError::Database(refused)) if is_unique_violation(&refused) => {
            let existing = active_enrolment(db, run_id, user_id)
                .await?
                .ok_or(ServiceError::Database(refused))?;
            outcome_of(db, &existing).await
        }
        done => done,
    }
}

fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Why the run, as locked, refuses `request` (`Err(Invalid)`), if it does.
async fn refuse_by_run(
    db: &impl ConnectionTrait,
    run: &run::Model,
    request: &Request,
) -> Result<(), ServiceError> {
    let now = request.now;
    if run.status == RunStatus::Cancelled {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is geannuleerd.".into(),
        ));
    }
    refuse_when_closed(run, "inschrijven")?;
    // Whatever the window says, enrolment ends when the first session starts. The run's own
    // first session date settles it, except on that day (then the start time decides): one
    // query fewer while the run is locked.
    let started = match run.first_session_on {
        None => true,
        Some(first) if first != amsterdam_date(now) => first < amsterdam_date(now),
        Some(_) => crate::training::service::calendar::run_span(db, run.id)
            .await?
            .is_none_or(|(first_start, _)| first_start <= now),
    };
    if started {
        return Err(ServiceError::Invalid(
            "De eerste bijeenkomst van deze uitvoering is al begonnen; inschrijven kan niet meer."
                .into(),
        ));
    }
    if request.on_behalf.is_none()
        && !enrolment_is_open(
            amsterdam_date(now),
            run.enrolment_opens,
            run.enrolment_closes,
        )
    {
        return Err(ServiceError::Invalid(
            "De inschrijving voor deze uitvoering is niet open.".into(),
        ));
    }
    Ok(())
}

/// The checked intake of `request` (none when a coordinator enrols someone).
fn intake_of(request: &Request) -> Result<Option<IntakeAnswers>, ServiceError> {
    match request.on_behalf {
        Some(_) => Ok(None),
        None => check_intake(&request.facts, &request.answers),
    }
}

/// The new enrolment's row, its status and waitlist number still to be set.
fn new_enrolment(request: &Request, intake: Option<IntakeAnswers>) -> enrolment::ActiveModel {
    enrolment::ActiveModel {
        run_id: Set(request.run_id),
        user_id: Set(request.user_id),
        active: Set(Some(1)),
        work_field: Set(request.work_field),
        waitlist_seq: Set(None),
        offer_expires_at: Set(None),
        intake_answers: Set(intake),
        rejection_reason: Set(None),
        created_at: Set(request.now),
        updated_at: Set(request.now),
        ..Default::default()
    }
}

/// Whether `request` asks the trainers first.
fn needs_approval(request: &Request) -> bool {
    request.facts.approval && request.on_behalf.is_none()
}

/// The coordinator's enrolment on someone's behalf, in the audit log.
async fn audit_on_behalf(db: &impl ConnectionTrait, request: &Request) -> Result<(), ServiceError> {
    if let Some(OnBehalf {
        coordinator,
        reason,
    }) = &request.on_behalf
    {
        crate::identity::service::audit::record(
            db,
            crate::identity::service::audit::NewAuditEvent {
                event: crate::identity::model::AuditEventKind::EnrolledOnBehalf,
                actor_user_id: Some(*coordinator),
                subject_user_id: Some(request.user_id),
                detail: &format!("run={}; {reason}", request.run_id),
            },
            request.now,
        )
        .await?;
    }
    Ok(())
}

/// The mails of an enrolment that was just stored (a confirmation, a request) and, when
/// confirmed, its reminders.
async fn tell_of_enrolment(
    db: &impl ConnectionTrait,
    request: &Request,
    stored: &enrolment::Model,
    run: &run::Model,
    outcome: &EnrolmentOutcome,
) -> Result<(), ServiceError> {
    let (addressee, now) = (request.addressee.clone(), request.now);
    match (
        outcome.status,
        outcome.waitlist_position,
        outcome.waitlist_reason,
    ) {
        (EnrolmentStatus::Confirmed, _, _) => {
            mails::tell_addressee(db, addressee, run, News::Confirmed, now).await?;
            mails::schedule_reminders(db, stored.id, run, now).await?;
        }
        (EnrolmentStatus::Waitlisted, Some(position), Some(reason)) => {
            let news = News::Waitlisted { position, reason };
            mails::tell_addressee(db, addressee, run, news, now).await?;
        }
        (EnrolmentStatus::Requested, _, _) => {
            mails::tell_addressee(db, addressee, run, News::Requested, now).await?;
            mails::tell_trainers_of_request(db, run, now).await?;
        }
        _ => {}
    }
    Ok(())
}

/// One enrolment in one write transaction holding the run's lock.
async fn enrol_under_lock(
    db: &DatabaseConnection,
    request: &Request,
) -> Result<EnrolmentOutcome, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, request.run_id).await?;
    refuse_by_run(&*txn, &run, request).await?;
    let mut new = new_enrolment(request, intake_of(request)?);
    let mut waits = None;
    let mut waitlist_position = None;
    new.status = Set(if needs_approval(request) {
        EnrolmentStatus::Requested
    } else {
        match take_seat(&*txn, &run, request.work_field).await? {
            Seat::Taken => EnrolmentStatus::Confirmed,
            Seat::Waits(reason) => {
                waits = Some(reason);
                let (seq, position) = join_waitlist(&*txn, run.id).await?;
                new.waitlist_seq = Set(Some(seq));
                waitlist_position = Some(position);
                EnrolmentStatus::Waitlisted
            }
        }
    });
    let stored = new.insert(&*txn).await?;
    audit_on_behalf(&*txn, request).await?;
    let outcome = EnrolmentOutcome {
        status: stored.status,
        waitlist_position,
        waitlist_reason: waits,
    };
    tell_of_enrolment(&*txn, request, &stored, &run, &outcome).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The requests of a batch (distinct people, one run) in one write transaction holding the
/// run's lock, in their order in line: each gets what it would have got alone. Seats are
/// taken one by one (there are few); a waitlist place is counted here from the number of
/// people waiting, read once, and the waitlisted enrolments and their mails are written
/// together at the end. `Err` when the transaction failed as a whole (nothing was written);
/// a refused request is an `Err` in its place.
async fn enrol_together(
    db: &DatabaseConnection,
    requests: &[&Request],
) -> Result<Vec<Result<EnrolmentOutcome, ServiceError>>, ServiceError> {
    let Some(first) = requests.first() else {
        return Ok(Vec::new());
    };
    let txn = crate::db::begin_write(db).await?;
    let mut run = lock_run(&*txn, first.run_id).await?;
    let mut outcomes = Vec::with_capacity(requests.len());
    let mut waitlisted = Vec::new();
    let mut waitlist_mails = Vec::new();
    let mut waiting_now: Option<u32> = None;
    let counter_before = run.waitlist_counter;
    // A request that found nothing before it got in line, while an earlier one of the same
    // person was in the batch before this one, answers that one's outcome.
    let earlier: HashMap<i32, enrolment::Model> = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run.id))
        .filter(enrolment::Column::UserId.is_in(requests.iter().map(|r| r.user_id)))
        .filter(enrolment::Column::Active.eq(1))
        .all(&*txn)
        .await?
        .into_iter()
        .map(|found| (found.user_id, found))
        .collect();
    for request in requests {
        if let Some(found) = earlier.get(&request.user_id) {
            outcomes.push(Ok(outcome_of(&*txn, found).await?));
            continue;
        }
        let checked = match refuse_by_run(&*txn, &run, request).await {
            Err(ServiceError::Database(failed)) => return Err(ServiceError::Database(failed)),
            Err(refused) => Err(refused),
            Ok(()) => intake_of(request),
        };
        let intake = match checked {
            Ok(intake) => intake,
            Err(refused) => {
                outcomes.push(Err(refused));
                continue;
            }
        };
        let mut new = new_enrolment(request, intake);
        let seat = match needs_approval(request) {
            true => None,
            false => Some(take_seat(&*txn, &run, request.work_field).await?),
        };
        let outcome = match seat {
            Some(Seat::Waits(reason)) => {
                let ahead = match waiting_now {
                    Some(ahead) => ahead,
                    None => waitlisted_in(&*txn, run.id).await?,
                };
                waiting_now = Some(ahead + 1);
                run.waitlist_counter += 1;
                new.waitlist_seq = Set(Some(run.waitlist_counter));
                new.status = Set(EnrolmentStatus::Waitlisted);
                waitlisted.push(new);
                audit_on_behalf(&*txn, request).await?;
                let news = News::Waitlisted {
                    position: ahead + 1,
                    reason,
                };
                let addressee = request.addressee.clone();
                let mail = mails::mail_of(&*txn, addressee.title, &run, news).await?;
                waitlist_mails.push((addressee.recipient, mail, request.now));
                EnrolmentOutcome {
                    status: EnrolmentStatus::Waitlisted,
                    waitlist_position: Some(ahead + 1),
                    waitlist_reason: Some(reason),
                }
            }
            taken_or_asked => {
                new.status = Set(match taken_or_asked {
                    Some(_) => EnrolmentStatus::Confirmed,
                    None => EnrolmentStatus::Requested,
                });
                let stored = new.insert(&*txn).await?;
                if stored.status == EnrolmentStatus::Confirmed {
                    // Known under the lock: the next request needs no query to find it full.
                    run.seats_taken += 1;
                }
                audit_on_behalf(&*txn, request).await?;
                let outcome = EnrolmentOutcome {
                    status: stored.status,
                    waitlist_position: None,
                    waitlist_reason: None,
                };
                tell_of_enrolment(&*txn, request, &stored, &run, &outcome).await?;
                outcome
            }
        };
        outcomes.push(Ok(outcome));
    }
    if run.waitlist_counter != counter_before {
        run::Entity::update_many()
            .col_expr(
                run::Column::WaitlistCounter,
                Expr::col(run::Column::WaitlistCounter).add(run.waitlist_counter - counter_before),
            )
            .filter(run::Column::Id.eq(run.id))
            .exec(&*txn)
            .await?;
    }
    enrolment::Entity::insert_many(waitlisted)
        .exec_without_returning(&*txn)
        .await?;
    let now = requests.iter().map(|r| r.now).max().unwrap_or(first.now);
    crate::messaging::service::outbox::queue_many(&*txn, waitlist_mails, now).await?;
    txn.commit().await?;
    Ok(outcomes)
}

/// How many are on the run's waitlist now.
async fn waitlisted_in(db: &impl ConnectionTrait, run_id: i32) -> Result<u32, ServiceError> {
    let count = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .count(db)
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// A confirmation's mail (with the sessions attached) and its reminders.
async fn confirm_news(
    db: &impl ConnectionTrait,
    enrolment: &enrolment::Model,
    run: &run::Model,
    news: News,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    mails::tell(db, enrolment.user_id, run, news, now).await?;
    mails::schedule_reminders(db, enrolment.id, run, now).await
}

/// Takes one seat for `work_field` if the run has one free and the field is within its share.
/// What asking for a seat gave.
enum Seat {
    Taken,
    Waits(WaitlistReason),
}

impl Seat {
    fn is_taken(&self) -> bool {
        matches!(self, Seat::Taken)
    }
}

async fn take_seat(
    db: &impl ConnectionTrait,
    run: &run::Model,
    work_field: WorkField,
) -> Result<Seat, ServiceError> {
    if run.max_work_field_share.is_some() {
        let cap = work_field_cap(
            Ord::max(run.capacity, 0) as u32,
            run.max_work_field_share.map(|s| s as u32),
        ) as i32;
        work_field_seats::Entity::insert(work_field_seats::ActiveModel {
            run_id: Set(run.id),
            work_field: Set(work_field.slug().to_owned()),
            seats: Set(0),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(db)
        .await?;
        let field = work_field_seats::Entity::update_many()
            .col_expr(
                work_field_seats::Column::Seats,
                Expr::col(work_field_seats::Column::Seats).add(1),
            )
            .filter(work_field_seats::Column::RunId.eq(run.id))
            .filter(work_field_seats::Column::WorkField.eq(work_field.slug()))
            .filter(work_field_seats::Column::Seats.lt(cap))
            .exec(db)
            .await?;
        if field.rows_affected != 1 {
            return Ok(Seat::Waits(WaitlistReason::WorkFieldShare));
        }
    }
    // `run` was read under its lock in this transaction, so a full run is known to be full
    // (and the conditional update below still guards the seat count).
    if run.seats_taken < run.capacity {
        let seat = run::Entity::update_many()
            .col_expr(
                run::Column::SeatsTaken,
                Expr::col(run::Column::SeatsTaken).add(1),
            )
            .filter(run::Column::Id.eq(run.id))
            .filter(Expr::col(run::Column::SeatsTaken).lt(Expr::col(run::Column::Capacity)))
            .exec(db)
            .await?;
        if seat.rows_affected == 1 {
            return Ok(Seat::Taken);
        }
    }
    if run.max_work_field_share.is_some() {
        release_field_seat(db, run.id, work_field).await?;
    }
    Ok(Seat::Waits(WaitlistReason::Full))
}

async fn release_field_seat(
    db: &impl ConnectionTrait,
    run_id: i32,
    work_field: WorkField,
) -> Result<(), ServiceError> {
    work_field_seats::Entity::update_many()
        .col_expr(
            work_field_seats::Column::Seats,
            Expr::col(work_field_seats::Column::Seats).sub(1),
        )
        .filter(work_field_seats::Column::RunId.eq(run_id))
        .filter(work_field_seats::Column::WorkField.eq(work_field.slug()))
        .filter(work_field_seats::Column::Seats.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives back the seat an enrolment held.
async fn release_seat(
    db: &impl ConnectionTrait,
    run: &run::Model,
    work_field: WorkField,
) -> Result<(), ServiceError> {
    run::Entity::update_many()
        .col_expr(
            run::Column::SeatsTaken,
            Expr::col(run::Column::SeatsTaken).sub(1),
        )
        .filter(run::Column::Id.eq(run.id))
        .filter(run::Column::SeatsTaken.gt(0))
        .exec(db)
        .await?;
    release_field_seat(db, run.id, work_field).await
}

/// The next place on the run's waitlist: its number and, in the same statement, its position
/// (everyone waitlisted now is ahead, as their numbers are lower). The run must be locked.
async fn join_waitlist(db: &impl ConnectionTrait, run_id: i32) -> Result<(i32, u32), ServiceError> {
    use sea_orm::sea_query::{Query, QueryStatementBuilder};
    let waiting = Query::select()
        .expr(Expr::col(enrolment::Column::Id).count())
        .from(enrolment::Entity)
        .and_where(enrolment::Column::RunId.eq(run_id))
        .and_where(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .to_owned();
    let statement = Query::update()
        .table(run::Entity)
        .value(
            run::Column::WaitlistCounter,
            Expr::col(run::Column::WaitlistCounter).add(1),
        )
        .and_where(run::Column::Id.eq(run_id))
        .returning(Query::returning().exprs([
            Expr::col(run::Column::WaitlistCounter),
            Expr::SubQuery(None, Box::new(waiting.into_sub_query_statement())),
        ]))
        .to_owned();
    let row = db
        .query_one(&statement)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let seq: i32 = row.try_get_by_index(0)?;
    let ahead: i64 = row.try_get_by_index(1)?;
    Ok((
        seq,
        u32::try_from(ahead).unwrap_or(u32::MAX).saturating_add(1),
    ))
}

/// Offers free seats to the waitlist in order, skipping people whose work field is at its
/// share; nothing after the waitlist cut-off or for a cancelled run. Returns the offers made.
pub(crate) async fn fill_from_waitlist(
    db: &impl ConnectionTrait,
    run_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, ServiceError> {
    let mut offered = Vec::new();
    let run = run::Entity::find_by_id(run_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if run.status == RunStatus::Cancelled || amsterdam_date(now) > run.waitlist_closes {
        return Ok(offered);
    }
    let waiting = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::WaitlistSeq)
        .all(db)
        .await?;
    for candidate in waiting {
        let run = run::Entity::find_by_id(run_id)
            .one(db)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if run.seats_taken >= run.capacity {
            break;
        }
        if !take_seat(db, &run, candidate.work_field).await?.is_taken() {
            continue;
        }
        let (id, user_id) = (candidate.id, candidate.user_id);
        let deadline = now + chrono::Duration::hours(i64::from(run.offer_hours));
        let mut active = candidate.into_active_model();
        active.status = Set(EnrolmentStatus::Offered);
        active.offer_expires_at = Set(Some(deadline));
        active.updated_at = Set(now);
        active.update(db).await?;
        jobs::enqueue(db, JobKind::ExpireOffer, id, deadline, now).await?;
        mails::tell(db, user_id, &run, News::Offered { deadline }, now).await?;
        offered.push(id);
    }
    Ok(offered)
}

/// Ends an enrolment (status, no longer active) and frees its seat if it held one.
async fn end_enrolment(
    db: &impl ConnectionTrait,
    run: &run::Model,
    enrolment: enrolment::Model,
    status: EnrolmentStatus,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if enrolment.status.holds_seat() {
        release_seat(db, run, enrolment.work_field).await?;
    }
    let mut active = enrolment.into_active_model();
    active.status = Set(status);
    active.active = Set(None);
    active.offer_expires_at = Set(None);
    if reason.is_some() {
        active.rejection_reason = Set(reason);
    }
    active.updated_at = Set(now);
    active.update(db).await?;
    Ok(())
}

/// The participant cancels: free until the cut-off, `late_cancelled` after it. A freed seat
/// goes to the waitlist at once.
pub async fn cancel(
    db: &DatabaseConnection,
    user_id: i32,
    training_slug: &str,
    run_code: &str,
    now: DateTime<Utc>,
) -> Result<EnrolmentStatus, ServiceError> {
    let run_id = find_run(db, training_slug, run_code).await?.id;
    let first = first_session_of(db, run_id).await?;
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    refuse_when_closed(&run, "afmelden")?;
    let Some(enrolment) = active_enrolment(&*txn, run.id, user_id).await? else {
        return Err(ServiceError::Invalid(
            "U bent niet (meer) ingeschreven voor deze uitvoering.".into(),
        ));
    };
    let late = enrolment.status == EnrolmentStatus::Confirmed
        && first.is_some_and(|first| {
            amsterdam_date(now)
                > crate::training::rules::free_cancellation_until(
                    first,
                    Ord::max(run.cancellation_days, 0) as u32,
                )
        });
    let status = if late {
        EnrolmentStatus::LateCancelled
    } else {
        EnrolmentStatus::Cancelled
    };
    end_enrolment(&*txn, &run, enrolment, status, None, now).await?;
    let late = status == EnrolmentStatus::LateCancelled;
    mails::tell(&*txn, user_id, &run, News::Cancelled { late }, now).await?;
    fill_from_waitlist(&*txn, run.id, now).await?;
    txn.commit().await?;
    Ok(status)
}

/// The participant takes the seat offered to them (before the deadline).
pub async fn accept_offer(
    db: &DatabaseConnection,
    user_id: i32,
    training_slug: &str,
    run_code: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let run_id = find_run(db, training_slug, run_code).await?.id;
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    let enrolment = active_enrolment(&*txn, run.id, user_id).await?;
    let Some(enrolment) = enrolment.filter(|e| e.status == EnrolmentStatus::Offered) else {
        return Err(ServiceError::Invalid(
            "Er staat voor u geen plaats klaar in deze uitvoering.".into(),
        ));
    };
    if enrolment
        .offer_expires_at
        .is_some_and(|deadline| deadline <= now)
    {
        end_enrolment(&*txn, &run, enrolment, EnrolmentStatus::Expired, None, now).await?;
        mails::tell(&*txn, user_id, &run, News::OfferExpired, now).await?;
        fill_from_waitlist(&*txn, run.id, now).await?;
        txn.commit().await?;
        return Err(ServiceError::Invalid(
            "Het aanbod is verlopen; de plaats is aan de volgende op de wachtlijst aangeboden."
                .into(),
        ));
    }
    let mut active = enrolment.into_active_model();
    active.status = Set(EnrolmentStatus::Confirmed);
    active.offer_expires_at = Set(None);
    active.updated_at = Set(now);
    let stored = active.update(&*txn).await?;
    confirm_news(&*txn, &stored, &run, News::Confirmed, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The participant declines the seat offered to them; it goes to the next in line.
pub async fn decline_offer(
    db: &DatabaseConnection,
    user_id: i32,
    training_slug: &str,
    run_code: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let run_id = find_run(db, training_slug, run_code).await?.id;
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    let enrolment = active_enrolment(&*txn, run.id, user_id).await?;
    let Some(enrolment) = enrolment.filter(|e| e.status == EnrolmentStatus::Offered) else {
        return Err(ServiceError::Invalid(
            "Er staat voor u geen plaats klaar in deze uitvoering.".into(),
        ));
    };
    end_enrolment(&*txn, &run, enrolment, EnrolmentStatus::Declined, None, now).await?;
    fill_from_waitlist(&*txn, run.id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Offers whose deadline passed expire and move on to the next in line (the job runner does
/// this per offer at its deadline; this sweep catches up on all that are due). Returns how
/// many expired.
pub async fn expire_offers(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let due = enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Offered))
        .filter(enrolment::Column::OfferExpiresAt.lte(now))
        .all(db)
        .await?;
    let mut expired = 0;
    for candidate in due {
        expired += usize::from(expire_offer(db, candidate.id, now).await?);
    }
    Ok(expired)
}

/// The job `expire_offer`: if the offer is still open and its deadline has passed, it expires
/// and the seat goes to the next in line. Idempotent: an answered or already expired offer no
/// longer matches. Returns whether it expired.
pub async fn expire_offer(
    db: &DatabaseConnection,
    enrolment_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let Some(run_id) = run_of_enrolment(db, enrolment_id).await? else {
        return Ok(false);
    };
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    // Read under the lock: the participant may have answered meanwhile.
    let current = enrolment::Entity::find_by_id(enrolment_id)
        .one(&*txn)
        .await?
        .filter(|e| {
            e.status == EnrolmentStatus::Offered && e.offer_expires_at.is_some_and(|d| d <= now)
        });
    let Some(current) = current else {
        return Ok(false);
    };
    let user_id = current.user_id;
    end_enrolment(&*txn, &run, current, EnrolmentStatus::Expired, None, now).await?;
    mails::tell(&*txn, user_id, &run, News::OfferExpired, now).await?;
    fill_from_waitlist(&*txn, run.id, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// A write transaction holding the run of request `enrolment_id` locked, with the request
/// re-read under the lock; refused when someone decided on it meanwhile.
async fn open_request(
    db: &DatabaseConnection,
    enrolment_id: i32,
) -> Result<(crate::db::WriteTransaction, run::Model, enrolment::Model), ServiceError> {
    let run_id = run_of_enrolment(db, enrolment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    let request = enrolment::Entity::find_by_id(enrolment_id)
        .one(&*txn)
        .await?
        .filter(|e| e.status == EnrolmentStatus::Requested)
        .ok_or_else(|| ServiceError::Invalid("Deze aanvraag is al behandeld.".into()))?;
    Ok((txn, run, request))
}

/// A trainer approves a request: confirmed when a seat is free (and the work field within its
/// share), otherwise waitlisted in the order of approval.
pub async fn approve(
    db: &DatabaseConnection,
    enrolment_id: i32,
    now: DateTime<Utc>,
) -> Result<EnrolmentOutcome, ServiceError> {
    let (txn, run, request) = open_request(db, enrolment_id).await?;
    let mut active = request.clone().into_active_model();
    let seat = match run.status {
        RunStatus::Cancelled => Seat::Waits(WaitlistReason::Full),
        _ => take_seat(&*txn, &run, request.work_field).await?,
    };
    let (waits, waitlist_position) = match seat {
        Seat::Taken => {
            active.status = Set(EnrolmentStatus::Confirmed);
            (None, None)
        }
        Seat::Waits(reason) => {
            active.status = Set(EnrolmentStatus::Waitlisted);
            let (seq, position) = join_waitlist(&*txn, run.id).await?;
            active.waitlist_seq = Set(Some(seq));
            (Some(reason), Some(position))
        }
    };
    active.updated_at = Set(now);
    let stored = active.update(&*txn).await?;
    let outcome = EnrolmentOutcome {
        status: stored.status,
        waitlist_position,
        waitlist_reason: waits,
    };
    if outcome.status == EnrolmentStatus::Confirmed {
        let news = News::Approved {
            waitlisted_at: None,
        };
        confirm_news(&*txn, &stored, &run, news, now).await?;
    } else {
        let news = News::Approved {
            waitlisted_at: outcome.waitlist_position.zip(waits),
        };
        mails::tell(&*txn, stored.user_id, &run, news, now).await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

pub const MAX_REASON: usize = 500;

/// A trainer rejects a request with a reason the person sees.
pub async fn reject(
    db: &DatabaseConnection,
    enrolment_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::Invalid(
            "Geef een reden; de aanvrager ziet die.".into(),
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ServiceError::Invalid(format!(
            "De reden is te lang (hoogstens {MAX_REASON} tekens)."
        )));
    }
    let (txn, run, request) = open_request(db, enrolment_id).await?;
    let user_id = request.user_id;
    end_enrolment(
        &*txn,
        &run,
        request,
        EnrolmentStatus::Rejected,
        Some(reason.to_owned()),
        now,
    )
    .await?;
    let news = News::Rejected {
        reason: reason.to_owned(),
    };
    mails::tell(&*txn, user_id, &run, news, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets a run's capacity: never below the seats taken; a raise offers seats to the waitlist.
pub async fn set_capacity(
    db: &DatabaseConnection,
    run_id: i32,
    capacity: u32,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, ServiceError> {
    if capacity == 0 || capacity > crate::training::rules::MAX_CAPACITY {
        return Err(ServiceError::Invalid(format!(
            "De capaciteit ligt tussen 1 en {}.",
            crate::training::rules::MAX_CAPACITY
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    refuse_when_closed(&run, "de capaciteit wijzigen")?;
    if (capacity as i32) < run.seats_taken {
        return Err(ServiceError::Invalid(format!(
            "Er zijn al {} plaatsen bezet (ingeschreven of aangeboden); de capaciteit kan niet lager dan dat.",
            run.seats_taken
        )));
    }
    let mut active = run.into_active_model();
    active.capacity = Set(capacity as i32);
    active.web_edited = Set(true);
    active.updated_at = Set(now);
    active.update(&*txn).await?;
    let offered = fill_from_waitlist(&*txn, run_id, now).await?;
    txn.commit().await?;
    Ok(offered)
}

/// Cancels a whole run: every active enrolment ends as cancelled. Returns who was enrolled.
pub async fn cancel_run(
    db: &DatabaseConnection,
    run_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ServiceError::Invalid(format!(
            "Geef een reden (hoogstens {MAX_REASON} tekens); de deelnemers zien die."
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    let run = lock_run(&*txn, run_id).await?;
    if run.status == RunStatus::Cancelled {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is al geannuleerd.".into(),
        ));
    }
    if run.closed_at.is_some() {
        return Err(ServiceError::Invalid(
            "Een afgesloten uitvoering kan niet meer worden geannuleerd.".into(),
        ));
    }
    let active = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run_id))
        .filter(enrolment::Column::Active.eq(1))
        .all(&*txn)
        .await?;
    let mut affected = Vec::with_capacity(active.len());
    let mut was_confirmed = HashSet::new();
    for enrolment in active {
        affected.push(enrolment.user_id);
        if enrolment.status == EnrolmentStatus::Confirmed {
            was_confirmed.insert(enrolment.user_id);
        }
        end_enrolment(
            &*txn,
            &run,
            enrolment,
            EnrolmentStatus::Cancelled,
            None,
            now,
        )
        .await?;
    }
    let mut stored = run::Entity::find_by_id(run_id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into_active_model();
    stored.status = Set(RunStatus::Cancelled);
    stored.cancelled_reason = Set(Some(reason.to_owned()));
    stored.web_edited = Set(true);
    stored.updated_at = Set(now);
    let cancelled = stored.update(&*txn).await?;
    for user_id in &affected {
        let news = News::RunCancelled {
            reason: reason.to_owned(),
            was_confirmed: was_confirmed.contains(user_id),
        };
        mails::tell(&*txn, *user_id, &cancelled, news, now).await?;
    }
    txn.commit().await?;
    Ok(affected)
}

/// The run an enrolment belongs to.
pub async fn run_of_enrolment(
    db: &DatabaseConnection,
    enrolment_id: i32,
) -> Result<Option<i32>, ServiceError> {
    Ok(enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .map(|e| e.run_id))
}
