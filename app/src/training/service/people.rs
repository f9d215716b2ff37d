//! The coordinator's people search: accounts by name or organisation, each with what they did
//! in trainings (enrolments, certificates). Nothing from intervision, and only for those who
//! coordinate trainings (see `identity::access`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::training::entity::{certificate, enrolment, run, run_session};
use crate::training::model::{
    EnrolmentStatus, PEOPLE_QUERY_MIN, PEOPLE_SHOWN, PersonEnrolment, PersonRecord, RunStatus,
};
use crate::training::service::calendar::first_start;
use crate::training::service::catalogue::training_titles;
use crate::training::service::certificates::summary_of;
use crate::vocabulary::WorkField;

/// `text` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Accounts whose name or organisation contains `query` (any case), by name. On PostgreSQL
/// trigram indexes on both lowercased columns serve it, on SQLite the name index (see the
/// migration `m20261216_000001_people_by_part_of_name`).
pub fn accounts_matching(query: &str) -> sea_orm::Select<user::Entity> {
    let pattern = contains_pattern(query);
    let matches = |column: user::Column| {
        Expr::expr(Func::lower(Expr::col(column)))
            .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
    };
    user::Entity::find()
        .filter(
            Condition::any()
                .add(matches(user::Column::DisplayName))
                .add(matches(user::Column::Organisation)),
        )
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
}

/// People whose name or organisation contains `query` (any case), by name; at most
/// [`PEOPLE_SHOWN`], and whether more matched. A query shorter than [`PEOPLE_QUERY_MIN`]
/// finds nobody.
pub async fn find_people(
    db: &impl ConnectionTrait,
    query: &str,
) -> Result<(Vec<PersonRecord>, bool), ServiceError> {
    let query = query.trim();
    if query.chars().count() < PEOPLE_QUERY_MIN {
        return Ok((Vec::new(), false));
    }
    let accounts = accounts_matching(query)
        .limit(PEOPLE_SHOWN as u64 + 1)
        .all(db)
        .await?;
    let more = accounts.len() > PEOPLE_SHOWN;
    let accounts: Vec<user::Model> = accounts.into_iter().take(PEOPLE_SHOWN).collect();
    Ok((records_of(db, accounts).await?, more))
}

/// What `accounts` did in trainings, read for all of them at once.
async fn records_of(
    db: &impl ConnectionTrait,
    accounts: Vec<user::Model>,
) -> Result<Vec<PersonRecord>, ServiceError> {
    let ids: Vec<i32> = accounts.iter().map(|a| a.id).collect();
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.is_in(ids.clone()))
        .order_by_desc(enrolment::Column::Id)
        .all(db)
        .await?;
    let runs: HashMap<i32, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(enrolments.iter().map(|e| e.run_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let titles = training_titles(
        db,
        Some(runs.values().map(|r| r.training_slug.clone()).collect()),
    )
    .await?;
    let mut certificates: HashMap<i32, Vec<certificate::Model>> = HashMap::new();
    for found in certificate::Entity::find()
        .filter(certificate::Column::UserId.is_in(ids))
        .order_by_desc(certificate::Column::IssuedAt)
        .all(db)
        .await?
    {
        if let Some(user_id) = found.user_id {
            certificates.entry(user_id).or_default().push(found);
        }
    }
    let mut enrolments_of: HashMap<i32, Vec<enrolment::Model>> = HashMap::new();
    for found in enrolments {
        enrolments_of.entry(found.user_id).or_default().push(found);
    }
    Ok(accounts
        .into_iter()
        .map(|account| {
            let certificates = certificates.remove(&account.id).unwrap_or_default();
            let certified_runs: HashSet<i32> = certificates.iter().map(|c| c.run_id).collect();
            let mut seen = HashSet::new();
            let enrolments = enrolments_of
                .remove(&account.id)
                .unwrap_or_default()
                .into_iter()
                // The latest enrolment per run tells where the person stands.
                .filter(|e| seen.insert(e.run_id))
                .filter_map(|e| {
                    let run = runs.get(&e.run_id)?;
                    Some(PersonEnrolment {
                        training_title: titles
                            .get(&run.training_slug)
                            .cloned()
                            .unwrap_or_else(|| run.training_slug.clone()),
                        training_slug: run.training_slug.clone(),
                        run_code: run.code.clone(),
                        status: e.status,
                        may_issue_certificate: e.status == EnrolmentStatus::Confirmed
                            && run.closed_at.is_some()
                            && run.records_deleted_at.is_none()
                            && !certified_runs.contains(&run.id),
                    })
                })
                .collect();
            PersonRecord {
                user_id: account.id,
                name: account
                    .display_name
                    .clone()
                    .unwrap_or_else(|| "(nog geen naam)".to_owned()),
                organisation: account.organisation.clone().unwrap_or_default(),
                work_field: account.work_field.as_deref().and_then(WorkField::from_slug),
                enrolments,
                certificates: certificates.into_iter().map(summary_of).collect(),
            }
        })
        .collect())
}

/// Runs someone can still be enrolled in (on, not closed, first session ahead), as
/// ("slug/code", "title — code"), by title and code.
pub async fn open_runs(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, ServiceError> {
    // Only runs whose first session is not behind us can still start after `now`: years of
    // runs behind us are left out before their sessions are read.
    let runs = run::Entity::find()
        .filter(run::Column::Status.eq(RunStatus::Scheduled))
        .filter(run::Column::ClosedAt.is_null())
        .filter(run::Column::FirstSessionOn.gte(amsterdam_date(now)))
        .all(db)
        .await?;
    let titles = training_titles(
        db,
        Some(runs.iter().map(|r| r.training_slug.clone()).collect()),
    )
    .await?;
    let mut sessions: HashMap<i32, Vec<run_session::Model>> = HashMap::new();
    for session in run_session::Entity::find()
        .filter(run_session::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .all(db)
        .await?
    {
        sessions.entry(session.run_id).or_default().push(session);
    }
    let mut open = Vec::new();
    for run in runs {
        let ahead = first_start(sessions.get(&run.id).map(Vec::as_slice).unwrap_or_default())
            .is_some_and(|first_start| first_start > now);
        if ahead {
            let title = titles
                .get(&run.training_slug)
                .cloned()
                .unwrap_or_else(|| run.training_slug.clone());
            open.push((
                format!("{}/{}", run.training_slug, run.code),
                format!("{title} — {}", run.code),
            ));
        }
    }
    open.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_matches_literally_anywhere_in_any_case() {
        assert_eq!(contains_pattern("De Vries"), "%de vries%");
        assert_eq!(contains_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
