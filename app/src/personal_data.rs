//! The personal-data export (GDPR art. 15 and 20), assembled from each domain's part. This is
//! the one module above all domains: a domain exports its own part and never calls another's.

use sea_orm::ConnectionTrait;

use crate::error::ServiceError;

/// Everything the platform holds about `user_id`, as one JSON object.
pub async fn export(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<serde_json::Value, ServiceError> {
    let mut export = crate::identity::service::accounts::export_user_data(db, user_id, now).await?;
    let parts = [
        (
            "cursusvoortgang",
            serde_json::Value::from(
                crate::knowledge::service::courses::progress_export(db, user_id).await?,
            ),
        ),
        (
            "inschrijvingen",
            crate::training::service::catalogue::enrolments_export(db, user_id).await?,
        ),
        (
            "certificaten_en_aanwezigheid",
            crate::training::service::certificates::certificates_export(db, user_id).await?,
        ),
        (
            "intervisie",
            crate::intervision::service::export::intervision_export(db, user_id, now).await?,
        ),
        (
            "e_mail",
            serde_json::Value::from(
                crate::messaging::service::outbox::mails_export(db, user_id).await?,
            ),
        ),
    ];
    if let Some(object) = export.as_object_mut() {
        for (key, part) in parts {
            object.insert(key.to_owned(), part);
        }
    }
    Ok(export)
}
