use sea_orm::entity::prelude::*;

use crate::vocabulary::Theme;

/// One theme of a dilemma brought in, counted for knowledge staff (see the migration
/// `knowledge_loop`): it outlives the dilemma's text, with `dilemma_id` cleared, until the
/// counting window has passed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dilemma_themes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dilemma_id: Option<i32>,
    pub group_id: i32,
    pub theme: Theme,
    pub brought_in_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
