//! What the reports page receives: each table already suppressed, with its labels.

use serde::{Deserialize, Serialize};

use crate::small_count::SuppressedTable;

crate::vocabulary! {
    /// The tables of the reports page; each is also a CSV download under its slug.
    pub enum ReportKind {
        EnrolmentsByTraining = ("inschrijvingen-per-training", "Inschrijvingen per training"),
        EnrolmentsByWorkField = ("inschrijvingen-per-werkterrein", "Inschrijvingen per werkterrein"),
        CertificatesByRegister = ("certificaten-per-register", "Certificaten per register"),
        MeetingsHeld = ("intervisiebijeenkomsten", "Intervisiebijeenkomsten"),
        MembersByWorkField = ("intervisieleden-per-werkterrein", "Leden van intervisiegroepen per werkterrein"),
        FactsheetsByPhenomenon = ("factsheets-per-fenomeen", "Factsheets per fenomeen en doelgroep"),
        ReviewsDue = ("controles-per-kwartaal", "Controles per kwartaal"),
    }
}

/// Which part of the platform a table is about: the page's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportSection {
    Trainings,
    Intervision,
    Knowledge,
}

impl ReportKind {
    pub fn section(self) -> ReportSection {
        match self {
            ReportKind::EnrolmentsByTraining
            | ReportKind::EnrolmentsByWorkField
            | ReportKind::CertificatesByRegister => ReportSection::Trainings,
            ReportKind::MeetingsHeld | ReportKind::MembersByWorkField => ReportSection::Intervision,
            ReportKind::FactsheetsByPhenomenon | ReportKind::ReviewsDue => ReportSection::Knowledge,
        }
    }
}

/// The quarters of a year, as the tables' columns.
pub const QUARTERS: [&str; 4] = ["1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal"];

/// The query parameter that chooses the year.
pub const YEAR_PARAM: &str = "jaar";

/// One table of a report, suppressed, with its labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTable {
    pub kind: ReportKind,
    /// The heading of the rows' column ("Training", "Werkterrein", …).
    pub row_heading: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub shown: SuppressedTable,
    /// What is counted, and how, in a sentence.
    pub note: String,
}

/// The reports page for one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsOverview {
    pub year: i32,
    /// The years one can choose, newest first.
    pub years: Vec<i32>,
    pub tables: Vec<ReportTable>,
}

/// The reports' page in the admins' navigation (see `identity::model::AdminPage`).
pub const ADMIN_PAGES: [crate::identity::model::AdminPage; 1] =
    [crate::identity::model::AdminPage {
        action: crate::identity::access::Action::ViewReports,
        href: "/beheer/rapportage",
        label: "Rapportage",
    }];
