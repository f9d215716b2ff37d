//! The reports' counts, read per table and suppressed before they leave the server. Rows are
//! read as narrow tuples (ids, a date, a category) and counted here; a year of ten years of use
//! is tens of thousands of small rows at most.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::intervision::entity::{agenda_item, group, group_member, meeting};
use crate::intervision::rules::methods::{METHODS, method};
use crate::knowledge::entity::{
    self as documents, Entity as Documents, document_read, search_miss,
};
use crate::knowledge::model::{DocumentKind, DocumentStatus};
use crate::knowledge::service::usage::SEARCH_MISSES_KEPT_MONTHS;
use crate::reports::model::{
    Figure, FigureTable, QUARTERS, REPORTS_KEPT_MINUTES, ReportKind, ReportTable, ReportsOverview,
    TableBody,
};
use crate::small_count::{Shown, suppress_columns, suppress_table};
use crate::training::entity::{certificate, enrolment, run, run_session, session_attendance};
use crate::training::model::{EnrolmentStatus, RunStatus, SessionPresence};
use crate::training::rules::{
    EVALUATION_DAYS, EVALUATION_HEADINGS, EVALUATION_MINIMUM, evaluation_ends, evaluation_summary,
};
use crate::training::service::catalogue::training_titles;
use crate::training::service::evaluations::answers_of_runs;
use crate::vocabulary::{Phenomenon, WorkField};

/// How many documents the most-read table shows.
pub const MOST_READ_SHOWN: usize = 15;

/// How many search words without a result the table shows at most.
pub const MISSES_SHOWN: usize = 20;

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
    let weighed = counted
        .into_iter()
        .map(|(label, quarter)| (label, quarter, 1));
    by_quarter_weighed(weighed, order, keep_empty)
}

/// [`by_quarter`] of rows that each count `weight` times (a month's reads).
fn by_quarter_weighed(
    counted: impl IntoIterator<Item = (String, usize, u64)>,
    order: Vec<String>,
    keep_empty: bool,
) -> (Vec<String>, Vec<Vec<u64>>) {
    let mut counts: HashMap<String, [u64; 4]> = HashMap::new();
    for (label, quarter, weight) in counted {
        counts.entry(label).or_default()[quarter] += weight;
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
        body: TableBody::Counts(suppress_table(&counts)),
        rows,
        columns,
        note: note.to_owned(),
    }
}

fn figures_table(
    kind: ReportKind,
    row_heading: &str,
    rows: Vec<String>,
    columns: &[&str],
    figures: FigureTable,
    note: &str,
) -> ReportTable {
    ReportTable {
        kind,
        row_heading: row_heading.to_owned(),
        rows,
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        body: TableBody::Figures(figures),
        note: note.to_owned(),
    }
}

/// The first and last day of `year`.
fn days_of(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    )
}

/// A run as the reports read it: id, training, seats, seats taken, last session's day.
type RunRow = (i32, String, i32, i32, Option<NaiveDate>);

/// The runs of `year` that went ahead (not cancelled), by the day they `started` or ended
/// (`started` false); with their training, seats and seats taken.
async fn runs_of(
    db: &impl ConnectionTrait,
    year: i32,
    started: bool,
) -> Result<Vec<RunRow>, ServiceError> {
    let (first, last) = days_of(year);
    let day = if started {
        run::Column::FirstSessionOn
    } else {
        run::Column::LastSessionOn
    };
    Ok(run::Entity::find()
        .select_only()
        .column(run::Column::Id)
        .column(run::Column::TrainingSlug)
        .column(run::Column::Capacity)
        .column(run::Column::SeatsTaken)
        .column(run::Column::LastSessionOn)
        .filter(day.between(first, last))
        .filter(run::Column::Status.ne(RunStatus::Cancelled))
        .into_tuple()
        .all(db)
        .await?)
}

/// The runs of `year` that went ahead and ended in it, once their last session's day passes
/// `done` (has passed, or its evaluation has closed).
async fn runs_ended(
    db: &impl ConnectionTrait,
    year: i32,
    done: impl Fn(NaiveDate) -> bool,
) -> Result<Vec<RunRow>, ServiceError> {
    let mut runs = runs_of(db, year, false).await?;
    runs.retain(|(.., last)| last.is_some_and(&done));
    Ok(runs)
}

/// Each run's training.
fn training_of(runs: &[RunRow]) -> HashMap<i32, &String> {
    runs.iter().map(|(id, slug, ..)| (*id, slug)).collect()
}

/// The trainings of `slugs` in the order of their titles, with those titles (a training
/// without a title document shows its slug).
async fn trainings_by_title(
    db: &impl ConnectionTrait,
    slugs: impl IntoIterator<Item = String>,
) -> Result<Vec<(String, String)>, ServiceError> {
    let slugs: std::collections::BTreeSet<String> = slugs.into_iter().collect();
    let titles = training_titles(db, Some(slugs.iter().cloned().collect())).await?;
    let mut ordered: Vec<(String, String)> = slugs
        .into_iter()
        .map(|slug| {
            let title = titles.get(&slug).cloned().unwrap_or_else(|| slug.clone());
            (slug, title)
        })
        .collect();
    ordered.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    Ok(ordered)
}

/// Enrolments of `runs` in `status`: (run, person).
async fn enrolled(
    db: &impl ConnectionTrait,
    runs: impl IntoIterator<Item = i32>,
    status: EnrolmentStatus,
) -> Result<Vec<(i32, i32)>, ServiceError> {
    Ok(enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::RunId)
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::RunId.is_in(runs))
        .filter(enrolment::Column::Status.eq(status))
        .into_tuple()
        .all(db)
        .await?)
}

/// The intervision meetings held in Amsterdam's `year`: begun by `now` (not what is still
/// planned) and not cancelled; (meeting, group, quarter).
async fn meetings_held(
    db: &impl ConnectionTrait,
    year: i32,
    now: DateTime<Utc>,
) -> Result<Vec<(i32, i32, usize)>, ServiceError> {
    let (from, to) = around(year);
    let held: Vec<(i32, i32, DateTime<Utc>)> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .column(meeting::Column::GroupId)
        .column(meeting::Column::StartsAt)
        .filter(meeting::Column::StartsAt.between(from, to))
        .filter(meeting::Column::StartsAt.lte(now))
        .filter(meeting::Column::Cancelled.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    Ok(held
        .into_iter()
        .filter_map(|(id, group, at)| Some((id, group, quarter_in(at, year)?)))
        .collect())
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
        ReportKind::EnrolmentsByTraining | ReportKind::EnrolmentsByRun => {
            let made: Vec<(i32, DateTime<Utc>)> = enrolment::Entity::find()
                .select_only()
                .column(enrolment::Column::RunId)
                .column(enrolment::Column::CreatedAt)
                .filter(enrolment::Column::CreatedAt.between(from, to))
                .into_tuple()
                .all(db)
                .await?;
            let runs: HashMap<i32, (String, String)> = run::Entity::find()
                .select_only()
                .column(run::Column::Id)
                .column(run::Column::TrainingSlug)
                .column(run::Column::Code)
                .filter(run::Column::Id.is_in(made.iter().map(|(id, _)| *id)))
                .into_tuple::<(i32, String, String)>()
                .all(db)
                .await?
                .into_iter()
                .map(|(id, slug, code)| (id, (slug, code)))
                .collect();
            // Counted per training (its slug) or per run (slug and code), shown by title; a
            // training without a title document shows its slug.
            let per_run = kind == ReportKind::EnrolmentsByRun;
            let titles = training_titles(db, None).await?;
            let title = |slug: &String| titles.get(slug).cloned().unwrap_or_else(|| slug.clone());
            let key = |(slug, code): &(String, String)| {
                let title = title(slug);
                if per_run {
                    (title.clone(), code.clone(), format!("{title} ({code})"))
                } else {
                    (title.clone(), slug.clone(), title)
                }
            };
            let counted: Vec<(String, usize)> = made
                .iter()
                .filter_map(|(run_id, at)| Some((key(runs.get(run_id)?).2, quarter_in(*at, year)?)))
                .collect();
            let mut keys: Vec<(String, String, String)> = runs.values().map(key).collect();
            keys.sort();
            keys.dedup();
            let order = keys.into_iter().map(|(.., label)| label).collect();
            table(
                kind,
                if per_run { "Uitvoering" } else { "Training" },
                by_quarter(counted, order, false),
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
        ReportKind::RunsFilled => {
            let runs = runs_of(db, year, true).await?;
            let training_of = training_of(&runs);
            let ids = || runs.iter().map(|(id, ..)| *id);
            // People who had a seat in some run of the training this year found one, even if
            // they also waited for another run.
            let seated: HashSet<(&String, i32)> = enrolled(db, ids(), EnrolmentStatus::Confirmed)
                .await?
                .into_iter()
                .filter_map(|(run, person)| Some((*training_of.get(&run)?, person)))
                .collect();
            let waiting: HashSet<(&String, i32)> = enrolled(db, ids(), EnrolmentStatus::Waitlisted)
                .await?
                .into_iter()
                .filter_map(|(run, person)| Some((*training_of.get(&run)?, person)))
                .filter(|key| !seated.contains(key))
                .collect();
            let trainings =
                trainings_by_title(db, runs.iter().map(|(_, slug, ..)| slug.clone())).await?;
            // Per training: runs and seats (the catalogue's own, public figures), then the
            // people: seats taken and those waiting without a seat.
            let mut public: Vec<[u64; 2]> = Vec::with_capacity(trainings.len());
            let people: Vec<Vec<u64>> = trainings
                .iter()
                .map(|(slug, _)| {
                    let (mut count, mut seats, mut taken) = (0u64, 0u64, 0u64);
                    for (_, _, capacity, seats_taken, _) in runs.iter().filter(|r| &r.1 == slug) {
                        count += 1;
                        seats += u64::try_from(*capacity).unwrap_or(0);
                        taken += u64::try_from(*seats_taken).unwrap_or(0);
                    }
                    public.push([count, seats]);
                    let waits = waiting.iter().filter(|(s, _)| *s == slug).count() as u64;
                    vec![taken, waits]
                })
                .collect();
            let (shown, totals) = suppress_columns(&people);
            let line = |[count, seats]: [u64; 2], shown: &[Shown], last: Figure| {
                vec![
                    Figure::Count(Shown::Count(count)),
                    Figure::Count(Shown::Count(seats)),
                    Figure::Count(shown[0]),
                    Figure::share(shown[0], Shown::Count(seats)),
                    Figure::Count(shown[1]),
                    last,
                ]
            };
            // Another run would fill when those waiting would take as many seats as a run of
            // the training has on average; said only where the waiting count is shown.
            let would_fill = |[count, seats]: [u64; 2], waits: Shown| {
                Figure::Word(
                    match waits {
                        Shown::Count(waits) if waits > 0 && waits * count >= seats => "ja",
                        _ => "nee",
                    }
                    .to_owned(),
                )
            };
            let cells = public
                .iter()
                .zip(&shown)
                .map(|(public, shown)| line(*public, shown, would_fill(*public, shown[1])))
                .collect();
            let all = public
                .iter()
                .fold([0, 0], |[c, s], [count, seats]| [c + count, s + seats]);
            let totals =
                (!people.is_empty()).then(|| line(all, &totals, Figure::Word(String::new())));
            figures_table(
                kind,
                "Training",
                trainings.into_iter().map(|(_, title)| title).collect(),
                &[
                    "Uitvoeringen",
                    "Plaatsen",
                    "Bezet",
                    "Vulgraad",
                    "Wachtend zonder plaats",
                    "Extra uitvoering zou vol raken",
                ],
                FigureTable {
                    cells,
                    totals,
                    charted: Some(4),
                },
                "Uitvoeringen die dit jaar begonnen (niet geannuleerd); hun aantal en plaatsen staan ook in de catalogus. Bezet: plaatsen die nu ingenomen zijn. Wachtend zonder plaats: mensen op een wachtlijst die in geen uitvoering van de training dit jaar een plaats hebben; zijn dat er minstens zoveel als een uitvoering gemiddeld plaatsen heeft, dan zou een extra uitvoering vol raken.",
            )
        }
        ReportKind::Completion => {
            let today = amsterdam_date(now);
            let runs = runs_ended(db, year, |last| last < today).await?;
            let training_of = training_of(&runs);
            let ids: Vec<i32> = runs.iter().map(|(id, ..)| *id).collect();
            let participants =
                enrolled(db, ids.iter().copied(), EnrolmentStatus::Confirmed).await?;
            let sessions: Vec<(i32, i32)> = run_session::Entity::find()
                .select_only()
                .column(run_session::Column::Id)
                .column(run_session::Column::RunId)
                .filter(run_session::Column::RunId.is_in(ids.iter().copied()))
                .into_tuple()
                .all(db)
                .await?;
            let run_of_session: HashMap<i32, i32> = sessions.iter().copied().collect();
            let mut sessions_per_run: HashMap<i32, u64> = HashMap::new();
            for (_, run_id) in &sessions {
                *sessions_per_run.entry(*run_id).or_default() += 1;
            }
            let taking_part: HashSet<(i32, i32)> = participants.iter().copied().collect();
            // Attended: there, also when late or leaving early; only participants count.
            let attended: Vec<(i32, i32)> = session_attendance::Entity::find()
                .select_only()
                .column(session_attendance::Column::SessionId)
                .column(session_attendance::Column::UserId)
                .filter(session_attendance::Column::SessionId.is_in(run_of_session.keys().copied()))
                .filter(session_attendance::Column::Status.is_in([
                    SessionPresence::Present,
                    SessionPresence::Late,
                    SessionPresence::LeftEarly,
                ]))
                .into_tuple()
                .all(db)
                .await?;
            let completed: Vec<i32> = certificate::Entity::find()
                .select_only()
                .column(certificate::Column::RunId)
                .filter(certificate::Column::RunId.is_in(ids.iter().copied()))
                .filter(certificate::Column::RevokedAt.is_null())
                .into_tuple()
                .all(db)
                .await?;
            let trainings =
                trainings_by_title(db, runs.iter().map(|(_, slug, ..)| slug.clone())).await?;
            let training_is = |run: &i32, slug: &String| training_of.get(run) == Some(&slug);
            // Per training: participants, places at sessions, attended, certificates.
            let counts: Vec<Vec<u64>> = trainings
                .iter()
                .map(|(slug, _)| {
                    let people = participants
                        .iter()
                        .filter(|(run, _)| training_is(run, slug));
                    let (mut count, mut places) = (0u64, 0u64);
                    for (run, _) in people {
                        count += 1;
                        places += sessions_per_run.get(run).copied().unwrap_or(0);
                    }
                    let there = attended
                        .iter()
                        .filter_map(|(session, person)| {
                            let run = run_of_session.get(session)?;
                            (training_is(run, slug) && taking_part.contains(&(*run, *person)))
                                .then_some(())
                        })
                        .count() as u64;
                    let certified = completed
                        .iter()
                        .filter(|run| training_is(run, slug))
                        .count() as u64;
                    vec![count, places, there, certified]
                })
                .collect();
            let (shown, totals) = suppress_columns(&counts);
            // Attendance as a share of the places at sessions, only where the participants
            // may be shown (a share of a few people's sessions says too much about them).
            let line = |shown: &[Shown]| {
                let attendance = match shown[0] {
                    Shown::Count(_) => Figure::share(shown[2], shown[1]),
                    _ => Figure::Withheld,
                };
                vec![
                    Figure::Count(shown[0]),
                    attendance,
                    Figure::Count(shown[3]),
                    Figure::share(shown[3], shown[0]),
                ]
            };
            figures_table(
                kind,
                "Training",
                trainings.into_iter().map(|(_, title)| title).collect(),
                &["Deelnemers", "Aanwezigheid", "Afgerond", "Afgerond (%)"],
                FigureTable {
                    cells: shown.iter().map(|s| line(s)).collect(),
                    totals: (!counts.is_empty()).then(|| line(&totals)),
                    charted: Some(0),
                },
                "Uitvoeringen waarvan de laatste bijeenkomst dit jaar was (en voorbij is). Aanwezigheid: het deel van de bijeenkomsten van de deelnemers waarbij zij er waren (ook te laat of eerder weg). Afgerond: een certificaat dat niet is ingetrokken.",
            )
        }
        ReportKind::Evaluations => {
            let today = amsterdam_date(now);
            // Only runs whose evaluation has closed: until then the count still moves.
            let runs = runs_ended(db, year, |last| evaluation_ends(last) < today).await?;
            let training_of = training_of(&runs);
            let answers = answers_of_runs(db, training_of.keys().copied()).await?;
            let trainings =
                trainings_by_title(db, runs.iter().map(|(_, slug, ..)| slug.clone())).await?;
            // The scores only: remarks stay with the trainers.
            let scores_of = |slug: Option<&String>| -> Vec<(String, Option<String>)> {
                answers
                    .iter()
                    .filter(|(run, _)| slug.is_none() || training_of.get(run).copied() == slug)
                    .flat_map(|(_, answers)| {
                        answers.iter().map(|(scores, _)| (scores.clone(), None))
                    })
                    .collect()
            };
            let counts: Vec<Vec<u64>> = trainings
                .iter()
                .map(|(slug, _)| vec![scores_of(Some(slug)).len() as u64])
                .collect();
            let (shown, totals) = suppress_columns(&counts);
            // The averages as trainers see them: only from five answers.
            let line = |count: Shown, scores: Vec<(String, Option<String>)>| {
                let summary = evaluation_summary(&scores);
                let mut line = vec![Figure::Count(count)];
                line.extend((0..EVALUATION_HEADINGS.len()).map(|q| {
                    match (count, summary.averages.get(q)) {
                        (Shown::Count(_), Some((_, average))) => Figure::Average(average.clone()),
                        _ => Figure::Withheld,
                    }
                }));
                line
            };
            let cells = trainings
                .iter()
                .zip(&shown)
                .map(|((slug, _), shown)| line(shown[0], scores_of(Some(slug))))
                .collect();
            let totals = (!counts.is_empty()).then(|| line(totals[0], scores_of(None)));
            let mut columns = vec!["Antwoorden"];
            columns.extend(EVALUATION_HEADINGS);
            figures_table(
                kind,
                "Training",
                trainings.into_iter().map(|(_, title)| title).collect(),
                &columns,
                FigureTable {
                    cells,
                    totals,
                    charted: None,
                },
                &format!(
                    "Gemiddelde per vraag (1 = oneens, 5 = eens) van de uitvoeringen die dit jaar eindigden en waarvan de evaluatie gesloten is ({EVALUATION_DAYS} dagen na de laatste bijeenkomst); alleen vanaf {EVALUATION_MINIMUM} antwoorden."
                ),
            )
        }
        ReportKind::GroupsActive => {
            let mut per_quarter: [HashSet<i32>; 4] = Default::default();
            let mut in_year = HashSet::new();
            for (_, group, quarter) in meetings_held(db, year, now).await? {
                per_quarter[quarter].insert(group);
                in_year.insert(group);
            }
            let mut counts: Vec<u64> = per_quarter.iter().map(|g| g.len() as u64).collect();
            counts.push(in_year.len() as u64);
            // Groups active in a quarter do not add up to the year's: every figure on its own.
            let (shown, _) = suppress_columns(&[counts]);
            let mut columns: Vec<&str> = QUARTERS.to_vec();
            columns.push("Heel het jaar");
            figures_table(
                kind,
                "Intervisie",
                vec!["Groepen met een bijeenkomst".to_owned()],
                &columns,
                FigureTable {
                    cells: vec![shown[0].iter().map(|s| Figure::Count(*s)).collect()],
                    totals: None,
                    charted: None,
                },
                "Groepen die in het kwartaal minstens één bijeenkomst hielden; nooit welke.",
            )
        }
        ReportKind::MethodsUsed => {
            let held: HashMap<i32, usize> = meetings_held(db, year, now)
                .await?
                .into_iter()
                .map(|(meeting, _, quarter)| (meeting, quarter))
                .collect();
            let used: Vec<(i32, Option<String>)> = agenda_item::Entity::find()
                .select_only()
                .column(agenda_item::Column::MeetingId)
                .column(agenda_item::Column::Method)
                .filter(agenda_item::Column::MeetingId.is_in(held.keys().copied()))
                .filter(agenda_item::Column::Method.is_not_null())
                .into_tuple()
                .all(db)
                .await?;
            let counted = used.into_iter().filter_map(|(meeting, slug)| {
                let name = method(slug.as_deref()?)?.name.to_owned();
                Some((name, *held.get(&meeting)?))
            });
            let order = METHODS.iter().map(|m| m.name.to_owned()).collect();
            table(
                kind,
                "Methode",
                by_quarter(counted, order, true),
                quarters(),
                "Hoe vaak een methode werd gebruikt voor een ingebrachte casus op een bijeenkomst die doorging; nooit welke groep of welke casus.",
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
            let held = meetings_held(db, year, now).await?;
            let label = "Bijeenkomsten".to_owned();
            let counted = held
                .into_iter()
                .map(|(_, _, quarter)| (label.clone(), quarter));
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
            let (first, last) = days_of(year);
            let due: Vec<(DocumentKind, NaiveDate)> = Documents::find()
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
        ReportKind::MostRead => {
            let (first, last) = days_of(year);
            let reads: Vec<(DocumentKind, String, NaiveDate, i64)> = document_read::Entity::find()
                .select_only()
                .column(document_read::Column::Kind)
                .column(document_read::Column::Slug)
                .column(document_read::Column::Month)
                .column(document_read::Column::Reads)
                .filter(document_read::Column::Month.between(first, last))
                .into_tuple()
                .all(db)
                .await?;
            let mut totals: HashMap<(DocumentKind, String), u64> = HashMap::new();
            for (kind, slug, _, count) in &reads {
                *totals.entry((*kind, slug.clone())).or_default() += count.unsigned_abs();
            }
            let mut top: Vec<((DocumentKind, String), u64)> = totals.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.1.cmp(&b.0.1)));
            top.truncate(MOST_READ_SHOWN);
            let titles: HashMap<(DocumentKind, String), String> = Documents::find()
                .select_only()
                .column(documents::Column::Kind)
                .column(documents::Column::Slug)
                .column(documents::Column::Title)
                .filter(
                    documents::Column::Slug.is_in(top.iter().map(|((_, slug), _)| slug.clone())),
                )
                .into_tuple::<(DocumentKind, String, String)>()
                .all(db)
                .await?
                .into_iter()
                .map(|(kind, slug, title)| ((kind, slug), title))
                .collect();
            // A document's label: its title and what it is; a document gone since shows its
            // address's last part.
            let label = |(kind, slug): &(DocumentKind, String)| {
                let title = titles.get(&(*kind, slug.clone())).unwrap_or(slug);
                format!("{title} ({})", kind.label().to_lowercase())
            };
            let labels: HashMap<(DocumentKind, String), String> = top
                .iter()
                .map(|(key, _)| (key.clone(), label(key)))
                .collect();
            let counted = reads.into_iter().filter_map(|(kind, slug, month, count)| {
                let label = labels.get(&(kind, slug))?.clone();
                Some((label, month.month0() as usize / 3, count.unsigned_abs()))
            });
            let order = top
                .iter()
                .filter_map(|(key, _)| labels.get(key).cloned())
                .collect();
            table(
                kind,
                "Pagina",
                by_quarter_weighed(counted, order, false),
                quarters(),
                &format!(
                    "De {MOST_READ_SHOWN} pagina's (factsheets, cursussen, modules, trainingen) die dit jaar het vaakst werden bekeken, door iedereen samen; nooit door wie."
                ),
            )
        }
        ReportKind::SearchesWithoutResult => {
            let (first, last) = days_of(year);
            let misses: Vec<(String, NaiveDate, i64)> = search_miss::Entity::find()
                .select_only()
                .column(search_miss::Column::Words)
                .column(search_miss::Column::Month)
                .column(search_miss::Column::Searches)
                .filter(search_miss::Column::Month.between(first, last))
                .into_tuple()
                .all(db)
                .await?;
            let mut totals: HashMap<&String, u64> = HashMap::new();
            for (words, _, count) in &misses {
                *totals.entry(words).or_default() += count.unsigned_abs();
            }
            // Words searched fewer than five times in the year are never shown, not even as
            // "< 5": rare words are the ones that could point at someone.
            let mut top: Vec<(&String, u64)> = totals
                .into_iter()
                .filter(|(_, count)| *count >= u64::from(crate::small_count::SMALL_COUNT_LIMIT))
                .collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            top.truncate(MISSES_SHOWN);
            let order: Vec<String> = top.iter().map(|(words, _)| (*words).clone()).collect();
            let counted: Vec<(String, usize, u64)> = misses
                .iter()
                .filter(|(words, ..)| order.contains(words))
                .map(|(words, month, count)| {
                    (
                        words.clone(),
                        month.month0() as usize / 3,
                        count.unsigned_abs(),
                    )
                })
                .collect();
            table(
                kind,
                "Zoekwoorden",
                by_quarter_weighed(counted, order, false),
                quarters(),
                &format!(
                    "Zoekopdrachten die niets vonden, naar hun woorden, alleen woorden die dit jaar minstens {} keer werden gezocht (de {MISSES_SHOWN} vaakste); nooit door wie. Woorden met cijfers, een e-mailadres of een naam worden niet bewaard, en na {SEARCH_MISSES_KEPT_MONTHS} maanden gaan ze weg.",
                    crate::small_count::SMALL_COUNT_LIMIT
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
        counted_at: crate::dates::format_datetime_nl(now),
    })
}

/// A year's reports and when they were counted.
type Counted = (DateTime<Utc>, std::sync::Arc<ReportsOverview>);

/// The reports of each year as last counted, per node (shared state in the app context):
/// counting ten years of use for every table takes far longer than a page may, and a report
/// need not be to the minute (the page says when it was counted).
#[derive(Debug, Default)]
pub struct KeptReports {
    years: std::sync::Mutex<HashMap<i32, Counted>>,
    /// One count at a time: a request that finds a count under way gets the last one instead
    /// (or, when the year was never counted, waits for it) rather than counting too.
    counting: tokio::sync::Mutex<()>,
}

impl KeptReports {
    /// The reports for `year` (see [`overview`]), counted at most
    /// [`REPORTS_KEPT_MINUTES`] ago; while another request counts them again, the last
    /// count, so only the request that counts waits.
    pub async fn overview(
        &self,
        db: &impl ConnectionTrait,
        year: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<std::sync::Arc<ReportsOverview>, ServiceError> {
        let year = year_or_this(year, now);
        let (fresh, last) = self.kept(year, now);
        if let Some(fresh) = fresh {
            return Ok(fresh);
        }
        let _turn = match last {
            Some(last) => match self.counting.try_lock() {
                Ok(turn) => turn,
                Err(_) => return Ok(last),
            },
            None => self.counting.lock().await,
        };
        // Counted by the request this one waited for.
        if let (Some(fresh), _) = self.kept(year, now) {
            return Ok(fresh);
        }
        let counted = std::sync::Arc::new(overview(db, Some(year), now).await?);
        self.years
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(year, (now, counted.clone()));
        Ok(counted)
    }

    /// The year's last count if still fresh at `now`, and the last count at all.
    fn kept(
        &self,
        year: i32,
        now: DateTime<Utc>,
    ) -> (
        Option<std::sync::Arc<ReportsOverview>>,
        Option<std::sync::Arc<ReportsOverview>>,
    ) {
        let years = self
            .years
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some((counted, kept)) = years.get(&year) else {
            return (None, None);
        };
        let fresh =
            now >= *counted && now - *counted < chrono::Duration::minutes(REPORTS_KEPT_MINUTES);
        (fresh.then(|| kept.clone()), Some(kept.clone()))
    }
}

/// A table as CSV for Excel, with exactly what the page shows ("< 5", "x" and the totals).
pub fn report_csv(table: &ReportTable) -> String {
    let headings = table.headings();
    let headers: Vec<&str> = std::iter::once(table.row_heading.as_str())
        .chain(headings.iter().map(String::as_str))
        .collect();
    let mut file = crate::csv_file::CsvFile::new(&headers);
    for (label, cells) in table.rows.iter().zip(table.shown_rows()) {
        file.row(std::iter::once(label.as_str()).chain(cells.iter().map(String::as_str)));
    }
    if let Some(totals) = table.shown_totals() {
        file.row(std::iter::once("Totaal").chain(totals.iter().map(String::as_str)));
    }
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
