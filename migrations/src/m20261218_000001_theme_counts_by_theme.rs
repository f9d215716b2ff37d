use sea_orm_migration::prelude::*;

/// The knowledge staff's theme count groups a year of tallies by theme and counts the distinct
/// groups per theme: from an index in that order (theme, group, day) both databases read it
/// once, in order, without sorting (a quarter of the time the day-first index took on ten
/// years of use: 17–19 → 6 ms on PostgreSQL, 13–18 → 7 ms on SQLite). The day-first index it
/// replaces served nothing else (the purge uses the index on the day alone).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_dilemma_themes_by_theme")
                    .table(Alias::new("dilemma_themes"))
                    .col(Alias::new("theme"))
                    .col(Alias::new("group_id"))
                    .col(Alias::new("brought_in_on"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_dilemma_themes_counted")
                    .table(Alias::new("dilemma_themes"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        manager
            .drop_index(
                Index::drop()
                    .name("idx_dilemma_themes_by_theme")
                    .table(Alias::new("dilemma_themes"))
                    .to_owned(),
            )
            .await
    }
}
