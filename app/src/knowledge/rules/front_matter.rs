//! Parsing and validating the YAML front matter of a factsheet. Every rejection names the field
//! and says in Dutch what is wrong, because editors read these messages.

use chrono::NaiveDate;
use serde_yaml_ng::{Mapping, Value};

use crate::knowledge::model::training_facts::{
    Accreditation, FULL_ATTENDANCE, IntakeKind, IntakeQuestion, MAX_INTAKE_QUESTIONS, Tenths,
    TrainingFacts, tenths_yaml,
};
use crate::knowledge::model::{DocumentStatus, Source};
use crate::vocabulary::{Phenomenon, WorkField};

pub use crate::knowledge::model::editor::FRONT_MATTER_FIELDS as FIELDS;

const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 600;
const MAX_SLUG: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub phenomena: Vec<Phenomenon>,
    pub audience: Vec<WorkField>,
    pub owner: String,
    pub reviewed_on: NaiveDate,
    pub review_due: NaiveDate,
    pub sources: Vec<Source>,
    pub status: DocumentStatus,
    /// Only in a training document (see [`TRAINING_FIELDS`]).
    pub training: Option<TrainingFacts>,
    /// A training's `runs:` as YAML, kept so a web edit or an export writes them back; the
    /// training domain reads them.
    pub runs_yaml: Option<String>,
}

/// The fields a training document adds to the common ones.
pub const TRAINING_FIELDS: [&str; 8] = [
    "hours",
    "accreditation",
    "prerequisites",
    "preparation",
    "min_attendance",
    "intake",
    "approval",
    "runs",
];

/// Why a document was rejected; `field` is set when one front-matter field is to blame.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", field.map(|f| format!("veld '{f}': ")).unwrap_or_default())]
pub struct FrontMatterError {
    pub field: Option<&'static str>,
    pub message: String,
}

impl From<FrontMatterError> for crate::error::ServiceError {
    fn from(error: FrontMatterError) -> Self {
        crate::error::ServiceError::InvalidDocument {
            field: error.field,
            message: error.message,
        }
    }
}

impl FrontMatterError {
    fn document(message: impl Into<String>) -> Self {
        Self {
            field: None,
            message: message.into(),
        }
    }

    fn field(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field),
            message: message.into(),
        }
    }
}

/// Splits a document into its front matter and Markdown body and validates the front matter.
pub fn parse_document(text: &str) -> Result<(FrontMatter, &str), FrontMatterError> {
    parse_document_all(text).map_err(|mut errors| errors.swap_remove(0))
}

/// [`parse_document`], with every field's error at once (what the editor shows); never an
/// empty list.
pub fn parse_document_all(text: &str) -> Result<(FrontMatter, &str), Vec<FrontMatterError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| {
            vec![FrontMatterError::document(
                "het bestand begint niet met front matter ('---')",
            )]
        })?;
    let (yaml, body) = split_at_closing_delimiter(rest).ok_or_else(|| {
        vec![FrontMatterError::document(
            "de front matter wordt niet afgesloten met '---'",
        )]
    })?;
    Ok((parse_front_matter_all(yaml)?, body))
}

fn split_at_closing_delimiter(rest: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

pub fn parse_front_matter(yaml: &str) -> Result<FrontMatter, FrontMatterError> {
    parse_front_matter_all(yaml).map_err(|mut errors| errors.swap_remove(0))
}

/// Validates every field and reports all that are wrong, in field order.
fn parse_front_matter_all(yaml: &str) -> Result<FrontMatter, Vec<FrontMatterError>> {
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| {
        vec![FrontMatterError::document(format!(
            "de front matter is geen geldige YAML ({e})"
        ))]
    })?;
    let Value::Mapping(map) = value else {
        return Err(vec![FrontMatterError::document(
            "de front matter moet bestaan uit velden met waarden",
        )]);
    };
    for key in map.keys() {
        let name = key.as_str().unwrap_or_default();
        if !FIELDS.contains(&name) && !TRAINING_FIELDS.contains(&name) {
            return Err(vec![FrontMatterError::document(format!(
                "onbekend veld '{}'; toegestaan zijn: {}",
                yaml_display(key),
                FIELDS.join(", ")
            ))]);
        }
    }

    let mut errors = Vec::new();
    // Each field on its own: one wrong field does not hide the next one's error.
    macro_rules! check {
        ($result:expr) => {
            match $result {
                Ok(value) => Some(value),
                Err(error) => {
                    errors.push(error);
                    None
                }
            }
        };
    }
    let title = check!(required_text(&map, "title", MAX_TITLE));
    let slug = check!(required_text(&map, "slug", MAX_SLUG).and_then(|slug| {
        if is_valid_slug(&slug) {
            Ok(slug)
        } else {
            Err(FrontMatterError::field(
                "slug",
                "gebruik alleen kleine letters a-z, cijfers en losse koppeltekens (bijv. 'online-radicalisering')",
            ))
        }
    }));
    let summary = check!(required_text(&map, "summary", MAX_SUMMARY));
    let phenomena = check!(vocabulary_list(
        &map,
        "phenomena",
        Phenomenon::from_slug,
        || { Phenomenon::ALL.map(Phenomenon::slug).join(", ") }
    ));
    let audience = check!(vocabulary_list(
        &map,
        "audience",
        |slug| WorkField::from_slug(slug).filter(|w| WorkField::AUDIENCES.contains(w)),
        || WorkField::AUDIENCES.map(WorkField::slug).join(", "),
    ));
    let owner = check!(required_text(&map, "owner", MAX_TITLE));
    let reviewed_on = check!(required_date(&map, "reviewed_on"));
    let review_due = check!(required_date(&map, "review_due"));
    if let (Some(reviewed_on), Some(due)) = (reviewed_on, review_due)
        && due <= reviewed_on
    {
        errors.push(FrontMatterError::field(
            "review_due",
            "de volgende controle moet na de laatste controle liggen",
        ));
    }
    let sources = check!(sources(&map));
    let status = check!(required_text(&map, "status", 20).and_then(|status| {
        match status.as_str() {
            "published" => Ok(DocumentStatus::Published),
            "draft" => Ok(DocumentStatus::Draft),
            other => Err(FrontMatterError::field(
                "status",
                format!("onbekende status '{other}'; gebruik 'published' of 'draft'"),
            )),
        }
    }));
    let is_training = TRAINING_FIELDS.iter().any(|field| map.contains_key(*field));
    let training = if is_training {
        check!(training_facts(&map)).map(Some)
    } else {
        Some(None)
    };
    let runs_yaml = match map.get("runs") {
        None | Some(Value::Null) => None,
        Some(runs) => serde_yaml_ng::to_string(runs).ok(),
    };
    // Every field is Some exactly when no error was recorded for it.
    let (
        Some(training),
        Some(title),
        Some(slug),
        Some(summary),
        Some(phenomena),
        Some(audience),
        Some(owner),
        Some(reviewed_on),
        Some(review_due),
        Some(sources),
        Some(status),
        true,
    ) = (
        training,
        title,
        slug,
        summary,
        phenomena,
        audience,
        owner,
        reviewed_on,
        review_due,
        sources,
        status,
        errors.is_empty(),
    )
    else {
        return Err(errors);
    };
    Ok(FrontMatter {
        title,
        slug,
        summary,
        phenomena,
        audience,
        owner,
        reviewed_on,
        review_due,
        sources,
        status,
        training,
        runs_yaml,
    })
}

/// `hours`, `accreditation`, `prerequisites`, `preparation`, `intake` and `approval`.
fn training_facts(map: &Mapping) -> Result<TrainingFacts, FrontMatterError> {
    let hours = tenths(get(map, "hours")?, "hours")?;
    if hours == 0 {
        return Err(FrontMatterError::field("hours", "moet meer dan 0 zijn"));
    }
    let mut accreditation = Vec::new();
    match map.get("accreditation") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => {
            for (index, item) in items.iter().enumerate() {
                let register = item
                    .get("register")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|r| !r.is_empty() && r.chars().count() <= 80);
                let (Some(register), Some(points)) = (register, item.get("points")) else {
                    return Err(FrontMatterError::field(
                        "accreditation",
                        format!("regel {} heeft 'register' en 'points' nodig", index + 1),
                    ));
                };
                accreditation.push(Accreditation {
                    register: register.to_owned(),
                    points: tenths(points, "accreditation")?,
                });
            }
        }
        Some(_) => {
            return Err(FrontMatterError::field(
                "accreditation",
                "moet een lijst zijn, bijv. [{ register: SKJ, points: 10 }]",
            ));
        }
    }
    let prerequisites = required_text(map, "prerequisites", MAX_SUMMARY)?;
    let preparation = match map.get("preparation") {
        None | Some(Value::Null) => None,
        Some(Value::String(slug)) if is_valid_slug(slug.trim()) => Some(slug.trim().to_owned()),
        Some(_) => {
            return Err(FrontMatterError::field(
                "preparation",
                "moet de slug van een cursus zijn, bijv. van-signaal-naar-handelen",
            ));
        }
    };
    let min_attendance = match map.get("min_attendance") {
        None | Some(Value::Null) => FULL_ATTENDANCE,
        Some(value) => value
            .as_u64()
            .filter(|percent| (1..=100).contains(percent))
            .map(|percent| percent as u32)
            .ok_or_else(|| {
                FrontMatterError::field(
                    "min_attendance",
                    "moet een percentage van 1 tot en met 100 zijn, bijv. 80",
                )
            })?,
    };
    let approval = match map.get("approval") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(approval)) => *approval,
        Some(_) => {
            return Err(FrontMatterError::field(
                "approval",
                "moet true of false zijn",
            ));
        }
    };
    let mut intake = Vec::new();
    match map.get("intake") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => {
            for (index, item) in items.iter().enumerate() {
                let number = index + 1;
                let question = item
                    .get("question")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|q| !q.is_empty() && q.chars().count() <= MAX_TITLE)
                    .ok_or_else(|| {
                        FrontMatterError::field(
                            "intake",
                            format!("vraag {number} heeft geen tekst"),
                        )
                    })?;
                let kind = match item.get("kind").and_then(Value::as_str) {
                    Some("text") => IntakeKind::Text,
                    Some("yes_no") => IntakeKind::YesNo,
                    Some("choice") => {
                        let options: Vec<String> = item
                            .get("options")
                            .and_then(Value::as_sequence)
                            .map(|options| {
                                options
                                    .iter()
                                    .filter_map(Value::as_str)
                                    .map(|o| o.trim().to_owned())
                                    .filter(|o| !o.is_empty())
                                    .collect()
                            })
                            .unwrap_or_default();
                        if options.len() < 2 {
                            return Err(FrontMatterError::field(
                                "intake",
                                format!(
                                    "vraag {number} is een keuzevraag en heeft minstens twee 'options' nodig"
                                ),
                            ));
                        }
                        IntakeKind::Choice(options)
                    }
                    _ => {
                        return Err(FrontMatterError::field(
                            "intake",
                            format!("vraag {number}: 'kind' is text, choice of yes_no"),
                        ));
                    }
                };
                intake.push(IntakeQuestion {
                    question: question.to_owned(),
                    kind,
                });
            }
        }
        Some(_) => {
            return Err(FrontMatterError::field(
                "intake",
                "moet een lijst van vragen zijn",
            ));
        }
    }
    if intake.len() > MAX_INTAKE_QUESTIONS {
        return Err(FrontMatterError::field(
            "intake",
            format!("hoogstens {MAX_INTAKE_QUESTIONS} vragen"),
        ));
    }
    Ok(TrainingFacts {
        hours,
        accreditation,
        prerequisites,
        preparation,
        intake,
        approval,
        min_attendance,
    })
}

/// A positive number with at most one decimal (6.5), in tenths.
fn tenths(value: &Value, field: &'static str) -> Result<Tenths, FrontMatterError> {
    let number = value
        .as_f64()
        .filter(|n| n.is_finite() && *n >= 0.0 && *n <= 1000.0);
    let Some(number) = number else {
        return Err(FrontMatterError::field(
            field,
            "moet een getal zijn, bijv. 6 of 6.5",
        ));
    };
    let tenths = (number * 10.0).round();
    if (tenths - number * 10.0).abs() > 1e-6 {
        return Err(FrontMatterError::field(
            field,
            "hoogstens één cijfer achter de komma",
        ));
    }
    Ok(tenths as Tenths)
}

/// Writes a document in the one canonical layout the importer reads: fields in a fixed order,
/// strings JSON-quoted (valid YAML), lists inline. `parse_document(to_document(x))` gives x back.
pub fn to_document(fm: &FrontMatter, body: &str) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    let list = |items: Vec<&str>| format!("[{}]", items.join(", "));
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("---\n");
    out.push_str(&format!("title: {}\n", quote(&fm.title)));
    out.push_str(&format!("slug: {}\n", fm.slug));
    out.push_str(&format!("summary: {}\n", quote(&fm.summary)));
    out.push_str(&format!(
        "phenomena: {}\n",
        list(fm.phenomena.iter().map(|p| p.slug()).collect())
    ));
    out.push_str(&format!(
        "audience: {}\n",
        list(fm.audience.iter().map(|a| a.slug()).collect())
    ));
    out.push_str(&format!("owner: {}\n", quote(&fm.owner)));
    out.push_str(&format!("reviewed_on: {}\n", fm.reviewed_on));
    out.push_str(&format!("review_due: {}\n", fm.review_due));
    out.push_str(&format!("status: {}\n", fm.status.slug()));
    out.push_str("sources:\n");
    for source in &fm.sources {
        out.push_str(&format!("  - title: {}\n", quote(&source.title)));
        out.push_str(&format!("    url: {}\n", quote(&source.url)));
    }
    out.push_str(&kind_fields_of(fm));
    out.push_str("---\n");
    out.push_str(body);
    out
}

/// The fields a document's kind adds to the common ones (a training's facts and runs), in
/// the canonical layout; empty for the other kinds. The editor shows and saves them as they
/// are, so editing a training in the browser keeps every one of them.
pub fn kind_fields_of(fm: &FrontMatter) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    let mut out = String::new();
    if let Some(training) = &fm.training {
        write_training_facts(&mut out, training, &quote);
    }
    if let Some(runs) = &fm.runs_yaml {
        out.push_str("runs:\n");
        for line in runs.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

fn write_training_facts(
    out: &mut String,
    training: &TrainingFacts,
    quote: &impl Fn(&str) -> String,
) {
    let number = tenths_yaml;
    out.push_str(&format!("hours: {}\n", number(training.hours)));
    out.push_str("accreditation:\n");
    for entry in &training.accreditation {
        out.push_str(&format!(
            "  - {{ register: {}, points: {} }}\n",
            quote(&entry.register),
            number(entry.points)
        ));
    }
    out.push_str(&format!(
        "prerequisites: {}\n",
        quote(&training.prerequisites)
    ));
    if let Some(preparation) = &training.preparation {
        out.push_str(&format!("preparation: {preparation}\n"));
    }
    out.push_str(&format!("approval: {}\n", training.approval));
    if training.min_attendance != FULL_ATTENDANCE {
        out.push_str(&format!("min_attendance: {}\n", training.min_attendance));
    }
    if !training.intake.is_empty() {
        out.push_str("intake:\n");
        for question in &training.intake {
            out.push_str(&format!(
                "  - {{ question: {}, kind: {}",
                quote(&question.question),
                question.kind.slug()
            ));
            if let IntakeKind::Choice(options) = &question.kind {
                let options: Vec<String> = options.iter().map(|o| quote(o)).collect();
                out.push_str(&format!(", options: [{}]", options.join(", ")));
            }
            out.push_str(" }\n");
        }
    }
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn yaml_display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => serde_yaml_ng::to_string(other)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    }
}

fn get<'a>(map: &'a Mapping, field: &'static str) -> Result<&'a Value, FrontMatterError> {
    match map.get(field) {
        None | Some(Value::Null) => Err(FrontMatterError::field(field, "ontbreekt")),
        Some(value) => Ok(value),
    }
}

fn required_text(
    map: &Mapping,
    field: &'static str,
    max_chars: usize,
) -> Result<String, FrontMatterError> {
    let text = match get(map, field)? {
        Value::String(s) => s.trim().to_owned(),
        _ => return Err(FrontMatterError::field(field, "moet tekst zijn")),
    };
    if text.is_empty() {
        return Err(FrontMatterError::field(field, "mag niet leeg zijn"));
    }
    if text.chars().count() > max_chars {
        return Err(FrontMatterError::field(
            field,
            format!("is te lang (hoogstens {max_chars} tekens)"),
        ));
    }
    Ok(text)
}

fn required_date(map: &Mapping, field: &'static str) -> Result<NaiveDate, FrontMatterError> {
    let raw = match get(map, field)? {
        Value::String(s) => s.trim().to_owned(),
        _ => {
            return Err(FrontMatterError::field(
                field,
                "moet een datum zijn als JJJJ-MM-DD",
            ));
        }
    };
    NaiveDate::parse_from_str(&raw, "%Y-%m-%d").map_err(|_| {
        FrontMatterError::field(
            field,
            format!("'{raw}' is geen geldige datum; gebruik JJJJ-MM-DD, bijv. 2026-09-14"),
        )
    })
}

fn vocabulary_list<T: PartialEq>(
    map: &Mapping,
    field: &'static str,
    from_slug: impl Fn(&str) -> Option<T>,
    allowed: impl Fn() -> String,
) -> Result<Vec<T>, FrontMatterError> {
    let Value::Sequence(items) = get(map, field)? else {
        return Err(FrontMatterError::field(
            field,
            format!("moet een lijst zijn, bijv. [{}]", allowed()),
        ));
    };
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        let slug = item.as_str().unwrap_or_default();
        let value = from_slug(slug).ok_or_else(|| {
            FrontMatterError::field(
                field,
                format!(
                    "onbekende waarde '{}'; toegestaan zijn: {}",
                    yaml_display(item),
                    allowed()
                ),
            )
        })?;
        if !values.contains(&value) {
            values.push(value);
        }
    }
    if values.is_empty() {
        return Err(FrontMatterError::field(field, "noem minstens één waarde"));
    }
    Ok(values)
}

fn sources(map: &Mapping) -> Result<Vec<Source>, FrontMatterError> {
    const FIELD: &str = "sources";
    let Value::Sequence(items) = get(map, FIELD)? else {
        return Err(FrontMatterError::field(
            FIELD,
            "moet een lijst van bronnen zijn, elk met 'title' en 'url'",
        ));
    };
    let mut sources = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let number = index + 1;
        let Value::Mapping(entry) = item else {
            return Err(FrontMatterError::field(
                FIELD,
                format!("bron {number} moet 'title' en 'url' hebben"),
            ));
        };
        let text_of = |key: &str| entry.get(key).and_then(Value::as_str).map(str::trim);
        let title = text_of("title").filter(|t| !t.is_empty()).ok_or_else(|| {
            FrontMatterError::field(FIELD, format!("bron {number} heeft geen titel"))
        })?;
        let url = text_of("url").unwrap_or_default();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(' ') {
            return Err(FrontMatterError::field(
                FIELD,
                format!("bron {number} heeft geen geldige webadres (http:// of https://)"),
            ));
        }
        if entry.len() > 2 {
            return Err(FrontMatterError::field(
                FIELD,
                format!("bron {number} mag alleen 'title' en 'url' hebben"),
            ));
        }
        sources.push(Source {
            title: title.to_owned(),
            url: url.to_owned(),
        });
    }
    if sources.is_empty() {
        return Err(FrontMatterError::field(FIELD, "noem minstens één bron"));
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const GOOD: &str = "---
title: \"Jihadisme\"
slug: jihadisme
summary: \"Wat professionals moeten weten.\"
phenomena: [jihadisme]
audience: [onderwijs, sociaal-domein]
owner: \"Kennisteam Jihadisme\"
reviewed_on: 2026-09-14
review_due: 2027-09-14
status: published
sources:
  - title: \"AIVD\"
    url: \"https://www.aivd.nl\"
---
Intro.

## Kop
";

    #[test]
    fn canonical_layout_round_trips_byte_for_byte() {
        let (fm, body) = parse_document(GOOD).unwrap();
        assert_eq!(
            to_document(&fm, body),
            GOOD,
            "the shipped layout is the canonical one"
        );
        let mut tricky = fm.clone();
        tricky.title = "Quotes \" en \\ backslash: ook # hekje".into();
        tricky.sources[0].title = "Bron: \"citaat\"".into();
        let text = to_document(&tricky, "Body\n");
        let (again, body) = parse_document(&text).unwrap();
        assert_eq!(again, tricky);
        assert_eq!(body, "Body\n");
        assert_eq!(to_document(&again, body), text);
    }

    fn with(field_line: &str, replacement: &str) -> String {
        GOOD.lines()
            .map(|line| {
                if line.starts_with(field_line) {
                    replacement.to_owned()
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn error_of(text: &str) -> FrontMatterError {
        parse_document(text).expect_err("document should be rejected")
    }

    #[test]
    fn parses_a_good_document() {
        let (fm, body) = parse_document(GOOD).unwrap();
        assert_eq!(fm.slug, "jihadisme");
        assert_eq!(fm.phenomena, vec![Phenomenon::Jihadisme]);
        assert_eq!(
            fm.audience,
            vec![WorkField::Onderwijs, WorkField::SociaalDomein]
        );
        assert_eq!(
            fm.reviewed_on,
            NaiveDate::from_ymd_opt(2026, 9, 14).unwrap()
        );
        assert_eq!(fm.status, DocumentStatus::Published);
        assert_eq!(fm.sources[0].url, "https://www.aivd.nl");
        assert_eq!(body, "Intro.\n\n## Kop\n");
    }

    #[test]
    fn accepts_windows_line_endings_and_bom() {
        let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        let (fm, _) = parse_document(&text).unwrap();
        assert_eq!(fm.title, "Jihadisme");
    }

    #[test]
    fn rejects_missing_delimiters() {
        assert!(error_of("title: x\n").message.contains("begint niet"));
        assert!(
            error_of("---\ntitle: x\n")
                .message
                .contains("niet afgesloten")
        );
    }

    #[test]
    fn rejects_invalid_yaml() {
        let err = error_of("---\ntitle: [unclosed\n---\n");
        assert!(err.message.contains("geen geldige YAML"), "{err}");
    }

    #[test]
    fn rejects_unknown_field() {
        let err = error_of(&with("status:", "status: published\nauthor: iemand"));
        assert!(err.message.contains("onbekend veld 'author'"), "{err}");
    }

    #[test]
    fn rejects_missing_field() {
        let err = error_of(&with("owner:", ""));
        assert_eq!(err.field, Some("owner"));
        assert_eq!(err.to_string(), "veld 'owner': ontbreekt");
    }

    #[test]
    fn rejects_unknown_phenomenon_and_audience() {
        let err = error_of(&with("phenomena:", "phenomena: [jihadisme, satanisme]"));
        assert_eq!(err.field, Some("phenomena"));
        assert!(err.message.contains("'satanisme'"), "{err}");
        let err = error_of(&with("audience:", "audience: [politie]"));
        assert_eq!(err.field, Some("audience"));
        let err = error_of(&with("audience:", "audience: []"));
        assert_eq!(err.field, Some("audience"));
    }

    #[test]
    fn rejects_bad_dates() {
        let err = error_of(&with("reviewed_on:", "reviewed_on: 14-09-2026"));
        assert_eq!(err.field, Some("reviewed_on"));
        let err = error_of(&with("review_due:", "review_due: 2026-02-30"));
        assert_eq!(err.field, Some("review_due"));
        let err = error_of(&with("review_due:", "review_due: 2025-01-01"));
        assert!(err.message.contains("na de laatste controle"), "{err}");
    }

    #[test]
    fn reports_every_wrong_field_at_once_in_field_order() {
        let text = "---\ntitle: \"\"\nslug: \"\"\nsummary: \"Kort.\"\nphenomena: []\naudience: [onderwijs]\nowner: \"Team\"\nreviewed_on: 2026-05-01\nreview_due: 2026-01-01\nsources: []\nstatus: draft\n---\nTekst.\n";
        let errors = parse_document_all(text).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                Some("title"),
                Some("slug"),
                Some("phenomena"),
                Some("review_due"),
                Some("sources")
            ]
        );
        // Plain Dutch: no field names from the file format in what the editor reads.
        assert!(errors.iter().all(|e| !e.message.contains("reviewed_on")));
        // The importer still reports the first.
        assert_eq!(parse_document(text).unwrap_err().field, Some("title"));
    }

    #[test]
    fn rejects_bad_slug_status_and_sources() {
        let err = error_of(&with("slug:", "slug: Jihadisme Nu"));
        assert_eq!(err.field, Some("slug"));
        let err = error_of(&with("status:", "status: live"));
        assert_eq!(err.field, Some("status"));
        let err = error_of(&with("    url:", "    url: \"javascript:alert(1)\""));
        assert_eq!(err.field, Some("sources"));
        let err = error_of(&with("summary:", "summary: \"\""));
        assert_eq!(err.field, Some("summary"));
    }

    #[test]
    fn slug_rules() {
        assert!(is_valid_slug("online-radicalisering-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
