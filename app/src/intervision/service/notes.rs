//! Notes per meeting: what the group logged, to reread and continue between meetings. Every
//! member and facilitator writes them; each passes the privacy guard, is sealed at rest bound
//! to its row, and is deleted only by its writer (or with the meeting, or by retention).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::error::ServiceError;
use crate::intervision::entity::meeting_note;
use crate::intervision::model::PostView;
use crate::intervision::rules::ValidPost;
use crate::intervision::service::meetings::find_meeting;
use crate::intervision::service::overrides::record_name_override;
use crate::intervision::service::posts::{SealedText, open_texts};
use crate::intervision::service::sealing::Sealer;

/// What a note's ciphertext is bound to.
pub fn seal_context(note_id: i32) -> String {
    format!("note:{note_id}")
}

/// Adds `note` to meeting `meeting_id` of group `group_id`; the note's id.
pub async fn add_note(
    db: &DatabaseConnection,
    sealer: &Sealer,
    group_id: i32,
    meeting_id: i32,
    author: i32,
    note: &ValidPost,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    find_meeting(&*txn, group_id, meeting_id).await?;
    let row = meeting_note::ActiveModel {
        meeting_id: Set(meeting_id),
        author_user_id: Set(Some(author)),
        sealed: Set(Vec::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let id = row.id;
    let sealed = sealer.seal(&seal_context(id), note.text.as_bytes())?;
    let mut row: meeting_note::ActiveModel = row.into();
    row.sealed = Set(sealed);
    row.update(&*txn).await?;
    record_name_override(&*txn, group_id, author, note.names_overruled, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// Deletes note `note_id` of meeting `meeting_id` in group `group_id` if `user_id` wrote it;
/// not found otherwise (also when the meeting belongs to another group than the one in the
/// address).
pub async fn delete_own_note(
    db: &impl ConnectionTrait,
    group_id: i32,
    meeting_id: i32,
    note_id: i32,
    user_id: i32,
) -> Result<(), ServiceError> {
    find_meeting(db, group_id, meeting_id).await?;
    let deleted = meeting_note::Entity::delete_many()
        .filter(meeting_note::Column::Id.eq(note_id))
        .filter(meeting_note::Column::MeetingId.eq(meeting_id))
        .filter(meeting_note::Column::AuthorUserId.eq(user_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}

/// The notes of meeting `meeting_id`, oldest first, opened for `viewer`.
pub async fn notes_of(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    meeting_id: i32,
    viewer: i32,
) -> Result<Vec<PostView>, ServiceError> {
    let rows = meeting_note::Entity::find()
        .filter(meeting_note::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_note::Column::CreatedAt)
        .order_by_asc(meeting_note::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| SealedText {
            id: row.id,
            author_user_id: row.author_user_id,
            sealed: row.sealed,
            created_at: row.created_at,
        })
        .collect();
    open_texts(db, sealer, rows, seal_context, viewer).await
}
