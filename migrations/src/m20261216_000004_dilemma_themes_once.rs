use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// A dilemma counts once per theme: a unique index on (dilemma, theme) (rows whose dilemma has
/// gone keep a NULL there and stay apart), and the dilemmas brought in before the themes
/// existed get their phenomenon's theme (same slug), so the first year's counts are not short.
/// The knowledge staff's count reads a year of tallies (tens of thousands of rows with ten
/// years of use) from an index that holds all it needs: day, theme and group.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_dilemma_themes_once")
                    .table(Alias::new("dilemma_themes"))
                    .col(Alias::new("dilemma_id"))
                    .col(Alias::new("theme"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dilemma_themes_counted")
                    .table(Alias::new("dilemma_themes"))
                    .col(Alias::new("brought_in_on"))
                    .col(Alias::new("theme"))
                    .col(Alias::new("group_id"))
                    .to_owned(),
            )
            .await?;
        // The day in UTC: a dilemma brought in just after midnight in Amsterdam may count a
        // day early, which a twelve-month window does not notice.
        let day = match manager.get_database_backend() {
            DatabaseBackend::Postgres => "CAST(d.created_at AS DATE)",
            _ => "date(d.created_at)",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO dilemma_themes (dilemma_id, group_id, theme, brought_in_on) \
                 SELECT d.id, d.group_id, d.phenomenon, {day} FROM dilemmas d \
                 WHERE NOT EXISTS (SELECT 1 FROM dilemma_themes t WHERE t.dilemma_id = d.id)"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_dilemma_themes_counted")
                    .table(Alias::new("dilemma_themes"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_dilemma_themes_once")
                    .table(Alias::new("dilemma_themes"))
                    .to_owned(),
            )
            .await
    }
}
