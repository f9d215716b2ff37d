use sea_orm::entity::prelude::*;

use crate::knowledge::model::ReminderKind;

/// A review reminder that went out: one per document, review date and kind.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_slug: String,
    pub review_due: Date,
    pub kind: ReminderKind,
    pub sent_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
