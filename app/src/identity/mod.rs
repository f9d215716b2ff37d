//! Identity and access: accounts from OpenID Connect logins, profiles, roles, server-side
//! sessions, the audit log, and the one module that decides who may do what (`access`).

pub mod access;
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod service;
