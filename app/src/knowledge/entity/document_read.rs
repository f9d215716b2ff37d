use sea_orm::entity::prelude::*;

use crate::knowledge::model::DocumentKind;

/// How often a document's page was read in a month, on every node together (see
/// `service::usage`). No reader, no moment finer than the month.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_reads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The month's first day.
    pub month: Date,
    pub kind: DocumentKind,
    pub slug: String,
    pub reads: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
