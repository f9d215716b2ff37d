use sea_orm::entity::prelude::*;

/// Every saved version of a document: the whole document (front matter + Markdown), so any
/// two can be compared and any one restored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub slug: String,
    pub number: i32,
    pub source: String,
    /// None: the version that came from `content/`.
    pub author_user_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
