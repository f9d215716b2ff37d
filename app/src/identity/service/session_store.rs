//! Server-side sessions in the application database (a `tower-sessions` store over sea-orm),
//! so every app node behind a load balancer sees the same sessions. Only a SHA-256 of the
//! session id is stored: a copy of the table does not let anyone take over a session.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::identity::entity::session;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

// Expiry is compared with the system clock, not the app's `Clock`: tower-sessions stamps each
// record's expiry from the system clock, and the two must agree.
impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Removes expired sessions; returns how many. Run periodically by the server.
    pub async fn purge_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(chrono::Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
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
            let inserted = session::Entity::insert(Self::row(record)?)
                .on_conflict(
                    OnConflict::column(session::Column::Id)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates a session that still exists, and nothing else: a request that loaded the
    /// session before a logout, an expiry purge or an admin action finished must not bring the
    /// deleted row back (tower-sessions calls `create` for new sessions).
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = Self::row(record)?;
        session::Entity::update_many()
            .set(session::ActiveModel {
                data: row.data,
                expires_at: row.expires_at,
                ..Default::default()
            })
            .filter(session::Column::Id.eq(hashed(&record.id)))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = session::Entity::find_by_id(hashed(id))
            .filter(session::Column::ExpiresAt.gt(chrono::Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(hashed(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
