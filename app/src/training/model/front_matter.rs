//! The front-matter fields a training document adds to the common ones: its facts and its
//! runs. Serde reads them into [`Written`], [`validate`] checks every field and reports all
//! that are wrong at once, and [`write`] puts them back in the canonical layout. Knowledge
//! stores what [`TRAINING_DOCUMENT`] makes of them as text and hands it back here. Adding a
//! training field: one field in [`Written`] and [`TrainingFacts`], its check, its line in
//! [`write`] and its display.

use serde::{Deserialize, Serialize};
use serde_yaml_ng::{Mapping, Value};

use crate::knowledge::rules::front_matter::{
    Field, FrontMatterError, KindFields, Verdicts, is_valid_slug, quote, required_text,
};
use crate::training::model::facts::{
    Accreditation, FULL_ATTENDANCE, IntakeKind, IntakeQuestion, MAX_INTAKE_QUESTIONS, Tenths,
    TrainingFacts, tenths_yaml,
};

const MAX_PREREQUISITES: usize = 600;
const MAX_QUESTION: usize = 200;
const MAX_REGISTER: usize = 80;

/// The training's fields, in the order the canonical layout writes them.
pub const NAMES: [&str; 8] = [
    "hours",
    "accreditation",
    "prerequisites",
    "preparation",
    "approval",
    "min_attendance",
    "intake",
    "runs",
];

/// What a training document declares beyond the common fields, as stored with the document:
/// the facts, and its `runs:` as YAML (the training tables hold the runs themselves; the text
/// is kept so a web edit or an export writes them back).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingDocument {
    pub facts: TrainingFacts,
    pub runs_yaml: Option<String>,
}

impl TrainingDocument {
    /// What knowledge stored for a training document.
    pub fn from_stored(stored: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(stored)
    }
}

/// The training's fields as written.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Written {
    hours: Field<f64>,
    accreditation: Field<Vec<Value>>,
    prerequisites: Field<String>,
    preparation: Field<String>,
    approval: Field<bool>,
    min_attendance: Field<u64>,
    intake: Field<Vec<Value>>,
    runs: Field<Value>,
}

/// The one [`KindFields`] of a training document; the application registers it at start.
pub static TRAINING_DOCUMENT: TrainingFields = TrainingFields;

pub struct TrainingFields;

impl KindFields for TrainingFields {
    fn names(&self) -> &'static [&'static str] {
        &NAMES
    }

    fn parse(&self, fields: Mapping) -> Result<String, Vec<FrontMatterError>> {
        let document = validate(fields)?;
        serde_json::to_string(&document).map_err(|error| {
            vec![FrontMatterError::document(format!(
                "de trainingsgegevens zijn niet op te slaan ({error})"
            ))]
        })
    }

    fn write(&self, stored: &str) -> String {
        TrainingDocument::from_stored(stored)
            .map(|document| write(&document))
            .unwrap_or_default()
    }

    fn starter(&self) -> &'static str {
        "hours: 6\naccreditation: []\nprerequisites: \"Ervaring met casuïstiek rond radicalisering.\"\napproval: false\n"
    }
}

/// Every field checked on its own; all errors at once, in field order.
pub fn validate(fields: Mapping) -> Result<TrainingDocument, Vec<FrontMatterError>> {
    let written: Written = serde_yaml_ng::from_value(Value::Mapping(fields)).map_err(|error| {
        vec![FrontMatterError::document(format!(
            "de trainingsgegevens zijn niet te lezen ({error})"
        ))]
    })?;
    let mut verdicts = Verdicts::default();
    let hours = verdicts.check(hours(written.hours));
    let accreditation = verdicts.check(accreditation(written.accreditation));
    let prerequisites = verdicts.check(required_text(
        written.prerequisites,
        "prerequisites",
        MAX_PREREQUISITES,
    ));
    let preparation = verdicts.check(preparation(written.preparation));
    let approval = verdicts.check(
        written
            .approval
            .optional("approval", "moet true of false zijn")
            .map(Option::unwrap_or_default),
    );
    let min_attendance = verdicts.check(min_attendance(written.min_attendance));
    let intake = verdicts.check(intake(written.intake));
    let runs_yaml = match written.runs {
        Field::Given(runs) => serde_yaml_ng::to_string(&runs).ok(),
        Field::Absent | Field::WrongShape(_) => None,
    };
    let (
        Some(hours),
        Some(accreditation),
        Some(prerequisites),
        Some(preparation),
        Some(approval),
        Some(min_attendance),
        Some(intake),
    ) = (
        hours,
        accreditation,
        prerequisites,
        preparation,
        approval,
        min_attendance,
        intake,
    )
    else {
        return Err(verdicts.errors);
    };
    Ok(TrainingDocument {
        facts: TrainingFacts {
            hours,
            accreditation,
            prerequisites,
            preparation,
            intake,
            approval,
            min_attendance,
        },
        runs_yaml,
    })
}

/// The fields in the canonical layout (what [`validate`] reads back to the same value).
pub fn write(document: &TrainingDocument) -> String {
    let training = &document.facts;
    let number = tenths_yaml;
    let mut out = String::new();
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
    if let Some(runs) = &document.runs_yaml {
        out.push_str("runs:\n");
        for line in runs.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

fn hours(written: Field<f64>) -> Result<Tenths, FrontMatterError> {
    let hours = tenths(
        written.required("hours", "moet een getal zijn, bijv. 6 of 6.5")?,
        "hours",
    )?;
    if hours == 0 {
        return Err(FrontMatterError::field("hours", "moet meer dan 0 zijn"));
    }
    Ok(hours)
}

/// A number with at most one decimal (6.5), in tenths.
fn tenths(number: f64, field: &'static str) -> Result<Tenths, FrontMatterError> {
    if !(number.is_finite() && (0.0..=1000.0).contains(&number)) {
        return Err(FrontMatterError::field(
            field,
            "moet een getal zijn, bijv. 6 of 6.5",
        ));
    }
    let tenths = (number * 10.0).round();
    if (tenths - number * 10.0).abs() > 1e-6 {
        return Err(FrontMatterError::field(
            field,
            "hoogstens één cijfer achter de komma",
        ));
    }
    Ok(tenths as Tenths)
}

fn accreditation(written: Field<Vec<Value>>) -> Result<Vec<Accreditation>, FrontMatterError> {
    const FIELD: &str = "accreditation";
    let items = written
        .optional(
            FIELD,
            "moet een lijst zijn, bijv. [{ register: SKJ, points: 10 }]",
        )?
        .unwrap_or_default();
    let mut accreditation = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let register = item
            .get("register")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|r| !r.is_empty() && r.chars().count() <= MAX_REGISTER);
        let (Some(register), Some(points)) = (register, item.get("points")) else {
            return Err(FrontMatterError::field(
                FIELD,
                format!("regel {} heeft 'register' en 'points' nodig", index + 1),
            ));
        };
        let points = points
            .as_f64()
            .ok_or_else(|| FrontMatterError::field(FIELD, "moet een getal zijn, bijv. 6 of 6.5"))?;
        accreditation.push(Accreditation {
            register: register.to_owned(),
            points: tenths(points, FIELD)?,
        });
    }
    Ok(accreditation)
}

fn preparation(written: Field<String>) -> Result<Option<String>, FrontMatterError> {
    const WRONG: &str = "moet de slug van een cursus zijn, bijv. van-signaal-naar-handelen";
    match written.optional("preparation", WRONG)? {
        None => Ok(None),
        Some(slug) if is_valid_slug(slug.trim()) => Ok(Some(slug.trim().to_owned())),
        Some(_) => Err(FrontMatterError::field("preparation", WRONG)),
    }
}

fn min_attendance(written: Field<u64>) -> Result<u32, FrontMatterError> {
    const WRONG: &str = "moet een percentage van 1 tot en met 100 zijn, bijv. 80";
    match written.optional("min_attendance", WRONG)? {
        None => Ok(FULL_ATTENDANCE),
        Some(percent) if (1..=100).contains(&percent) => Ok(percent as u32),
        Some(_) => Err(FrontMatterError::field("min_attendance", WRONG)),
    }
}

fn intake(written: Field<Vec<Value>>) -> Result<Vec<IntakeQuestion>, FrontMatterError> {
    const FIELD: &str = "intake";
    let items = written
        .optional(FIELD, "moet een lijst van vragen zijn")?
        .unwrap_or_default();
    if items.len() > MAX_INTAKE_QUESTIONS {
        return Err(FrontMatterError::field(
            FIELD,
            format!("hoogstens {MAX_INTAKE_QUESTIONS} vragen"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| intake_question(index + 1, item))
        .collect()
}

fn intake_question(number: usize, item: &Value) -> Result<IntakeQuestion, FrontMatterError> {
    const FIELD: &str = "intake";
    let question = item
        .get("question")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|q| !q.is_empty() && q.chars().count() <= MAX_QUESTION)
        .ok_or_else(|| {
            FrontMatterError::field(FIELD, format!("vraag {number} heeft geen tekst"))
        })?;
    let kind = match item.get("kind").and_then(Value::as_str) {
        Some("text") => IntakeKind::Text,
        Some("yes_no") => IntakeKind::YesNo,
        Some("choice") => {
            let options: Vec<String> = item
                .get("options")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            if options.len() < 2 {
                return Err(FrontMatterError::field(
                    FIELD,
                    format!(
                        "vraag {number} is een keuzevraag en heeft minstens twee 'options' nodig"
                    ),
                ));
            }
            IntakeKind::Choice(options)
        }
        _ => {
            return Err(FrontMatterError::field(
                FIELD,
                format!("vraag {number}: 'kind' is text, choice of yes_no"),
            ));
        }
    };
    Ok(IntakeQuestion {
        question: question.to_owned(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(yaml: &str) -> Mapping {
        serde_yaml_ng::from_str(yaml).expect("test YAML")
    }

    #[test]
    fn reports_every_wrong_training_field_at_once_in_field_order() {
        let errors = validate(fields(
            "hours: zes\naccreditation: SKJ\nprerequisites: \"\"\npreparation: \"Geen Slug\"\napproval: misschien\nmin_attendance: 150\nintake: [{ question: \"Waarom?\", kind: essay }]\n",
        ))
        .unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            named,
            [
                Some("hours"),
                Some("accreditation"),
                Some("prerequisites"),
                Some("preparation"),
                Some("approval"),
                Some("min_attendance"),
                Some("intake"),
            ]
        );
        assert_eq!(errors[0].message, "moet een getal zijn, bijv. 6 of 6.5");
        assert!(errors[6].message.contains("vraag 1"), "{}", errors[6]);
    }

    #[test]
    fn missing_hours_and_prerequisites_are_named() {
        let errors = validate(fields("approval: true\n")).unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, [Some("hours"), Some("prerequisites")]);
        assert!(errors.iter().all(|e| e.message == "ontbreekt"));
    }

    #[test]
    fn the_canonical_layout_reads_back_to_the_same_document() {
        let written = "hours: 6.5\naccreditation:\n  - { register: \"SKJ\", points: 6 }\nprerequisites: \"Ervaring \\\"met\\\" casuïstiek.\"\npreparation: van-signaal-naar-handelen\napproval: true\nmin_attendance: 80\nintake:\n  - { question: \"Uw rol?\", kind: choice, options: [\"Docent\", \"Wijkagent\"] }\n  - { question: \"Ervaring?\", kind: yes_no }\nruns:\n  - code: VJ-2027\n";
        let document = validate(fields(written)).expect("valid");
        assert_eq!(document.facts.hours, 65);
        assert_eq!(document.facts.min_attendance, 80);
        assert_eq!(write(&document), written);
        let stored = TRAINING_DOCUMENT.parse(fields(written)).expect("valid");
        assert_eq!(TRAINING_DOCUMENT.write(&stored), written);
    }

    #[test]
    fn the_starter_fields_are_valid_as_they_stand() {
        assert!(validate(fields(TRAINING_DOCUMENT.starter())).is_ok());
    }

    #[test]
    fn more_than_one_decimal_and_too_many_questions_are_refused() {
        let error = validate(fields("hours: 6.25\nprerequisites: x\n")).unwrap_err();
        assert_eq!(error[0].message, "hoogstens één cijfer achter de komma");
        let questions = (0..=MAX_INTAKE_QUESTIONS)
            .map(|n| format!("  - {{ question: \"Vraag {n}\", kind: text }}\n"))
            .collect::<String>();
        let error = validate(fields(&format!(
            "hours: 6\nprerequisites: x\nintake:\n{questions}"
        )))
        .unwrap_err();
        assert_eq!(error[0].field, Some("intake"));
    }
}
