//! The factsheet editor's form, shared by browser and server: the front-matter fields as form
//! fields plus the Markdown body, and how they become one document text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

use crate::knowledge::model::{EditorDocument, Placement, RevisionSummary, WorkflowState};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
}

/// The form exactly as typed (strings, so nothing is lost when it does not validate).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsheetForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub summary: String,
    /// Checked boxes: slug → "on".
    #[serde(default)]
    pub phenomena: BTreeMap<String, String>,
    #[serde(default)]
    pub audience: BTreeMap<String, String>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub reviewed_on: String,
    #[serde(default)]
    pub review_due: String,
    #[serde(default)]
    pub sources: Vec<SourceInput>,
    #[serde(default)]
    pub body: String,
    /// The fields the document's kind adds (a training's hours, accreditation, intake, runs),
    /// as the file's YAML lines; empty for factsheets.
    #[serde(default)]
    pub kind_fields: String,
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text.trim()).unwrap_or_else(|_| "\"\"".to_owned())
}

impl FactsheetForm {
    /// The document text the importer would read; validation happens on that text, so the
    /// editor and `content/` follow exactly the same rules.
    pub fn to_source(&self) -> String {
        // Checked boxes come without an order: they are written in the vocabulary's order
        // (the order of the form and of the shipped files), so saving unchanged reorders nothing.
        let list = |checked: &BTreeMap<String, String>, order: &[&str]| {
            let mut keys: Vec<&String> = checked.keys().collect();
            keys.sort_by_key(|key| {
                order
                    .iter()
                    .position(|slug| slug == key)
                    .unwrap_or(order.len())
            });
            let items: Vec<String> = keys.into_iter().map(|k| quoted(k)).collect();
            format!("[{}]", items.join(", "))
        };
        let phenomena = crate::vocabulary::Phenomenon::ALL.map(|p| p.slug());
        let audiences = crate::vocabulary::WorkField::AUDIENCES.map(|a| a.slug());
        let mut out = String::from("---\n");
        out.push_str(&format!("title: {}\n", quoted(&self.title)));
        out.push_str(&format!("slug: {}\n", quoted(&self.slug)));
        out.push_str(&format!("summary: {}\n", quoted(&self.summary)));
        out.push_str(&format!(
            "phenomena: {}\n",
            list(&self.phenomena, &phenomena)
        ));
        out.push_str(&format!("audience: {}\n", list(&self.audience, &audiences)));
        out.push_str(&format!("owner: {}\n", quoted(&self.owner)));
        out.push_str(&format!("reviewed_on: {}\n", quoted(&self.reviewed_on)));
        out.push_str(&format!("review_due: {}\n", quoted(&self.review_due)));
        out.push_str("status: draft\n");
        let sources: Vec<&SourceInput> = self
            .sources
            .iter()
            .filter(|s| !s.title.trim().is_empty() || !s.url.trim().is_empty())
            .collect();
        if sources.is_empty() {
            out.push_str("sources: []\n");
        } else {
            out.push_str("sources:\n");
            for source in sources {
                out.push_str(&format!("  - title: {}\n", quoted(&source.title)));
                out.push_str(&format!("    url: {}\n", quoted(&source.url)));
            }
        }
        let kind_fields = self.kind_fields.replace("\r\n", "\n");
        let kind_fields = kind_fields.trim_end();
        if !kind_fields.is_empty() {
            out.push_str(kind_fields);
            out.push('\n');
        }
        out.push_str("---\n");
        // Browsers send CRLF from textareas; documents are stored with LF.
        out.push_str(&self.body.replace("\r\n", "\n"));
        out
    }
}

/// What the editor page loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorState {
    /// Where the document is (or, when new, will be) published.
    pub placement: Placement,
    pub form: FactsheetForm,
    /// None for a new document.
    pub document: Option<EditorDocument>,
    /// The revision the form is based on (0: new).
    pub expected_head: i32,
    /// Refused fields of the last save (`WHOLE_FORM`: the document as a whole).
    pub errors: FieldErrors,
    pub conflict: Option<ConflictInfo>,
    /// Set right after a save, for the notice (also after a no-JS redirect).
    pub saved_head: Option<i32>,
    pub history: Vec<RevisionSummary>,
    /// Whether the viewer may approve (not the author of the head nor its submitter).
    pub may_approve: bool,
    /// The preview of the form's text, rendered on the server (the editor's first view, and
    /// the only one without JavaScript).
    #[serde(default)]
    pub preview_html: String,
    /// A new module's course, by title (its slug is an address, not a name).
    #[serde(default)]
    pub course_title: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictInfo {
    pub head: i32,
    pub theirs: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved { slug: String, head: i32 },
    Invalid(FieldErrors),
    Conflict(ConflictInfo),
}

impl EditorState {
    pub fn state(&self) -> Option<WorkflowState> {
        self.document.as_ref().map(|d| d.state)
    }
}

/// The front-matter fields of a document, in the order files and the editor's form list them.
pub const FRONT_MATTER_FIELDS: [&str; 10] = [
    "title",
    "slug",
    "summary",
    "phenomena",
    "audience",
    "owner",
    "reviewed_on",
    "review_due",
    "sources",
    "status",
];

/// The form field of the kind's own front matter (see [`FactsheetForm::kind_fields`]).
pub const KIND_FIELDS: &str = "kind_fields";

/// The `soort` of `/redactie/nieuw?soort=training`: a new training.
pub const NEW_TRAINING: &str = "training";

/// The Dutch name of a form field, as its label says, for the error summary and the diff.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "title" => "Titel",
        "slug" => "Slug (adres)",
        "summary" => "Samenvatting",
        "phenomena" => "Fenomenen",
        "audience" => "Doelgroep",
        "owner" => "Eigenaar (team)",
        "reviewed_on" => "Laatst gecontroleerd",
        "review_due" => "Volgende controle",
        "sources" => "Bronnen",
        "status" => "Status",
        "body" => "Tekst (Markdown)",
        KIND_FIELDS => "Trainingsgegevens",
        _ => "Document",
    }
}
