use sea_orm::entity::prelude::*;

/// Who opened which dilemma, and when; never what it says.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dilemma_reads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dilemma_id: i32,
    pub user_id: i32,
    pub read_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
