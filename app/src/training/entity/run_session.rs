use sea_orm::entity::prelude::*;

/// One session of a run; times are Europe/Amsterdam wall-clock times ("09:30").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub position: i32,
    pub date: Date,
    pub starts_at: String,
    pub ends_at: String,
    pub location: String,
    pub online_link: Option<String>,
    /// iCalendar `SEQUENCE`: raised when the date, time, place or link changes.
    pub sequence: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
