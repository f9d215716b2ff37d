use sea_orm_migration::{prelude::*, schema::*};

/// The knowledge loop: which themes the dilemmas brought into intervision are about, and the
/// editors' backlog of factsheets practice asks for.
///
/// `dilemma_themes` is a tally, not part of the dilemma: a dilemma's texts go when its group's
/// retention period passes (three months at the shortest), while knowledge staff count the
/// themes of the last twelve months. So the row outlives its dilemma with the link cleared
/// (`ON DELETE SET NULL`): a theme, a group number and a date, nothing of the text or the
/// person. Rows older than the counting window are deleted by the daily retention job.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DilemmaThemes::Table)
                    .col(pk_auto(DilemmaThemes::Id))
                    .col(integer_null(DilemmaThemes::DilemmaId))
                    .col(integer(DilemmaThemes::GroupId))
                    .col(string(DilemmaThemes::Theme))
                    .col(date(DilemmaThemes::BroughtInOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DilemmaThemes::Table, DilemmaThemes::DilemmaId)
                            .to(Dilemmas::Table, Dilemmas::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dilemma_themes_brought_in_on")
                    .table(DilemmaThemes::Table)
                    .col(DilemmaThemes::BroughtInOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dilemma_themes_dilemma")
                    .table(DilemmaThemes::Table)
                    .col(DilemmaThemes::DilemmaId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BacklogItems::Table)
                    .col(pk_auto(BacklogItems::Id))
                    .col(string(BacklogItems::Theme))
                    .col(string(BacklogItems::Title))
                    .col(string(BacklogItems::Status))
                    .col(string_null(BacklogItems::DocumentSlug))
                    .col(text_null(BacklogItems::DeclineReason))
                    .col(timestamp_with_time_zone(BacklogItems::CreatedAt))
                    .col(timestamp_with_time_zone(BacklogItems::ChangedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BacklogItems::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DilemmaThemes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DilemmaThemes {
    Table,
    Id,
    DilemmaId,
    GroupId,
    Theme,
    BroughtInOn,
}

#[derive(DeriveIden)]
enum Dilemmas {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BacklogItems {
    Table,
    Id,
    Theme,
    Title,
    Status,
    DocumentSlug,
    DeclineReason,
    CreatedAt,
    ChangedAt,
}
