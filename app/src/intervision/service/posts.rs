//! The thread under a dilemma: replies sealed like the dilemma, deletable by their writer, and a
//! mail to the rest of the group that says only that there is news in "uw intervisiegroep".

use crate::intervision::service::access::dilemma_in_group;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::ServiceError;
use crate::intervision::entity::{dilemma_post, group_facilitator, group_member};
use crate::intervision::model::PostView;
use crate::intervision::rules::ValidPost;
use crate::intervision::service::groups::{Reach, facilitator_ids, member_ids};
use crate::intervision::service::overrides::record_name_override;
use crate::intervision::service::sealed_texts::{add_text, delete_own_text, texts_of};
use crate::intervision::service::sealing::Sealer;
use crate::messaging::model::MailKind;
use crate::messaging::rules::MailContent;
use crate::messaging::service::outbox::{NewMail, queue_for_user};

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
    let mut people = member_ids(db, group_id, Reach::WantingNews).await?;
    let facilitators = facilitator_ids(db, group_id, Reach::WantingNews).await?;
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
    let id = add_text::<dilemma_post::Entity>(&*txn, sealer, dilemma_id, author, &post.text, now)
        .await?;
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
    delete_own_text::<dilemma_post::Entity>(db, dilemma_id, post_id, user_id).await
}

/// The thread of dilemma `dilemma_id`, oldest first, opened for `viewer`.
pub async fn thread(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    dilemma_id: i32,
    viewer: i32,
) -> Result<Vec<PostView>, ServiceError> {
    texts_of::<dilemma_post::Entity>(db, sealer, dilemma_id, viewer).await
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
