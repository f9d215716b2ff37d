//! The coordinator's people search: accounts by name or organisation, each with what they did
//! in trainings (enrolments, certificates). Nothing from intervision, and only for those who
//! coordinate trainings (see `identity::access`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::knowledge::entity::{self as documents, Entity as Documents};
use crate::training::entity::{certificate, enrolment, run};
use crate::training::model::{
    EnrolmentStatus, PEOPLE_QUERY_MIN, PEOPLE_SHOWN, PersonEnrolment, PersonRecord, RunStatus,
};
use crate::training::service::calendar::run_span;
use crate::training::service::certificates::certificates_of;
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
    let pattern = contains_pattern(query);
    let matches = |column: user::Column| {
        Expr::expr(Func::lower(Expr::col(column)))
            .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
    };
    let accounts = user::Entity::find()
        .filter(
            Condition::any()
                .add(matches(user::Column::DisplayName))
                .add(matches(user::Column::Organisation)),
        )
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .limit(PEOPLE_SHOWN as u64 + 1)
        .all(db)
        .await?;
    let more = accounts.len() > PEOPLE_SHOWN;
    let mut people = Vec::with_capacity(PEOPLE_SHOWN);
    for account in accounts.into_iter().take(PEOPLE_SHOWN) {
        people.push(record_of(db, account).await?);
    }
    Ok((people, more))
}

async fn record_of(
    db: &impl ConnectionTrait,
    account: user::Model,
) -> Result<PersonRecord, ServiceError> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(account.id))
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
    let titles: HashMap<String, String> = Documents::find()
        .filter(documents::Column::Slug.is_in(runs.values().map(|r| r.training_slug.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.slug, d.title))
        .collect();
    let certified_runs: HashSet<i32> = certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.run_id)
        .collect();
    let mut seen = HashSet::new();
    let enrolments = enrolments
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
    Ok(PersonRecord {
        user_id: account.id,
        name: account
            .display_name
            .clone()
            .unwrap_or_else(|| "(nog geen naam)".to_owned()),
        organisation: account.organisation.clone().unwrap_or_default(),
        work_field: account.work_field.as_deref().and_then(WorkField::from_slug),
        enrolments,
        certificates: certificates_of(db, account.id).await?,
    })
}

/// Runs someone can still be enrolled in (on, not closed, first session ahead), as
/// ("slug/code", "title — code"), by title and code.
pub async fn open_runs(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, ServiceError> {
    let runs = run::Entity::find()
        .filter(run::Column::Status.eq(RunStatus::Scheduled))
        .filter(run::Column::ClosedAt.is_null())
        .all(db)
        .await?;
    let titles: HashMap<String, String> = Documents::find()
        .filter(documents::Column::Slug.is_in(runs.iter().map(|r| r.training_slug.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.slug, d.title))
        .collect();
    let mut open = Vec::new();
    for run in runs {
        let ahead = run_span(db, run.id)
            .await?
            .is_some_and(|(first_start, _)| first_start > now);
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
