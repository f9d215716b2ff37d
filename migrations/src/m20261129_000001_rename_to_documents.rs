use sea_orm_migration::prelude::*;

/// The table has held courses and modules beside factsheets since 2026-11-28: it is called
/// `documents`, and so are its revisions and workflow. Data, indexes and keys move with it.
#[derive(DeriveMigrationName)]
pub struct Migration;

const RENAMES: [(&str, &str); 3] = [
    ("factsheets", "documents"),
    ("factsheet_revisions", "document_revisions"),
    ("factsheet_workflow", "document_workflow"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (from, to) in RENAMES {
            manager
                .rename_table(
                    Table::rename()
                        .table(Alias::new(from), Alias::new(to))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (from, to) in RENAMES {
            manager
                .rename_table(
                    Table::rename()
                        .table(Alias::new(to), Alias::new(from))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
