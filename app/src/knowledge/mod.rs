//! Knowledge: factsheets and courses of modules written in Markdown, imported from `content/`,
//! edited in the browser and published on the site.

pub mod api;
pub mod course_api;
pub mod course_model;
pub mod course_pages;
pub mod editor;
pub mod editor_api;
pub mod editor_model;
pub mod editorial;
pub mod model;
pub mod pages;
pub mod search_page;

#[cfg(feature = "ssr")]
pub mod courses;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod front_matter;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod quiz;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod workflow;
