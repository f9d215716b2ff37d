use sea_orm_migration::{prelude::*, schema::*};

/// Review reminders: where a document's owner (a team, as `owner:` names it) receives mail,
/// and which reminder went out for which document and review date, so that each goes once.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OwnerMailboxes::Table)
                    .col(string(OwnerMailboxes::Owner).primary_key())
                    .col(string(OwnerMailboxes::Mailbox))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReviewReminders::Table)
                    .col(pk_auto(ReviewReminders::Id))
                    .col(string(ReviewReminders::DocumentSlug))
                    .col(date(ReviewReminders::ReviewDue))
                    .col(string(ReviewReminders::Kind))
                    .col(timestamp_with_time_zone(ReviewReminders::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_review_reminders_once")
                    .table(ReviewReminders::Table)
                    .col(ReviewReminders::DocumentSlug)
                    .col(ReviewReminders::ReviewDue)
                    .col(ReviewReminders::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReviewReminders::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OwnerMailboxes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OwnerMailboxes {
    Table,
    Owner,
    Mailbox,
}

#[derive(DeriveIden)]
enum ReviewReminders {
    Table,
    Id,
    DocumentSlug,
    ReviewDue,
    Kind,
    SentAt,
}
