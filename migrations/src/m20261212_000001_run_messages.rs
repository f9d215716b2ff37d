use sea_orm_migration::{prelude::*, schema::*};

/// Coordinators write to a run's participants: each message is logged with its run (who sent
/// it, when, to which group and how many; the subject, not the text: the mails carry that).
/// A session gets an iCalendar `SEQUENCE`, raised when its date, time, place or link changes,
/// so the updated invitation replaces the one in people's calendars.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RunMessages::Table)
                    .col(pk_auto(RunMessages::Id))
                    .col(integer(RunMessages::RunId))
                    // The sender's account; emptied when the account is erased.
                    .col(integer_null(RunMessages::SenderUserId))
                    .col(timestamp_with_time_zone(RunMessages::SentAt))
                    .col(string(RunMessages::Audience))
                    .col(integer(RunMessages::Recipients))
                    .col(string(RunMessages::Subject))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunMessages::Table, RunMessages::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunMessages::Table, RunMessages::SenderUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_run_messages_run")
                    .table(RunMessages::Table)
                    .col(RunMessages::RunId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RunSessions::Table)
                    .add_column(integer(RunSessions::Sequence).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RunSessions::Table)
                    .drop_column(RunSessions::Sequence)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(RunMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RunMessages {
    Table,
    Id,
    RunId,
    SenderUserId,
    SentAt,
    Audience,
    Recipients,
    Subject,
}

#[derive(DeriveIden)]
enum TrainingRuns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RunSessions {
    Table,
    Sequence,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
