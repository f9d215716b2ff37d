use sea_orm_migration::{prelude::*, schema::*};

/// An intervision meeting gets an iCalendar `SEQUENCE`, raised when it moves, is cancelled or
/// restored, so the invitation in members' mail replaces the one in their calendar.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(integer(Meetings::Sequence).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .drop_column(Meetings::Sequence)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Sequence,
}
