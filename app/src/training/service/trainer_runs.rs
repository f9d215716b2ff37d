//! A trainer's own runs (`/mijn/uitvoeringen`): which runs they give, how full each is, what
//! waits for them (requests, the waitlist) and when they next teach. Current runs first, by
//! their next session; then the ones behind them, most recent first.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::knowledge::entity::{Column as DocumentColumn, Entity as Documents};
use crate::training::entity::{enrolment, run, run_session, run_trainer};
use crate::training::model::{EnrolmentStatus, RunStage, RunStatus, SessionView, TrainerRun};

/// The runs `subject` (a login name, as runs list their trainers) gives.
pub async fn runs_given_by(
    db: &impl ConnectionTrait,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Vec<TrainerRun>, ServiceError> {
    let run_ids: Vec<i32> = run_trainer::Entity::find()
        .select_only()
        .column(run_trainer::Column::RunId)
        .filter(run_trainer::Column::Subject.eq(subject))
        .into_tuple()
        .all(db)
        .await?;
    let runs = run::Entity::find()
        .filter(run::Column::Id.is_in(run_ids.clone()))
        .all(db)
        .await?;
    let mut sessions: HashMap<i32, Vec<run_session::Model>> = HashMap::new();
    for session in run_session::Entity::find()
        .filter(run_session::Column::RunId.is_in(run_ids.clone()))
        .order_by_asc(run_session::Column::Date)
        .order_by_asc(run_session::Column::StartsAt)
        .all(db)
        .await?
    {
        sessions.entry(session.run_id).or_default().push(session);
    }
    let waiting = waiting_counts(db, &run_ids).await?;
    let slugs: Vec<String> = runs.iter().map(|r| r.training_slug.clone()).collect();
    let titles: HashMap<String, String> = Documents::find()
        .select_only()
        .column(DocumentColumn::Slug)
        .column(DocumentColumn::Title)
        .filter(DocumentColumn::Slug.is_in(slugs))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let today = amsterdam_date(now);
    let mut overview: Vec<TrainerRun> = runs
        .into_iter()
        .map(|run| {
            let sessions = sessions.remove(&run.id).unwrap_or_default();
            let first_date = sessions.first().map(|s| s.date);
            let last_date = sessions.last().map(|s| s.date);
            let stage = match (run.status, run.closed_at, first_date, last_date) {
                (RunStatus::Cancelled, _, _, _) => RunStage::Cancelled,
                (_, Some(_), _, _) => RunStage::Closed,
                (_, None, _, Some(last)) if last < today => RunStage::Ended,
                (_, None, Some(first), _) if first <= today => RunStage::Underway,
                _ => RunStage::Upcoming,
            };
            let next_session = sessions
                .into_iter()
                .find(|s| s.date >= today && stage.is_current())
                .map(|s| SessionView {
                    date: s.date,
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    location: s.location,
                    online_link: s.online_link,
                });
            let (requests, waitlisted) = waiting.get(&run.id).copied().unwrap_or_default();
            TrainerRun {
                training_title: titles
                    .get(&run.training_slug)
                    .cloned()
                    .unwrap_or_else(|| run.training_slug.clone()),
                training_slug: run.training_slug,
                code: run.code,
                stage,
                capacity: run.capacity.max(0) as u32,
                seats_taken: run.seats_taken.max(0) as u32,
                requests,
                waitlisted,
                next_session,
                first_date,
                last_date,
            }
        })
        .collect();
    overview.sort_by(|a, b| {
        let current = |r: &TrainerRun| !r.stage.is_current();
        current(a)
            .cmp(&current(b))
            .then_with(|| {
                if a.stage.is_current() {
                    let next =
                        |r: &TrainerRun| r.next_session.as_ref().map(|s| s.date).or(r.first_date);
                    next(a).cmp(&next(b))
                } else {
                    b.last_date.cmp(&a.last_date)
                }
            })
            // Same day: alphabetically, so the list does not reorder itself between visits.
            .then_with(|| a.training_title.cmp(&b.training_title))
            .then_with(|| a.code.cmp(&b.code))
    });
    Ok(overview)
}

/// Per run: requests waiting for approval and people on the waitlist.
async fn waiting_counts(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<HashMap<i32, (u32, u32)>, ServiceError> {
    let rows: Vec<(i32, EnrolmentStatus)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::RunId)
        .column(enrolment::Column::Status)
        .filter(enrolment::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(
            enrolment::Column::Status
                .is_in([EnrolmentStatus::Requested, EnrolmentStatus::Waitlisted]),
        )
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<i32, (u32, u32)> = HashMap::new();
    for (run_id, status) in rows {
        let entry = counts.entry(run_id).or_default();
        match status {
            EnrolmentStatus::Requested => entry.0 += 1,
            _ => entry.1 += 1,
        }
    }
    Ok(counts)
}
