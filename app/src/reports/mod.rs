//! Reports (`/beheer/rapportage`): what happens in trainings, intervision and knowledge, as
//! counts per quarter, never who. Every table goes through `small_count::suppress_table`
//! (counts from 1 to 4 as "< 5", and as many further cells hidden as it takes so that none of
//! them can be worked out from the rest and the totals), on the page and in its CSV alike.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
