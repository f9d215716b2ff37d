use sea_orm::entity::prelude::*;

/// A reply in a dilemma's thread, sealed like the dilemma itself.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dilemma_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dilemma_id: i32,
    /// None once the author's account is gone.
    pub author_user_id: Option<i32>,
    pub sealed: Vec<u8>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
