//! Reading published factsheets.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DerivePartialModel, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::error::ServiceError;
use crate::knowledge::entity::{self, Column, Entity as Documents};
use crate::knowledge::model::{
    DocumentKind, DocumentStatus, FACTSHEETS_PAGE_SIZE, Factsheet, FactsheetListing,
    FactsheetSummary,
};
use crate::vocabulary::{Phenomenon, WorkField};

/// The columns a listing needs; bodies stay in the database.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "Documents")]
struct SummaryRow {
    slug: String,
    title: String,
    summary: String,
    phenomena: entity::Phenomena,
    audience: entity::Audience,
    owner: String,
    reviewed_on: NaiveDate,
    review_due: NaiveDate,
}

/// All published factsheets, alphabetically.
pub async fn list_published(
    db: &DatabaseConnection,
) -> Result<Vec<FactsheetSummary>, ServiceError> {
    published_summaries(db, Documents::find().order_by_asc(Column::Title)).await
}

/// One page of the published factsheets matching the filters, alphabetically.
pub async fn list_published_page(
    db: &DatabaseConnection,
    phenomenon: Option<Phenomenon>,
    audience: Option<WorkField>,
    page: u64,
) -> Result<FactsheetListing, ServiceError> {
    let mut query = Documents::find()
        .filter(Column::Status.eq(DocumentStatus::Published))
        .filter(Column::Kind.eq(DocumentKind::Factsheet));
    // The list columns hold JSON arrays of slugs; a quoted slug matches exactly one entry.
    if let Some(phenomenon) = phenomenon {
        query = query.filter(Column::Phenomena.contains(format!("\"{}\"", phenomenon.slug())));
    }
    if let Some(audience) = audience {
        query = query.filter(Column::Audience.contains(format!("\"{}\"", audience.slug())));
    }
    let paginator = query
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Slug)
        .into_partial_model::<SummaryRow>()
        .paginate(db, FACTSHEETS_PAGE_SIZE);
    let total = paginator.num_items().await?;
    let page_count = total.div_ceil(FACTSHEETS_PAGE_SIZE).max(1);
    let page = page.clamp(1, page_count);
    let rows = paginator.fetch_page(page - 1).await?;
    Ok(FactsheetListing {
        items: rows.into_iter().map(summary_from_row).collect(),
        total,
        page,
        page_count,
    })
}

/// The most recently reviewed published factsheets, newest first.
pub async fn recently_reviewed(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<FactsheetSummary>, ServiceError> {
    let query = Documents::find()
        .order_by_desc(Column::ReviewedOn)
        .order_by_asc(Column::Title)
        .limit(limit);
    published_summaries(db, query).await
}

async fn published_summaries(
    db: &DatabaseConnection,
    query: Select<Documents>,
) -> Result<Vec<FactsheetSummary>, ServiceError> {
    let rows = query
        .filter(Column::Status.eq(DocumentStatus::Published))
        .filter(Column::Kind.eq(DocumentKind::Factsheet))
        .into_partial_model::<SummaryRow>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(summary_from_row).collect())
}

/// One published factsheet; drafts and unknown slugs are both "not found", a withdrawn one
/// says why it was withdrawn.
pub async fn get_published(
    db: &DatabaseConnection,
    memo: &RelatedMemo,
    slug: &str,
    today: NaiveDate,
) -> Result<Factsheet, ServiceError> {
    // Read first, so a list worked out before a publish committed is never remembered under
    // the version after it (one worked out after it may be kept under the one before: harmless).
    let version = crate::knowledge::service::publication::current(db).await?;
    let model = published_row(db, DocumentKind::Factsheet, None, slug).await?;
    let mut factsheet = factsheet_from_model(model, today)?;
    let key = (version, factsheet.summary.slug.clone());
    factsheet.related = memo
        .0
        .get_or_insert_async(&key, related(db, &factsheet.summary))
        .await?;
    Ok(factsheet)
}

/// Factsheets whose related factsheets are remembered, at most (three summaries each, about
/// 2 KB; under 16 MB at the front matter's length limits).
const RELATED_MEMO_ENTRIES: usize = 4096;

/// Each factsheet's related factsheets, worked out on its first view per publication version
/// instead of on every view: they change only when a document is published or withdrawn or an
/// import adds or changes one (a restore is a new draft until approved), and each of those
/// bumps the version in its own transaction. Per app node (in the app context); another
/// node's publish shows as soon as the version read sees it.
#[derive(Clone)]
pub struct RelatedMemo(
    std::sync::Arc<quick_cache::sync::Cache<(i64, String), Vec<FactsheetSummary>>>,
);

impl Default for RelatedMemo {
    fn default() -> Self {
        Self(std::sync::Arc::new(quick_cache::sync::Cache::new(
            RELATED_MEMO_ENTRIES,
        )))
    }
}

/// A published document of `kind` (a module: in `course`). Drafts and unknown slugs are both
/// "not found"; a withdrawn one is `Withdrawn`, with the reason.
pub async fn published_row(
    db: &impl ConnectionTrait,
    kind: DocumentKind,
    course: Option<&str>,
    slug: &str,
) -> Result<entity::Model, ServiceError> {
    let mut query = Documents::find()
        .filter(Column::Kind.eq(kind))
        .filter(Column::Slug.eq(slug))
        .filter(Column::Status.is_in([DocumentStatus::Published, DocumentStatus::Withdrawn]));
    if let Some(course) = course {
        query = query.filter(Column::Course.eq(course));
    }
    let row = query.one(db).await?.ok_or(ServiceError::NotFound)?;
    if row.status == DocumentStatus::Withdrawn {
        return Err(ServiceError::Withdrawn {
            kind: kind.label(),
            title: row.title,
            reason: row.withdrawn_reason.unwrap_or_default(),
        });
    }
    Ok(row)
}

pub const RELATED_COUNT: usize = 3;

/// Published factsheets sharing phenomena (weighted double) or audience with `summary`, the
/// most overlapping first, then the most recently reviewed.
async fn related(
    db: &DatabaseConnection,
    summary: &FactsheetSummary,
) -> Result<Vec<FactsheetSummary>, ServiceError> {
    let mut shares = Condition::any();
    for phenomenon in &summary.phenomena {
        shares = shares.add(Column::Phenomena.contains(format!("\"{}\"", phenomenon.slug())));
    }
    for audience in &summary.audience {
        shares = shares.add(Column::Audience.contains(format!("\"{}\"", audience.slug())));
    }
    let rows = Documents::find()
        .filter(Column::Status.eq(DocumentStatus::Published))
        .filter(Column::Kind.eq(DocumentKind::Factsheet))
        .filter(Column::Slug.ne(summary.slug.as_str()))
        .filter(shares)
        .order_by_desc(Column::ReviewedOn)
        .limit(200)
        .into_partial_model::<SummaryRow>()
        .all(db)
        .await?;
    let mut candidates: Vec<(usize, FactsheetSummary)> = rows
        .into_iter()
        .map(summary_from_row)
        .map(|other| {
            let score = 2 * other
                .phenomena
                .iter()
                .filter(|p| summary.phenomena.contains(p))
                .count()
                + other
                    .audience
                    .iter()
                    .filter(|a| summary.audience.contains(a))
                    .count();
            (score, other)
        })
        .collect();
    // Stable sort keeps the review-date order among equal scores.
    candidates.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    Ok(candidates
        .into_iter()
        .take(RELATED_COUNT)
        .map(|(_, s)| s)
        .collect())
}

pub(super) fn factsheet_from_model(
    model: entity::Model,
    today: NaiveDate,
) -> Result<Factsheet, ServiceError> {
    let sources = model.sources.0;
    let toc = model.toc.0;
    let body_html = model.body_html;
    let summary = summary_from_row(SummaryRow {
        slug: model.slug,
        title: model.title,
        summary: model.summary,
        phenomena: model.phenomena,
        audience: model.audience,
        owner: model.owner,
        reviewed_on: model.reviewed_on,
        review_due: model.review_due,
    });
    Ok(Factsheet {
        related: Vec::new(),
        review_overdue: summary.review_due < today,
        summary,
        sources,
        toc,
        body_html,
    })
}

fn summary_from_row(row: SummaryRow) -> FactsheetSummary {
    FactsheetSummary {
        phenomena: row.phenomena.0,
        audience: row.audience.0,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        owner: row.owner,
        reviewed_on: row.reviewed_on,
        review_due: row.review_due,
    }
}
