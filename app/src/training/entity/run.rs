use sea_orm::entity::prelude::*;

use crate::training::model::RunStatus;

/// A run (`uitvoering`) of a training. `seats_taken` counts confirmed and offered enrolments;
/// the database keeps it within `capacity`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub training_slug: String,
    pub code: String,
    pub status: RunStatus,
    pub capacity: i32,
    pub seats_taken: i32,
    /// The last waitlist number handed out: the waitlist's order is the order of acceptance.
    pub waitlist_counter: i32,
    pub enrolment_opens: Date,
    pub enrolment_closes: Date,
    pub cancellation_days: i32,
    pub waitlist_closes: Date,
    pub offer_hours: i32,
    pub max_work_field_share: Option<i32>,
    /// Changed in the browser: the importer leaves it alone.
    pub web_edited: bool,
    pub cancelled_reason: Option<String>,
    pub updated_at: DateTimeUtc,
    /// When the trainers closed the run and certificates were given.
    pub closed_at: Option<DateTimeUtc>,
    /// When its attendance and certificates were deleted, five years after closing.
    pub records_deleted_at: Option<DateTimeUtc>,
    /// Its first and last session's dates, kept by the one function that writes sessions
    /// (`runs_import::sync_sessions_and_trainers`) so that lists place runs without reading
    /// every session.
    pub first_session_on: Option<Date>,
    pub last_session_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
