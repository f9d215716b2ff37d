//! The reports' counts, read per table and suppressed before they leave the server. Rows are
//! read as narrow tuples (ids, a date, a category) and counted here; a year of ten years of use
//! is tens of thousands of small rows at most.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::intervision::entity::{group, group_member, meeting};
use crate::knowledge::entity::{self as documents, Entity as Documents};
use crate::knowledge::model::{DocumentKind, DocumentStatus};
use crate::reports::model::{QUARTERS, ReportKind, ReportTable, ReportsOverview};
use crate::small_count::suppress_table;
use crate::training::entity::{certificate, enrolment, run};
use crate::training::service::catalogue::training_titles;
use crate::vocabulary::{Phenomenon, WorkField};

/// How many years back one can choose.
pub const YEARS_SHOWN: i32 = 10;

/// The UTC window around Amsterdam's `year` (a few hours wider; rows are placed by their
/// Amsterdam date after reading).
fn around(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = Utc.with_ymd_and_hms(year - 1, 12, 31, 0, 0, 0).single();
    let end = Utc.with_ymd_and_hms(year + 1, 1, 1, 12, 0, 0).single();
    (
        start.unwrap_or(DateTime::<Utc>::MIN_UTC),
        end.unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}

/// The quarter (0–3) of `moment` in Amsterdam, if it falls in `year`.
fn quarter_in(moment: DateTime<Utc>, year: i32) -> Option<usize> {
    let date = amsterdam_date(moment);
    (date.year() == year).then(|| date.month0() as usize / 3)
}

/// Counts per (row label, quarter), rows in the order given by `order` (labels without
/// counts are left out when `keep_empty` is false).
fn by_quarter(
    counted: impl IntoIterator<Item = (String, usize)>,
    order: Vec<String>,
    keep_empty: bool,
) -> (Vec<String>, Vec<Vec<u64>>) {
    let mut counts: HashMap<String, [u64; 4]> = HashMap::new();
    for (label, quarter) in counted {
        counts.entry(label).or_default()[quarter] += 1;
    }
    order
        .into_iter()
        .filter_map(|label| {
            let row = counts.remove(&label);
            if row.is_none() && !keep_empty {
                return None;
            }
            Some((label, row.unwrap_or_default().to_vec()))
        })
        .unzip()
}

fn table(
    kind: ReportKind,
    row_heading: &str,
    (rows, counts): (Vec<String>, Vec<Vec<u64>>),
    columns: Vec<String>,
    note: &str,
) -> ReportTable {
    ReportTable {
        kind,
        row_heading: row_heading.to_owned(),
        shown: suppress_table(&counts),
        rows,
        columns,
        note: note.to_owned(),
    }
}

fn quarters() -> Vec<String> {
    QUARTERS.iter().map(|q| (*q).to_owned()).collect()
}

/// One table of the reports for `year`.
pub async fn report(
    db: &impl ConnectionTrait,
    kind: ReportKind,
    year: i32,
    now: DateTime<Utc>,
) -> Result<ReportTable, ServiceError> {
    let (from, to) = around(year);
    Ok(match kind {
        ReportKind::EnrolmentsByTraining => {
            let made: Vec<(i32, DateTime<Utc>)> = enrolment::Entity::find()
                .select_only()
                .column(enrolment::Column::RunId)
                .column(enrolment::Column::CreatedAt)
                .filter(enrolment::Column::CreatedAt.between(from, to))
                .into_tuple()
                .all(db)
                .await?;
            let runs: HashMap<i32, String> = run::Entity::find()
                .select_only()
                .column(run::Column::Id)
                .column(run::Column::TrainingSlug)
                .filter(run::Column::Id.is_in(made.iter().map(|(id, _)| *id)))
                .into_tuple()
                .all(db)
                .await?
                .into_iter()
                .collect();
            // Counted per training (its slug), shown by title; a training without a title
            // document shows its slug.
            let titles = training_titles(db, None).await?;
            let title = |slug: &String| titles.get(slug).cloned().unwrap_or_else(|| slug.clone());
            let counted: Vec<(String, usize)> = made
                .iter()
                .filter_map(|(run_id, at)| {
                    Some((runs.get(run_id)?.clone(), quarter_in(*at, year)?))
                })
                .collect();
            let mut order: Vec<String> = runs.values().cloned().collect();
            order.sort_by_key(|slug| (title(slug), slug.clone()));
            order.dedup();
            let (slugs, counts) = by_quarter(counted, order, false);
            table(
                kind,
                "Training",
                (slugs.iter().map(title).collect(), counts),
                quarters(),
                "Elke inschrijving, aanvraag en plaats op de wachtlijst in het kwartaal waarin ze werd gedaan, ook als die later eindigde.",
            )
        }
        ReportKind::EnrolmentsByWorkField => {
            let made: Vec<(WorkField, DateTime<Utc>)> = enrolment::Entity::find()
                .select_only()
                .column(enrolment::Column::WorkField)
                .column(enrolment::Column::CreatedAt)
                .filter(enrolment::Column::CreatedAt.between(from, to))
                .into_tuple()
                .all(db)
                .await?;
            let counted = made
                .into_iter()
                .filter_map(|(field, at)| Some((field.label().to_owned(), quarter_in(at, year)?)));
            let order = WorkField::ALL
                .iter()
                .map(|w| w.label().to_owned())
                .collect();
            table(
                kind,
                "Werkterrein",
                by_quarter(counted, order, true),
                quarters(),
                "Inschrijvingen naar het werkterrein dat de deelnemer bij het inschrijven opgaf.",
            )
        }
        ReportKind::CertificatesByRegister => {
            let issued: Vec<(certificate::CertifiedPoints, DateTime<Utc>)> =
                certificate::Entity::find()
                    .select_only()
                    .column(certificate::Column::Points)
                    .column(certificate::Column::IssuedAt)
                    .filter(certificate::Column::IssuedAt.between(from, to))
                    .filter(certificate::Column::RevokedAt.is_null())
                    .into_tuple()
                    .all(db)
                    .await?;
            let mut counted = Vec::new();
            let mut registers = std::collections::BTreeSet::new();
            for (points, at) in issued {
                let Some(quarter) = quarter_in(at, year) else {
                    continue;
                };
                if points.0.is_empty() {
                    counted.push(("Zonder accreditatie".to_owned(), quarter));
                    registers.insert("Zonder accreditatie".to_owned());
                }
                for point in points.0 {
                    registers.insert(point.register.clone());
                    counted.push((point.register, quarter));
                }
            }
            table(
                kind,
                "Register",
                by_quarter(counted, registers.into_iter().collect(), false),
                quarters(),
                "Uitgegeven certificaten (niet ingetrokken) per register waarvoor ze punten geven; een certificaat voor twee registers telt bij allebei.",
            )
        }
        ReportKind::MeetingsHeld => {
            let held: Vec<DateTime<Utc>> = meeting::Entity::find()
                .select_only()
                .column(meeting::Column::StartsAt)
                .filter(meeting::Column::StartsAt.between(from, to))
                // Held: begun by now, not what is still planned.
                .filter(meeting::Column::StartsAt.lte(now))
                .filter(meeting::Column::Cancelled.eq(false))
                .into_tuple()
                .all(db)
                .await?;
            let label = "Bijeenkomsten".to_owned();
            let counted = held
                .into_iter()
                .filter_map(|at| Some((label.clone(), quarter_in(at, year)?)));
            table(
                kind,
                "Intervisie",
                by_quarter(counted, vec![label.clone()], true),
                quarters(),
                "Bijeenkomsten van intervisiegroepen die niet werden afgezegd; nooit welke groep.",
            )
        }
        ReportKind::MembersByWorkField => {
            let open_groups: Vec<i32> = group::Entity::find()
                .select_only()
                .column(group::Column::Id)
                .filter(group::Column::ClosedAt.is_null())
                .into_tuple()
                .all(db)
                .await?;
            let members: Vec<i32> = group_member::Entity::find()
                .select_only()
                .column(group_member::Column::UserId)
                .filter(group_member::Column::GroupId.is_in(open_groups))
                .into_tuple()
                .all(db)
                .await?;
            let fields: HashMap<i32, Option<String>> = user::Entity::find()
                .select_only()
                .column(user::Column::Id)
                .column(user::Column::WorkField)
                .filter(user::Column::Id.is_in(members.iter().copied()))
                .into_tuple()
                .all(db)
                .await?
                .into_iter()
                .collect();
            let unknown = "Onbekend".to_owned();
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for member in &members {
                let label = fields
                    .get(member)
                    .cloned()
                    .flatten()
                    .and_then(|slug| WorkField::from_slug(&slug))
                    .map_or_else(|| unknown.clone(), |w| w.label().to_owned());
                *counts.entry(label).or_default() += 1;
            }
            let order: Vec<String> = WorkField::ALL
                .iter()
                .map(|w| w.label().to_owned())
                .chain([unknown])
                .collect();
            let rows: Vec<Vec<u64>> = order
                .iter()
                .map(|label| vec![counts.get(label).copied().unwrap_or(0)])
                .collect();
            table(
                kind,
                "Werkterrein",
                (order, rows),
                vec!["Lidmaatschappen nu".to_owned()],
                "Lidmaatschappen van groepen die nog lopen, naar het werkterrein in het profiel, zoals het vandaag is (niet per jaar); iemand in twee groepen telt twee keer.",
            )
        }
        ReportKind::ReviewsDue => {
            // Published documents by kind, in the quarter their next review falls in; how many
            // of those dates have passed goes in the note (the editorial overview names them).
            let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
            let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
            let due: Vec<(DocumentKind, chrono::NaiveDate)> = Documents::find()
                .select_only()
                .column(documents::Column::Kind)
                .column(documents::Column::ReviewDue)
                .filter(documents::Column::Status.eq(DocumentStatus::Published))
                .filter(documents::Column::ReviewDue.between(first, last))
                .into_tuple()
                .all(db)
                .await?;
            let today = amsterdam_date(now);
            let passed = due.iter().filter(|(_, day)| *day < today).count();
            let kind_label = |kind: DocumentKind| match kind {
                DocumentKind::Factsheet => "Factsheets",
                DocumentKind::Training => "Trainingen",
                _ => "Cursussen en modules",
            };
            let counted = due
                .into_iter()
                .map(|(kind, day)| (kind_label(kind).to_owned(), day.month0() as usize / 3));
            let order = ["Factsheets", "Cursussen en modules", "Trainingen"]
                .into_iter()
                .map(str::to_owned)
                .collect();
            table(
                kind,
                "Soort",
                by_quarter(counted, order, true),
                quarters(),
                &format!(
                    "Gepubliceerde documenten naar het kwartaal van hun volgende controle; bij {} daarvan is de datum al voorbij (de redactie ziet welke).",
                    crate::small_count::small_count_nl(u32::try_from(passed).unwrap_or(u32::MAX))
                ),
            )
        }
        ReportKind::FactsheetsByPhenomenon => {
            let published: Vec<(
                crate::knowledge::entity::Phenomena,
                crate::knowledge::entity::Audience,
            )> = Documents::find()
                .select_only()
                .column(documents::Column::Phenomena)
                .column(documents::Column::Audience)
                .filter(documents::Column::Kind.eq(DocumentKind::Factsheet))
                .filter(documents::Column::Status.eq(DocumentStatus::Published))
                .into_tuple()
                .all(db)
                .await?;
            let mut counts = vec![vec![0u64; WorkField::AUDIENCES.len()]; Phenomenon::ALL.len()];
            for (phenomena, audience) in published {
                for phenomenon in &phenomena.0 {
                    for field in &audience.0 {
                        let p = Phenomenon::ALL.iter().position(|x| x == phenomenon);
                        let a = WorkField::AUDIENCES.iter().position(|x| x == field);
                        if let (Some(p), Some(a)) = (p, a) {
                            counts[p][a] += 1;
                        }
                    }
                }
            }
            table(
                kind,
                "Fenomeen",
                (
                    Phenomenon::ALL
                        .iter()
                        .map(|p| p.label().to_owned())
                        .collect(),
                    counts,
                ),
                WorkField::AUDIENCES
                    .iter()
                    .map(|w| w.label().to_owned())
                    .collect(),
                "Gepubliceerde factsheets, zoals ze vandaag zijn; een factsheet over twee fenomenen of voor twee doelgroepen telt in elk vak, dus de totalen tellen combinaties.",
            )
        }
    })
}

/// The year asked for, or this year when absent or outside the years one can choose.
pub fn year_or_this(year: Option<i32>, now: DateTime<Utc>) -> i32 {
    let this = amsterdam_date(now).year();
    year.filter(|y| (this - YEARS_SHOWN + 1..=this).contains(y))
        .unwrap_or(this)
}

/// Every table of the reports for `year`.
pub async fn overview(
    db: &impl ConnectionTrait,
    year: Option<i32>,
    now: DateTime<Utc>,
) -> Result<ReportsOverview, ServiceError> {
    let year = year_or_this(year, now);
    let this = amsterdam_date(now).year();
    let mut tables = Vec::with_capacity(ReportKind::ALL.len());
    for kind in ReportKind::ALL {
        tables.push(report(db, kind, year, now).await?);
    }
    Ok(ReportsOverview {
        year,
        years: (this - YEARS_SHOWN + 1..=this).rev().collect(),
        tables,
    })
}

/// A table as CSV for Excel, with exactly what the page shows ("< 5", "x" and the totals).
pub fn report_csv(table: &ReportTable) -> String {
    let mut headers: Vec<&str> = vec![table.row_heading.as_str()];
    headers.extend(table.columns.iter().map(String::as_str));
    headers.push("Totaal");
    let mut file = crate::csv_file::CsvFile::new(&headers);
    for (r, label) in table.rows.iter().enumerate() {
        let mut cells: Vec<String> = vec![label.clone()];
        cells.extend(table.shown.cells[r].iter().map(|c| c.nl()));
        cells.push(table.shown.row_totals[r].nl());
        file.row(cells.iter().map(String::as_str));
    }
    let mut totals: Vec<String> = vec!["Totaal".to_owned()];
    // A table without rows has no column totals of its own: zeros under every column.
    totals.extend((0..table.columns.len()).map(|c| {
        table
            .shown
            .column_totals
            .get(c)
            .map_or_else(|| "0".to_owned(), |shown| shown.nl())
    }));
    totals.push(table.shown.total.nl());
    file.row(totals.iter().map(String::as_str));
    file.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_counts_in_its_amsterdam_quarter() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // New Year's night in Amsterdam is still the old year in UTC.
        assert_eq!(quarter_in(at("2025-12-31T23:30:00Z"), 2026), Some(0));
        assert_eq!(quarter_in(at("2025-12-31T22:30:00Z"), 2026), None);
        assert_eq!(quarter_in(at("2026-07-01T10:00:00Z"), 2026), Some(2));
        let now = at("2026-12-07T10:00:00Z");
        assert_eq!(year_or_this(Some(2020), now), 2020);
        assert_eq!(year_or_this(Some(2016), now), 2026);
        assert_eq!(year_or_this(None, now), 2026);
    }
}
