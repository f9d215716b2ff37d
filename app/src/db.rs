//! Connecting to the database (SQLite or PostgreSQL) and bringing its schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Connects and runs pending migrations. SQLite gets WAL, foreign keys and a busy timeout, so
/// readers never block the writer and concurrent writers wait instead of failing.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5));
    if url.starts_with("sqlite:") {
        if url.contains(":memory:") || url.contains("mode=memory") {
            // Every connection would open its own empty in-memory database.
            options.max_connections(1).min_connections(1);
        }
        options.map_sqlx_sqlite_opts(|sqlite| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// JSON text of a value stored in a text column (see the knowledge entity's list columns).
pub fn to_json_text<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain lists of strings, enums and records cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}
