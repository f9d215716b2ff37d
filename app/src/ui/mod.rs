//! Shared UI pieces, written once: form fields with their Dutch errors, the loading/error
//! wrapper for resources, error pages, Dutch dates and times, and (server side) the flash that
//! carries a no-JS form's outcome across its redirect. They know no domain.

pub mod answer;
pub mod chart;
pub mod feedback;
pub mod fields;
pub mod pager;
pub mod submit_on_change;
pub mod table;

pub use crate::dates::{format_date_nl, format_datetime_nl};
pub use answer::AnswerPage;
pub use chart::BarChart;
pub use feedback::{ErrorPage, ErrorSummary, FieldError, Loaded, Loading, NotFoundPage, Outcome};
pub use fields::{CheckboxGroup, SelectField, TextArea, TextField};
pub use pager::Pager;
pub use submit_on_change::SubmitOnChange;
pub use table::{DataTable, WideTable};
