use sea_orm_migration::{prelude::*, schema::*};

/// The durable job table (timed work: sending mail, offer deadlines, reminders), the mail
/// outbox it sends from, and the e-mail address from the login provider that mail goes to.
/// A mail row and its job are written in the same transaction as the change that caused them,
/// so neither a restart nor an SMTP outage loses one.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len_null(Users::Email, 320))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(pk_auto(Jobs::Id))
                    .col(string_len(Jobs::Kind, 32))
                    .col(integer(Jobs::SubjectId))
                    .col(string_len(Jobs::State, 16))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(string_len_null(Jobs::LastError, 500))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .check(Expr::col(Jobs::Attempts).gte(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_due")
                    .table(Jobs::Table)
                    .col(Jobs::State)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Mails::Table)
                    .col(pk_auto(Mails::Id))
                    .col(string_len(Mails::Kind, 32))
                    .col(string_len(Mails::Recipient, 320))
                    .col(string_len(Mails::Subject, 200))
                    .col(text(Mails::Body))
                    .col(text_null(Mails::Calendar))
                    .col(string_len(Mails::State, 16))
                    .col(integer(Mails::Attempts).default(0))
                    .col(string_len_null(Mails::LastError, 500))
                    .col(timestamp_with_time_zone(Mails::CreatedAt))
                    .col(timestamp_with_time_zone_null(Mails::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mails_created")
                    .table(Mails::Table)
                    .col(Mails::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Mails::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Email)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    SubjectId,
    State,
    RunAt,
    Attempts,
    LockedUntil,
    LastError,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Mails {
    Table,
    Id,
    Kind,
    Recipient,
    Subject,
    Body,
    Calendar,
    State,
    Attempts,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Email,
}
