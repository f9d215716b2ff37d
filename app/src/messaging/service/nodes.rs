//! Which servers are running: each renews its row every [`NODE_RENEW_SECONDS`] and removes it
//! when it stops, so an operation that must not run beside a server (key rotation) can see
//! one. A server that crashed is forgotten after [`NODE_FRESH_SECONDS`].

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::error::ServiceError;
use crate::messaging::entity::node;

pub const NODE_RENEW_SECONDS: u64 = 20;
/// Three missed renewals: the server is gone.
pub const NODE_FRESH_SECONDS: i64 = 60;

/// This server runs at `now`.
pub async fn renew(
    db: &impl ConnectionTrait,
    node_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    node::Entity::insert(node::ActiveModel {
        node_id: Set(node_id.to_owned()),
        seen_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(node::Column::NodeId)
            .update_column(node::Column::SeenAt)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// This server stops.
pub async fn leave(db: &impl ConnectionTrait, node_id: &str) -> Result<(), ServiceError> {
    node::Entity::delete_by_id(node_id.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// The servers seen running in the last [`NODE_FRESH_SECONDS`] before `now`.
pub async fn running(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ServiceError> {
    Ok(node::Entity::find()
        .select_only()
        .column(node::Column::NodeId)
        .filter(node::Column::SeenAt.gt(now - Duration::seconds(NODE_FRESH_SECONDS)))
        .into_tuple()
        .all(db)
        .await?)
}
