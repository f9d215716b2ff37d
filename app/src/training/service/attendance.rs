//! Attendance per session, recorded by the run's trainers, and where each participant stands
//! against the training's completion rule (net hours and, when there is one, the
//! preparation course).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, Set,
};

use crate::dates::clock_time;
use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::training::entity::{enrolment, run, run_session, session_attendance};
use crate::training::model::{
    AttendanceRow, EnrolmentStatus, RegisterRow, RegisterSession, RunRegister, SessionPresence,
};
use crate::training::rules::{Completion, attended_minutes};
use crate::training::service::calendar::sessions_of;
use crate::training::service::catalogue::training_facts;

/// A session's length in minutes (0 when its times cannot be read).
pub fn session_minutes(session: &run_session::Model) -> i64 {
    match (clock_time(&session.starts_at), clock_time(&session.ends_at)) {
        (Some(start), Some(end)) if end > start => (end - start).num_minutes(),
        _ => 0,
    }
}

/// The confirmed participants of `run`, by account id.
pub async fn confirmed_participants(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<i32>, ServiceError> {
    Ok(enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::RunId.eq(run_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Confirmed))
        .into_tuple()
        .all(db)
        .await?)
}

/// Session `session_id` of `run`.
pub async fn session_of(
    db: &impl ConnectionTrait,
    run: &run::Model,
    session_id: i32,
) -> Result<run_session::Model, ServiceError> {
    run_session::Entity::find_by_id(session_id)
        .filter(run_session::Column::RunId.eq(run.id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The register of one session: every confirmed participant by name, with what was recorded.
pub async fn register(
    db: &impl ConnectionTrait,
    run: &run::Model,
    session_id: i32,
) -> Result<Vec<AttendanceRow>, ServiceError> {
    let session = session_of(db, run, session_id).await?;
    let participants = confirmed_participants(db, run.id).await?;
    let recorded = session_attendance::Entity::find()
        .filter(session_attendance::Column::SessionId.eq(session.id))
        .all(db)
        .await?;
    let labels = account_labels(db, participants.iter().copied()).await?;
    let mut rows: Vec<AttendanceRow> = participants
        .into_iter()
        .map(|user_id| {
            let mark = recorded.iter().find(|r| r.user_id == user_id);
            AttendanceRow {
                user_id,
                name: labels.get(&user_id).cloned().unwrap_or_default(),
                presence: mark.map(|m| m.status),
                minutes: mark.map_or(0, |m| m.minutes),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// Records marks `(account, presence, minutes late or early)` for one session; minutes only
/// count for late and left early, and must fit in the session. Participants who are not
/// confirmed are skipped. A closed run is not changed.
pub async fn record(
    db: &DatabaseConnection,
    run: &run::Model,
    session_id: i32,
    marks: &[(i32, SessionPresence, i32)],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let session = session_of(db, run, session_id).await?;
    let length = session_minutes(&session) as i32;
    for (_, presence, minutes) in marks {
        if presence.takes_minutes() && !(1..length).contains(minutes) {
            return Err(ServiceError::Invalid(format!(
                "Vul bij te laat en eerder weg het aantal minuten in (1 tot {length})."
            )));
        }
    }
    let participants = confirmed_participants(db, run.id).await?;
    let txn = crate::db::begin_write(db).await?;
    // Read under the lock: a run closed since `run` was read is not changed.
    let locked = crate::training::service::enrolment::lock_run(&*txn, run.id).await?;
    if locked.closed_at.is_some() {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is afgesloten; de aanwezigheid ligt vast.".into(),
        ));
    }
    for (user_id, presence, minutes) in marks {
        if !participants.contains(user_id) {
            continue;
        }
        let minutes = if presence.takes_minutes() {
            *minutes
        } else {
            0
        };
        let stored = session_attendance::Entity::find_by_id((session.id, *user_id))
            .one(&*txn)
            .await?;
        match stored {
            // The same mark again changes nothing, not even when it was recorded.
            Some(mark) if mark.status == *presence && mark.minutes == minutes => {}
            Some(mark) => {
                let mut active = mark.into_active_model();
                active.status = Set(*presence);
                active.minutes = Set(minutes);
                active.recorded_at = Set(now);
                active.update(&*txn).await?;
            }
            None => {
                session_attendance::ActiveModel {
                    session_id: Set(session.id),
                    user_id: Set(*user_id),
                    status: Set(*presence),
                    minutes: Set(minutes),
                    recorded_at: Set(now),
                }
                .insert(&*txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Where `user_id` stands against the completion rule of `run`'s training.
pub async fn completion_of(
    db: &impl ConnectionTrait,
    run: &run::Model,
    user_id: i32,
) -> Result<Completion, ServiceError> {
    let facts = training_facts(db, &run.training_slug).await?;
    let sessions = sessions_of(db, run.id).await?;
    let marks = session_attendance::Entity::find()
        .filter(session_attendance::Column::UserId.eq(user_id))
        .filter(session_attendance::Column::SessionId.is_in(sessions.iter().map(|s| s.id)))
        .all(db)
        .await?;
    let mut total = 0;
    let mut attended = 0;
    for session in &sessions {
        let length = session_minutes(session);
        total += length;
        let mark = marks.iter().find(|m| m.session_id == session.id);
        attended += attended_minutes(
            length,
            mark.map(|m| m.status),
            mark.map_or(0, |m| i64::from(m.minutes)),
        );
    }
    let preparation_done = match &facts.preparation {
        Some(course) => {
            Some(crate::knowledge::service::courses::course_completed(db, user_id, course).await?)
        }
        None => None,
    };
    Ok(Completion {
        attended_minutes: attended,
        total_minutes: total,
        min_attendance: facts.min_attendance,
        preparation_done,
    })
}

/// The whole register of `run`: every confirmed participant (by name) against every session,
/// their hours and the completion rule's outcome; once closed, who holds a certificate.
pub async fn run_register(
    db: &impl ConnectionTrait,
    run: &run::Model,
) -> Result<RunRegister, ServiceError> {
    let facts = training_facts(db, &run.training_slug).await?;
    let sessions = sessions_of(db, run.id).await?;
    let participants = confirmed_participants(db, run.id).await?;
    let marks = session_attendance::Entity::find()
        .filter(session_attendance::Column::SessionId.is_in(sessions.iter().map(|s| s.id)))
        .all(db)
        .await?;
    let certified: Vec<Option<i32>> = crate::training::entity::certificate::Entity::find()
        .select_only()
        .column(crate::training::entity::certificate::Column::UserId)
        .filter(crate::training::entity::certificate::Column::RunId.eq(run.id))
        .into_tuple()
        .all(db)
        .await?;
    let labels = account_labels(db, participants.iter().copied()).await?;
    let prepared = match &facts.preparation {
        Some(course) => Some(
            crate::knowledge::service::courses::completed_course(db, &participants, course).await?,
        ),
        None => None,
    };
    let closed = run.closed_at.is_some();
    let mut rows = Vec::with_capacity(participants.len());
    for user_id in participants {
        let row_marks: Vec<Option<(SessionPresence, i32)>> = sessions
            .iter()
            .map(|session| {
                marks
                    .iter()
                    .find(|m| m.session_id == session.id && m.user_id == user_id)
                    .map(|m| (m.status, m.minutes))
            })
            .collect();
        let attended: i64 = sessions
            .iter()
            .zip(&row_marks)
            .map(|(session, mark)| {
                attended_minutes(
                    session_minutes(session),
                    mark.map(|m| m.0),
                    mark.map_or(0, |m| i64::from(m.1)),
                )
            })
            .sum();
        let preparation_done = prepared.as_ref().map(|done| done.contains(&user_id));
        let completion = Completion {
            attended_minutes: attended,
            total_minutes: sessions.iter().map(session_minutes).sum(),
            min_attendance: facts.min_attendance,
            preparation_done,
        };
        rows.push(RegisterRow {
            user_id,
            name: labels.get(&user_id).cloned().unwrap_or_default(),
            marks: row_marks,
            attended_minutes: completion.attended_minutes,
            total_minutes: completion.total_minutes,
            complete: completion.is_complete(),
            missing: completion.shortfall_nl(),
            certified: closed.then(|| certified.contains(&Some(user_id))),
        });
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let no_shows = rows
        .iter()
        .flat_map(|row| {
            sessions
                .iter()
                .zip(&row.marks)
                .filter(|(_, mark)| mark.is_some_and(|m| m.0 == SessionPresence::Absent))
                .map(|(session, _)| (row.name.clone(), session.date))
        })
        .collect();
    let late: Vec<(i32, DateTime<Utc>)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .column(enrolment::Column::UpdatedAt)
        .filter(enrolment::Column::RunId.eq(run.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::LateCancelled))
        .into_tuple()
        .all(db)
        .await?;
    let late_labels = account_labels(db, late.iter().map(|(user_id, _)| *user_id)).await?;
    let mut late_cancellations: Vec<(String, chrono::NaiveDate)> = late
        .into_iter()
        .map(|(user_id, at)| {
            (
                late_labels.get(&user_id).cloned().unwrap_or_default(),
                crate::dates::amsterdam_date(at),
            )
        })
        .collect();
    late_cancellations.sort();
    Ok(RunRegister {
        late_cancellations,
        no_shows,
        sessions: sessions
            .iter()
            .map(|s| RegisterSession {
                date: s.date,
                starts_at: s.starts_at.clone(),
                minutes: session_minutes(s),
            })
            .collect(),
        rows,
        closed,
    })
}

/// The register as CSV for a spreadsheet: a column per session headed by its ISO date and start
/// ("2027-03-04 09:30"), hours as numbers with a decimal comma (Dutch spreadsheets read them as
/// numbers beside the `;` separator), and the rule's outcome.
pub fn register_csv(register: &RunRegister) -> String {
    let session_headers: Vec<String> = register
        .sessions
        .iter()
        .map(|s| format!("{} {}", s.date.format("%Y-%m-%d"), s.starts_at))
        .collect();
    let mut headers: Vec<&str> = vec!["Naam"];
    headers.extend(session_headers.iter().map(String::as_str));
    headers.extend(["Uren aanwezig", "Uren totaal", "Voldoet aan de eis"]);
    if register.closed {
        headers.push("Certificaat");
    }
    let mut file = crate::csv_file::CsvFile::new(&headers);
    for row in &register.rows {
        let mut cells: Vec<String> = vec![row.name.clone()];
        cells.extend(row.marks.iter().map(|mark| RegisterRow::mark_nl(*mark)));
        cells.push(hours_number(row.attended_minutes));
        cells.push(hours_number(row.total_minutes));
        cells.push(if row.complete { "ja" } else { "nee" }.to_owned());
        if let Some(certified) = row.certified {
            cells.push(if certified { "ja" } else { "nee" }.to_owned());
        }
        file.row(cells.iter().map(String::as_str));
    }
    file.finish()
}

/// Minutes as hours with up to two decimals and a decimal comma: 330 → "5,5", 360 → "6".
fn hours_number(minutes: i64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole},{}", f / 10),
        f => format!("{whole},{f:02}"),
    }
}
