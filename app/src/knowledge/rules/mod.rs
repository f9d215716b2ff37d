//! The knowledge rules: the Markdown pipeline and the backlog form; pure functions, no database.

pub mod backlog;
#[cfg(feature = "ssr")]
pub mod front_matter;
#[cfg(feature = "ssr")]
pub mod quiz;
#[cfg(feature = "ssr")]
pub mod render;
pub mod slug;
