//! Training services: importing runs from files, the catalogue, enrolment and the waitlist,
//! and what a run's trainers see.

pub mod access;
pub mod calendar;
pub mod catalogue;
pub mod enrolment;
pub mod mails;
pub mod roster;
pub mod run_editor;
pub mod runs_import;
