//! Pure rules of enrolment: windows, seats, the fair mix of work fields, cut-offs, what the
//! catalogue says about availability, and reading `runs:` from a training's front matter.

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use crate::dates::format_date_nl;

/// Counts under five are shown as "< 5", so a small group cannot be re-identified.
pub fn small_count_nl(count: u32) -> String {
    if count < 5 {
        "< 5".to_owned()
    } else {
        count.to_string()
    }
}

/// Seats one work field may hold at most: `share` percent of the capacity, at least one.
pub fn work_field_cap(capacity: u32, share_percent: Option<u32>) -> u32 {
    match share_percent {
        Some(share) => (capacity * share.min(100) / 100).max(1),
        None => capacity,
    }
}

/// "2027-03" → (2027, 3); the catalogue's month filter.
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.split_once('-')?;
    let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
    ((2000..=2100).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

pub fn enrolment_is_open(today: NaiveDate, opens: NaiveDate, closes: NaiveDate) -> bool {
    opens <= today && today <= closes
}

/// Cancelling is free until `days` before the first session; later it is a late cancellation.
pub fn free_cancellation_until(first_session: NaiveDate, days: u32) -> NaiveDate {
    first_session - chrono::Duration::days(i64::from(days))
}

/// What the catalogue says about a run, e.g. "nog 3 plaatsen · inschrijving sluit 12 januari 2027".
pub fn availability_nl(
    today: NaiveDate,
    cancelled: bool,
    seats_left: u32,
    opens: NaiveDate,
    closes: NaiveDate,
) -> String {
    if cancelled {
        return "geannuleerd".to_owned();
    }
    if today < opens {
        return format!("inschrijving opent {}", format_date_nl(opens));
    }
    if today > closes {
        return "inschrijving gesloten".to_owned();
    }
    let seats = match seats_left {
        0 => "vol — wachtlijst".to_owned(),
        1 => "nog 1 plaats".to_owned(),
        n => format!("nog {n} plaatsen"),
    };
    format!("{seats} · inschrijving sluit {}", format_date_nl(closes))
}

/// One run as written under `runs:` in a training's front matter.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    pub code: String,
    pub capacity: u32,
    pub enrolment_opens: NaiveDate,
    pub enrolment_closes: NaiveDate,
    /// Free cancellation until this many days before the first session.
    #[serde(default = "default_cancellation_days")]
    pub cancellation_days: u32,
    /// No offers from the waitlist after this date; default: the day before the first session.
    pub waitlist_closes: Option<NaiveDate>,
    /// Hours to confirm an offered seat.
    #[serde(default = "default_offer_hours")]
    pub offer_hours: u32,
    /// Percent of the seats one work field may hold at most.
    pub max_work_field_share: Option<u32>,
    /// Login subjects of the run's trainers.
    #[serde(default)]
    pub trainers: Vec<String>,
    pub sessions: Vec<SessionSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSpec {
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    pub location: String,
    pub link: Option<String>,
}

fn default_cancellation_days() -> u32 {
    14
}

fn default_offer_hours() -> u32 {
    48
}

pub const MAX_CAPACITY: u32 = 1000;

/// Reads and checks the runs of a training file; every message is Dutch and names the run.
#[cfg(feature = "ssr")]
pub fn parse_runs(yaml: &str) -> Result<Vec<RunSpec>, String> {
    let runs: Vec<RunSpec> =
        serde_yaml_ng::from_str(yaml).map_err(|e| format!("'runs' is niet leesbaar ({e})"))?;
    let mut codes = std::collections::HashSet::new();
    for run in &runs {
        validate_run(run)?;
        if !codes.insert(run.code.as_str()) {
            return Err(format!("uitvoering '{}' staat er twee keer in", run.code));
        }
    }
    Ok(runs)
}

pub fn validate_run(run: &RunSpec) -> Result<(), String> {
    let name = &run.code;
    let code_ok = !name.is_empty()
        && name.len() <= 60
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        return Err(format!(
            "uitvoering '{name}': de code bestaat uit kleine letters, cijfers en koppeltekens (bijv. 2027-voorjaar)"
        ));
    }
    if run.capacity == 0 || run.capacity > MAX_CAPACITY {
        return Err(format!(
            "uitvoering '{name}': capaciteit moet tussen 1 en {MAX_CAPACITY} liggen"
        ));
    }
    if run.enrolment_closes < run.enrolment_opens {
        return Err(format!(
            "uitvoering '{name}': de inschrijving sluit vóór ze opent"
        ));
    }
    if run.offer_hours == 0 || run.offer_hours > 24 * 14 {
        return Err(format!(
            "uitvoering '{name}': offer_hours ligt tussen 1 en 336"
        ));
    }
    if run
        .max_work_field_share
        .is_some_and(|share| share == 0 || share > 100)
    {
        return Err(format!(
            "uitvoering '{name}': max_work_field_share is een percentage (1–100)"
        ));
    }
    if run.sessions.is_empty() {
        return Err(format!(
            "uitvoering '{name}': noem minstens één bijeenkomst"
        ));
    }
    for (index, session) in run.sessions.iter().enumerate() {
        let number = index + 1;
        let (Some(start), Some(end)) = (clock_time(&session.start), clock_time(&session.end))
        else {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: tijden als 09:30"
            ));
        };
        if end <= start {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: het einde ligt vóór het begin"
            ));
        }
        if session.location.trim().is_empty() || session.location.chars().count() > 200 {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: noem een plaats of 'online'"
            ));
        }
        if let Some(link) = &session.link
            && !link.starts_with("https://")
        {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: de link begint met https://"
            ));
        }
    }
    let first = first_session(run);
    if run.enrolment_closes > first {
        return Err(format!(
            "uitvoering '{name}': de inschrijving sluit na de eerste bijeenkomst"
        ));
    }
    Ok(())
}

pub fn first_session(run: &RunSpec) -> NaiveDate {
    run.sessions
        .iter()
        .map(|s| s.date)
        .min()
        .unwrap_or(run.enrolment_closes)
}

/// "09:30" → 09:30; anything else → None.
pub fn clock_time(text: &str) -> Option<NaiveTime> {
    (text.len() == 5)
        .then(|| NaiveTime::parse_from_str(text, "%H:%M").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn months_are_year_and_month() {
        assert_eq!(parse_month("2027-03"), Some((2027, 3)));
        assert_eq!(parse_month("2027-13"), None);
        assert_eq!(parse_month("maart"), None);
    }

    #[test]
    fn small_counts_are_hidden() {
        assert_eq!(small_count_nl(0), "< 5");
        assert_eq!(small_count_nl(4), "< 5");
        assert_eq!(small_count_nl(5), "5");
    }

    #[test]
    fn the_work_field_cap_is_a_share_of_the_capacity_and_never_zero() {
        assert_eq!(work_field_cap(12, Some(50)), 6);
        assert_eq!(work_field_cap(12, None), 12);
        assert_eq!(work_field_cap(1, Some(10)), 1);
    }

    #[test]
    fn availability_speaks_dutch() {
        let (opens, closes) = (day("2026-12-01"), day("2027-01-12"));
        assert_eq!(
            availability_nl(day("2026-12-05"), false, 3, opens, closes),
            "nog 3 plaatsen · inschrijving sluit 12 januari 2027"
        );
        assert!(
            availability_nl(day("2026-12-05"), false, 0, opens, closes)
                .starts_with("vol — wachtlijst")
        );
        assert_eq!(
            availability_nl(day("2026-11-05"), false, 3, opens, closes),
            "inschrijving opent 1 december 2026"
        );
        assert_eq!(
            availability_nl(day("2027-02-05"), false, 3, opens, closes),
            "inschrijving gesloten"
        );
        assert_eq!(
            availability_nl(day("2026-12-05"), true, 3, opens, closes),
            "geannuleerd"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn runs_are_read_with_defaults_and_checked() {
        let yaml = r#"
- code: 2027-voorjaar
  capacity: 12
  enrolment_opens: 2026-12-01
  enrolment_closes: 2027-02-15
  sessions:
    - { date: 2027-03-04, start: "09:30", end: "16:30", location: "Utrecht" }
    - { date: 2027-03-18, start: "09:30", end: "12:30", location: "online" }
"#;
        let runs = parse_runs(yaml).unwrap();
        assert_eq!(runs[0].offer_hours, 48);
        assert_eq!(runs[0].cancellation_days, 14);
        assert_eq!(first_session(&runs[0]), day("2027-03-04"));
        let bad = yaml.replace("end: \"16:30\"", "end: \"08:30\"");
        assert!(parse_runs(&bad).unwrap_err().contains("bijeenkomst 1"));
        let unknown = yaml.replace("capacity: 12", "capacity: 12\n  capaciteit: 3");
        assert!(parse_runs(&unknown).is_err());
        let twice = format!("{yaml}{}", yaml.trim_start());
        assert!(parse_runs(&twice).unwrap_err().contains("twee keer"));
    }

    #[test]
    fn late_cancellation_starts_after_the_cut_off() {
        assert_eq!(
            free_cancellation_until(day("2027-03-04"), 14),
            day("2027-02-18")
        );
    }
}
