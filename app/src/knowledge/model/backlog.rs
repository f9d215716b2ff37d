//! The knowledge loop as the pages receive it: per theme of the dilemmas brought into
//! intervision, how often it came up, what already covers it, and the editors' backlog of
//! factsheets practice asks for.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::knowledge::model::SearchKind;
use crate::vocabulary::Theme;

crate::vocabulary! {
    /// Where a wanted factsheet stands.
    pub enum BacklogStatus {
        Open = ("open", "Open"),
        InProgress = ("in-behandeling", "In behandeling"),
        Published = ("gepubliceerd", "Gepubliceerd"),
        Declined = ("afgewezen", "Afgewezen"),
    }
}

impl BacklogStatus {
    /// Still to be done: shown first on the editorial overview.
    pub fn is_open(self) -> bool {
        matches!(self, BacklogStatus::Open | BacklogStatus::InProgress)
    }
}

/// The most characters of a backlog item's title and of a reason to decline it.
pub const MAX_BACKLOG_TITLE_CHARS: usize = 200;
pub const MAX_DECLINE_REASON_CHARS: usize = 1000;

/// A factsheet practice asks for ("factsheet gewenst"), on the editorial overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogItem {
    pub id: i32,
    pub theme: Theme,
    pub title: String,
    pub status: BacklogStatus,
    /// The published document that answers it (slug, title), once published.
    pub document: Option<(String, String)>,
    pub decline_reason: Option<String>,
    pub created_on: NaiveDate,
    pub changed_on: NaiveDate,
}

/// A backlog item's form as typed (strings, so nothing typed is lost when it is refused).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogForm {
    #[serde(default)]
    pub thema: String,
    #[serde(default)]
    pub titel: String,
    #[serde(default)]
    pub status: String,
    /// The slug of the published document, when the status is published.
    #[serde(default)]
    pub document: String,
    /// Why it was declined, when the status is declined.
    #[serde(default)]
    pub reden: String,
}

/// A refused backlog form with its errors: `item` None for a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogDraft {
    pub item: Option<i32>,
    pub form: BacklogForm,
    pub errors: FieldErrors,
}

/// A document that already covers a theme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoveringDocument {
    pub kind: SearchKind,
    pub title: String,
    pub url: String,
}

/// One theme on the knowledge staff's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDemand {
    pub theme: Theme,
    /// Dilemmas with this theme in the counting window; `None` when too few to show.
    pub dilemmas: Option<u32>,
    /// The best matching published factsheets and trainings, and how many match in all.
    pub covering: Vec<CoveringDocument>,
    pub covering_total: usize,
    pub backlog: Vec<BacklogItem>,
}

/// The knowledge staff's page of themes (`/redactie/themas`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemesPage {
    pub themes: Vec<ThemeDemand>,
    pub window_months: u32,
    pub min_dilemmas: u32,
    pub min_groups: u32,
    /// A refused form as typed, shown once at its theme or item.
    pub draft: Option<BacklogDraft>,
}

/// A backlog item the rules accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBacklogItem {
    pub theme: Theme,
    pub title: String,
    pub status: BacklogStatus,
    pub document_slug: Option<String>,
    pub decline_reason: Option<String>,
}
