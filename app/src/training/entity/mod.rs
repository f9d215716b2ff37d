//! The training tables: runs, their sessions and trainers, seats per work field, enrolments,
//! attendance per session and certificates.

pub mod calendar_feed;
pub mod certificate;
pub mod enrolment;
pub mod evaluation_answers;
pub mod evaluation_given;
pub mod run;
pub mod run_message;
pub mod run_session;
pub mod run_trainer;
pub mod session_attendance;
pub mod work_field_seats;
