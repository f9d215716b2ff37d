//! Key rotation: every sealed value opened with the old key and sealed again with the new one,
//! in one transaction, so the database is never half on each key.

use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use crate::error::ServiceError;
use crate::intervision::entity::{action_point, dilemma, dilemma_post, meeting_note};
use crate::intervision::service::sealing::Sealer;

/// How many values were sealed again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rekeyed {
    pub dilemmas: usize,
    pub posts: usize,
    pub actions: usize,
    pub notes: usize,
}

/// Re-seals every dilemma, reply, action point and meeting note from `old` to `new`. A value that does not open with `old`
/// stops the rotation and changes nothing.
pub async fn rotate_key(
    db: &DatabaseConnection,
    old: &Sealer,
    new: &Sealer,
) -> Result<Rekeyed, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let mut done = Rekeyed::default();
    for row in dilemma::Entity::find().all(&*txn).await? {
        let context = crate::intervision::service::dilemmas::seal_context(row.id);
        let plain = old.open(&context, &row.sealed)?;
        let sealed = new.seal(&context, &plain)?;
        let mut row: dilemma::ActiveModel = row.into();
        row.sealed = Set(sealed);
        row.update(&*txn).await?;
        done.dilemmas += 1;
    }
    for row in dilemma_post::Entity::find().all(&*txn).await? {
        let context = crate::intervision::service::posts::seal_context(row.id);
        let plain = old.open(&context, &row.sealed)?;
        let sealed = new.seal(&context, &plain)?;
        let mut row: dilemma_post::ActiveModel = row.into();
        row.sealed = Set(sealed);
        row.update(&*txn).await?;
        done.posts += 1;
    }
    for row in action_point::Entity::find().all(&*txn).await? {
        let context = crate::intervision::service::actions::seal_context(row.id);
        let plain = old.open(&context, &row.sealed)?;
        let sealed = new.seal(&context, &plain)?;
        let mut row: action_point::ActiveModel = row.into();
        row.sealed = Set(sealed);
        row.update(&*txn).await?;
        done.actions += 1;
    }
    for row in meeting_note::Entity::find().all(&*txn).await? {
        let context = crate::intervision::service::notes::seal_context(row.id);
        let plain = old.open(&context, &row.sealed)?;
        let sealed = new.seal(&context, &plain)?;
        let mut row: meeting_note::ActiveModel = row.into();
        row.sealed = Set(sealed);
        row.update(&*txn).await?;
        done.notes += 1;
    }
    txn.commit().await?;
    Ok(done)
}
