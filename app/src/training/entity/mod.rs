//! The training tables: runs, their sessions and trainers, seats per work field, enrolments.

pub mod calendar_feed;
pub mod enrolment;
pub mod run;
pub mod run_session;
pub mod run_trainer;
pub mod work_field_seats;
