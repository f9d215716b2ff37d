//! The publication version: one number that goes up in the same transaction as any change to
//! what the public site shows, so page caches on every app node know when to let go.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::ServiceError;
use crate::knowledge::entity::publication_version::{Column, Entity};

const ROW: i32 = 1;

/// Counts one change, in the caller's transaction.
pub async fn bump(db: &impl ConnectionTrait) -> Result<(), ServiceError> {
    Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(ROW))
        .exec(db)
        .await?;
    Ok(())
}

/// The current version (0 before anything was published).
pub async fn current(db: &impl ConnectionTrait) -> Result<i64, ServiceError> {
    Ok(Entity::find_by_id(ROW)
        .one(db)
        .await?
        .map(|row| row.version)
        .unwrap_or(0))
}
