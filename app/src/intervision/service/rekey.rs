//! Key rotation: every sealed value opened with the old key and sealed again with the new one,
//! in one transaction, so the database is never half on each key. It cannot be run wrongly:
//! it refuses while a server runs (one would go on sealing with the old key), and a server
//! whose key does not open the stored key check refuses to start.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use crate::error::ServiceError;
use crate::intervision::entity::{action_point, dilemma, dilemma_post, key_check, meeting_note};
use crate::intervision::service::sealed_texts::reseal_all;
use crate::intervision::service::sealing::Sealer;

const KEY_CHECK_ID: i32 = 1;
const KEY_CHECK_CONTEXT: &str = "key-check";
const KEY_CHECK_TEXT: &[u8] = b"leerplatform intervision key";

/// Why a key may not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyRefused {
    #[error(
        "INTERVISION_KEY is not the key the intervision content is sealed with (after rotate-key, INTERVISION_KEY must be the new key)"
    )]
    NotTheSealingKey,
    #[error(
        "servers are running ({0}); stop every server first, or wait a minute after one crashed, then rotate"
    )]
    ServersRunning(String),
    #[error("{0}")]
    Service(#[from] ServiceError),
}

fn seal_key_check(sealer: &Sealer) -> Result<Vec<u8>, ServiceError> {
    sealer.seal(KEY_CHECK_CONTEXT, KEY_CHECK_TEXT)
}

/// At start-up: `sealer` must open the stored key check; the first start with a key records
/// it.
pub async fn check_key(db: &impl ConnectionTrait, sealer: &Sealer) -> Result<(), KeyRefused> {
    match key_check::Entity::find_by_id(KEY_CHECK_ID)
        .one(db)
        .await
        .map_err(ServiceError::from)?
    {
        Some(stored) => match sealer.open(KEY_CHECK_CONTEXT, &stored.sealed) {
            Ok(text) if text == KEY_CHECK_TEXT => Ok(()),
            _ => Err(KeyRefused::NotTheSealingKey),
        },
        None => {
            key_check::ActiveModel {
                id: Set(KEY_CHECK_ID),
                sealed: Set(seal_key_check(sealer)?),
            }
            .insert(db)
            .await
            .map_err(ServiceError::from)?;
            Ok(())
        }
    }
}

/// [`rotate_key`], refused while a server runs (see `messaging::service::nodes`) or when `old`
/// is not the key in use.
pub async fn rotate_key_offline(
    db: &DatabaseConnection,
    old: &Sealer,
    new: &Sealer,
    now: DateTime<Utc>,
) -> Result<Rekeyed, KeyRefused> {
    let running = crate::messaging::service::nodes::running(db, now).await?;
    if !running.is_empty() {
        return Err(KeyRefused::ServersRunning(running.join(", ")));
    }
    check_key(db, old).await?;
    Ok(rotate_key(db, old, new).await?)
}

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
async fn rotate_key(
    db: &DatabaseConnection,
    old: &Sealer,
    new: &Sealer,
) -> Result<Rekeyed, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let done = Rekeyed {
        dilemmas: reseal_all::<dilemma::Entity>(&*txn, old, new).await?,
        posts: reseal_all::<dilemma_post::Entity>(&*txn, old, new).await?,
        actions: reseal_all::<action_point::Entity>(&*txn, old, new).await?,
        notes: reseal_all::<meeting_note::Entity>(&*txn, old, new).await?,
    };
    key_check::Entity::delete_by_id(KEY_CHECK_ID)
        .exec(&*txn)
        .await?;
    key_check::ActiveModel {
        id: Set(KEY_CHECK_ID),
        sealed: Set(seal_key_check(new)?),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(done)
}
