//! The identity part of erasing an account at its owner's request (see `personal_data::erase`
//! for the whole): the row stays as a pseudonym, so that what the law makes the platform keep
//! (certificates, attendance) still has a holder, but it no longer names, reaches or logs in
//! anyone; the audit log keeps every action without the person.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::ServiceError;
use crate::identity::entity::{audit_event, register_number, user, user_role};
use crate::identity::model::AuditEventKind;
use crate::identity::service::audit::{NewAuditEvent, record};

/// Erases the account's identity in the caller's transaction; the pseudonym it goes by from
/// now on ("Gewist account 7KQ2M4XA"). A later login with the same provider account makes a
/// new, empty account.
pub async fn erase_account(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let found = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|found| found.erased_at.is_none())
        .ok_or(ServiceError::NotFound)?;
    let token = crate::identity::service::secret_links::new_token();
    let mark: String = token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_uppercase();
    let pseudonym = format!("Gewist account {mark}");
    let mut row: user::ActiveModel = found.into();
    row.subject = Set(format!("gewist:{token}"));
    row.display_name = Set(Some(pseudonym.clone()));
    row.organisation = Set(None);
    row.work_field = Set(None);
    row.email = Set(None);
    row.profile_completed_at = Set(None);
    row.erased_at = Set(Some(now));
    row.update(db).await?;
    register_number::Entity::delete_many()
        .filter(register_number::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // The actions stay in the log, without the person.
    for column in [
        audit_event::Column::ActorUserId,
        audit_event::Column::SubjectUserId,
    ] {
        audit_event::Entity::update_many()
            .col_expr(column, Expr::value(Option::<i32>::None))
            .filter(column.eq(user_id))
            .exec(db)
            .await?;
    }
    record(
        db,
        NewAuditEvent {
            event: AuditEventKind::AccountErased,
            actor_user_id: None,
            subject_user_id: None,
            detail: "",
        },
        now,
    )
    .await?;
    Ok(pseudonym)
}

/// The account's e-mail address, read before erasure (the outbox's mail to it goes too).
pub async fn address_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<String>, ServiceError> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|found| found.email))
}
