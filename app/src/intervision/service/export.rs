//! Intervision's part of the personal-data export: the groups one is in, which agreement
//! versions one accepted, the meetings attended and how much one wrote. The texts themselves
//! stay sealed in the group, where the person reads them.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::error::ServiceError;
use crate::intervision::entity::{
    agreement_acceptance, dilemma, dilemma_post, group, group_facilitator, group_member,
};

pub async fn intervision_export(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<serde_json::Value, ServiceError> {
    let mut groups = Vec::new();
    for member in group_member::Entity::find()
        .filter(group_member::Column::UserId.eq(user_id))
        .all(db)
        .await?
    {
        if let Some(g) = group::Entity::find_by_id(member.group_id).one(db).await? {
            groups.push(json!({"groep": g.name, "rol": "lid", "sinds": member.joined_at, "e_mail_bij_nieuws": member.notify}));
        }
    }
    for led in group_facilitator::Entity::find()
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .all(db)
        .await?
    {
        if let Some(g) = group::Entity::find_by_id(led.group_id).one(db).await? {
            groups.push(json!({"groep": g.name, "rol": "begeleider", "sinds": led.joined_at, "e_mail_bij_nieuws": led.notify}));
        }
    }
    let acceptances: Vec<serde_json::Value> = agreement_acceptance::Entity::find()
        .filter(agreement_acceptance::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| json!({"groep_id": a.group_id, "versie": a.version, "op": a.accepted_at}))
        .collect();
    let record =
        crate::intervision::service::meetings::record_of(db, user_id, String::new(), "", now)
            .await?;
    Ok(json!({
        "groepen": groups,
        "afspraken_bevestigd": acceptances,
        "bijgewoonde_bijeenkomsten": record.groups.iter().map(|g| json!({
            "groep": g.name,
            "als_begeleider": g.as_facilitator,
            "bijeenkomsten": g.meetings,
            "uren": g.hours,
        })).collect::<Vec<_>>(),
        "ingebrachte_dilemmas": dilemma::Entity::find()
            .filter(dilemma::Column::AuthorUserId.eq(user_id))
            .count(db)
            .await?,
        "reacties": dilemma_post::Entity::find()
            .filter(dilemma_post::Column::AuthorUserId.eq(user_id))
            .count(db)
            .await?,
    }))
}
