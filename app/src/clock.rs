//! The one source of the current time. The server runs on the system clock; tests set and
//! move a manual one (review dates, and soon enrolment offers and retention, depend on it).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// `None`: the system clock.
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
    /// Added to the system clock: a server started with `CLOCK_START` lives on another date.
    offset: Duration,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A running clock that reads `start` now and runs on from there (`CLOCK_START`: the
    /// end-to-end servers and a demo on a chosen date).
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            manual: None,
            offset: start - Utc::now(),
        }
    }

    /// A clock that stands still at `at` until moved.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self {
            manual: Some(Arc::new(Mutex::new(at))),
            offset: Duration::zero(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            None => Utc::now() + self.offset,
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// Today's date in the Netherlands (what "overdue" and "closes today" mean to users).
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Amsterdam).date_naive()
    }

    /// Moves a manual clock; the system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.manual {
            let mut at = at.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *at += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_started_elsewhere_runs_on_from_there() {
        let start: DateTime<Utc> = "2029-06-01T07:00:00Z".parse().unwrap();
        let clock = Clock::starting_at(start);
        let read = clock.now();
        assert!(
            read >= start && read - start < Duration::seconds(5),
            "{read}"
        );
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2029, 6, 1).unwrap());
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start: DateTime<Utc> = "2026-03-28T22:30:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        // 23:30 in Amsterdam (winter time) is still the 28th.
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 3, 28).unwrap());
        clock.advance(Duration::hours(1));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        let shared = clock.clone();
        shared.advance(Duration::days(1));
        assert_eq!(clock.now(), start + Duration::hours(25));
    }
}
