use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// One counter that goes up whenever what the public site shows changes (a document
/// published, withdrawn, imported): every app node's page cache compares it with the version
/// its pages were rendered under.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublicationVersion::Table)
                    .col(integer(PublicationVersion::Id).primary_key())
                    .col(big_integer(PublicationVersion::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(PublicationVersion::Table)
                    .columns([PublicationVersion::Id, PublicationVersion::Version])
                    .values_panic([1.into(), 0i64.into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublicationVersion::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PublicationVersion {
    Table,
    Id,
    Version,
}
