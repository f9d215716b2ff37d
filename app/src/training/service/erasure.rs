//! The training part of erasing an account (see `personal_data::erase`): what accreditation
//! needs stays under the pseudonym for its retention period (attendance, and certificates,
//! whose holder's name becomes the pseudonym); intake answers and the calendar feed go.
//! Erasure waits while the person is still enrolled in, or trains, a run that has not closed.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::ServiceError;
use crate::training::entity::{calendar_feed, certificate, enrolment, run, run_trainer};
use crate::training::model::{EnrolmentStatus, RunStatus};

/// Why the account cannot be erased yet, in Dutch (empty: it can).
pub async fn refusals(
    db: &impl ConnectionTrait,
    user_id: i32,
    login_subject: &str,
) -> Result<Vec<String>, ServiceError> {
    let active = [
        EnrolmentStatus::Requested,
        EnrolmentStatus::Confirmed,
        EnrolmentStatus::Waitlisted,
        EnrolmentStatus::Offered,
    ];
    let mut refusals = Vec::new();
    let enrolled: Vec<i32> = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::Status.is_in(active))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.run_id)
        .collect();
    let trains: Vec<i32> = run_trainer::Entity::find()
        .filter(run_trainer::Column::Subject.eq(login_subject))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.run_id)
        .collect();
    let open_runs = run::Entity::find()
        .filter(run::Column::Id.is_in(enrolled.iter().chain(&trains).copied()))
        .filter(run::Column::ClosedAt.is_null())
        .filter(run::Column::Status.eq(RunStatus::Scheduled))
        .all(db)
        .await?;
    for open in open_runs {
        let what = format!("{} ({})", open.training_slug, open.code);
        if enrolled.contains(&open.id) {
            refusals.push(format!(
                "U staat nog ingeschreven voor de training {what}. Meld u eerst af, of wacht tot de uitvoering is afgesloten."
            ));
        }
        if trains.contains(&open.id) {
            refusals.push(format!(
                "U bent trainer van de uitvoering {what}. Vraag eerst een andere trainer aan te wijzen, of wacht tot ze is afgesloten."
            ));
        }
    }
    Ok(refusals)
}

/// The training part of the erasure, in the caller's transaction.
pub async fn erase_participant(
    db: &impl ConnectionTrait,
    user_id: i32,
    pseudonym: &str,
) -> Result<(), ServiceError> {
    enrolment::Entity::update_many()
        .col_expr(
            enrolment::Column::IntakeAnswers,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            enrolment::Column::RejectionReason,
            Expr::value(Option::<String>::None),
        )
        .filter(enrolment::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    certificate::Entity::update_many()
        .col_expr(
            certificate::Column::ParticipantName,
            Expr::value(pseudonym.to_owned()),
        )
        .filter(certificate::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    calendar_feed::Entity::delete_many()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
