use sea_orm::entity::prelude::*;

use crate::knowledge::model::{DocumentKind, WorkflowState};

/// Where a document is in the editorial workflow. `head` is the newest revision (the number
/// editors' saves are checked against), `published` the one the public site shows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_workflow")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub state: WorkflowState,
    pub head: i32,
    pub published: Option<i32>,
    pub submitted_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    /// Where the document goes when published (see `Placement`).
    pub kind: DocumentKind,
    pub course: Option<String>,
    pub position: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
