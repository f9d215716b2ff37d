//! The thread under a dilemma: replies sealed like the dilemma, deletable by their writer, and a
//! mail to the rest of the group that says only that there is news in "uw intervisiegroep".

use crate::intervision::service::access::dilemma_in_group;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::dates::format_datetime_nl;
use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::intervision::entity::{dilemma_post, group_facilitator, group_member};
use crate::intervision::model::PostView;
use crate::intervision::rules::ValidPost;
use crate::intervision::service::overrides::record_name_override;
use crate::intervision::service::sealing::Sealer;
use crate::messaging::model::MailKind;
use crate::messaging::rules::MailContent;
use crate::messaging::service::outbox::{NewMail, queue_for_user};

/// What a reply's sealed text is bound to.
pub fn seal_context(post_id: i32) -> String {
    format!("post:{post_id}")
}

/// The mail about news in a group: no group, theme, name or text, so a mailbox read by someone
/// else gives nothing away.
fn news_mail() -> NewMail {
    NewMail {
        kind: MailKind::IntervisionNews,
        subject: "Nieuws in uw intervisiegroep".into(),
        content: MailContent::default()
            .paragraph(
                "Er is nieuws in uw intervisiegroep. Log in op het leerplatform om het te lezen.",
            )
            .paragraph("Deze berichten kunt u uitzetten op de pagina van de groep.")
            .link("Naar uw intervisiegroepen", "/intervisie"),
        calendar: None,
    }
}

/// Everyone in group `group_id` who wants news, except `author`.
async fn to_notify(
    db: &impl ConnectionTrait,
    group_id: i32,
    author: i32,
) -> Result<Vec<i32>, ServiceError> {
    let mut people: Vec<i32> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::UserId)
        .filter(group_member::Column::GroupId.eq(group_id))
        .filter(group_member::Column::Notify.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let facilitators: Vec<i32> = group_facilitator::Entity::find()
        .select_only()
        .column(group_facilitator::Column::UserId)
        .filter(group_facilitator::Column::GroupId.eq(group_id))
        .filter(group_facilitator::Column::Notify.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    people.extend(facilitators);
    people.retain(|id| *id != author);
    people.sort_unstable();
    people.dedup();
    Ok(people)
}

/// Adds `post` to the thread of dilemma `dilemma_id` in group `group_id` and tells the rest of
/// the group there is news; the post's id.
pub async fn add_post(
    db: &DatabaseConnection,
    sealer: &Sealer,
    group_id: i32,
    dilemma_id: i32,
    author: i32,
    post: &ValidPost,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    dilemma_in_group(&*txn, group_id, dilemma_id).await?;
    let row = dilemma_post::ActiveModel {
        dilemma_id: Set(dilemma_id),
        author_user_id: Set(Some(author)),
        sealed: Set(Vec::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let id = row.id;
    let sealed = sealer.seal(&seal_context(id), post.text.as_bytes())?;
    let mut row: dilemma_post::ActiveModel = row.into();
    row.sealed = Set(sealed);
    row.update(&*txn).await?;
    record_name_override(&*txn, group_id, author, post.names_overruled, now).await?;
    for person in to_notify(&*txn, group_id, author).await? {
        queue_for_user(&*txn, person, news_mail(), now).await?;
    }
    txn.commit().await?;
    Ok(id)
}

/// Deletes post `post_id` of dilemma `dilemma_id` in group `group_id` if `user_id` wrote it;
/// not found otherwise (also when the dilemma belongs to another group than the one in the
/// address, so membership of one group opens nothing in another).
pub async fn delete_own_post(
    db: &impl ConnectionTrait,
    group_id: i32,
    dilemma_id: i32,
    post_id: i32,
    user_id: i32,
) -> Result<(), ServiceError> {
    dilemma_in_group(db, group_id, dilemma_id).await?;
    let deleted = dilemma_post::Entity::delete_many()
        .filter(dilemma_post::Column::Id.eq(post_id))
        .filter(dilemma_post::Column::DilemmaId.eq(dilemma_id))
        .filter(dilemma_post::Column::AuthorUserId.eq(user_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}

/// One sealed contribution (a reply, a meeting note) as stored.
pub struct SealedText {
    pub id: i32,
    pub author_user_id: Option<i32>,
    pub sealed: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// Sealed contributions opened for `viewer`, each with its author's name; `context` is the
/// kind's seal context (`seal_context` of replies or of notes).
pub async fn open_texts(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    rows: Vec<SealedText>,
    context: fn(i32) -> String,
    viewer: i32,
) -> Result<Vec<PostView>, ServiceError> {
    let labels = account_labels(db, rows.iter().filter_map(|r| r.author_user_id)).await?;
    rows.into_iter()
        .map(|row| {
            let text = sealer.open_text_or_unreadable(&context(row.id), &row.sealed);
            Ok(PostView {
                id: row.id,
                author: row
                    .author_user_id
                    .and_then(|id| labels.get(&id).cloned())
                    .unwrap_or_else(|| "een oud-lid".to_owned()),
                written_at: format_datetime_nl(row.created_at),
                text,
                mine: row.author_user_id == Some(viewer),
            })
        })
        .collect()
}

/// The thread of dilemma `dilemma_id`, oldest first, opened for `viewer`.
pub async fn thread(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    dilemma_id: i32,
    viewer: i32,
) -> Result<Vec<PostView>, ServiceError> {
    let rows = dilemma_post::Entity::find()
        .filter(dilemma_post::Column::DilemmaId.eq(dilemma_id))
        .order_by_asc(dilemma_post::Column::CreatedAt)
        .order_by_asc(dilemma_post::Column::Id)
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

/// Turns the news mails of group `group_id` on or off for `user_id`.
pub async fn set_notify(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
    notify: bool,
) -> Result<(), ServiceError> {
    group_member::Entity::update_many()
        .col_expr(
            group_member::Column::Notify,
            sea_orm::sea_query::Expr::value(notify),
        )
        .filter(group_member::Column::GroupId.eq(group_id))
        .filter(group_member::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    group_facilitator::Entity::update_many()
        .col_expr(
            group_facilitator::Column::Notify,
            sea_orm::sea_query::Expr::value(notify),
        )
        .filter(group_facilitator::Column::GroupId.eq(group_id))
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether `user_id` gets the news mails of group `group_id`.
pub async fn notifies(
    db: &impl ConnectionTrait,
    group_id: i32,
    user_id: i32,
) -> Result<bool, ServiceError> {
    let member = group_member::Entity::find_by_id((group_id, user_id))
        .one(db)
        .await?;
    let facilitator = group_facilitator::Entity::find_by_id((group_id, user_id))
        .one(db)
        .await?;
    Ok(member
        .map(|m| m.notify)
        .or(facilitator.map(|f| f.notify))
        .unwrap_or(false))
}
