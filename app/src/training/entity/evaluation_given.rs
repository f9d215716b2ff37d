use sea_orm::entity::prelude::*;

/// That `user_id` evaluated run `run_id` (never what): one evaluation per person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations_given")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
