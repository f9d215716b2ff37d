//! The guard's name overrides, as the only trace they leave: a count per save.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::error::ServiceError;
use crate::intervision::entity::guard_override;

/// Records that `user_id` overruled `names` name findings of the guard in group `group_id`:
/// how many, never which words. Nothing when there were none.
pub async fn record_name_override(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
    names: usize,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if names > 0 {
        guard_override::ActiveModel {
            group_id: Set(group_id),
            user_id: Set(user_id),
            names: Set(names as i32),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
