use sea_orm_migration::{prelude::*, schema::*};

/// When a closed run's attendance and certificates were deleted at the end of their
/// retention period, so its page can say so instead of showing an empty register.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TrainingRuns::Table)
                    .add_column(timestamp_with_time_zone_null(
                        TrainingRuns::RecordsDeletedAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TrainingRuns::Table)
                    .drop_column(TrainingRuns::RecordsDeletedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TrainingRuns {
    Table,
    RecordsDeletedAt,
}
