//! The `documents` table: every document the public site shows (factsheets, courses and course
//! modules, told apart by `kind`). Editing history and workflow live in
//! `revision` and `workflow`, module progress in `progress`.

pub mod progress;
pub mod revision;
pub mod workflow;

use sea_orm::entity::prelude::*;

use crate::knowledge::model::{DocumentKind, DocumentStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// JSON array of phenomenon slugs.
    pub phenomena: String,
    /// JSON array of audience slugs.
    pub audience: String,
    pub owner: String,
    pub reviewed_on: Date,
    pub review_due: Date,
    /// JSON array of `{title, url}`.
    pub sources: String,
    pub status: DocumentStatus,
    pub body_markdown: String,
    pub body_html: String,
    /// JSON array of table-of-contents entries.
    pub toc: String,
    /// SHA-256 over renderer version and file bytes: unchanged files are skipped on import.
    pub content_hash: String,
    pub source_path: String,
    /// Why a withdrawn factsheet was withdrawn; shown at its old address.
    pub withdrawn_reason: Option<String>,
    pub updated_at: DateTimeUtc,
    pub kind: DocumentKind,
    /// A module's course slug.
    pub course: Option<String>,
    /// A module's place in its course (the `NN` of its file name).
    pub position: Option<i32>,
    /// A module's self-check questions with their answers, as JSON. Never sent to a browser.
    pub questions: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
