//! What readers use, for the reports: how often each document's page is read, and which search
//! words found nothing. Counted in memory on each node (a read served from the page cache
//! costs a short lock, no database write) and added to the month's rows in the database every
//! [`FLUSH_EVERY`] and at shutdown, so several nodes add up. Counts only: never who read or
//! searched, no moment finer than the month; search words that could point at a person are not
//! counted at all.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::knowledge::entity::{document_read, search_miss};
use crate::knowledge::model::DocumentKind;

/// How often a node adds what it counted to the database.
pub const FLUSH_EVERY: Duration = Duration::from_secs(60);

/// How long search words that found nothing are kept, in months.
pub const SEARCH_MISSES_KEPT_MONTHS: u32 = 24;

/// Search words longer than this, or of more words, are not counted (a sentence says more
/// about its writer than a search term).
const MAX_MISS_CHARS: usize = 60;
const MAX_MISS_WORDS: usize = 4;

/// More distinct pages or words than this between two flushes are not counted (a crawler
/// trying every address must not fill the memory).
const MAX_KEYS: usize = 10_000;

/// The counts of one node since the last flush.
#[derive(Debug, Default)]
pub struct Usage {
    /// By the page's path: a read costs no allocation once its page was counted.
    reads: Mutex<HashMap<String, u64>>,
    misses: Mutex<HashMap<String, u64>>,
}

impl Usage {
    /// Counts a read of the page at `path` when it is a document's page (a factsheet, a
    /// course, a module, a training); other paths are ignored.
    pub fn note_read(&self, path: &str) {
        let Ok(mut reads) = self.reads.lock() else {
            return;
        };
        if let Some(count) = reads.get_mut(path) {
            *count += 1;
        } else if reads.len() < MAX_KEYS && document_of(path).is_some() {
            reads.insert(path.to_owned(), 1);
        }
    }

    /// Counts a search that found nothing, by its words as [`miss_words`] keeps them (not at
    /// all when they could point at a person).
    pub fn note_miss(&self, typed: &str) {
        let Some(words) = miss_words(typed) else {
            return;
        };
        let Ok(mut misses) = self.misses.lock() else {
            return;
        };
        if let Some(count) = misses.get_mut(&words) {
            *count += 1;
        } else if misses.len() < MAX_KEYS {
            misses.insert(words, 1);
        }
    }

    /// Adds what was counted since the last flush to the month of `now`; how many rows it
    /// wrote. What could not be written is counted again next time.
    pub async fn flush(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> Result<usize, ServiceError> {
        let month = month_of(amsterdam_date(now));
        let reads = std::mem::take(&mut *self.reads.lock().map_err(|_| poisoned())?);
        let misses = std::mem::take(&mut *self.misses.lock().map_err(|_| poisoned())?);
        if reads.is_empty() && misses.is_empty() {
            return Ok(0);
        }
        let written = reads.len() + misses.len();
        let read_rows: Vec<(DocumentKind, String, u64)> = reads
            .iter()
            .filter_map(|(path, count)| {
                let (kind, slug) = document_of(path)?;
                Some((kind, slug.to_owned(), *count))
            })
            .collect();
        let miss_rows = misses.clone();
        let stored = crate::db::write_in_turn(db, move |db| async move {
            if !read_rows.is_empty() {
                document_read::Entity::insert_many(read_rows.into_iter().map(
                    |(kind, slug, reads)| document_read::ActiveModel {
                        month: Set(month),
                        kind: Set(kind),
                        slug: Set(slug),
                        reads: Set(i64::try_from(reads).unwrap_or(i64::MAX)),
                        ..Default::default()
                    },
                ))
                .on_conflict(
                    OnConflict::columns([
                        document_read::Column::Month,
                        document_read::Column::Kind,
                        document_read::Column::Slug,
                    ])
                    .value(
                        document_read::Column::Reads,
                        Expr::col((document_read::Entity, document_read::Column::Reads))
                            .add(Expr::cust("excluded.reads")),
                    )
                    .to_owned(),
                )
                .exec_without_returning(&db)
                .await?;
            }
            if !miss_rows.is_empty() {
                search_miss::Entity::insert_many(miss_rows.into_iter().map(|(words, searches)| {
                    search_miss::ActiveModel {
                        month: Set(month),
                        words: Set(words),
                        searches: Set(i64::try_from(searches).unwrap_or(i64::MAX)),
                        ..Default::default()
                    }
                }))
                .on_conflict(
                    OnConflict::columns([search_miss::Column::Month, search_miss::Column::Words])
                        .value(
                            search_miss::Column::Searches,
                            Expr::col((search_miss::Entity, search_miss::Column::Searches))
                                .add(Expr::cust("excluded.searches")),
                        )
                        .to_owned(),
                )
                .exec_without_returning(&db)
                .await?;
            }
            Ok(())
        })
        .await;
        if let Err(error) = stored {
            // Put the counts back, so a database that is away for a minute loses nothing.
            for (key, count) in reads {
                *self
                    .reads
                    .lock()
                    .map_err(|_| poisoned())?
                    .entry(key)
                    .or_default() += count;
            }
            for (key, count) in misses {
                *self
                    .misses
                    .lock()
                    .map_err(|_| poisoned())?
                    .entry(key)
                    .or_default() += count;
            }
            return Err(error.into());
        }
        Ok(written)
    }
}

fn poisoned() -> ServiceError {
    ServiceError::Corrupt("the usage counts' lock is poisoned".into())
}

/// The first day of `date`'s month.
pub fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Whether `path` is a document's page, whose reads are counted.
pub fn is_document_page(path: &str) -> bool {
    document_of(path).is_some()
}

/// The document a page's path shows: `/factsheets/<slug>`, `/modules/<course>`,
/// `/modules/<course>/<module>`, `/trainingen/<slug>`.
fn document_of(path: &str) -> Option<(DocumentKind, &str)> {
    let mut parts = path.trim_start_matches('/').split('/');
    let found = match (parts.next()?, parts.next(), parts.next(), parts.next()) {
        ("factsheets", Some(slug), None, None) => (DocumentKind::Factsheet, slug),
        ("modules", Some(course), None, None) => (DocumentKind::Course, course),
        ("modules", Some(_), Some(module), None) => (DocumentKind::Module, module),
        ("trainingen", Some(slug), None, None) => (DocumentKind::Training, slug),
        _ => return None,
    };
    let slug_like = !found.1.is_empty()
        && found.1.len() <= 100
        && found
            .1
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    slug_like.then_some(found)
}

/// The words of a search that found nothing as they are counted: trimmed, lowercased, single
/// spaces; `None` (not counted) when they could point at a person or say too much: digits (a
/// date of birth, a postcode, a phone or case number), anything the privacy guard finds (a
/// name, an e-mail address, an account), or more than a few words.
pub fn miss_words(typed: &str) -> Option<String> {
    let words: Vec<&str> = typed.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_MISS_WORDS || typed.chars().any(char::is_numeric) {
        return None;
    }
    let joined = words.join(" ").to_lowercase();
    // Scanned as stored: the guard knows first names in lowercase too.
    (joined.chars().count() <= MAX_MISS_CHARS && crate::privacy_guard::scan(&joined).is_empty())
        .then_some(joined)
}

/// Deletes search words older than [`SEARCH_MISSES_KEPT_MONTHS`]; how many rows.
pub async fn purge_old_misses(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let oldest_kept = month_of(amsterdam_date(now))
        .checked_sub_months(Months::new(SEARCH_MISSES_KEPT_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    Ok(search_miss::Entity::delete_many()
        .filter(search_miss::Column::Month.lt(oldest_kept))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_document_pages_are_counted() {
        assert_eq!(
            document_of("/factsheets/jihadisme"),
            Some((DocumentKind::Factsheet, "jihadisme"))
        );
        assert_eq!(
            document_of("/modules/signalen/module-1"),
            Some((DocumentKind::Module, "module-1"))
        );
        assert_eq!(
            document_of("/modules/signalen"),
            Some((DocumentKind::Course, "signalen"))
        );
        assert_eq!(
            document_of("/trainingen/verdieping"),
            Some((DocumentKind::Training, "verdieping"))
        );
        for other in [
            "/",
            "/factsheets",
            "/trainingen/verdieping/2027-voorjaar/beheer",
            "/factsheets/Hoofdletters",
            "/zoeken",
        ] {
            assert_eq!(document_of(other), None, "{other}");
        }
    }

    #[test]
    fn search_words_that_could_name_someone_are_not_kept() {
        assert_eq!(
            miss_words("  Online   Radicalisering "),
            Some("online radicalisering".into())
        );
        for personal in [
            "jan.jansen@school.nl",
            "Samira Yilmaz",
            "gesprek met mevrouw bakker",
            "3511 AB",
            "0612345678",
            "leerling 2009",
            "een heel lange zin met veel woorden",
            "",
        ] {
            assert_eq!(miss_words(personal), None, "{personal}");
        }
    }
}
