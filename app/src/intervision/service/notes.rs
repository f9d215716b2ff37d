//! Notes per meeting: what the group logged, to reread and continue between meetings. Every
//! member and facilitator writes them; each passes the privacy guard, is sealed at rest bound
//! to its row, and is deleted only by its writer (or with the meeting, or by retention).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::error::ServiceError;
use crate::intervision::entity::meeting_note;
use crate::intervision::model::PostView;
use crate::intervision::rules::ValidPost;
use crate::intervision::service::meetings::find_meeting;
use crate::intervision::service::overrides::record_name_override;
use crate::intervision::service::sealed_texts::{add_text, delete_own_text, texts_of};
use crate::intervision::service::sealing::Sealer;

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
    let id = add_text::<meeting_note::Entity>(&*txn, sealer, meeting_id, author, &note.text, now)
        .await?;
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
    delete_own_text::<meeting_note::Entity>(db, meeting_id, note_id, user_id).await
}

/// The notes of meeting `meeting_id`, oldest first, opened for `viewer`.
pub async fn notes_of(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    meeting_id: i32,
    viewer: i32,
) -> Result<Vec<PostView>, ServiceError> {
    texts_of::<meeting_note::Entity>(db, sealer, meeting_id, viewer).await
}
