//! Messaging: the mail outbox and the durable job table. Other domains write a mail (and any
//! timed work) in the same transaction as the change that causes it; the server's job runner
//! claims due jobs (each runs once, also with several app nodes) and sends mail over SMTP with
//! retries. Admins see what is queued, sent and failed.

pub mod api;
pub mod model;
pub mod pages;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
