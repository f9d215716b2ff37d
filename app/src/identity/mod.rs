//! Identity and access: accounts from OpenID Connect logins, profiles, roles, server-side
//! sessions, the audit log, and the one module that decides who may do what (`access`).

pub mod access;
pub mod api;
pub mod model;
pub mod pages;
pub mod profile;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod current;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session_store;

/// Percent-encodes a local path for use as a query value (`?next=`, `?volgende=`); `/` stays.
pub fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
