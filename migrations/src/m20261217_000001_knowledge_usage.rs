use sea_orm_migration::{prelude::*, schema::*};

/// What readers use: reads per document and month, and search words that found nothing per
/// month. Counts only: no person, no session, no moment finer than the month.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DocumentReads::Table)
                    .col(pk_auto(DocumentReads::Id))
                    .col(date(DocumentReads::Month))
                    .col(string(DocumentReads::Kind))
                    .col(string(DocumentReads::Slug))
                    .col(big_integer(DocumentReads::Reads))
                    .to_owned(),
            )
            .await?;
        // One row per month and document: what each node adds goes to it.
        manager
            .create_index(
                Index::create()
                    .name("idx_document_reads_once")
                    .table(DocumentReads::Table)
                    .col(DocumentReads::Month)
                    .col(DocumentReads::Kind)
                    .col(DocumentReads::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SearchMisses::Table)
                    .col(pk_auto(SearchMisses::Id))
                    .col(date(SearchMisses::Month))
                    .col(string(SearchMisses::Words))
                    .col(big_integer(SearchMisses::Searches))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_search_misses_once")
                    .table(SearchMisses::Table)
                    .col(SearchMisses::Month)
                    .col(SearchMisses::Words)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SearchMisses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DocumentReads::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DocumentReads {
    Table,
    Id,
    Kind,
    Slug,
    Month,
    Reads,
}

#[derive(DeriveIden)]
enum SearchMisses {
    Table,
    Id,
    Words,
    Month,
    Searches,
}
