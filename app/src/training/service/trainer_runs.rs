//! Runs as their trainers and coordinators oversee them: how full each is, what waits
//! (requests, the waitlist), late cancellations and no-shows, and the next session. A trainer's
//! own runs (`/mijn/uitvoeringen`) and every run (`/beheer/trainingen`, paged and filtered),
//! current runs first by their next session, then the ones behind them, most recent first.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::training::entity::{enrolment, run, run_session, session_attendance};
use crate::training::model::{
    EnrolmentStatus, RUNS_PAGE_SIZE, RunStage, RunStatus, RunsFilter, RunsOverview, RunsPage,
    RunsShown, SessionPresence, SessionView, TrainerRun, WeekSession,
};
use crate::training::service::catalogue::training_titles;

/// A page of the runs `subject` (a login name, as runs list their trainers) gives, current
/// ones first.
pub async fn runs_given_by(
    db: &impl ConnectionTrait,
    subject: &str,
    page: u64,
    now: DateTime<Utc>,
) -> Result<RunsPage, ServiceError> {
    let filter = RunsFilter {
        page,
        ..RunsFilter::default()
    };
    let titles = training_titles(db, None).await?;
    runs_page(db, &filter, Some(subject), &titles, now).await
}

/// Every run, for coordinators: those of `training` when given, current or behind when asked,
/// a page of [`RUNS_PAGE_SIZE`] at a time; and every session of today and the next six days.
pub async fn all_runs(
    db: &impl ConnectionTrait,
    filter: &RunsFilter,
    now: DateTime<Utc>,
) -> Result<RunsOverview, ServiceError> {
    let today = amsterdam_date(now);
    let titles = training_titles(db, None).await?;
    let RunsPage {
        runs,
        total,
        page,
        page_count,
    } = runs_page(db, filter, None, &titles, now).await?;
    let week_end = today + chrono::Days::new(6);
    let week_sessions = run_session::Entity::find()
        .filter(run_session::Column::Date.between(today, week_end))
        .order_by_asc(run_session::Column::Date)
        .order_by_asc(run_session::Column::StartsAt)
        .all(db)
        .await?;
    let scheduled: Vec<(i32, String, String)> = run::Entity::find()
        .select_only()
        .column(run::Column::Id)
        .column(run::Column::TrainingSlug)
        .column(run::Column::Code)
        .filter(run::Column::Id.is_in(week_sessions.iter().map(|s| s.run_id)))
        .filter(run::Column::Status.eq(RunStatus::Scheduled))
        .into_tuple()
        .all(db)
        .await?;
    let this_week = week_sessions
        .into_iter()
        .filter_map(|session| {
            let (_, slug, code) = scheduled.iter().find(|(id, _, _)| *id == session.run_id)?;
            Some(WeekSession {
                training_title: titles.get(slug).cloned().unwrap_or_else(|| slug.clone()),
                training_slug: slug.clone(),
                code: code.clone(),
                date: session.date,
                starts_at: session.starts_at,
                ends_at: session.ends_at,
                location: session.location,
            })
        })
        .collect();
    Ok(RunsOverview {
        runs,
        total,
        page,
        page_count,
        this_week,
        trainings: titles.into_iter().collect(),
    })
}

/// A page of the runs of `filter` (and of `trainer` when given). Ten years hold thousands of
/// runs, nearly all behind us: the few current ones are placed here by their next session, the
/// others are counted and paged by the database from their last session's date, and only the
/// page's runs are described.
async fn runs_page(
    db: &impl ConnectionTrait,
    filter: &RunsFilter,
    trainer: Option<&str>,
    titles: &std::collections::BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<RunsPage, ServiceError> {
    let today = amsterdam_date(now);
    let mut of_filter = run::Entity::find();
    if let Some(training) = &filter.training {
        of_filter = of_filter.filter(run::Column::TrainingSlug.eq(training));
    }
    if let Some(trainer) = trainer {
        of_filter = of_filter.filter(run::Column::Id.in_subquery(placement::runs_of(trainer)));
    }
    let current = match filter.stage {
        Some(RunsShown::Behind) => Vec::new(),
        _ => current_in_order(db, of_filter.clone(), titles, today).await?,
    };
    let behind_total = match filter.stage {
        Some(RunsShown::Current) => 0,
        _ => {
            of_filter
                .clone()
                .filter(placement::behind(today))
                .count(db)
                .await?
        }
    };
    let total = current.len() as u64 + behind_total;
    let page_count = total.div_ceil(RUNS_PAGE_SIZE).max(1);
    let page = filter.page.clamp(1, page_count);
    let (start, end) = ((page - 1) * RUNS_PAGE_SIZE, page * RUNS_PAGE_SIZE);
    let shown_current = current.len() as u64;
    let mut ids: Vec<i32> = current
        .into_iter()
        .skip(start as usize)
        .take(RUNS_PAGE_SIZE as usize)
        .collect();
    if end > shown_current && behind_total > 0 {
        let offset = start.saturating_sub(shown_current);
        let limit = end - start.max(shown_current);
        ids.extend(placement::behind_page(db, filter, trainer, today, offset, limit).await?);
    }
    let on_page = run::Entity::find()
        .filter(run::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(RunsPage {
        runs: overview_of(db, on_page, now).await?,
        total,
        page,
        page_count,
    })
}

/// Where a run stands, and what orders it among others.
struct Place {
    stage: RunStage,
    first_date: Option<NaiveDate>,
    last_date: Option<NaiveDate>,
    next_date: Option<NaiveDate>,
    training_title: String,
}

/// A run's stage from its status, closing and session dates.
fn stage_of(
    run: &run::Model,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    today: NaiveDate,
) -> RunStage {
    match (run.status, run.closed_at, first, last) {
        (RunStatus::Cancelled, _, _, _) => RunStage::Cancelled,
        (_, Some(_), _, _) => RunStage::Closed,
        (_, None, _, Some(last)) if last < today => RunStage::Ended,
        (_, None, Some(first), _) if first <= today => RunStage::Underway,
        _ => RunStage::Upcoming,
    }
}

/// Current runs first by their next session (or first one), then the ones behind them, the
/// latest first; on the same day alphabetically, so the list does not reorder itself between
/// visits.
fn in_order(a: (&Place, &str), b: (&Place, &str)) -> std::cmp::Ordering {
    let ((a, a_code), (b, b_code)) = (a, b);
    let behind = |p: &Place| !p.stage.is_current();
    behind(a)
        .cmp(&behind(b))
        .then_with(|| {
            if a.stage.is_current() {
                a.next_date
                    .or(a.first_date)
                    .cmp(&b.next_date.or(b.first_date))
            } else {
                b.last_date.cmp(&a.last_date)
            }
        })
        .then_with(|| a.training_title.cmp(&b.training_title))
        .then_with(|| a_code.cmp(b_code))
}

/// The runs of `runs` not behind us, as [`in_order`] places them: by their next session
/// (those without sessions first), on the same day by title and code.
async fn current_in_order(
    db: &impl ConnectionTrait,
    runs: sea_orm::Select<run::Entity>,
    titles: &std::collections::BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<Vec<i32>, ServiceError> {
    let current: Vec<(i32, String, String)> = runs
        .select_only()
        .column(run::Column::Id)
        .column(run::Column::TrainingSlug)
        .column(run::Column::Code)
        .filter(placement::current(today))
        .into_tuple()
        .all(db)
        .await?;
    let next: HashMap<i32, NaiveDate> = run_session::Entity::find()
        .select_only()
        .column(run_session::Column::RunId)
        .column_as(run_session::Column::Date.min(), "next")
        .filter(run_session::Column::RunId.is_in(current.iter().map(|(id, _, _)| *id)))
        .filter(run_session::Column::Date.gte(today))
        .group_by(run_session::Column::RunId)
        .into_tuple::<(i32, NaiveDate)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut keyed: Vec<(Option<NaiveDate>, &str, String, i32)> = current
        .iter()
        .map(|(id, slug, code)| {
            let title = titles.get(slug).map(String::as_str).unwrap_or(slug);
            (next.get(id).copied(), title, code.clone(), *id)
        })
        .collect();
    keyed.sort();
    Ok(keyed.into_iter().map(|(_, _, _, id)| id).collect())
}

/// The SQL side of the overview's order: kept apart because sea-query's expression methods
/// would shadow `max` and friends on numbers in the rest of this file.
mod placement {
    use chrono::NaiveDate;
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{
        Expr, ExprTrait, Func, JoinType, NullOrdering, Order, Query, SelectStatement,
    };

    use crate::error::ServiceError;
    use crate::knowledge::entity::{Column as DocumentColumn, Entity as Documents};
    use crate::training::entity::{run, run_trainer};
    use crate::training::model::{RunStatus, RunsFilter};

    /// A run behind us: cancelled, closed, or its last session past.
    pub(super) fn behind(today: NaiveDate) -> Expr {
        let last = || Expr::col((run::Entity, run::Column::LastSessionOn));
        Expr::col((run::Entity, run::Column::Status))
            .eq(RunStatus::Cancelled)
            .or(Expr::col((run::Entity, run::Column::ClosedAt)).is_not_null())
            .or(last().is_not_null().and(last().lt(today)))
    }

    /// The ids of the runs `trainer` gives.
    pub(super) fn runs_of(trainer: &str) -> SelectStatement {
        Query::select()
            .column(run_trainer::Column::RunId)
            .from(run_trainer::Entity)
            .and_where(Expr::col(run_trainer::Column::Subject).eq(trainer))
            .to_owned()
    }

    /// A run not behind us: upcoming or underway.
    pub(super) fn current(today: NaiveDate) -> Expr {
        behind(today).not()
    }

    /// Ids of the runs behind us of `filter`, the latest last session first (those without
    /// sessions last), on the same day by title and code, from `offset`.
    pub(super) async fn behind_page(
        db: &impl ConnectionTrait,
        filter: &RunsFilter,
        trainer: Option<&str>,
        today: NaiveDate,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<i32>, ServiceError> {
        let mut query = Query::select()
            .column((run::Entity, run::Column::Id))
            .from(run::Entity)
            .join(
                JoinType::LeftJoin,
                Documents,
                Expr::col((Documents, DocumentColumn::Slug))
                    .equals((run::Entity, run::Column::TrainingSlug))
                    .and(
                        Expr::col((Documents, DocumentColumn::Kind))
                            .eq(crate::knowledge::model::DocumentKind::Training),
                    ),
            )
            .and_where(behind(today))
            .order_by_expr_with_nulls(
                Expr::col((run::Entity, run::Column::LastSessionOn)),
                Order::Desc,
                NullOrdering::Last,
            )
            .order_by_expr(
                Func::coalesce([
                    Expr::col((Documents, DocumentColumn::Title)),
                    Expr::col((run::Entity, run::Column::TrainingSlug)),
                ])
                .into(),
                Order::Asc,
            )
            .order_by((run::Entity, run::Column::Code), Order::Asc)
            .limit(limit)
            .offset(offset)
            .to_owned();
        if let Some(training) = &filter.training {
            query.and_where(
                Expr::col((run::Entity, run::Column::TrainingSlug)).eq(training.as_str()),
            );
        }
        if let Some(trainer) = trainer {
            query
                .and_where(Expr::col((run::Entity, run::Column::Id)).in_subquery(runs_of(trainer)));
        }
        let backend = db.get_database_backend();
        db.query_all_raw(backend.build(&query))
            .await?
            .into_iter()
            .map(|row| Ok(row.try_get::<i32>("", "id")?))
            .collect()
    }
}

/// How `runs` stand, current ones first by their next session, then the ones behind them.
async fn overview_of(
    db: &impl ConnectionTrait,
    runs: Vec<run::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<TrainerRun>, ServiceError> {
    let run_ids: Vec<i32> = runs.iter().map(|r| r.id).collect();
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
    let no_shows = no_show_counts(db, &run_ids).await?;
    let slugs: Vec<String> = runs.iter().map(|r| r.training_slug.clone()).collect();
    let titles = training_titles(db, Some(slugs)).await?;
    let today = amsterdam_date(now);
    let mut overview: Vec<TrainerRun> = runs
        .into_iter()
        .map(|run| {
            let sessions = sessions.remove(&run.id).unwrap_or_default();
            let first_date = sessions.first().map(|s| s.date);
            let last_date = sessions.last().map(|s| s.date);
            let stage = stage_of(&run, first_date, last_date, today);
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
            let waits = waiting.get(&run.id).copied().unwrap_or_default();
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
                requests: waits.requests,
                waitlisted: waits.waitlisted,
                late_cancellations: waits.late_cancelled,
                no_shows: no_shows.get(&run.id).copied().unwrap_or(0),
                next_session,
                first_date,
                last_date,
            }
        })
        .collect();
    let place = |r: &TrainerRun| Place {
        stage: r.stage,
        first_date: r.first_date,
        last_date: r.last_date,
        next_date: r.next_session.as_ref().map(|s| s.date),
        training_title: r.training_title.clone(),
    };
    overview.sort_by(|a, b| in_order((&place(a), &a.code), (&place(b), &b.code)));
    Ok(overview)
}

/// Per run: what waits for its trainers and what they should know.
#[derive(Clone, Copy, Default)]
struct Waits {
    requests: u32,
    waitlisted: u32,
    late_cancelled: u32,
}

async fn waiting_counts(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<HashMap<i32, Waits>, ServiceError> {
    let rows: Vec<(i32, EnrolmentStatus)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::RunId)
        .column(enrolment::Column::Status)
        .filter(enrolment::Column::RunId.is_in(run_ids.iter().copied()))
        .filter(enrolment::Column::Status.is_in([
            EnrolmentStatus::Requested,
            EnrolmentStatus::Waitlisted,
            EnrolmentStatus::LateCancelled,
        ]))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<i32, Waits> = HashMap::new();
    for (run_id, status) in rows {
        let waits = counts.entry(run_id).or_default();
        match status {
            EnrolmentStatus::Requested => waits.requests += 1,
            EnrolmentStatus::Waitlisted => waits.waitlisted += 1,
            _ => waits.late_cancelled += 1,
        }
    }
    Ok(counts)
}

/// Per run: how many times someone was marked absent without cancelling.
async fn no_show_counts(
    db: &impl ConnectionTrait,
    run_ids: &[i32],
) -> Result<HashMap<i32, u32>, ServiceError> {
    let sessions: Vec<(i32, i32)> = run_session::Entity::find()
        .select_only()
        .column(run_session::Column::Id)
        .column(run_session::Column::RunId)
        .filter(run_session::Column::RunId.is_in(run_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let absent: Vec<i32> = session_attendance::Entity::find()
        .select_only()
        .column(session_attendance::Column::SessionId)
        .filter(session_attendance::Column::SessionId.is_in(sessions.iter().map(|(id, _)| *id)))
        .filter(session_attendance::Column::Status.eq(SessionPresence::Absent))
        .into_tuple()
        .all(db)
        .await?;
    let run_of: HashMap<i32, i32> = sessions.into_iter().collect();
    let mut counts: HashMap<i32, u32> = HashMap::new();
    for session_id in absent {
        if let Some(run_id) = run_of.get(&session_id) {
            *counts.entry(*run_id).or_default() += 1;
        }
    }
    Ok(counts)
}
