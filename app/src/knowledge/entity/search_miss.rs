use sea_orm::entity::prelude::*;

/// Search words that found nothing, and how often in a month (see `service::usage`). Never
/// who searched; words that could name someone are not kept at all.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_misses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The month's first day.
    pub month: Date,
    pub words: String,
    pub searches: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
