//! Intervision services (server only): groups and who is in them, invitations and the
//! confidentiality agreement, the sealed dilemma log and its read audit.

pub mod access;
pub mod actions;
pub mod agenda;
pub mod dilemmas;
pub mod erasure;
pub mod export;
pub mod groups;
pub mod management;
pub mod meetings;
pub mod notes;
pub mod notices;
pub mod overrides;
pub mod posts;
pub mod rekey;
pub mod retention;
pub mod sealed_texts;
pub mod sealing;
pub mod themes;
