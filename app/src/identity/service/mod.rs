//! Identity services (server only): accounts and profiles, the audit log, the request's viewer
//! and the session store.

pub mod accounts;
pub mod audit;
pub mod current;
pub mod session_store;
