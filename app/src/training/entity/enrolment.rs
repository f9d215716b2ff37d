use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::training::model::EnrolmentStatus;
use crate::vocabulary::WorkField;

/// Intake answers as (question, answer) pairs, JSON in a text column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, DeriveValueType)]
#[serde(transparent)]
#[sea_orm(
    value_type = "String",
    from_str = "serde_json::from_str",
    to_str = "crate::db::to_json_text",
    column_type = "Text"
)]
pub struct IntakeAnswers(pub Vec<(String, String)>);

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub user_id: i32,
    pub status: EnrolmentStatus,
    /// 1 while the enrolment is active, NULL after: one active enrolment per person per run.
    pub active: Option<i32>,
    /// The work field at the time of enrolment (what the fair mix counted).
    pub work_field: WorkField,
    /// Place in the order of acceptance onto the waitlist.
    pub waitlist_seq: Option<i32>,
    pub offer_expires_at: Option<DateTimeUtc>,
    pub intake_answers: Option<IntakeAnswers>,
    pub rejection_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
