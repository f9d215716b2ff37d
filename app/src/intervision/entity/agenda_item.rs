use sea_orm::entity::prelude::*;

/// A dilemma on a meeting's agenda, in order, with the method used for it once the
/// facilitator starts one from the agenda. `dilemma_id` is emptied when the dilemma goes
/// (retention, its author): the meeting still shows the method used.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_agenda_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub meeting_id: i32,
    pub dilemma_id: Option<i32>,
    pub position: i32,
    /// The method slug (see `rules::methods`), once started from the agenda.
    pub method: Option<String>,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
