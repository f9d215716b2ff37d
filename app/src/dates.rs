//! Dates and times as Dutch readers expect them, in Europe/Amsterdam.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;

/// "09:30" → 09:30; anything else → None. Every domain's times are typed this way.
pub fn clock_time(text: &str) -> Option<chrono::NaiveTime> {
    (text.len() == 5)
        .then(|| chrono::NaiveTime::parse_from_str(text, "%H:%M").ok())
        .flatten()
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Dutch long date, e.g. "14 september 2026".
pub fn format_date_nl(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// The calendar date in Amsterdam at `moment` (what "today" means for cut-offs).
pub fn amsterdam_date(moment: DateTime<Utc>) -> NaiveDate {
    moment.with_timezone(&Amsterdam).date_naive()
}

/// A moment in Amsterdam time, e.g. "14 september 2026, 09:05".
pub fn format_datetime_nl(moment: DateTime<Utc>) -> String {
    let local = moment.with_timezone(&Amsterdam);
    format!(
        "{}, {}",
        format_date_nl(local.date_naive()),
        local.format("%H:%M")
    )
}

/// Minutes as hours in Dutch, to a tenth: "2 uur", "7,5 uur".
pub fn hours_nl(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        format!("{} uur", tenths / 10)
    } else {
        format!("{},{} uur", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_dutch() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(format_date_nl(date), "1 maart 2026");
    }

    #[test]
    fn times_in_amsterdam_summer_and_winter() {
        let summer = "2026-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(format_datetime_nl(summer), "1 juli 2026, 12:00");
        let winter = "2026-12-31T23:30:00Z".parse().unwrap();
        assert_eq!(format_datetime_nl(winter), "1 januari 2027, 00:30");
    }
}
