use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The points per register a certificate gives, with the holder's number for that register
/// as it was when it was issued (JSON in a text column).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, DeriveValueType)]
#[serde(transparent)]
#[sea_orm(
    value_type = "String",
    from_str = "serde_json::from_str",
    to_str = "crate::db::to_json_text",
    column_type = "Text"
)]
pub struct CertifiedPoints(pub Vec<crate::training::model::CertifiedPoint>);

/// A certificate, with what it certifies as it was on the day it was issued.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The verification code: 128 random bits, URL-safe.
    pub code: String,
    /// None once the account is gone; the certificate stays verifiable.
    pub user_id: Option<i32>,
    pub run_id: i32,
    pub participant_name: String,
    pub training_title: String,
    /// "4 en 18 maart 2027".
    pub dates: String,
    pub net_minutes: i32,
    pub points: CertifiedPoints,
    /// The trainers' names, comma-separated.
    pub trainers: String,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
