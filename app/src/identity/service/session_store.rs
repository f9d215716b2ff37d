//! Server-side sessions in the application database (a `tower-sessions` store over sea-orm),
//! so every app node behind a load balancer sees the same sessions. Only a SHA-256 of the
//! session id is stored: a copy of the table does not let anyone take over a session.

use std::collections::HashMap;
use std::sync::Arc;

use quick_cache::sync::Cache;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::identity::entity::session;

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    /// What this node last read or wrote per session (by hashed id): a request that changed
    /// nothing then skips its write unless the expiry moved by [`EXPIRY_SLACK_SECONDS`].
    /// Without it every logged-in page view was a database write (the expiry rolls).
    known: Arc<Cache<String, KnownRow>>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

#[derive(Clone)]
struct KnownRow {
    data: HashMap<String, serde_json::Value>,
    expires_at: i64,
}

/// How far a session's stored expiry may lag behind its rolling expiry (seconds) at most: a
/// session may end that much early, never late.
pub const EXPIRY_SLACK_SECONDS: i64 = 60;

/// Sessions remembered per node; beyond that a view simply writes again.
const KNOWN_SESSIONS: usize = 10_000;

// Expiry is compared with the system clock, not the app's `Clock`: tower-sessions stamps each
// record's expiry from the system clock, and the two must agree.
impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            known: Arc::new(Cache::new(KNOWN_SESSIONS)),
        }
    }

    fn remember(&self, key: String, record: &Record) {
        self.known.insert(
            key,
            KnownRow {
                data: record.data.clone(),
                expires_at: record.expiry_date.unix_timestamp(),
            },
        );
    }

    /// Whether the stored row already holds `record`'s data and an expiry close enough to it:
    /// within [`EXPIRY_SLACK_SECONDS`], and within a tenth of the time the session has left, so
    /// a short idle timeout (one minute) still slides with every request.
    fn already_stored(&self, key: &str, record: &Record) -> bool {
        let new_expiry = record.expiry_date.unix_timestamp();
        let left = new_expiry - OffsetDateTime::now_utc().unix_timestamp();
        let slack = EXPIRY_SLACK_SECONDS.min(left / 10);
        self.known.get(key).is_some_and(|known| {
            known.data == record.data && (new_expiry - known.expires_at).abs() < slack
        })
    }

    /// A logged-in session for `user_id` written straight into the store, returning its id
    /// (the cookie's value): for benchmarks and tests that need many logged-in people without
    /// a round trip to the login provider each.
    pub async fn open_for(
        &self,
        user_id: i32,
        authenticated_at: chrono::DateTime<chrono::Utc>,
        lifetime: tower_sessions::cookie::time::Duration,
    ) -> session_store::Result<Id> {
        use crate::identity::service::current::{AUTHENTICATED_AT_KEY, USER_ID_KEY};
        let mut record = Record {
            id: Id::default(),
            data: [
                (USER_ID_KEY.to_owned(), serde_json::json!(user_id)),
                (
                    AUTHENTICATED_AT_KEY.to_owned(),
                    serde_json::json!(authenticated_at.timestamp()),
                ),
            ]
            .into_iter()
            .collect(),
            expiry_date: OffsetDateTime::now_utc() + lifetime,
        };
        self.create(&mut record).await?;
        Ok(record.id)
    }

    /// A participant with a complete profile (work field care) and a logged-in session, for
    /// benchmarks and tests: the account's id and the session's id (the cookie's value).
    pub async fn open_participant(
        &self,
        subject: &str,
        email: Option<String>,
        now: chrono::DateTime<chrono::Utc>,
        lifetime: tower_sessions::cookie::time::Duration,
    ) -> session_store::Result<(i32, Id)> {
        use sea_orm::ActiveModelTrait;
        let account = crate::identity::entity::user::ActiveModel {
            issuer: Set("http://127.0.0.1/bench".into()),
            subject: Set(subject.to_owned()),
            display_name: Set(Some(format!("Deelnemer {subject}"))),
            organisation: Set(Some("Organisatie".into())),
            work_field: Set(Some(crate::vocabulary::WorkField::Zorg.slug().to_owned())),
            profile_completed_at: Set(Some(now)),
            created_at: Set(now),
            last_login_at: Set(now),
            email: Set(email),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(backend)?;
        let session = self.open_for(account.id, now, lifetime).await?;
        Ok((account.id, session))
    }

    /// Removes expired sessions; returns how many. Run periodically by the server.
    pub async fn purge_expired(&self) -> Result<u64, sea_orm::DbErr> {
        crate::db::write_in_turn(&self.db, |db| async move {
            let result = session::Entity::delete_many()
                .filter(session::Column::ExpiresAt.lt(chrono::Utc::now()))
                .exec(&db)
                .await?;
            Ok(result.rows_affected)
        })
        .await
    }

    fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        Ok(session::ActiveModel {
            id: Set(hashed(&record.id)),
            data: Set(data),
            expires_at: Set(to_chrono(record.expiry_date)),
        })
    }
}

fn hashed(id: &Id) -> String {
    let digest = Sha256::digest(id.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn to_chrono(time: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(time.unix_timestamp(), time.nanosecond()).unwrap_or_default()
}

fn backend(error: sea_orm::DbErr) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // 128 random bits make a collision practically impossible; still never overwrite one.
        loop {
            let row = Self::row(record)?;
            let inserted = crate::db::write_in_turn(&self.db, |db| async move {
                session::Entity::insert(row)
                    .on_conflict(
                        OnConflict::column(session::Column::Id)
                            .do_nothing()
                            .to_owned(),
                    )
                    .exec_without_returning(&db)
                    .await
            })
            .await
            .map_err(backend)?;
            if inserted == 1 {
                self.remember(hashed(&record.id), record);
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates a session that still exists, and nothing else: a request that loaded the
    /// session before a logout, an expiry purge or an admin action finished must not bring the
    /// deleted row back (tower-sessions calls `create` for new sessions).
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let key = hashed(&record.id);
        if self.already_stored(&key, record) {
            return Ok(());
        }
        let row = Self::row(record)?;
        let filter_key = key.clone();
        crate::db::write_in_turn(&self.db, |db| async move {
            session::Entity::update_many()
                .set(session::ActiveModel {
                    data: row.data,
                    expires_at: row.expires_at,
                    ..Default::default()
                })
                .filter(session::Column::Id.eq(filter_key))
                .exec(&db)
                .await
        })
        .await
        .map_err(backend)?;
        self.remember(key, record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let key = hashed(id);
        let Some(row) = session::Entity::find_by_id(key.as_str())
            .filter(session::Column::ExpiresAt.gt(chrono::Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            self.known.remove(&key);
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let record = Record {
            id: *id,
            data,
            expiry_date,
        };
        self.remember(key, &record);
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let key = hashed(id);
        self.known.remove(&key);
        crate::db::write_in_turn(&self.db, |db| async move {
            session::Entity::delete_by_id(key).exec(&db).await
        })
        .await
        .map_err(backend)?;
        Ok(())
    }
}
