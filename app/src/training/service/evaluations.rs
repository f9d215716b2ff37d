//! The evaluation after a run's last session: confirmed participants answer once, until
//! `EVALUATION_DAYS` after the last session. Answers are kept per run as one list without
//! account, time, id or order (each new answer goes to a random place), apart from the record
//! that someone answered; trainers see the outcome only when the period has ended.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::dates::{amsterdam_date, format_date_nl};
use crate::error::ServiceError;
use crate::training::entity::{enrolment, evaluation_answers, evaluation_given, run};
use crate::training::model::{EnrolmentStatus, EvaluationSummary};
use crate::training::rules::{evaluation_ends, evaluation_summary};
use crate::training::service::calendar::sessions_of;

/// One answer as stored: scores ("4,5,3,4") and the remark.
pub type Answer = (String, Option<String>);

/// The last day `run` can be evaluated, once it has sessions.
async fn last_evaluation_day(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Option<chrono::NaiveDate>, ServiceError> {
    Ok(sessions_of(db, run_id)
        .await?
        .last()
        .map(|last| evaluation_ends(last.date)))
}

/// Whether `user_id` may evaluate `run` now: confirmed, the last session begun, the period
/// not over, not yet answered.
pub async fn may_evaluate(
    db: &impl ConnectionTrait,
    run: &run::Model,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let today = amsterdam_date(now);
    let within_period = sessions_of(db, run.id)
        .await?
        .last()
        .is_some_and(|last| last.date <= today && today <= evaluation_ends(last.date));
    if !within_period {
        return Ok(false);
    }
    let confirmed = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run.id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Confirmed))
        .one(db)
        .await?
        .is_some();
    let answered = evaluation_given::Entity::find_by_id((run.id, user_id))
        .one(db)
        .await?
        .is_some();
    Ok(confirmed && !answered)
}

async fn answers_of(db: &impl ConnectionTrait, run_id: i32) -> Result<Vec<Answer>, ServiceError> {
    let Some(stored) = evaluation_answers::Entity::find_by_id(run_id)
        .one(db)
        .await?
    else {
        return Ok(Vec::new());
    };
    parsed(&stored)
}

fn parsed(stored: &evaluation_answers::Model) -> Result<Vec<Answer>, ServiceError> {
    serde_json::from_str(&stored.answers).map_err(|error| {
        ServiceError::Corrupt(format!(
            "evaluation answers of run {}: {error}",
            stored.run_id
        ))
    })
}

/// The answers of each of `runs` that has any (for the reports, which count them together).
pub async fn answers_of_runs(
    db: &impl ConnectionTrait,
    runs: impl IntoIterator<Item = i32>,
) -> Result<Vec<(i32, Vec<Answer>)>, ServiceError> {
    evaluation_answers::Entity::find()
        .filter(evaluation_answers::Column::RunId.is_in(runs))
        .all(db)
        .await?
        .iter()
        .map(|stored| Ok((stored.run_id, parsed(stored)?)))
        .collect()
}

/// Stores `user_id`'s evaluation of `run` (checked by `parse_evaluation`), once, at a random
/// place in the run's list.
pub async fn submit(
    db: &DatabaseConnection,
    run: &run::Model,
    user_id: i32,
    scores: String,
    remark: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    // One writer per run at a time, so no answer is lost between reading and writing the list.
    run::Entity::find_by_id(run.id)
        .lock_exclusive()
        .one(&*txn)
        .await?;
    if !may_evaluate(&*txn, run, user_id, now).await? {
        return Err(ServiceError::Invalid(
            "U kunt deze training niet (meer) evalueren, of u deed het al.".into(),
        ));
    }
    evaluation_given::ActiveModel {
        run_id: Set(run.id),
        user_id: Set(user_id),
    }
    .insert(&*txn)
    .await?;
    let mut answers = answers_of(&*txn, run.id).await?;
    let place = rand::random_range(0..=answers.len());
    answers.insert(place, (scores, remark));
    let stored = crate::db::to_json_text(&answers);
    if answers.len() == 1 {
        evaluation_answers::ActiveModel {
            run_id: Set(run.id),
            answers: Set(stored),
        }
        .insert(&*txn)
        .await?;
    } else {
        evaluation_answers::ActiveModel {
            run_id: Set(run.id),
            answers: Set(stored),
        }
        .update(&*txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// What the run's trainers see: nothing while participants can still answer, then see
/// `evaluation_summary`.
pub async fn summary(
    db: &impl ConnectionTrait,
    run_id: i32,
    now: DateTime<Utc>,
) -> Result<EvaluationSummary, ServiceError> {
    if let Some(last_day) = last_evaluation_day(db, run_id).await?
        && amsterdam_date(now) <= last_day
    {
        return Ok(EvaluationSummary {
            open_until: Some(format_date_nl(last_day)),
            count: String::new(),
            averages: Vec::new(),
            remarks: Vec::new(),
        });
    }
    Ok(evaluation_summary(&answers_of(db, run_id).await?))
}
