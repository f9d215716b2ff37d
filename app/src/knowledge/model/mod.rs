//! What the pages receive from the server: plain data, no database types.

pub mod backlog;
pub mod course;
pub mod editor;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocabulary::{Phenomenon, WorkField};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsheetSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub phenomena: Vec<Phenomenon>,
    pub audience: Vec<WorkField>,
    pub owner: String,
    pub reviewed_on: NaiveDate,
    pub review_due: NaiveDate,
}

/// One page of the factsheet index under its filters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsheetListing {
    pub items: Vec<FactsheetSummary>,
    /// Matching factsheets on all pages.
    pub total: u64,
    pub page: u64,
    pub page_count: u64,
}

pub const FACTSHEETS_PAGE_SIZE: u64 = 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// One heading of a document, as listed in its table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factsheet {
    pub summary: FactsheetSummary,
    pub sources: Vec<Source>,
    /// Sanitised HTML, safe to insert as is.
    pub body_html: String,
    pub toc: Vec<TocEntry>,
    /// Decided on the server, so server and browser render the same notice.
    pub review_overdue: bool,
    /// Other published factsheets on the same phenomena or for the same audience.
    pub related: Vec<FactsheetSummary>,
}

/// A document as the editors' overview lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorialItem {
    pub placement: Placement,
    pub slug: String,
    pub title: String,
    pub owner: String,
    pub state: WorkflowState,
    pub reviewed_on: NaiveDate,
    pub review_due: NaiveDate,
    pub overdue: bool,
    /// The last review reminder for this review date, if one went out.
    #[serde(default)]
    pub reminded: Option<(ReminderKind, NaiveDate)>,
}

crate::vocabulary! {
    /// Which review reminder went to a document's owner.
    pub enum ReminderKind {
        DueSoon = ("due-soon", "Herinnerd"),
        Overdue = ("overdue", "Aangemaand"),
    }
}

/// One page of the editors' overview; the counts and the approval queue cover every document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorialOverviewPage {
    /// This page's documents, owner by owner (owners with overdue documents first).
    pub items: Vec<EditorialItem>,
    /// Everything in review, oldest review date first (at most [`EDITORIAL_PAGE_SIZE`]).
    pub awaiting_approval: Vec<EditorialItem>,
    /// Course slug → title, so a module is named after its course on any page.
    pub course_titles: Vec<(String, String)>,
    pub overdue: usize,
    pub in_review: usize,
    pub drafts: usize,
    pub page: u64,
    pub page_count: u64,
    /// Wanted factsheets still open or in progress (see `/redactie/themas`).
    pub backlog: Vec<backlog::BacklogItem>,
    /// Owners on this page without a mailbox in `content/owners.yaml`: they get no reminders.
    pub owners_without_mailbox: Vec<String>,
}

pub const EDITORIAL_PAGE_SIZE: usize = 100;

crate::vocabulary! {
    /// What a search may be narrowed to ("soort"): factsheets, course material (courses and
    /// their modules), or trainings.
    #[derive(Default)]
    pub enum SearchKind {
        #[default]
        Factsheet = ("factsheet", "Factsheet"),
        Module = ("module", "Cursusmodule"),
        Training = ("training", "Training"),
    }
}

impl SearchKind {
    pub fn url(self, slug: &str) -> String {
        match self {
            SearchKind::Factsheet => format!("/factsheets/{slug}"),
            SearchKind::Module => format!("/modules/{slug}"),
            SearchKind::Training => format!("/trainingen/{slug}"),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    pub phenomenon: Option<Phenomenon>,
    pub audience: Option<WorkField>,
    pub kind: Option<SearchKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    /// Where a module belongs, e.g. "Module uit de cursus Van signaal naar handelen".
    pub context: Option<String>,
    /// Escaped text with the matches in `<b>`, with "…" where it starts or ends inside the
    /// text; safe to insert as HTML.
    pub snippet_html: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many documents match (more than the hits shown).
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// When nothing was found: a spelling of the query that finds something ("Bedoelde u …?").
    pub suggestion: Option<String>,
}

crate::vocabulary! {
    /// Where a document is in the editorial workflow.
    pub enum WorkflowState {
        Draft = ("draft", "Concept"),
        InReview = ("in_review", "Ter beoordeling"),
        Published = ("published", "Gepubliceerd"),
        Withdrawn = ("withdrawn", "Ingetrokken"),
    }
}

crate::vocabulary! {
    /// What the public site may show of a stored document. A `content/` file says draft or
    /// published; withdrawing happens on the site.
    pub enum DocumentStatus {
        Draft = ("draft", "Concept"),
        Published = ("published", "Gepubliceerd"),
        Withdrawn = ("withdrawn", "Ingetrokken"),
    }
}

crate::vocabulary! {
    /// What a row of the documents table is.
    pub enum DocumentKind {
        Factsheet = ("factsheet", "Factsheet"),
        Course = ("course", "Cursus"),
        Module = ("module", "Cursusmodule"),
        Training = ("training", "Training"),
    }
}

/// A document as the editor opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorDocument {
    pub slug: String,
    pub placement: Placement,
    pub state: WorkflowState,
    /// The revision a save must be based on (optimistic locking).
    pub head: i32,
    /// Revision shown on the public site, if any.
    pub published: Option<i32>,
    pub submitted_by: Option<i32>,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionSummary {
    pub number: i32,
    pub author_user_id: Option<i32>,
    /// Who saved it, as staff pages name accounts; the import for versions from `content/`.
    pub author: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub is_published: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

/// Two revisions compared as editors read them: the changed fields by their Dutch labels, and
/// the text line by line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionComparison {
    pub fields: Vec<FieldChange>,
    pub body: Vec<DiffLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub label: String,
    pub old: String,
    pub new: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub text: String,
}

/// Where a document lives: a factsheet, a course, or a module at a place in its course. Decides
/// its file in `content/` and its public address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placement {
    Factsheet,
    Course,
    Module { course: String, position: i32 },
    Training,
}

/// The front matter file of a course: `modules/<course>/course.md`.
pub const COURSE_FILE: &str = "course.md";

impl Placement {
    pub fn kind(&self) -> DocumentKind {
        match self {
            Placement::Factsheet => DocumentKind::Factsheet,
            Placement::Course => DocumentKind::Course,
            Placement::Module { .. } => DocumentKind::Module,
            Placement::Training => DocumentKind::Training,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Placement::Factsheet => "Factsheet",
            Placement::Course => "Cursus",
            Placement::Module { .. } => "Cursusmodule",
            Placement::Training => "Training",
        }
    }

    /// From the stored columns; `None` when they do not describe a valid placement.
    pub fn from_columns(
        kind: DocumentKind,
        course: Option<&str>,
        position: Option<i32>,
    ) -> Option<Self> {
        match (kind, course, position) {
            (DocumentKind::Factsheet, _, _) => Some(Placement::Factsheet),
            (DocumentKind::Course, _, _) => Some(Placement::Course),
            (DocumentKind::Training, _, _) => Some(Placement::Training),
            (DocumentKind::Module, Some(course), Some(position)) => Some(Placement::Module {
                course: course.to_owned(),
                position,
            }),
            _ => None,
        }
    }

    pub fn course(&self) -> Option<&str> {
        match self {
            Placement::Module { course, .. } => Some(course),
            _ => None,
        }
    }

    pub fn position(&self) -> Option<i32> {
        match self {
            Placement::Module { position, .. } => Some(*position),
            _ => None,
        }
    }

    /// The document's file, relative to the content directory.
    pub fn source_path(&self, slug: &str) -> String {
        match self {
            Placement::Factsheet => format!("factsheets/{slug}.md"),
            Placement::Course => format!("modules/{slug}/{COURSE_FILE}"),
            Placement::Training => format!("trainings/{slug}.md"),
            Placement::Module { course, position } => {
                format!("modules/{course}/{position:02}-{slug}.md")
            }
        }
    }

    /// The inverse of [`Placement::source_path`]: the placement and the slug the file name
    /// promises, or a Dutch reason why the path is not a document's place.
    pub fn from_source_path(path: &str) -> Result<(Self, String), String> {
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["factsheets", name] => name
                .strip_suffix(".md")
                .map(|slug| (Placement::Factsheet, slug.to_owned()))
                .ok_or_else(|| "een factsheet moet eindigen op .md".to_owned()),
            ["trainings", name] => name
                .strip_suffix(".md")
                .map(|slug| (Placement::Training, slug.to_owned()))
                .ok_or_else(|| "een training moet eindigen op .md".to_owned()),
            ["modules", course, name] if *name == COURSE_FILE => {
                Ok((Placement::Course, (*course).to_owned()))
            }
            ["modules", course, name] => {
                let stem = name.strip_suffix(".md").unwrap_or(name);
                let (number, slug) = stem.split_once('-').unwrap_or((stem, ""));
                match number.parse::<i32>() {
                    Ok(position)
                        if !slug.is_empty()
                            && number.len() >= 2
                            && number.bytes().all(|b| b.is_ascii_digit())
                            && (1..=999).contains(&position) =>
                    {
                        Ok((
                            Placement::Module {
                                course: (*course).to_owned(),
                                position,
                            },
                            slug.to_owned(),
                        ))
                    }
                    _ => Err(format!(
                        "een module heet NN-<slug>.md (bijv. 01-inleiding.md) en een cursus {COURSE_FILE}"
                    )),
                }
            }
            _ => Err("hoort niet in factsheets/, modules/<cursus>/ of trainings/".to_owned()),
        }
    }

    /// The public address of a published document with this placement.
    pub fn public_url(&self, slug: &str) -> String {
        match self {
            Placement::Factsheet => format!("/factsheets/{slug}"),
            Placement::Course => format!("/modules/{slug}"),
            Placement::Module { course, .. } => format!("/modules/{course}/{slug}"),
            Placement::Training => format!("/trainingen/{slug}"),
        }
    }
}

#[cfg(test)]
mod placement_tests {
    use super::*;

    #[test]
    fn source_paths_round_trip() {
        let module = Placement::Module {
            course: "signalen".into(),
            position: 3,
        };
        for (placement, slug) in [
            (Placement::Factsheet, "jihadisme"),
            (Placement::Course, "signalen"),
            (module.clone(), "duiden"),
        ] {
            let path = placement.source_path(slug);
            assert_eq!(
                Placement::from_source_path(&path),
                Ok((placement, slug.to_owned()))
            );
        }
        assert_eq!(
            module.source_path("duiden"),
            "modules/signalen/03-duiden.md"
        );
        assert_eq!(module.public_url("duiden"), "/modules/signalen/duiden");
        for bad in [
            "modules/signalen/inleiding.md",
            "modules/signalen/1-inleiding.md",
            "modules/signalen/00-inleiding.md",
            "modules/signalen/01-.md",
            "other/x.md",
        ] {
            assert!(Placement::from_source_path(bad).is_err(), "{bad}");
        }
    }
}
