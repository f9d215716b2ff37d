use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Factsheets::Table)
                    .add_column(text_null(Factsheets::WithdrawnReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FactsheetRevisions::Table)
                    .if_not_exists()
                    .col(pk_auto(FactsheetRevisions::Id))
                    .col(string_len(FactsheetRevisions::Slug, 120))
                    .col(integer(FactsheetRevisions::Number))
                    .col(text(FactsheetRevisions::Source))
                    .col(integer_null(FactsheetRevisions::AuthorUserId))
                    .col(timestamp_with_time_zone(FactsheetRevisions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_factsheet_revisions_slug_number")
                    .table(FactsheetRevisions::Table)
                    .col(FactsheetRevisions::Slug)
                    .col(FactsheetRevisions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FactsheetWorkflow::Table)
                    .if_not_exists()
                    .col(string_len(FactsheetWorkflow::Slug, 120).primary_key())
                    .col(string_len(FactsheetWorkflow::State, 20))
                    .col(integer(FactsheetWorkflow::Head))
                    .col(integer_null(FactsheetWorkflow::Published))
                    .col(integer_null(FactsheetWorkflow::SubmittedBy))
                    .col(timestamp_with_time_zone(FactsheetWorkflow::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FactsheetWorkflow::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FactsheetRevisions::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Factsheets::Table)
                    .drop_column(Factsheets::WithdrawnReason)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Factsheets {
    Table,
    WithdrawnReason,
}

#[derive(DeriveIden)]
enum FactsheetRevisions {
    Table,
    Id,
    Slug,
    Number,
    Source,
    AuthorUserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FactsheetWorkflow {
    Table,
    Slug,
    State,
    Head,
    Published,
    SubmittedBy,
    UpdatedAt,
}
