use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Factsheets::Table)
                    .if_not_exists()
                    .col(pk_auto(Factsheets::Id))
                    .col(string_len_uniq(Factsheets::Slug, 120))
                    .col(string_len(Factsheets::Title, 200))
                    .col(text(Factsheets::Summary))
                    // Lists of vocabulary slugs, stored as JSON text so SQLite and PostgreSQL agree.
                    .col(text(Factsheets::Phenomena))
                    .col(text(Factsheets::Audience))
                    .col(string_len(Factsheets::Owner, 200))
                    .col(date(Factsheets::ReviewedOn))
                    .col(date(Factsheets::ReviewDue))
                    .col(text(Factsheets::Sources))
                    .col(string_len(Factsheets::Status, 20))
                    .col(text(Factsheets::BodyMarkdown))
                    .col(text(Factsheets::BodyHtml))
                    .col(text(Factsheets::Toc))
                    .col(string_len(Factsheets::ContentHash, 64))
                    .col(string_len(Factsheets::SourcePath, 500))
                    .col(timestamp_with_time_zone(Factsheets::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_factsheets_status_reviewed_on")
                    .table(Factsheets::Table)
                    .col(Factsheets::Status)
                    .col(Factsheets::ReviewedOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Factsheets::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Factsheets {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    Phenomena,
    Audience,
    Owner,
    ReviewedOn,
    ReviewDue,
    Sources,
    Status,
    BodyMarkdown,
    BodyHtml,
    Toc,
    ContentHash,
    SourcePath,
    UpdatedAt,
}
