//! Training services: importing runs from files, the catalogue, enrolment and the waitlist,
//! what a run's trainers see, attendance, closing a run and its certificates, and their
//! deletion once accreditation no longer needs them.

pub mod access;
pub mod attendance;
pub mod calendar;
pub mod catalogue;
pub mod certificate_pdf;
pub mod certificates;
pub mod enrolment;
pub mod erasure;
pub mod evaluations;
pub mod mails;
pub mod people;
pub mod retention;
pub mod roster;
pub mod run_editor;
pub mod run_messages;
pub mod runs_import;
pub mod session_changes;
pub mod trainer_runs;
