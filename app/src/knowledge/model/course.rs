//! What course and module pages receive: plain data. Quiz answers never appear here.

use serde::{Deserialize, Serialize};

use crate::knowledge::model::{Factsheet, FactsheetSummary};

/// A self-check question as the browser sees it: no answers, no explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub prompt: String,
    pub options: Vec<String>,
    /// More than one option is right: checkboxes instead of radio buttons.
    pub multiple: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionFeedback {
    /// Whether anything was chosen; an unanswered question is not marked wrong.
    pub answered: bool,
    pub correct: bool,
    /// Shown once the question was answered.
    pub explanation: Option<String>,
}

/// The server's verdict on a submitted quiz.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResult {
    pub feedback: Vec<QuestionFeedback>,
    pub passed: bool,
    /// Stored as progress (only for a logged-in user).
    pub recorded: bool,
    /// The answers as sent, so the form shows them again.
    pub chosen: Vec<String>,
}

impl QuizResult {
    /// Nothing chosen at all: ask for answers instead of judging.
    pub fn is_empty(&self) -> bool {
        self.feedback.iter().all(|f| !f.answered)
    }

    pub fn correct_count(&self) -> usize {
        self.feedback.iter().filter(|f| f.correct).count()
    }
}

/// Encodes one chosen option as a form value: `<question>-<option>`, both from 0.
pub fn answer_value(question: usize, option: usize) -> String {
    format!("{question}-{option}")
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub summary: FactsheetSummary,
    pub module_count: usize,
    /// How many modules the logged-in reader has completed; None for a visitor.
    pub completed: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleProgress {
    pub read: bool,
    pub quiz_passed: bool,
}

impl ModuleProgress {
    /// Read, and passed its self-check if it has one.
    pub fn completed(self, has_questions: bool) -> bool {
        self.read && (self.quiz_passed || !has_questions)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleListItem {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub question_count: usize,
    /// None for a visitor who is not logged in.
    pub progress: Option<ModuleProgress>,
}

impl ModuleListItem {
    pub fn completed(&self) -> bool {
        self.progress
            .is_some_and(|p| p.completed(self.question_count > 0))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseView {
    /// The course's own front matter and introduction.
    pub course: Factsheet,
    pub modules: Vec<ModuleListItem>,
    /// Whether progress is shown (a user is logged in).
    pub tracks_progress: bool,
}

impl CourseView {
    pub fn completed_count(&self) -> usize {
        self.modules.iter().filter(|m| m.completed()).count()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleLink {
    pub slug: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub course_slug: String,
    pub course_title: String,
    pub module: Factsheet,
    pub questions: Vec<QuizQuestion>,
    /// 1-based place among the course's published modules.
    pub number: usize,
    pub total: usize,
    pub previous: Option<ModuleLink>,
    pub next: Option<ModuleLink>,
    /// None for a visitor who is not logged in.
    pub progress: Option<ModuleProgress>,
    /// Completed modules of this course, for a logged-in user.
    pub completed_in_course: Option<usize>,
    /// The result of a quiz sent without JavaScript, shown once after the redirect back.
    pub last_result: Option<QuizResult>,
}
