//! Server functions of knowledge: each authorizes through `identity::access` and calls one service.

pub mod backlog;
pub mod courses;
pub mod documents;
pub mod editor;
