use sea_orm_migration::{prelude::*, schema::*};

/// A group can be closed by its facilitator: read-only from then on, no new meetings, while
/// retention runs on.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IntervisionGroups::Table)
                    .add_column(timestamp_with_time_zone_null(IntervisionGroups::ClosedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IntervisionGroups::Table)
                    .drop_column(IntervisionGroups::ClosedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum IntervisionGroups {
    Table,
    ClosedAt,
}
