use sea_orm::entity::prelude::*;

/// One meeting of a group; the online link is shown only inside the group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub group_id: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub location: String,
    pub online_link: Option<String>,
    pub cancelled: bool,
    /// iCalendar `SEQUENCE`: raised when the meeting moves, is cancelled or restored.
    pub sequence: i32,
    /// Set when an admin recorded the meeting more than `MAX_DAYS_BACK` days afterwards: its
    /// attendance window runs from then.
    pub recorded_late_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
