//! The intervision tables (see the migration `create_intervision`).

pub mod account_invitation;
pub mod action_point;
pub mod agenda_item;
pub mod agreement_acceptance;
pub mod dilemma;
pub mod dilemma_post;
pub mod dilemma_read;
pub mod dilemma_theme;
pub mod group;
pub mod group_facilitator;
pub mod group_member;
pub mod guard_override;
pub mod invitation;
pub mod key_check;
pub mod meeting;
pub mod meeting_attendance;
pub mod meeting_note;
pub mod retained_count;
pub mod retention_change;
pub mod theme_tally_version;
