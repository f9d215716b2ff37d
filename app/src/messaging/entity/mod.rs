//! The messaging tables: jobs and the mail outbox.

pub mod job;
pub mod mail;
pub mod node;
