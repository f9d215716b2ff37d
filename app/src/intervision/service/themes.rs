//! The themes of the dilemmas brought in, counted for knowledge staff: a theme, a group number
//! and a date per dilemma, never its text or its author (see the migration `knowledge_loop`).

use std::collections::BTreeSet;

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::intervision::entity::{dilemma, dilemma_theme, theme_tally_version};
use crate::intervision::model::{
    THEME_MIN_DILEMMAS, THEME_MIN_GROUPS, THEME_WINDOW_MONTHS, ThemeCount,
};
use crate::vocabulary::Theme;

/// Every theme of `row`: its phenomenon and the practice themes ticked.
fn themes_of(row: &dilemma::Model, practice: &BTreeSet<Theme>) -> BTreeSet<Theme> {
    let mut all = practice.clone();
    all.insert(Theme::of_phenomenon(row.phenomenon));
    all
}

/// Brings the tally of dilemma `row` in line with its phenomenon and `practice` themes,
/// writing only what differs (an unchanged form writes nothing).
pub(crate) async fn keep_themes(
    db: &impl ConnectionTrait,
    row: &dilemma::Model,
    practice: &BTreeSet<Theme>,
) -> Result<(), ServiceError> {
    let wanted = themes_of(row, practice);
    let stored: Vec<dilemma_theme::Model> = dilemma_theme::Entity::find()
        .filter(dilemma_theme::Column::DilemmaId.eq(row.id))
        .all(db)
        .await?;
    let gone: Vec<i32> = stored
        .iter()
        .filter(|t| !wanted.contains(&t.theme))
        .map(|t| t.id)
        .collect();
    let changed = !gone.is_empty();
    if changed {
        dilemma_theme::Entity::delete_many()
            .filter(dilemma_theme::Column::Id.is_in(gone))
            .exec(db)
            .await?;
    }
    let new: Vec<dilemma_theme::ActiveModel> = wanted
        .into_iter()
        .filter(|theme| !stored.iter().any(|t| t.theme == *theme))
        .map(|theme| dilemma_theme::ActiveModel {
            dilemma_id: Set(Some(row.id)),
            group_id: Set(row.group_id),
            theme: Set(theme),
            brought_in_on: Set(amsterdam_date(row.created_at)),
            ..Default::default()
        })
        .collect();
    let added = !new.is_empty();
    if added {
        dilemma_theme::Entity::insert_many(new).exec(db).await?;
    }
    if changed || added {
        tallies_changed(db).await?;
    }
    Ok(())
}

/// The practice themes ticked for dilemma `dilemma_id`, as slugs for its form.
pub async fn practice_themes_of(
    db: &impl ConnectionTrait,
    dilemma_id: i32,
) -> Result<Vec<String>, ServiceError> {
    Ok(dilemma_theme::Entity::find()
        .filter(dilemma_theme::Column::DilemmaId.eq(dilemma_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| t.theme.phenomenon().is_none())
        .map(|t| t.theme.slug().to_owned())
        .collect())
}

/// Forgets the themes of a dilemma its author withdrew: it was not brought in after all.
/// (Retention and erasure leave the tally: it counts that a dilemma was brought in.)
pub(crate) async fn forget_themes(
    db: &impl ConnectionTrait,
    dilemma_id: i32,
) -> Result<(), ServiceError> {
    let forgotten = dilemma_theme::Entity::delete_many()
        .filter(dilemma_theme::Column::DilemmaId.eq(dilemma_id))
        .exec(db)
        .await?;
    if forgotten.rows_affected > 0 {
        tallies_changed(db).await?;
    }
    Ok(())
}

/// The first day of the counting window at `now`.
fn window_start(now: DateTime<Utc>) -> NaiveDate {
    let today = amsterdam_date(now);
    today
        .checked_sub_months(Months::new(THEME_WINDOW_MONTHS))
        .unwrap_or(today)
}

/// Per theme: the dilemmas brought in since the window's start, and from how many groups.
/// Read from the index on (theme, group, day) alone, in its order.
pub fn theme_count_query(now: DateTime<Utc>) -> sea_orm::Select<dilemma_theme::Entity> {
    dilemma_theme::Entity::find()
        .select_only()
        .column(dilemma_theme::Column::Theme)
        // `count(*)`, not of the id: the index holds all the query reads.
        .column_as(Expr::cust("COUNT(*)"), "dilemmas")
        .column_as(
            Expr::col(dilemma_theme::Column::GroupId).count_distinct(),
            "groups",
        )
        .filter(dilemma_theme::Column::BroughtInOn.gte(window_start(now)))
        .group_by(dilemma_theme::Column::Theme)
}

/// Per theme (in the vocabulary's order), how many dilemmas brought in over the last
/// [`THEME_WINDOW_MONTHS`] months have it: only where at least [`THEME_MIN_DILEMMAS`] from at
/// least [`THEME_MIN_GROUPS`] groups do, so that no count points at one group's case.
pub async fn theme_counts(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<ThemeCount>, ServiceError> {
    let counted: Vec<(Theme, i64, i64)> = theme_count_query(now).into_tuple().all(db).await?;
    Ok(Theme::ALL
        .into_iter()
        .map(|theme| {
            let dilemmas = counted
                .iter()
                .find(|(t, _, _)| *t == theme)
                .filter(|(_, dilemmas, groups)| {
                    *dilemmas >= i64::from(THEME_MIN_DILEMMAS)
                        && *groups >= i64::from(THEME_MIN_GROUPS)
                })
                .map(|(_, dilemmas, _)| u32::try_from(*dilemmas).unwrap_or(u32::MAX));
            ThemeCount { theme, dilemmas }
        })
        .collect())
}

/// Deletes the tallies that fell out of the counting window at `now`; how many.
pub async fn purge_old_tallies(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let purged = dilemma_theme::Entity::delete_many()
        .filter(dilemma_theme::Column::BroughtInOn.lt(window_start(now)))
        .exec(db)
        .await?
        .rows_affected;
    if purged > 0 {
        tallies_changed(db).await?;
    }
    Ok(purged)
}

/// Counts one change to the tallies, in the caller's transaction.
async fn tallies_changed(db: &impl ConnectionTrait) -> Result<(), ServiceError> {
    theme_tally_version::Entity::update_many()
        .col_expr(
            theme_tally_version::Column::Version,
            Expr::col(theme_tally_version::Column::Version).add(1),
        )
        .filter(theme_tally_version::Column::Id.eq(TALLY_VERSION_ROW))
        .exec(db)
        .await?;
    Ok(())
}

const TALLY_VERSION_ROW: i32 = 1;

/// The theme counts as last counted on this node (shared state in the app context), counted
/// again only when the tallies changed (their version moved) or the window's first day did:
/// grouping a year of tallies took most of the themes page's time on ten years of use.
#[derive(Debug, Default)]
pub struct KeptThemeCounts {
    kept: std::sync::Mutex<Option<KeptCounts>>,
}

/// The counts, with the window's first day and the tallies' version they were counted at.
type KeptCounts = (NaiveDate, i64, std::sync::Arc<Vec<ThemeCount>>);

impl KeptThemeCounts {
    /// [`theme_counts`] at `now`, from what this node kept when nothing changed since.
    pub async fn theme_counts(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<std::sync::Arc<Vec<ThemeCount>>, ServiceError> {
        let window = window_start(now);
        let version = theme_tally_version::Entity::find_by_id(TALLY_VERSION_ROW)
            .one(db)
            .await?
            .map(|row| row.version)
            .unwrap_or(0);
        if let Some((kept_window, kept_version, counts)) = self.lock().as_ref()
            && (*kept_window, *kept_version) == (window, version)
        {
            return Ok(counts.clone());
        }
        // Counted at `version` or later: a change meanwhile only makes the next visit count
        // again.
        let counts = std::sync::Arc::new(theme_counts(db, now).await?);
        *self.lock() = Some((window, version, counts.clone()));
        Ok(counts)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<KeptCounts>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
