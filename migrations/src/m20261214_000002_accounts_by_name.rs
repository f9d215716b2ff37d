use sea_orm_migration::prelude::*;

/// The admins' list of accounts is ordered by name: with 50,000 accounts that is an index, not
/// a sort per page.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_users_display_name")
                    .table(Alias::new("users"))
                    .col(Alias::new("display_name"))
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_users_display_name")
                    .table(Alias::new("users"))
                    .to_owned(),
            )
            .await
    }
}
