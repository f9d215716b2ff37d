use sea_orm_migration::prelude::*;

/// The outbox page and the metrics count mails by state: with a month of mail (20,000 rows and
/// their bodies) each count read the whole table; with this index it reads the index alone.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_mails_state")
                    .table(Alias::new("mails"))
                    .col(Alias::new("state"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_mails_state")
                    .table(Alias::new("mails"))
                    .to_owned(),
            )
            .await
    }
}
