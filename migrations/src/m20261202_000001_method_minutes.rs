use sea_orm_migration::{prelude::*, schema::*};

/// The minutes of a method's steps as the facilitator set them for this meeting ("5,15,20"),
/// when they differ from the method's defaults.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dilemmas::Table)
                    .add_column(string_len_null(Dilemmas::MethodMinutes, 200))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dilemmas::Table)
                    .drop_column(Dilemmas::MethodMinutes)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Dilemmas {
    Table,
    MethodMinutes,
}
