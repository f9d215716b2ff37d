//! The Markdown pipeline's rules: pure functions over text, no database.

#[cfg(feature = "ssr")]
pub mod front_matter;
#[cfg(feature = "ssr")]
pub mod quiz;
#[cfg(feature = "ssr")]
pub mod render;
pub mod slug;
