//! The themes of the dilemmas brought in, counted for knowledge staff: a theme, a group number
//! and a date per dilemma, never its text or its author (see the migration `knowledge_loop`).

use std::collections::BTreeSet;

use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::dates::amsterdam_date;
use crate::error::ServiceError;
use crate::intervision::entity::{dilemma, dilemma_theme};
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
    if !gone.is_empty() {
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
    if !new.is_empty() {
        dilemma_theme::Entity::insert_many(new).exec(db).await?;
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
    dilemma_theme::Entity::delete_many()
        .filter(dilemma_theme::Column::DilemmaId.eq(dilemma_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The first day of the counting window at `now`.
fn window_start(now: DateTime<Utc>) -> chrono::NaiveDate {
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
    Ok(dilemma_theme::Entity::delete_many()
        .filter(dilemma_theme::Column::BroughtInOn.lt(window_start(now)))
        .exec(db)
        .await?
        .rows_affected)
}
