//! What a training document (`content/trainings/<slug>.md`) says about the training itself:
//! contact hours, accreditation, who it is for, preparation, intake and approval, as its
//! front matter declares them (parsed in [`super::front_matter`]).

use serde::{Deserialize, Serialize};

/// Hours and points are written with at most one decimal (6.5); kept in tenths so the types
/// stay exact and comparable.
pub type Tenths = u32;

/// "6,5" for 65 tenths, "10" for 100.
pub fn tenths_nl(value: Tenths) -> String {
    tenths_with(value, ',')
}

/// "6.5": how front matter writes the number.
pub fn tenths_yaml(value: Tenths) -> String {
    tenths_with(value, '.')
}

fn tenths_with(value: Tenths, separator: char) -> String {
    if value.is_multiple_of(10) {
        (value / 10).to_string()
    } else {
        format!("{}{separator}{}", value / 10, value % 10)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingFacts {
    pub hours: Tenths,
    pub accreditation: Vec<Accreditation>,
    /// Who the training is for ("ervaring met casuïstiek").
    pub prerequisites: String,
    /// Slug of the course participants complete beforehand.
    pub preparation: Option<String>,
    pub intake: Vec<IntakeQuestion>,
    /// Whether staff approve each request before a seat is given.
    pub approval: bool,
    /// The share of the contact hours a participant must attend for the certificate, in
    /// percent (front matter `min_attendance`, default 100).
    #[serde(default = "full_attendance")]
    pub min_attendance: u32,
}

/// Attendance required when a training says nothing: all of it.
pub const FULL_ATTENDANCE: u32 = 100;

fn full_attendance() -> u32 {
    FULL_ATTENDANCE
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accreditation {
    pub register: String,
    pub points: Tenths,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeQuestion {
    pub question: String,
    pub kind: IntakeKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntakeKind {
    Text,
    Choice(Vec<String>),
    YesNo,
}

impl IntakeKind {
    pub fn slug(&self) -> &'static str {
        match self {
            IntakeKind::Text => "text",
            IntakeKind::Choice(_) => "choice",
            IntakeKind::YesNo => "yes_no",
        }
    }
}

/// The longest intake answer kept.
pub const MAX_INTAKE_ANSWER: usize = 1000;

/// The most intake questions a training may ask.
pub const MAX_INTAKE_QUESTIONS: usize = 20;
