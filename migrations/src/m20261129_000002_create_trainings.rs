use sea_orm_migration::{prelude::*, schema::*};

/// Trainings: a training is a document (`kind = training`, its own facts in `training`); its
/// runs, their sessions and trainers, and enrolments live in their own tables.
///
/// Never overbooked: `seats_taken` (confirmed and offered enrolments) is raised only by a
/// conditional update inside the enrolment's transaction and a CHECK keeps it within
/// `capacity`; `run_work_field_seats` does the same per work field for the fair-mix share. One
/// active enrolment per person per run: `active` is 1 while it holds or waits for a seat and
/// NULL afterwards, and (run, user, active) is unique (NULLs never collide).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .add_column(text_null(Documents::Training))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingRuns::Table)
                    .col(pk_auto(TrainingRuns::Id))
                    .col(string_len(TrainingRuns::TrainingSlug, 120))
                    .col(string_len(TrainingRuns::Code, 60))
                    .col(string_len(TrainingRuns::Status, 20))
                    .col(integer(TrainingRuns::Capacity))
                    .col(integer(TrainingRuns::SeatsTaken).default(0))
                    .col(integer(TrainingRuns::WaitlistCounter).default(0))
                    .col(date(TrainingRuns::EnrolmentOpens))
                    .col(date(TrainingRuns::EnrolmentCloses))
                    .col(integer(TrainingRuns::CancellationDays))
                    .col(date(TrainingRuns::WaitlistCloses))
                    .col(integer(TrainingRuns::OfferHours))
                    .col(integer_null(TrainingRuns::MaxWorkFieldShare))
                    .col(boolean(TrainingRuns::WebEdited).default(false))
                    .col(text_null(TrainingRuns::CancelledReason))
                    .col(timestamp_with_time_zone(TrainingRuns::UpdatedAt))
                    .check(Expr::cust("capacity >= 0 AND capacity <= 1000"))
                    .check(Expr::cust("seats_taken >= 0 AND seats_taken <= capacity"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_training_runs_training_code")
                    .table(TrainingRuns::Table)
                    .col(TrainingRuns::TrainingSlug)
                    .col(TrainingRuns::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RunSessions::Table)
                    .col(pk_auto(RunSessions::Id))
                    .col(integer(RunSessions::RunId))
                    .col(integer(RunSessions::Position))
                    .col(date(RunSessions::Date))
                    .col(string_len(RunSessions::StartsAt, 5))
                    .col(string_len(RunSessions::EndsAt, 5))
                    .col(string_len(RunSessions::Location, 200))
                    .col(string_len_null(RunSessions::OnlineLink, 500))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunSessions::Table, RunSessions::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RunTrainers::Table)
                    .col(integer(RunTrainers::RunId))
                    .col(string_len(RunTrainers::Subject, 255))
                    .primary_key(
                        Index::create()
                            .col(RunTrainers::RunId)
                            .col(RunTrainers::Subject),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunTrainers::Table, RunTrainers::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RunWorkFieldSeats::Table)
                    .col(integer(RunWorkFieldSeats::RunId))
                    .col(string_len(RunWorkFieldSeats::WorkField, 40))
                    .col(integer(RunWorkFieldSeats::Seats).default(0))
                    .primary_key(
                        Index::create()
                            .col(RunWorkFieldSeats::RunId)
                            .col(RunWorkFieldSeats::WorkField),
                    )
                    .check(Expr::cust("seats >= 0"))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RunWorkFieldSeats::Table, RunWorkFieldSeats::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .col(pk_auto(Enrolments::Id))
                    .col(integer(Enrolments::RunId))
                    .col(integer(Enrolments::UserId))
                    .col(string_len(Enrolments::Status, 20))
                    .col(integer_null(Enrolments::Active))
                    .col(string_len(Enrolments::WorkField, 40))
                    .col(integer_null(Enrolments::WaitlistSeq))
                    .col(timestamp_with_time_zone_null(Enrolments::OfferExpiresAt))
                    .col(text_null(Enrolments::IntakeAnswers))
                    .col(text_null(Enrolments::RejectionReason))
                    .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                    .col(timestamp_with_time_zone(Enrolments::UpdatedAt))
                    .check(Expr::cust("active IS NULL OR active = 1"))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolments_one_active")
                    .table(Enrolments::Table)
                    .col(Enrolments::RunId)
                    .col(Enrolments::UserId)
                    .col(Enrolments::Active)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolments_user")
                    .table(Enrolments::Table)
                    .col(Enrolments::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolments_run_status")
                    .table(Enrolments::Table)
                    .col(Enrolments::RunId)
                    .col(Enrolments::Status)
                    .col(Enrolments::WaitlistSeq)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Enrolments::Table.into_iden(),
            RunWorkFieldSeats::Table.into_iden(),
            RunTrainers::Table.into_iden(),
            RunSessions::Table.into_iden(),
            TrainingRuns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .drop_column(Documents::Training)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Training,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingRuns {
    Table,
    Id,
    TrainingSlug,
    Code,
    Status,
    Capacity,
    SeatsTaken,
    WaitlistCounter,
    EnrolmentOpens,
    EnrolmentCloses,
    CancellationDays,
    WaitlistCloses,
    OfferHours,
    MaxWorkFieldShare,
    WebEdited,
    CancelledReason,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RunSessions {
    Table,
    Id,
    RunId,
    Position,
    Date,
    StartsAt,
    EndsAt,
    Location,
    OnlineLink,
}

#[derive(DeriveIden)]
enum RunTrainers {
    Table,
    RunId,
    Subject,
}

#[derive(DeriveIden)]
enum RunWorkFieldSeats {
    Table,
    RunId,
    WorkField,
    Seats,
}

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    Id,
    RunId,
    UserId,
    Status,
    Active,
    WorkField,
    WaitlistSeq,
    OfferExpiresAt,
    IntakeAnswers,
    RejectionReason,
    CreatedAt,
    UpdatedAt,
}
