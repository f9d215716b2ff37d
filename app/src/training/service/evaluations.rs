//! The evaluation after a run's last session: confirmed participants answer once; the answer
//! is stored without account or time, apart from the record that they answered.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::training::entity::{enrolment, evaluation, evaluation_given, run};
use crate::training::model::{EnrolmentStatus, EvaluationSummary};
use crate::training::rules::evaluation_summary;
use crate::training::service::calendar::sessions_of;

/// Whether `user_id` may evaluate `run` now: confirmed, the last session begun, not yet
/// answered.
pub async fn may_evaluate(
    db: &impl ConnectionTrait,
    run: &run::Model,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let last_begun = sessions_of(db, run.id)
        .await?
        .last()
        .is_some_and(|last| last.date <= amsterdam_date(now));
    if !last_begun {
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

/// Stores `user_id`'s evaluation of `run` (checked by `parse_evaluation`), once.
pub async fn submit(
    db: &DatabaseConnection,
    run: &run::Model,
    user_id: i32,
    scores: String,
    remark: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    if !may_evaluate(&*txn, run, user_id, now).await? {
        return Err(ServiceError::Invalid(
            "U kunt deze training (nog) niet evalueren, of u deed het al.".into(),
        ));
    }
    evaluation_given::ActiveModel {
        run_id: Set(run.id),
        user_id: Set(user_id),
    }
    .insert(&*txn)
    .await?;
    evaluation::ActiveModel {
        run_id: Set(run.id),
        scores: Set(scores),
        remark: Set(remark),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the run's trainers see: see `evaluation_summary`.
pub async fn summary(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<EvaluationSummary, ServiceError> {
    let answers: Vec<(String, Option<String>)> = evaluation::Entity::find()
        .filter(evaluation::Column::RunId.eq(run_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.scores, row.remark))
        .collect();
    Ok(evaluation_summary(&answers))
}
