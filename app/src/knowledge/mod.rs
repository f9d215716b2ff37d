//! Knowledge: factsheets, and courses of self-study modules, written in Markdown, imported from
//! `content/`, edited in the browser and published on the site. One `documents` table holds
//! every kind. Its parts, by layer:
//! - `model`: wire types (documents, courses and modules, the editor);
//! - `rules`: the Markdown pipeline's pure rules: front matter, rendering, self-check syntax;
//! - `policy`: who stands how to one document (the four-eyes rule for approval);
//! - `entity`, `service`: the content pipeline (`import`, `export`, `search`, `feed`), reading
//!   (`documents`, `courses` with quiz checks and progress) and the editorial `workflow`;
//! - `api`: thin server functions; `pages`: the public pages, the editor and the overview;
//!   `routes`: the Atom feed.

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
