//! The personal-data export (GDPR art. 15 and 20) and erasure on request (art. 17), assembled
//! from each domain's part. This is the one module above all domains: a domain exports and
//! erases its own part and never calls another's.

use sea_orm::{ConnectionTrait, EntityTrait};

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

/// What erasing an account removes, in Dutch, for the person to read first.
pub fn what_erasure_removes() -> Vec<String> {
    [
            "uw naam, e-mailadres, organisatie, werkterrein en registernummers, en uw rollen",
            "uw antwoorden op intakevragen en de agendalink van uw trainingen",
            "uw voortgang in de cursussen",
            "alles wat u in intervisiegroepen schreef (dilemma's, reacties, notities), wie u las, uw aanwezigheid en uw lidmaatschappen; uw open actiepunten gaan naar de begeleider",
            "de e-mails aan u in de wachtrij en het verzendlog",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// What erasing an account keeps, and why, in Dutch.
pub fn what_erasure_keeps() -> Vec<String> {
    vec![
        format!(
            "uw aanwezigheid en certificaten bij trainingen, {} jaar na het afsluiten van de uitvoering (de accreditatieregisters vragen erom), onder een schuilnaam in plaats van uw naam",
            crate::training::rules::RECORDS_KEPT_YEARS
        ),
        "uw inschrijvingen en evaluaties zonder inhoud die u aanwijst, zodat tellingen kloppen"
            .to_owned(),
        "het auditlog van wat er gebeurde, zonder u erin".to_owned(),
    ]
}

/// Why `user_id` cannot be erased yet, in Dutch (empty: they can).
pub async fn erasure_refusals(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<String>, ServiceError> {
    let subject = crate::identity::entity::user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|found| found.subject)
        .unwrap_or_default();
    let mut refusals = crate::training::service::erasure::refusals(db, user_id, &subject).await?;
    refusals.extend(crate::intervision::service::erasure::refusals(db, user_id).await?);
    Ok(refusals)
}

/// Erases `user_id` at their own request, in one transaction: each domain's part (see
/// [`what_erasure_removes`]), the account last, as a pseudonym. Refused in Dutch while something
/// stands in the way; nothing changes then.
pub async fn erase(
    db: &sea_orm::DatabaseConnection,
    user_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let refused = erasure_refusals(&*txn, user_id).await?;
    if !refused.is_empty() {
        return Err(ServiceError::Invalid(refused.join(" ")));
    }
    if let Some(address) = crate::identity::service::erasure::address_of(&*txn, user_id).await? {
        crate::messaging::service::outbox::erase_mail_to(&*txn, &address).await?;
    }
    crate::intervision::service::erasure::erase_member(&*txn, user_id).await?;
    crate::knowledge::service::courses::erase_progress(&*txn, user_id).await?;
    let pseudonym = crate::identity::service::erasure::erase_account(&*txn, user_id, now).await?;
    crate::training::service::erasure::erase_participant(&*txn, user_id, &pseudonym).await?;
    txn.commit().await?;
    Ok(pseudonym)
}
