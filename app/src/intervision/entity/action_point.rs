use sea_orm::entity::prelude::*;

use crate::intervision::model::ActionStatus;

/// An action point under a dilemma; its text is sealed (`action:<id>`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_points")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dilemma_id: i32,
    pub owner_user_id: Option<i32>,
    pub sealed: Vec<u8>,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
