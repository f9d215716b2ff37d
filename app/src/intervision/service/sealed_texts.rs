//! The tables that hold sealed intervision text, and the one store of the two that are sealed
//! texts under a parent: replies under a dilemma and notes under a meeting. Every value is
//! sealed bound to its own row (`<kind>:<id>`), so a value copied to another row does not open.
//! Texts reach this store only after the privacy guard; each is listed oldest first with its
//! writer's name and deleted only by its writer (or with its parent, or by retention).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, ModelTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::dates::format_datetime_nl;
use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::intervision::entity::{action_point, dilemma, dilemma_post, meeting_note};
use crate::intervision::model::PostView;
use crate::intervision::service::sealing::Sealer;

/// A table whose rows each carry a value sealed bound to the row.
pub trait SealedTable: EntityTrait {
    /// The first part of a row's seal context; never changed once values are stored.
    const SEAL_KIND: &'static str;
    const ID: Self::Column;
    const SEALED: Self::Column;
}

/// What the sealed value of row `id` of `T` is bound to.
pub fn seal_context<T: SealedTable>(id: i32) -> String {
    format!("{}:{id}", T::SEAL_KIND)
}

/// Sealed texts under a parent row, each with its writer and time.
pub trait SealedTexts: SealedTable {
    const PARENT: Self::Column;
    /// None once the writer's account is gone.
    const AUTHOR: Self::Column;
    const CREATED_AT: Self::Column;
}

impl SealedTable for dilemma::Entity {
    const SEAL_KIND: &'static str = "dilemma";
    const ID: dilemma::Column = dilemma::Column::Id;
    const SEALED: dilemma::Column = dilemma::Column::Sealed;
}

impl SealedTable for action_point::Entity {
    const SEAL_KIND: &'static str = "action";
    const ID: action_point::Column = action_point::Column::Id;
    const SEALED: action_point::Column = action_point::Column::Sealed;
}

impl SealedTable for dilemma_post::Entity {
    const SEAL_KIND: &'static str = "post";
    const ID: dilemma_post::Column = dilemma_post::Column::Id;
    const SEALED: dilemma_post::Column = dilemma_post::Column::Sealed;
}

impl SealedTexts for dilemma_post::Entity {
    const PARENT: dilemma_post::Column = dilemma_post::Column::DilemmaId;
    const AUTHOR: dilemma_post::Column = dilemma_post::Column::AuthorUserId;
    const CREATED_AT: dilemma_post::Column = dilemma_post::Column::CreatedAt;
}

impl SealedTable for meeting_note::Entity {
    const SEAL_KIND: &'static str = "note";
    const ID: meeting_note::Column = meeting_note::Column::Id;
    const SEALED: meeting_note::Column = meeting_note::Column::Sealed;
}

impl SealedTexts for meeting_note::Entity {
    const PARENT: meeting_note::Column = meeting_note::Column::MeetingId;
    const AUTHOR: meeting_note::Column = meeting_note::Column::AuthorUserId;
    const CREATED_AT: meeting_note::Column = meeting_note::Column::CreatedAt;
}

/// Adds `text` (already past the guard) by `author` under `parent`; the new row's id. The
/// caller checks that the parent belongs to the group in the address, in the same transaction.
pub async fn add_text<T>(
    txn: &impl ConnectionTrait,
    sealer: &Sealer,
    parent: i32,
    author: i32,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError>
where
    T: SealedTexts,
    T::ActiveModel: ActiveModelTrait<Entity = T> + ActiveModelBehavior + Send,
    T::Model: IntoActiveModel<T::ActiveModel>,
{
    let mut row = T::ActiveModel::default();
    row.set(T::PARENT, parent.into());
    row.set(T::AUTHOR, Some(author).into());
    row.set(T::SEALED, Vec::<u8>::new().into());
    row.set(T::CREATED_AT, now.into());
    // The id is known only once the row exists, and the seal is bound to it.
    let id = match row.insert(txn).await?.get(T::ID) {
        sea_orm::Value::Int(Some(id)) => id,
        other => return Err(ServiceError::Corrupt(format!("a new row's id: {other:?}"))),
    };
    let sealed = sealer.seal(&seal_context::<T>(id), text.as_bytes())?;
    T::update_many()
        .col_expr(T::SEALED, Expr::value(sealed))
        .filter(T::ID.eq(id))
        .exec(txn)
        .await?;
    Ok(id)
}

/// Deletes text `id` under `parent` if `user_id` wrote it; not found otherwise.
pub async fn delete_own_text<T: SealedTexts>(
    db: &impl ConnectionTrait,
    parent: i32,
    id: i32,
    user_id: i32,
) -> Result<(), ServiceError> {
    let deleted = T::delete_many()
        .filter(T::ID.eq(id))
        .filter(T::PARENT.eq(parent))
        .filter(T::AUTHOR.eq(user_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}

/// Every text `user_id` wrote under one of `parents` goes (leaving a group with one's own
/// contributions).
pub async fn delete_texts_by<T: SealedTexts>(
    db: &impl ConnectionTrait,
    parents: Vec<i32>,
    user_id: i32,
) -> Result<(), ServiceError> {
    T::delete_many()
        .filter(T::PARENT.is_in(parents))
        .filter(T::AUTHOR.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A stored text: id, writer, sealed value, written at.
type StoredText = (i32, Option<i32>, Vec<u8>, DateTime<Utc>);

/// The texts under `parent`, oldest first, opened for `viewer`, each with its writer's name.
pub async fn texts_of<T: SealedTexts>(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    parent: i32,
    viewer: i32,
) -> Result<Vec<PostView>, ServiceError> {
    let rows: Vec<StoredText> = T::find()
        .select_only()
        .column(T::ID)
        .column(T::AUTHOR)
        .column(T::SEALED)
        .column(T::CREATED_AT)
        .filter(T::PARENT.eq(parent))
        .order_by_asc(T::CREATED_AT)
        .order_by_asc(T::ID)
        .into_tuple()
        .all(db)
        .await?;
    let labels = account_labels(db, rows.iter().filter_map(|row| row.1)).await?;
    Ok(rows
        .into_iter()
        .map(|(id, author, sealed, created_at)| PostView {
            id,
            author: author
                .and_then(|id| labels.get(&id).cloned())
                .unwrap_or_else(|| "een oud-lid".to_owned()),
            written_at: format_datetime_nl(created_at),
            text: sealer.open_text_or_unreadable(&seal_context::<T>(id), &sealed),
            mine: author == Some(viewer),
        })
        .collect())
}

/// Re-seals every value of `T` from `old` to `new`; a value that does not open with `old`
/// stops the caller's transaction. How many were re-sealed.
pub async fn reseal_all<T: SealedTable>(
    txn: &impl ConnectionTrait,
    old: &Sealer,
    new: &Sealer,
) -> Result<usize, ServiceError> {
    let rows: Vec<(i32, Vec<u8>)> = T::find()
        .select_only()
        .column(T::ID)
        .column(T::SEALED)
        .into_tuple()
        .all(txn)
        .await?;
    for (id, sealed) in &rows {
        let context = seal_context::<T>(*id);
        let resealed = new.seal(&context, &old.open(&context, sealed)?)?;
        T::update_many()
            .col_expr(T::SEALED, Expr::value(resealed))
            .filter(T::ID.eq(*id))
            .exec(txn)
            .await?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_contexts_stay_those_of_the_stored_values() {
        // Changing one would leave every stored value of that table unreadable.
        assert_eq!(seal_context::<dilemma::Entity>(7), "dilemma:7");
        assert_eq!(seal_context::<action_point::Entity>(7), "action:7");
        assert_eq!(seal_context::<dilemma_post::Entity>(7), "post:7");
        assert_eq!(seal_context::<meeting_note::Entity>(7), "note:7");
    }
}
