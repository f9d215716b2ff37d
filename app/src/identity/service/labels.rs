//! How staff pages name accounts (audit log, version history): one query for a page's worth.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::identity::model::account_label;

/// The label of each account in `ids`; ids without an account get the neutral phrase too.
pub async fn account_labels(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, ServiceError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i32, Option<String>> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(ids.clone()))
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(ids
        .into_iter()
        .map(|id| {
            let name = names.get(&id).and_then(|name| name.as_deref());
            (id, account_label(id, name))
        })
        .collect())
}
