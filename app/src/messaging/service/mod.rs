//! Messaging services: the durable job table, the mail outbox, and the SMTP sender.

pub mod jobs;
pub mod outbox;
pub mod smtp;
