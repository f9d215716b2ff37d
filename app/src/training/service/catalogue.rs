//! The catalogue (`/trainingen`), one training with its runs, and a person's own trainings.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::knowledge::entity::{self as documents, Entity as Documents};
use crate::knowledge::model::{DocumentKind, DocumentStatus};
use crate::training::entity::{enrolment, run, run_session, run_trainer};
use crate::training::model::facts::TrainingFacts;
use crate::training::model::front_matter::TrainingDocument;
use crate::training::model::{
    EnrolmentStatus, MyEnrolment, MyTraining, RunStatus, RunView, SessionView, TrainingDetail,
    TrainingSummary,
};
use crate::training::rules::{availability_nl, enrolment_is_open, free_cancellation_until};
use crate::vocabulary::{Phenomenon, WorkField};

/// Who is looking: their account, login subject and whether they are an admin.
#[derive(Clone, Debug)]
pub struct Looker {
    pub user_id: i32,
    pub subject: String,
    pub is_admin: bool,
}

/// The viewer as the catalogue needs them: with their login subject (trainers are named by it).
pub async fn looker(
    db: &impl ConnectionTrait,
    viewer: &crate::identity::access::Viewer,
) -> Result<Looker, ServiceError> {
    let account = crate::identity::entity::user::Entity::find_by_id(viewer.user_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Looker {
        user_id: viewer.user_id,
        subject: account.subject,
        is_admin: viewer.has_role(crate::identity::access::Role::Admin),
    })
}

fn published_training_query(slug: &str) -> sea_orm::Select<Documents> {
    Documents::find()
        .filter(documents::Column::Slug.eq(slug))
        .filter(documents::Column::Kind.eq(DocumentKind::Training))
        .filter(documents::Column::Status.eq(DocumentStatus::Published))
}

/// The title of published training `slug`.
pub async fn published_training_title(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<String, ServiceError> {
    published_training_query(slug)
        .select_only()
        .column(documents::Column::Title)
        .into_tuple()
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Training slug → title, of `slugs` or of every training when `None`; titles only, not the
/// documents' bodies.
pub async fn training_titles(
    db: &impl ConnectionTrait,
    slugs: Option<Vec<String>>,
) -> Result<std::collections::BTreeMap<String, String>, ServiceError> {
    let mut query = Documents::find()
        .select_only()
        .column(documents::Column::Slug)
        .column(documents::Column::Title)
        .filter(documents::Column::Kind.eq(DocumentKind::Training));
    if let Some(slugs) = slugs {
        query = query.filter(documents::Column::Slug.is_in(slugs));
    }
    Ok(query.into_tuple().all(db).await?.into_iter().collect())
}

async fn published_training(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<documents::Model, ServiceError> {
    published_training_query(slug)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The facts of a published training (hours, intake, approval…).
pub async fn training_facts(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<TrainingFacts, ServiceError> {
    Ok(training_facts_and_title(db, slug).await?.0)
}

/// [`training_facts`] and the training's title, reading only those two columns: enrolling
/// reads them on every request.
pub async fn training_facts_and_title(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<(TrainingFacts, String), ServiceError> {
    let row: Option<(String, Option<String>)> = published_training_query(slug)
        .select_only()
        .column(documents::Column::Title)
        .column(documents::Column::Training)
        .into_tuple()
        .one(db)
        .await?;
    let (title, training) = row.ok_or(ServiceError::NotFound)?;
    Ok((stored_facts(training.as_deref(), slug)?, title))
}

/// The facts of what the documents table holds for training `slug`.
fn stored_facts(stored: Option<&str>, slug: &str) -> Result<TrainingFacts, ServiceError> {
    let stored =
        stored.ok_or_else(|| ServiceError::Corrupt(format!("training '{slug}' has no facts")))?;
    TrainingDocument::from_stored(stored)
        .map(|document| document.facts)
        .map_err(|error| ServiceError::Corrupt(format!("training '{slug}': {error}")))
}

/// The run `code` of training `slug`, or not found.
pub async fn find_run(
    db: &impl ConnectionTrait,
    training_slug: &str,
    code: &str,
) -> Result<run::Model, ServiceError> {
    run::Entity::find()
        .filter(run::Column::TrainingSlug.eq(training_slug))
        .filter(run::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn first_session_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Option<NaiveDate>, ServiceError> {
    Ok(run_session::Entity::find()
        .filter(run_session::Column::RunId.eq(run_id))
        .order_by_asc(run_session::Column::Date)
        .one(db)
        .await?
        .map(|s| s.date))
}

/// 1-based place on the waitlist.
pub async fn waitlist_position(
    db: &impl ConnectionTrait,
    enrolment: &enrolment::Model,
) -> Result<Option<u32>, ServiceError> {
    let (EnrolmentStatus::Waitlisted, Some(seq)) = (enrolment.status, enrolment.waitlist_seq)
    else {
        return Ok(None);
    };
    let ahead = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(enrolment.run_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .filter(enrolment::Column::WaitlistSeq.lt(seq))
        .count(db)
        .await?;
    Ok(Some(ahead as u32 + 1))
}

/// Whether `subject` trains run `run_id`.
pub async fn is_trainer_of(
    db: &impl ConnectionTrait,
    run_id: i32,
    subject: &str,
) -> Result<bool, ServiceError> {
    Ok(
        run_trainer::Entity::find_by_id((run_id, subject.to_owned()))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Which runs of the given trainings a page shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunsShown {
    /// Runs not yet behind us (the catalogue).
    Current,
    /// Runs not yet behind us, and those behind us that the looker enrolled in or teaches (a
    /// training's page): ten years of runs are the coordinators' overview's.
    CurrentAndOwn,
}

/// The runs of `slugs` that `shown` selects, as the looker sees them, per training slug, each
/// training's runs by their first session.
async fn run_views(
    db: &impl ConnectionTrait,
    slugs: &[String],
    looker: Option<&Looker>,
    now: DateTime<Utc>,
    shown: RunsShown,
) -> Result<HashMap<String, Vec<RunView>>, ServiceError> {
    use sea_orm::sea_query::Query;

    let today = amsterdam_date(now);
    // Years of runs lie behind us: only the others are read, with their sessions and counts.
    let mut wanted = sea_orm::Condition::any()
        .add(run::Column::LastSessionOn.is_null())
        .add(run::Column::LastSessionOn.gte(today));
    if let (RunsShown::CurrentAndOwn, Some(looker)) = (shown, looker) {
        wanted = wanted
            .add(
                run::Column::Id.in_subquery(
                    Query::select()
                        .column(enrolment::Column::RunId)
                        .from(enrolment::Entity)
                        .and_where(enrolment::Column::UserId.eq(looker.user_id))
                        .to_owned(),
                ),
            )
            .add(
                run::Column::Id.in_subquery(
                    Query::select()
                        .column(run_trainer::Column::RunId)
                        .from(run_trainer::Entity)
                        .and_where(run_trainer::Column::Subject.eq(&looker.subject))
                        .to_owned(),
                ),
            );
    }
    let runs = run::Entity::find()
        .filter(run::Column::TrainingSlug.is_in(slugs.iter().cloned()))
        .filter(wanted)
        .all(db)
        .await?;
    let mut by_training: HashMap<String, Vec<RunView>> = HashMap::new();
    for view in views_of(db, runs, looker, today).await? {
        by_training.entry(view.0).or_default().push(view.1);
    }
    for views in by_training.values_mut() {
        views.sort_by_key(|v| v.sessions.first().map(|s| s.date));
    }
    Ok(by_training)
}

/// How `looker` sees `runs` (each with its training's slug): sessions, seats, waitlist, their
/// own enrolment and whether they manage it; read for all runs at once.
async fn views_of(
    db: &impl ConnectionTrait,
    runs: Vec<run::Model>,
    looker: Option<&Looker>,
    today: NaiveDate,
) -> Result<Vec<(String, RunView)>, ServiceError> {
    let run_ids: Vec<i32> = runs.iter().map(|r| r.id).collect();
    let mut sessions: HashMap<i32, Vec<run_session::Model>> = HashMap::new();
    for session in run_session::Entity::find()
        .filter(run_session::Column::RunId.is_in(run_ids.clone()))
        .order_by_asc(run_session::Column::Position)
        .all(db)
        .await?
    {
        sessions.entry(session.run_id).or_default().push(session);
    }
    let waitlisted = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.is_in(run_ids.clone()))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .all(db)
        .await?
        .into_iter()
        .fold(HashMap::<i32, u32>::new(), |mut counts, e| {
            *counts.entry(e.run_id).or_default() += 1;
            counts
        });
    let mut mine: HashMap<i32, enrolment::Model> = HashMap::new();
    let mut trains: Vec<i32> = Vec::new();
    if let Some(looker) = looker {
        // The newest enrolment per run: an active one, or how the last one ended.
        for e in enrolment::Entity::find()
            .filter(enrolment::Column::RunId.is_in(run_ids.clone()))
            .filter(enrolment::Column::UserId.eq(looker.user_id))
            .order_by_asc(enrolment::Column::Id)
            .all(db)
            .await?
        {
            mine.insert(e.run_id, e);
        }
        trains = run_trainer::Entity::find()
            .filter(run_trainer::Column::RunId.is_in(run_ids.clone()))
            .filter(run_trainer::Column::Subject.eq(&looker.subject))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.run_id)
            .collect();
    }
    let mut views = Vec::with_capacity(runs.len());
    for run in runs {
        let run_sessions = sessions.remove(&run.id).unwrap_or_default();
        let manages = looker.is_some_and(|l| l.is_admin) || trains.contains(&run.id);
        let my = match mine.get(&run.id) {
            Some(e) => Some(MyEnrolment {
                status: e.status,
                waitlist_position: waitlist_position(db, e).await?,
                offer_expires_at: e.offer_expires_at,
                rejection_reason: e.rejection_reason.clone(),
            }),
            None => None,
        };
        let sees_link = manages
            || my
                .as_ref()
                .is_some_and(|m| m.status == EnrolmentStatus::Confirmed);
        let view = to_run_view(
            &run,
            run_sessions,
            waitlisted.get(&run.id).copied().unwrap_or(0),
            my,
            sees_link,
            manages,
            today,
        );
        views.push((run.training_slug, view));
    }
    Ok(views)
}

/// One run as `looker` sees it, whether or not it lies behind us (a run's management page).
pub async fn run_view(
    db: &impl ConnectionTrait,
    run: &run::Model,
    looker: &Looker,
    now: DateTime<Utc>,
) -> Result<RunView, ServiceError> {
    views_of(db, vec![run.clone()], Some(looker), amsterdam_date(now))
        .await?
        .pop()
        .map(|(_, view)| view)
        .ok_or(ServiceError::NotFound)
}

fn to_run_view(
    run: &run::Model,
    sessions: Vec<run_session::Model>,
    waitlisted: u32,
    mine: Option<MyEnrolment>,
    sees_link: bool,
    manages: bool,
    today: NaiveDate,
) -> RunView {
    let seats_left = (run.capacity - run.seats_taken).max(0) as u32;
    let cancelled = run.status == RunStatus::Cancelled;
    let open = !cancelled && enrolment_is_open(today, run.enrolment_opens, run.enrolment_closes);
    let active = mine.as_ref().is_some_and(|m| m.status.is_active());
    RunView {
        code: run.code.clone(),
        status: run.status,
        capacity: run.capacity.max(0) as u32,
        seats_left,
        waitlisted,
        enrolment_opens: run.enrolment_opens,
        enrolment_closes: run.enrolment_closes,
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                date: s.date,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                location: s.location,
                online_link: s.online_link.filter(|_| sees_link),
            })
            .collect(),
        availability: availability_nl(
            today,
            cancelled,
            seats_left,
            run.enrolment_opens,
            run.enrolment_closes,
        ),
        can_enrol: open && !active,
        mine,
        manages,
    }
}

/// Published trainings with their upcoming runs, alphabetically, optionally filtered by
/// phenomenon, audience and the month (`YYYY-MM`) a run starts in.
pub async fn list_trainings(
    db: &impl ConnectionTrait,
    looker: Option<&Looker>,
    phenomenon: Option<Phenomenon>,
    audience: Option<WorkField>,
    month: Option<(i32, u32)>,
    now: DateTime<Utc>,
) -> Result<Vec<TrainingSummary>, ServiceError> {
    let documents = Documents::find()
        .filter(documents::Column::Kind.eq(DocumentKind::Training))
        .filter(documents::Column::Status.eq(DocumentStatus::Published))
        .order_by_asc(documents::Column::Title)
        .all(db)
        .await?;
    let documents: Vec<documents::Model> = documents
        .into_iter()
        .filter(|d| phenomenon.is_none_or(|p| d.phenomena.0.contains(&p)))
        .filter(|d| audience.is_none_or(|a| d.audience.0.contains(&a)))
        .collect();
    let slugs: Vec<String> = documents.iter().map(|d| d.slug.clone()).collect();
    let mut runs = run_views(db, &slugs, looker, now, RunsShown::Current).await?;
    let mut trainings = Vec::with_capacity(documents.len());
    for document in documents {
        let mut runs = runs.remove(&document.slug).unwrap_or_default();
        if let Some((year, month)) = month {
            use chrono::Datelike;
            runs.retain(|r| {
                r.sessions
                    .first()
                    .is_some_and(|s| s.date.year() == year && s.date.month() == month)
            });
            if runs.is_empty() {
                continue;
            }
        }
        trainings.push(TrainingSummary {
            hours: stored_facts(document.training.as_deref(), &document.slug)
                .map_or(0, |facts| facts.hours),
            slug: document.slug,
            title: document.title,
            summary: document.summary,
            phenomena: document.phenomena.0,
            audience: document.audience.0,
            runs,
        });
    }
    Ok(trainings)
}

/// One published training with its description and every run (past ones too).
pub async fn training_detail(
    db: &impl ConnectionTrait,
    slug: &str,
    looker: Option<&Looker>,
    now: DateTime<Utc>,
) -> Result<TrainingDetail, ServiceError> {
    let document = published_training(db, slug).await?;
    let facts = stored_facts(document.training.as_deref(), slug)?;
    let preparation_title = match &facts.preparation {
        Some(course) => Documents::find()
            .filter(documents::Column::Slug.eq(course))
            .filter(documents::Column::Kind.eq(DocumentKind::Course))
            .filter(documents::Column::Status.eq(DocumentStatus::Published))
            .one(db)
            .await?
            .map(|c| c.title),
        None => None,
    };
    let runs = run_views(
        db,
        &[slug.to_owned()],
        looker,
        now,
        RunsShown::CurrentAndOwn,
    )
    .await?
    .remove(slug)
    .unwrap_or_default();
    Ok(TrainingDetail {
        slug: document.slug,
        title: document.title,
        summary: document.summary,
        body_html: document.body_html,
        phenomena: document.phenomena.0,
        audience: document.audience.0,
        facts,
        preparation_title,
        runs,
        logged_in: looker.is_some(),
        can_add_run: false,
    })
}

/// Every enrolment of `looker`, newest run first.
pub async fn my_trainings(
    db: &impl ConnectionTrait,
    looker: &Looker,
    now: DateTime<Utc>,
) -> Result<Vec<MyTraining>, ServiceError> {
    let today = amsterdam_date(now);
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(looker.user_id))
        .order_by_desc(enrolment::Column::Id)
        .all(db)
        .await?;
    let run_ids: Vec<i32> = enrolments.iter().map(|e| e.run_id).collect();
    let runs: HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(run_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let slugs: Vec<String> = runs.values().map(|r| r.training_slug.clone()).collect();
    let titles = training_titles(db, Some(slugs)).await?;
    // Every session of these runs in one query, not one per enrolment.
    let mut sessions_by_run: HashMap<i32, Vec<run_session::Model>> = HashMap::new();
    for session in run_session::Entity::find()
        .filter(run_session::Column::RunId.is_in(runs.keys().copied()))
        .order_by_asc(run_session::Column::Position)
        .all(db)
        .await?
    {
        sessions_by_run
            .entry(session.run_id)
            .or_default()
            .push(session);
    }
    let mut seen_runs = std::collections::HashSet::new();
    let mut out = Vec::new();
    for e in enrolments {
        // Only the latest enrolment per run: an ended one and a new one would otherwise both show.
        if !seen_runs.insert(e.run_id) {
            continue;
        }
        let Some(run) = runs.get(&e.run_id) else {
            continue;
        };
        let sessions = sessions_by_run.remove(&run.id).unwrap_or_default();
        let first = sessions.iter().map(|s| s.date).min();
        let free_until =
            first.map(|f| free_cancellation_until(f, run.cancellation_days.max(0) as u32));
        let confirmed = e.status == EnrolmentStatus::Confirmed;
        out.push(MyTraining {
            training_title: titles
                .get(&run.training_slug)
                .cloned()
                .unwrap_or_else(|| run.training_slug.clone()),
            training_slug: run.training_slug.clone(),
            run_code: run.code.clone(),
            run_cancelled: run.status == RunStatus::Cancelled,
            run_closed: run.closed_at.is_some(),
            cancellation_is_late: confirmed && free_until.is_some_and(|until| today > until),
            free_cancellation_until: free_until,
            attended: None,
            still_needed: Vec::new(),
            may_evaluate: false,
            sessions: sessions
                .into_iter()
                .map(|s| SessionView {
                    date: s.date,
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    location: s.location,
                    online_link: s.online_link.filter(|_| confirmed),
                })
                .collect(),
            enrolment: MyEnrolment {
                status: e.status,
                waitlist_position: waitlist_position(db, &e).await?,
                offer_expires_at: e.offer_expires_at,
                rejection_reason: e.rejection_reason.clone(),
            },
        });
    }
    Ok(out)
}

/// Every enrolment of `user_id` for the personal-data export: training, run, status, waitlist
/// position, intake answers and a rejection's reason.
pub async fn enrolments_export(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<serde_json::Value, ServiceError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let runs: HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(enrolments.iter().map(|e| e.run_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut out = Vec::with_capacity(enrolments.len());
    for e in &enrolments {
        let run = runs.get(&e.run_id);
        out.push(serde_json::json!({
            "training": run.map(|r| r.training_slug.clone()),
            "uitvoering": run.map(|r| r.code.clone()),
            "status": e.status.slug(),
            "wachtlijstplaats": waitlist_position(db, e).await?,
            "werkterrein": e.work_field.slug(),
            "intake": e.intake_answers.as_ref().map(|a| &a.0),
            "reden_afwijzing": e.rejection_reason,
            "aangemaakt": e.created_at,
            "bijgewerkt": e.updated_at,
        }));
    }
    Ok(serde_json::Value::Array(out))
}
