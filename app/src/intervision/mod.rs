//! Intervision: closed groups of professionals who meet several times and log dilemmas from
//! their casework. Privacy first: only members and facilitators read inside a group (admins
//! neither), every member accepts the group's confidentiality agreement first, dilemma text is
//! sealed at rest and every read recorded, and every save of free text passes the privacy
//! guard (`crate::privacy_guard`).

pub mod api;
pub mod model;
pub mod pages;
pub mod policy;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
