//! The knowledge loop: the themes of dilemmas brought into intervision, counted (never text,
//! never a group), beside what already covers them; and the editors' backlog of factsheets
//! practice asks for.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::dates::amsterdam_date;
use crate::error::{FieldErrors, ServiceError};
use crate::intervision::model::{THEME_MIN_DILEMMAS, THEME_MIN_GROUPS, THEME_WINDOW_MONTHS};
use crate::intervision::service::themes::KeptThemeCounts;
use crate::knowledge::entity::backlog_item;
use crate::knowledge::entity::{self as documents, Entity as Documents};
use crate::knowledge::model::DocumentStatus;
use crate::knowledge::model::backlog::{
    BacklogItem, BacklogStatus, ThemeDemand, ThemesPage, ValidBacklogItem,
};
use crate::knowledge::service::search::SearchIndex;

/// How many covering documents a theme lists (the count says how many there are in all).
pub const COVERING_SHOWN: usize = 5;

/// The title of published document `slug`, or the field error that it is not one.
async fn published_title(db: &impl ConnectionTrait, slug: &str) -> Result<String, ServiceError> {
    let title: Option<String> = Documents::find()
        .select_only()
        .column(documents::Column::Title)
        .filter(documents::Column::Slug.eq(slug))
        .filter(documents::Column::Status.eq(DocumentStatus::Published))
        .into_tuple()
        .one(db)
        .await?;
    title.ok_or_else(|| {
        ServiceError::Fields(FieldErrors::from([(
            "document".to_owned(),
            format!("Er is geen gepubliceerd document met de naam '{slug}'."),
        )]))
    })
}

/// Adds a wanted factsheet to the backlog (open); its id.
pub async fn add_item(
    db: &DatabaseConnection,
    item: &ValidBacklogItem,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let row = backlog_item::ActiveModel {
        theme: Set(item.theme),
        title: Set(item.title.clone()),
        status: Set(BacklogStatus::Open),
        document_slug: Set(None),
        decline_reason: Set(None),
        created_at: Set(now),
        changed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Changes backlog item `id` as the form says; whether anything changed (an unchanged form
/// writes nothing). A published item must name a published document.
pub async fn change_item(
    db: &DatabaseConnection,
    id: i32,
    item: &ValidBacklogItem,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let unchanged = |row: &backlog_item::Model| {
        row.theme == item.theme
            && row.title == item.title
            && row.status == item.status
            && row.document_slug == item.document_slug
            && row.decline_reason == item.decline_reason
    };
    let stored = backlog_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Unchanged is unchanged, also when the linked document was withdrawn since.
    if unchanged(&stored) {
        return Ok(false);
    }
    if let Some(slug) = &item.document_slug {
        published_title(db, slug).await?;
    }
    let txn = crate::db::begin_write(db).await?;
    let row = backlog_item::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if unchanged(&row) {
        return Ok(false);
    }
    let mut row: backlog_item::ActiveModel = row.into();
    row.theme = Set(item.theme);
    row.title = Set(item.title.clone());
    row.status = Set(item.status);
    row.document_slug = Set(item.document_slug.clone());
    row.decline_reason = Set(item.decline_reason.clone());
    row.changed_at = Set(now);
    row.update(&*txn).await?;
    txn.commit().await?;
    Ok(true)
}

/// The backlog: open and in-progress items first, then the rest, most recently changed first.
pub async fn backlog(db: &impl ConnectionTrait) -> Result<Vec<BacklogItem>, ServiceError> {
    let rows = backlog_item::Entity::find()
        .order_by_desc(backlog_item::Column::ChangedAt)
        .order_by_desc(backlog_item::Column::Id)
        .all(db)
        .await?;
    let slugs: Vec<String> = rows
        .iter()
        .filter_map(|r| r.document_slug.clone())
        .collect();
    let titles: std::collections::HashMap<String, String> = Documents::find()
        .select_only()
        .column(documents::Column::Slug)
        .column(documents::Column::Title)
        .filter(documents::Column::Slug.is_in(slugs))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut items: Vec<BacklogItem> = rows
        .into_iter()
        .map(|row| BacklogItem {
            id: row.id,
            theme: row.theme,
            title: row.title,
            status: row.status,
            document: row.document_slug.map(|slug| {
                let title = titles.get(&slug).cloned().unwrap_or_else(|| slug.clone());
                (slug, title)
            }),
            decline_reason: row.decline_reason,
            created_on: amsterdam_date(row.created_at),
            changed_on: amsterdam_date(row.changed_at),
        })
        .collect();
    // Stable: within each half the newest change stays first.
    items.sort_by_key(|item| !item.status.is_open());
    Ok(items)
}

/// Every theme with its count of dilemmas (only where enough groups brought it in), the
/// published factsheets and trainings about it, and its backlog items.
pub async fn themes_page(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    counts: &KeptThemeCounts,
    now: DateTime<Utc>,
) -> Result<ThemesPage, ServiceError> {
    let counts = counts.theme_counts(db, now).await?;
    let mut items = backlog(db).await?;
    let mut themes = Vec::with_capacity(counts.len());
    for count in counts.iter() {
        let (covering, covering_total) = index.documents_about(count.theme, COVERING_SHOWN)?;
        let (of_theme, rest) = items.into_iter().partition(|i| i.theme == count.theme);
        items = rest;
        themes.push(ThemeDemand {
            theme: count.theme,
            dilemmas: count.dilemmas,
            covering,
            covering_total,
            backlog: of_theme,
        });
    }
    Ok(ThemesPage {
        themes,
        window_months: THEME_WINDOW_MONTHS,
        min_dilemmas: THEME_MIN_DILEMMAS,
        min_groups: THEME_MIN_GROUPS,
        draft: None,
    })
}
