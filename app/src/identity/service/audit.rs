//! The audit log: who did what and when, for admins. Records only ids, event kinds and
//! short reason codes; never content, profile data or tokens.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::error::ServiceError;
use crate::identity::entity::audit_event;
use crate::identity::model::{
    AUDIT_PAGE_SIZE, AuditEntry, AuditEventKind, AuditPage, AuditStretch,
};

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

/// A stretch of [`AUDIT_PAGE_SIZE`] events, newest first, optionally of one kind only. A
/// stretch is found from the event beside it, so no page costs a count or a skip over the
/// whole log; an event that no longer exists (or nothing beyond it) gives the newest stretch.
pub async fn list(
    db: &impl ConnectionTrait,
    kind: Option<AuditEventKind>,
    stretch: AuditStretch,
) -> Result<AuditPage, ServiceError> {
    let anchor_id = match stretch {
        AuditStretch::Newest => None,
        AuditStretch::Before(id) | AuditStretch::After(id) => Some(id),
    };
    let anchor = match anchor_id {
        Some(id) => audit_event::Entity::find_by_id(id)
            .select_only()
            .column(audit_event::Column::OccurredAt)
            .into_tuple::<chrono::DateTime<chrono::Utc>>()
            .one(db)
            .await?
            .map(|occurred_at| (occurred_at, id)),
        None => None,
    };
    let mut query = audit_event::Entity::find();
    if let Some(kind) = kind {
        query = query.filter(audit_event::Column::Event.eq(kind.slug()));
    }
    let position = || {
        Expr::tuple([
            Expr::col(audit_event::Column::OccurredAt),
            Expr::col(audit_event::Column::Id),
        ])
    };
    let one_more = AUDIT_PAGE_SIZE + 1;
    let (mut rows, newer, older) = match (stretch, anchor) {
        (AuditStretch::After(_), Some((at, id))) => {
            let mut rows = query
                .clone()
                .filter(position().gt(Expr::tuple([Expr::val(at), Expr::val(id)])))
                .order_by_asc(audit_event::Column::OccurredAt)
                .order_by_asc(audit_event::Column::Id)
                .limit(one_more)
                .all(db)
                .await?;
            let newer = rows.len() as u64 == one_more;
            rows.truncate(AUDIT_PAGE_SIZE as usize);
            rows.reverse();
            (rows, newer, true)
        }
        (AuditStretch::Before(_), Some((at, id))) => {
            let rows = query
                .clone()
                .filter(position().lt(Expr::tuple([Expr::val(at), Expr::val(id)])))
                .order_by_desc(audit_event::Column::OccurredAt)
                .order_by_desc(audit_event::Column::Id)
                .limit(one_more)
                .all(db)
                .await?;
            let older = rows.len() as u64 == one_more;
            (rows, true, older)
        }
        _ => (Vec::new(), false, false),
    };
    let (newer, older) = if rows.is_empty() {
        rows = query
            .order_by_desc(audit_event::Column::OccurredAt)
            .order_by_desc(audit_event::Column::Id)
            .limit(one_more)
            .all(db)
            .await?;
        (false, rows.len() as u64 == one_more)
    } else {
        (newer, older)
    };
    rows.truncate(AUDIT_PAGE_SIZE as usize);
    let newer_than = rows.first().filter(|_| newer).map(|row| row.id);
    let older_than = rows.last().filter(|_| older).map(|row| row.id);
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
        newer_than,
        older_than,
    })
}
