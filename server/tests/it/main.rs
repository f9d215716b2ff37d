//! The server's HTTP tests, in one binary: linking the whole server once instead of once per file.

mod access_matrix;
mod assets;
mod backup;
mod courses;
mod crash;
mod editor_round_trip;
mod hardening;
mod intervision;
mod knowledge_loop;
mod login;
mod mail;
mod operations;
mod outage;
mod page_cache;
mod routes;
mod startup;
mod support;
mod trainings;
mod two_nodes;
