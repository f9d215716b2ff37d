//! The app's service tests, in one binary, each on SQLite and PostgreSQL (`both_databases!`).

#[macro_use]
mod common;
mod erasure;
mod identity_service;
mod intervision;
mod intervision_work;
mod knowledge_courses;
mod knowledge_export;
mod knowledge_loop;
mod knowledge_search;
mod knowledge_service;
mod knowledge_workflow;
mod layers;
mod messaging_jobs;
mod migrations;
mod privacy_guard;
mod reports;
mod test_databases;
mod training_enrolment;
mod write_lane;
