//! What the reports page receives: each table already suppressed, with its labels.

use serde::{Deserialize, Serialize};

use crate::small_count::{Shown, SuppressedTable};

crate::vocabulary! {
    /// The tables of the reports page; each is also a CSV download under its slug.
    pub enum ReportKind {
        EnrolmentsByTraining = ("inschrijvingen-per-training", "Inschrijvingen per training"),
        EnrolmentsByRun = ("inschrijvingen-per-uitvoering", "Inschrijvingen per uitvoering"),
        EnrolmentsByWorkField = ("inschrijvingen-per-werkterrein", "Inschrijvingen per werkterrein"),
        RunsFilled = ("bezetting-per-training", "Bezetting en wachtlijst per training"),
        Completion = ("afronding-per-training", "Aanwezigheid en afronding per training"),
        CertificatesByRegister = ("certificaten-per-register", "Certificaten per register"),
        Evaluations = ("evaluaties-per-training", "Evaluaties per training"),
        GroupsActive = ("actieve-intervisiegroepen", "Actieve intervisiegroepen"),
        MeetingsHeld = ("intervisiebijeenkomsten", "Intervisiebijeenkomsten"),
        MethodsUsed = ("gebruikte-methoden", "Gebruikte intervisiemethoden"),
        MembersByWorkField = ("intervisieleden-per-werkterrein", "Leden van intervisiegroepen per werkterrein"),
        FactsheetsByPhenomenon = ("factsheets-per-fenomeen", "Factsheets per fenomeen en doelgroep"),
        ReviewsDue = ("controles-per-kwartaal", "Controles per kwartaal"),
        MostRead = ("meest-gelezen", "Meest gelezen"),
        SearchesWithoutResult = ("zoeken-zonder-resultaat", "Zoekwoorden zonder resultaat"),
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
            | ReportKind::EnrolmentsByRun
            | ReportKind::EnrolmentsByWorkField
            | ReportKind::RunsFilled
            | ReportKind::Completion
            | ReportKind::CertificatesByRegister
            | ReportKind::Evaluations => ReportSection::Trainings,
            ReportKind::GroupsActive
            | ReportKind::MeetingsHeld
            | ReportKind::MethodsUsed
            | ReportKind::MembersByWorkField => ReportSection::Intervision,
            ReportKind::FactsheetsByPhenomenon
            | ReportKind::ReviewsDue
            | ReportKind::MostRead
            | ReportKind::SearchesWithoutResult => ReportSection::Knowledge,
        }
    }
}

/// The quarters of a year, as the tables' columns.
pub const QUARTERS: [&str; 4] = ["1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal"];

/// How long counted reports are shown before they are counted again (the service keeps them).
pub const REPORTS_KEPT_MINUTES: i64 = 5;

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
    pub body: TableBody,
    /// What is counted, and how, in a sentence.
    pub note: String,
}

impl ReportTable {
    /// The counts of a table of counts (`None` for a table of figures).
    pub fn counts(&self) -> Option<&SuppressedTable> {
        match &self.body {
            TableBody::Counts(counts) => Some(counts),
            TableBody::Figures(_) => None,
        }
    }

    /// The column headings after the rows' heading, "Totaal" included where rows add up.
    pub fn headings(&self) -> Vec<String> {
        let mut headings = self.columns.clone();
        if self.counts().is_some() {
            headings.push("Totaal".to_owned());
        }
        headings
    }

    /// Every row's cells as shown (in Dutch), its total last where rows add up.
    pub fn shown_rows(&self) -> Vec<Vec<String>> {
        match &self.body {
            TableBody::Counts(counts) => counts
                .cells
                .iter()
                .zip(&counts.row_totals)
                .map(|(cells, total)| cells.iter().chain([total]).map(|c| c.nl()).collect())
                .collect(),
            TableBody::Figures(figures) => figures
                .cells
                .iter()
                .map(|cells| cells.iter().map(Figure::nl).collect())
                .collect(),
        }
    }

    /// The totals row as shown, where the table has one.
    pub fn shown_totals(&self) -> Option<Vec<String>> {
        match &self.body {
            // A table without rows has no column totals of its own: zeros under every column.
            TableBody::Counts(counts) => Some(
                (0..self.columns.len())
                    .map(|c| {
                        counts
                            .column_totals
                            .get(c)
                            .map_or_else(|| "0".to_owned(), |s| s.nl())
                    })
                    .chain([counts.total.nl()])
                    .collect(),
            ),
            TableBody::Figures(figures) => figures
                .totals
                .as_ref()
                .map(|totals| totals.iter().map(Figure::nl).collect()),
        }
    }

    /// What the bar chart shows: per row its label and value (the row total of counts, or
    /// the charted column of figures); `None` where a chart says nothing the table does not.
    pub fn chart(&self) -> Option<(String, Vec<(String, Shown)>)> {
        let (what, values): (String, Vec<Shown>) = match &self.body {
            TableBody::Counts(counts) => ("totaal per rij".to_owned(), counts.row_totals.clone()),
            TableBody::Figures(figures) => {
                let column = figures.charted?;
                let values = figures
                    .cells
                    .iter()
                    .map(|row| match row.get(column) {
                        Some(Figure::Count(shown)) => *shown,
                        _ => Shown::Hidden,
                    })
                    .collect();
                (self.columns.get(column)?.to_lowercase(), values)
            }
        };
        // A chart of nothing but zeros and hidden values says nothing the table does not.
        values
            .iter()
            .any(|shown| matches!(shown, Shown::Count(n) if *n > 0))
            .then(|| (what, self.rows.iter().cloned().zip(values).collect()))
    }

    /// The figures of a table of figures (`None` for a table of counts).
    pub fn figures(&self) -> Option<&FigureTable> {
        match &self.body {
            TableBody::Figures(figures) => Some(figures),
            TableBody::Counts(_) => None,
        }
    }
}

/// What a table holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableBody {
    /// Counts that add up across rows and columns: row, column and grand totals, suppressed
    /// together.
    Counts(SuppressedTable),
    /// Figures side by side that do not add up across a row (runs, seats, a percentage).
    Figures(FigureTable),
}

/// A table of figures: each count column suppressed on its own with its total
/// (`small_count::suppress_columns`), shares and averages only where what they are made of may
/// be shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureTable {
    pub cells: Vec<Vec<Figure>>,
    /// The totals row, where totals mean something.
    pub totals: Option<Vec<Figure>>,
    /// The column drawn as a bar chart, if any.
    pub charted: Option<usize>,
}

/// A cell of a table of figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    Count(Shown),
    /// A whole percentage.
    Percent(u64),
    /// An average as shown, in Dutch ("4,2").
    Average(String),
    /// A word ("ja", "nee").
    Word(String),
    /// Not shown: too few to say, or what it is made of is hidden.
    Withheld,
}

impl Figure {
    /// `part` of `whole` as a percentage, only where both are shown exactly (a share of
    /// hidden counts would give them away) and `whole` is not zero.
    pub fn share(part: Shown, whole: Shown) -> Figure {
        match (part, whole) {
            (Shown::Count(part), Shown::Count(whole)) if whole > 0 => {
                // Rounded half up.
                Figure::Percent((part * 200 + whole) / (whole * 2))
            }
            _ => Figure::Withheld,
        }
    }

    /// As the page and the CSV show it, in Dutch.
    pub fn nl(&self) -> String {
        match self {
            Figure::Count(shown) => shown.nl(),
            Figure::Percent(percent) => format!("{percent}%"),
            Figure::Average(average) => average.clone(),
            Figure::Word(word) => word.clone(),
            Figure::Withheld => "x".to_owned(),
        }
    }
}

/// The reports page for one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsOverview {
    pub year: i32,
    /// The years one can choose, newest first.
    pub years: Vec<i32>,
    pub tables: Vec<ReportTable>,
    /// When the tables were counted (Amsterdam time, in Dutch).
    pub counted_at: String,
}

/// The reports' page in the admins' navigation (see `identity::model::AdminPage`).
pub const ADMIN_PAGES: [crate::identity::model::AdminPage; 1] =
    [crate::identity::model::AdminPage {
        action: crate::identity::access::Action::ViewReports,
        href: "/beheer/rapportage",
        label: "Rapportage",
    }];
