//! The `documents` table: every document the public site shows (factsheets, courses and course
//! modules, told apart by `kind`). Editing history and workflow live in
//! `revision` and `workflow`, module progress in `progress`.

pub mod backlog_item;
pub mod document_read;
pub mod owner_mailbox;
pub mod progress;
pub mod publication_version;
pub mod review_reminder;
pub mod revision;
pub mod search_miss;
pub mod workflow;

use sea_orm::entity::prelude::*;

use serde::{Deserialize, Serialize};

use crate::knowledge::model::{DocumentKind, DocumentStatus, Source, TocEntry};
use crate::knowledge::rules::quiz::StoredQuestion;
use crate::vocabulary::{Phenomenon, WorkField};

/// A list column: JSON in a text column on both databases (so the related-documents query can
/// match an element with `LIKE`), typed in Rust; encoded and decoded only here.
macro_rules! json_list_column {
    ($($(#[$meta:meta])* $name:ident($item:ty);)+) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, DeriveValueType)]
        #[serde(transparent)]
        #[sea_orm(
            value_type = "String",
            from_str = "serde_json::from_str",
            to_str = "crate::db::to_json_text",
            column_type = "Text"
        )]
        pub struct $name(pub Vec<$item>);
    )+};
}

json_list_column! {
    Phenomena(Phenomenon);
    Audience(WorkField);
    Sources(Source);
    TableOfContents(TocEntry);
    /// A module's self-check questions with their answers. Never sent to a browser.
    Questions(StoredQuestion);
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub phenomena: Phenomena,
    pub audience: Audience,
    pub owner: String,
    pub reviewed_on: Date,
    pub review_due: Date,
    pub sources: Sources,
    pub status: DocumentStatus,
    pub body_markdown: String,
    pub body_html: String,
    pub toc: TableOfContents,
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
    pub questions: Option<Questions>,
    /// Set on trainings only: the training's own front-matter fields (facts and `runs:`), as
    /// the training domain's `KindFields` wrote them; knowledge keeps them and does not read them.
    #[sea_orm(column_type = "Text", nullable)]
    pub training: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
