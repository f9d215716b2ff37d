use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// The coordinators' people search finds a name or organisation that *contains* the words
/// typed. On PostgreSQL that was a scan of every account (40–50 ms at 50,000 accounts, and the
/// page's p99 went to 400 ms under load); trigram indexes on the lowercased columns answer it
/// in well under a millisecond, and their statistics let the planner walk the name index
/// instead when nearly everyone matches. `pg_trgm` ships with PostgreSQL and is a trusted
/// extension: the database's owner may create it. SQLite has no trigram index for LIKE; it
/// walks the name index (`idx_users_display_name`) and stops at the first page of matches.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE EXTENSION IF NOT EXISTS pg_trgm; \
                 CREATE INDEX idx_users_name_trigrams ON users \
                   USING gin (lower(display_name) gin_trgm_ops); \
                 CREATE INDEX idx_users_organisation_trigrams ON users \
                   USING gin (lower(organisation) gin_trgm_ops);",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        // The extension stays: other schemas in the database may use it.
        manager
            .get_connection()
            .execute_unprepared(
                "DROP INDEX IF EXISTS idx_users_name_trigrams; \
                 DROP INDEX IF EXISTS idx_users_organisation_trigrams;",
            )
            .await?;
        Ok(())
    }
}
