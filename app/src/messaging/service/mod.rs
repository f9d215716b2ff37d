//! Messaging services: the durable job table, the mail outbox, the SMTP sender, and which
//! servers are running.

pub mod jobs;
pub mod nodes;
pub mod outbox;
pub mod smtp;
