//! Runs written under `runs:` in `content/trainings/<slug>.md`. Each run is created once, keyed
//! by training and code; a file change updates it until someone changes it in the browser (the
//! same rule as web-edited documents), and a capacity below the seats already taken is refused.

use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::knowledge::rules::front_matter::parse_document;
use crate::training::entity::{run, run_session, run_trainer, session_attendance};
use crate::training::model::RunStatus;
use crate::training::model::front_matter::TrainingDocument;
use crate::training::rules::{RunSpec, first_session, parse_runs};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Changed in the browser: left as they are.
    pub kept: usize,
    /// (file, Dutch reason)
    pub rejected: Vec<(String, String)>,
}

/// Imports the runs of every training file under `<content_dir>/trainings`.
pub async fn import_runs(
    db: &DatabaseConnection,
    content_dir: &Path,
    now: DateTime<Utc>,
) -> Result<RunImportReport, ServiceError> {
    let mut report = RunImportReport::default();
    let dir = content_dir.join("trainings");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(report);
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let name = format!(
            "trainings/{}",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        let Some(slug) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ServiceError::Io {
            path: path.clone(),
            source,
        })?;
        let runs = match runs_of(&text) {
            Ok(runs) => runs,
            Err(reason) => {
                report.rejected.push((name, reason));
                continue;
            }
        };
        for spec in runs {
            match upsert_run(db, &slug, &spec, now).await? {
                Upsert::Added => report.added += 1,
                Upsert::Updated => report.updated += 1,
                Upsert::Unchanged => report.unchanged += 1,
                Upsert::Kept => report.kept += 1,
                Upsert::Refused(reason) => report.rejected.push((name.clone(), reason)),
            }
        }
    }
    Ok(report)
}

/// The `runs:` of a training file (none when absent), read by the documents' own front-matter
/// parser, which keeps them as YAML.
fn runs_of(text: &str) -> Result<Vec<RunSpec>, String> {
    let (front_matter, _) = parse_document(text).map_err(|error| error.to_string())?;
    let runs_yaml = match front_matter.kind_fields {
        Some(stored) => {
            TrainingDocument::from_stored(&stored)
                .map_err(|error| error.to_string())?
                .runs_yaml
        }
        None => None,
    };
    match runs_yaml {
        Some(yaml) => parse_runs(&yaml),
        None => Ok(Vec::new()),
    }
}

enum Upsert {
    Added,
    Updated,
    Unchanged,
    Kept,
    Refused(String),
}

async fn upsert_run(
    db: &DatabaseConnection,
    training_slug: &str,
    spec: &RunSpec,
    now: DateTime<Utc>,
) -> Result<Upsert, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let existing = run::Entity::find()
        .filter(run::Column::TrainingSlug.eq(training_slug))
        .filter(run::Column::Code.eq(&spec.code))
        .one(&*txn)
        .await?;
    let waitlist_closes = waitlist_closes_of(spec);
    let outcome = match existing {
        // Changed in the browser, or closed (its register is final): the file no longer decides.
        Some(stored) if stored.web_edited || stored.closed_at.is_some() => Upsert::Kept,
        Some(stored) if stored.seats_taken > spec.capacity as i32 => Upsert::Refused(format!(
            "uitvoering '{}': de capaciteit ({}) is lager dan het aantal bezette plaatsen ({})",
            spec.code, spec.capacity, stored.seats_taken
        )),
        Some(stored) => {
            if run_unchanged(&*txn, &stored, spec).await? {
                Upsert::Unchanged
            } else {
                let id = stored.id;
                let mut active = stored.into_active_model();
                apply(&mut active, spec, waitlist_closes, now);
                let saved = active.update(&*txn).await?;
                let changes = sync_sessions_and_trainers(&*txn, id, spec).await?;
                crate::training::service::mails::tell_of_session_changes(
                    &*txn, &saved, &changes, now,
                )
                .await?;
                Upsert::Updated
            }
        }
        None => {
            insert_run(&*txn, training_slug, spec, false, now).await?;
            Upsert::Added
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

/// Whether the stored run, its sessions and its trainers already say what `spec` says.
pub(crate) async fn run_unchanged(
    db: &impl ConnectionTrait,
    stored: &run::Model,
    spec: &RunSpec,
) -> Result<bool, ServiceError> {
    Ok(settings_unchanged(stored, spec)
        && sessions_of(db, stored.id).await? == session_rows(stored.id, spec)
        && trainers_of(db, stored.id).await? == sorted(&spec.trainers))
}

fn settings_unchanged(stored: &run::Model, spec: &RunSpec) -> bool {
    stored.capacity == spec.capacity as i32
        && stored.enrolment_opens == spec.enrolment_opens
        && stored.enrolment_closes == spec.enrolment_closes
        && stored.cancellation_days == spec.cancellation_days as i32
        && stored.waitlist_closes == waitlist_closes_of(spec)
        && stored.offer_hours == spec.offer_hours as i32
        && stored.max_work_field_share == spec.max_work_field_share.map(|s| s as i32)
}

/// The waitlist cut-off: as given, or the day before the first session.
pub(crate) fn waitlist_closes_of(spec: &RunSpec) -> chrono::NaiveDate {
    spec.waitlist_closes
        .unwrap_or_else(|| first_session(spec) - chrono::Duration::days(1))
}

/// A new run of `training_slug` from `spec`, with its sessions and trainers; `web_edited` when
/// it was made in the browser (the file then no longer decides).
pub(crate) async fn insert_run(
    db: &impl ConnectionTrait,
    training_slug: &str,
    spec: &RunSpec,
    web_edited: bool,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let mut active = run::ActiveModel {
        training_slug: Set(training_slug.to_owned()),
        code: Set(spec.code.clone()),
        status: Set(RunStatus::Scheduled),
        seats_taken: Set(0),
        waitlist_counter: Set(0),
        web_edited: Set(web_edited),
        cancelled_reason: Set(None),
        closed_at: Set(None),
        records_deleted_at: Set(None),
        ..Default::default()
    };
    apply(&mut active, spec, waitlist_closes_of(spec), now);
    let id = active.insert(db).await?.id;
    sync_sessions_and_trainers(db, id, spec).await?;
    Ok(id)
}

pub(crate) fn apply(
    active: &mut run::ActiveModel,
    spec: &RunSpec,
    waitlist_closes: chrono::NaiveDate,
    now: DateTime<Utc>,
) {
    active.capacity = Set(spec.capacity as i32);
    active.enrolment_opens = Set(spec.enrolment_opens);
    active.enrolment_closes = Set(spec.enrolment_closes);
    active.cancellation_days = Set(spec.cancellation_days as i32);
    active.waitlist_closes = Set(waitlist_closes);
    active.offer_hours = Set(spec.offer_hours as i32);
    active.max_work_field_share = Set(spec.max_work_field_share.map(|s| s as i32));
    active.updated_at = Set(now);
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut items = items.to_vec();
    items.sort();
    items.dedup();
    items
}

pub(crate) type SessionRow = (
    i32,
    chrono::NaiveDate,
    String,
    String,
    String,
    Option<String>,
);

fn session_rows(_run_id: i32, spec: &RunSpec) -> Vec<SessionRow> {
    let mut sessions: Vec<_> = spec.sessions.iter().collect();
    sessions.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
    sessions
        .into_iter()
        .enumerate()
        .map(|(index, s)| {
            (
                index as i32 + 1,
                s.date,
                s.start.clone(),
                s.end.clone(),
                s.location.trim().to_owned(),
                s.link.clone(),
            )
        })
        .collect()
}

pub(crate) async fn sessions_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<SessionRow>, ServiceError> {
    let mut rows = run_session::Entity::find()
        .filter(run_session::Column::RunId.eq(run_id))
        .all(db)
        .await?;
    rows.sort_by_key(|row| row.position);
    Ok(rows
        .into_iter()
        .map(|s| {
            (
                s.position,
                s.date,
                s.starts_at,
                s.ends_at,
                s.location,
                s.online_link,
            )
        })
        .collect())
}

pub(crate) async fn trainers_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<String>, ServiceError> {
    let mut subjects: Vec<String> = run_trainer::Entity::find()
        .filter(run_trainer::Column::RunId.eq(run_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.subject)
        .collect();
    subjects.sort();
    Ok(subjects)
}

/// The form field of the session at `position` (1-based), where a refusal about it is shown.
fn session_date_field(position: i32) -> &'static str {
    static FIELDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        (1..=crate::training::model::MAX_RUN_SESSIONS)
            .map(|number| format!("sessie_{number}_date"))
            .collect()
    });
    usize::try_from(position - 1)
        .ok()
        .and_then(|index| FIELDS.get(index))
        .map_or(crate::error::WHOLE_FORM, String::as_str)
}

pub use crate::training::service::session_changes::SessionChanges;

/// Which stored session each wanted one continues: first a stored session on the same date,
/// then the remaining ones in order. Attendance belongs to a session's row, so a session keeps
/// its row (and its register) when its time, place or link changes.
fn pair_sessions(stored: &[run_session::Model], wanted: &[SessionRow]) -> Vec<Option<usize>> {
    let mut taken = vec![false; stored.len()];
    let mut pairs: Vec<Option<usize>> = wanted
        .iter()
        .map(|(_, date, ..)| {
            let found = (0..stored.len()).find(|&i| !taken[i] && stored[i].date == *date)?;
            taken[found] = true;
            Some(found)
        })
        .collect();
    for pair in pairs.iter_mut().filter(|pair| pair.is_none()) {
        if let Some(free) = (0..stored.len()).find(|&i| !taken[i]) {
            taken[free] = true;
            *pair = Some(free);
        }
    }
    pairs
}

/// Writes the run's first and last session date when they changed: lists place runs by them
/// (see `run::Model::first_session_on`).
async fn keep_session_span(
    db: &impl ConnectionTrait,
    run_id: i32,
    dates: &[chrono::NaiveDate],
) -> Result<(), ServiceError> {
    let span = (dates.iter().min().copied(), dates.iter().max().copied());
    let stored: Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> =
        run::Entity::find_by_id(run_id)
            .select_only()
            .column(run::Column::FirstSessionOn)
            .column(run::Column::LastSessionOn)
            .into_tuple()
            .one(db)
            .await?;
    if stored != Some(span) {
        run::Entity::update_many()
            .col_expr(run::Column::FirstSessionOn, Expr::value(span.0))
            .col_expr(run::Column::LastSessionOn, Expr::value(span.1))
            .filter(run::Column::Id.eq(run_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Brings a run's sessions and trainers in line with `spec`, changing only rows that differ:
/// sessions keep their identity (and their attendance), and a session with attendance is
/// never removed (refused at its field). An unchanged spec writes nothing.
pub(crate) async fn sync_sessions_and_trainers(
    db: &impl ConnectionTrait,
    run_id: i32,
    spec: &RunSpec,
) -> Result<SessionChanges, ServiceError> {
    let mut changes = SessionChanges::default();
    let mut stored = run_session::Entity::find()
        .filter(run_session::Column::RunId.eq(run_id))
        .all(db)
        .await?;
    stored.sort_by_key(|row| row.position);
    let wanted = session_rows(run_id, spec);
    let wanted_dates: Vec<chrono::NaiveDate> = wanted.iter().map(|row| row.1).collect();
    let pairs = pair_sessions(&stored, &wanted);
    let kept: std::collections::HashSet<usize> = pairs.iter().flatten().copied().collect();
    for (index, old) in stored.iter().enumerate() {
        if kept.contains(&index) {
            continue;
        }
        let has_attendance = session_attendance::Entity::find()
            .filter(session_attendance::Column::SessionId.eq(old.id))
            .one(db)
            .await?
            .is_some();
        if has_attendance {
            return Err(ServiceError::InvalidDocument {
                field: Some(session_date_field(old.position)),
                message: format!(
                    "Voor de bijeenkomst van {} is al aanwezigheid geregistreerd; die bijeenkomst kan niet worden verwijderd.",
                    crate::dates::format_date_nl(old.date)
                ),
            });
        }
        run_session::Entity::delete_by_id(old.id).exec(db).await?;
        changes.removed.push(old.clone());
    }
    for ((position, date, starts_at, ends_at, location, online_link), pair) in
        wanted.into_iter().zip(pairs)
    {
        match pair.map(|index| &stored[index]) {
            Some(old)
                if old.position == position
                    && old.date == date
                    && old.starts_at == starts_at
                    && old.ends_at == ends_at
                    && old.location == location
                    && old.online_link == online_link => {}
            Some(old) => {
                // Only a change people must act on raises the calendar's SEQUENCE (a new
                // position alone does not).
                let moved = old.date != date
                    || old.starts_at != starts_at
                    || old.ends_at != ends_at
                    || old.location != location
                    || old.online_link != online_link;
                let mut active = old.clone().into_active_model();
                active.position = Set(position);
                active.date = Set(date);
                active.starts_at = Set(starts_at);
                active.ends_at = Set(ends_at);
                active.location = Set(location);
                active.online_link = Set(online_link);
                if moved {
                    active.sequence = Set(old.sequence + 1);
                }
                let saved = active.update(db).await?;
                if moved {
                    changes.changed.push((old.clone(), saved));
                }
            }
            None => {
                let added = run_session::ActiveModel {
                    run_id: Set(run_id),
                    position: Set(position),
                    date: Set(date),
                    starts_at: Set(starts_at),
                    ends_at: Set(ends_at),
                    location: Set(location),
                    online_link: Set(online_link),
                    sequence: Set(0),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                changes.added.push(added);
            }
        }
    }
    keep_session_span(db, run_id, &wanted_dates).await?;
    let trainers_now = trainers_of(db, run_id).await?;
    let trainers_wanted = sorted(&spec.trainers);
    if trainers_now == trainers_wanted {
        return Ok(changes);
    }
    run_trainer::Entity::delete_many()
        .filter(run_trainer::Column::RunId.eq(run_id))
        .exec(db)
        .await?;
    for subject in sorted(&spec.trainers) {
        run_trainer::ActiveModel {
            run_id: Set(run_id),
            subject: Set(subject),
        }
        .insert(db)
        .await?;
    }
    Ok(changes)
}
