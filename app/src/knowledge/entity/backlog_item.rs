use sea_orm::entity::prelude::*;

use crate::knowledge::model::backlog::BacklogStatus;
use crate::vocabulary::Theme;

/// A factsheet practice asks for, on the editors' backlog (see the migration `knowledge_loop`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "backlog_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub theme: Theme,
    pub title: String,
    pub status: BacklogStatus,
    pub document_slug: Option<String>,
    pub decline_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
