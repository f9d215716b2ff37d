//! Trainings: runs of a training (sessions, capacity, trainers), enrolment with waitlists that
//! fill themselves, intake and approval. The training's description and facts are a document
//! of the knowledge domain (`kind = training`); everything that happens per run lives here.

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
