//! Identity services (server only): accounts and profiles, the audit log, the request's viewer
//! account labels for staff pages, secret links, and the session store.

pub mod accounts;
pub mod audit;
pub mod current;
pub mod erasure;
pub mod labels;
pub mod secret_links;
pub mod session_store;
