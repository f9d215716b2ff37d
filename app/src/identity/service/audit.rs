//! The audit log: who did what and when, for admins. Records only ids, event kinds and
//! short reason codes; never content, profile data or tokens.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::error::ServiceError;
use crate::identity::entity::audit_event;
use crate::identity::model::{AUDIT_PAGE_SIZE, AuditEntry, AuditEventKind, AuditPage};

pub struct NewAuditEvent<'a> {
    pub event: AuditEventKind,
    pub actor_user_id: Option<i32>,
    pub subject_user_id: Option<i32>,
    pub detail: &'a str,
}

pub async fn record(
    db: &impl ConnectionTrait,
    event: NewAuditEvent<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ServiceError> {
    audit_event::ActiveModel {
        occurred_at: Set(now),
        event: Set(event.event.slug().to_owned()),
        actor_user_id: Set(event.actor_user_id),
        subject_user_id: Set(event.subject_user_id),
        detail: Set(event.detail.chars().take(200).collect()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Newest first, `AUDIT_PAGE_SIZE` per page (pages count from 1), optionally one kind only.
pub async fn list(
    db: &impl ConnectionTrait,
    kind: Option<AuditEventKind>,
    page: u64,
) -> Result<AuditPage, ServiceError> {
    let mut query = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::OccurredAt)
        .order_by_desc(audit_event::Column::Id);
    if let Some(kind) = kind {
        query = query.filter(audit_event::Column::Event.eq(kind.slug()));
    }
    let paginator = query.paginate(db, AUDIT_PAGE_SIZE);
    let page_count = paginator.num_pages().await?.max(1);
    let page = page.clamp(1, page_count);
    let rows = paginator.fetch_page(page - 1).await?;
    let ids: Vec<i32> = rows
        .iter()
        .flat_map(|row| [row.actor_user_id, row.subject_user_id])
        .flatten()
        .collect();
    let labels = crate::identity::service::labels::account_labels(db, ids).await?;
    let label = |id: Option<i32>| id.and_then(|id| labels.get(&id).cloned());
    let entries = rows
        .into_iter()
        .map(|row| {
            let event = AuditEventKind::from_slug(&row.event).ok_or_else(|| {
                ServiceError::Corrupt(format!("unknown audit event '{}'", row.event))
            })?;
            Ok(AuditEntry {
                id: row.id,
                occurred_at: row.occurred_at,
                event,
                actor_user_id: row.actor_user_id,
                subject_user_id: row.subject_user_id,
                actor: label(row.actor_user_id),
                subject: label(row.subject_user_id),
                detail: crate::identity::model::audit_detail_nl(event, &row.detail),
            })
        })
        .collect::<Result<_, ServiceError>>()?;
    Ok(AuditPage {
        entries,
        page,
        page_count,
    })
}
