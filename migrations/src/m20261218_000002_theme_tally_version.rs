use sea_orm_migration::prelude::*;

/// One number that every change to the themes' tallies raises, in the same transaction: a node
/// keeps the theme counts it counted and counts again only when the number moved (or the
/// window's first day did), instead of grouping a year of tallies on every visit.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ThemeTallyVersion {
    Table,
    Id,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ThemeTallyVersion::Table)
                    .col(
                        ColumnDef::new(ThemeTallyVersion::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ThemeTallyVersion::Version)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ThemeTallyVersion::Table)
                    .columns([ThemeTallyVersion::Id, ThemeTallyVersion::Version])
                    .values_panic([1.into(), 0i64.into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ThemeTallyVersion::Table).to_owned())
            .await
    }
}
