use sea_orm_migration::{prelude::*, schema::*};

/// Key rotation that cannot be run wrongly: a known value sealed with the current intervision
/// key (a server whose key does not open it refuses to start), and the servers that are
/// running (each renews its row while it runs; `rotate-key` refuses while one is fresh).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SealingKeyCheck::Table)
                    .col(integer(SealingKeyCheck::Id).primary_key())
                    .col(blob(SealingKeyCheck::Sealed))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServerNodes::Table)
                    .col(string_len(ServerNodes::NodeId, 64).primary_key())
                    .col(timestamp_with_time_zone(ServerNodes::SeenAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServerNodes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SealingKeyCheck::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SealingKeyCheck {
    Table,
    Id,
    Sealed,
}

#[derive(DeriveIden)]
enum ServerNodes {
    Table,
    NodeId,
    SeenAt,
}
