use sea_orm_migration::{prelude::*, schema::*};

/// Attendance per session (recorded by the run's trainers), a run's closing, and the
/// certificates it gives. A certificate keeps what it certifies as it was on the day it was
/// issued (name, training, dates, hours, points with register numbers), so a later profile
/// or document change does not alter a document someone already handed in.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SessionAttendance::Table)
                    .col(integer(SessionAttendance::SessionId))
                    .col(integer(SessionAttendance::UserId))
                    .col(string_len(SessionAttendance::Status, 20))
                    .col(integer(SessionAttendance::Minutes).default(0))
                    .col(timestamp_with_time_zone(SessionAttendance::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(SessionAttendance::SessionId)
                            .col(SessionAttendance::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionAttendance::Table, SessionAttendance::SessionId)
                            .to(RunSessions::Table, RunSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionAttendance::Table, SessionAttendance::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .check(Expr::cust("minutes >= 0 AND minutes <= 1440"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TrainingRuns::Table)
                    .add_column(timestamp_with_time_zone_null(TrainingRuns::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Certificates::Table)
                    .col(pk_auto(Certificates::Id))
                    .col(string_len_uniq(Certificates::Code, 40))
                    .col(integer_null(Certificates::UserId))
                    .col(integer(Certificates::RunId))
                    .col(string_len(Certificates::ParticipantName, 200))
                    .col(string_len(Certificates::TrainingTitle, 300))
                    .col(string_len(Certificates::Dates, 400))
                    .col(integer(Certificates::NetMinutes))
                    .col(text(Certificates::Points))
                    .col(text(Certificates::Trainers))
                    .col(timestamp_with_time_zone(Certificates::IssuedAt))
                    .col(timestamp_with_time_zone_null(Certificates::RevokedAt))
                    .col(text_null(Certificates::RevokedReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificates::Table, Certificates::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificates::Table, Certificates::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_certificates_run_user")
                    .table(Certificates::Table)
                    .col(Certificates::RunId)
                    .col(Certificates::UserId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Certificates::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TrainingRuns::Table)
                    .drop_column(TrainingRuns::ClosedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(SessionAttendance::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SessionAttendance {
    Table,
    SessionId,
    UserId,
    Status,
    Minutes,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Code,
    UserId,
    RunId,
    ParticipantName,
    TrainingTitle,
    Dates,
    NetMinutes,
    Points,
    Trainers,
    IssuedAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum TrainingRuns {
    Table,
    Id,
    ClosedAt,
}

#[derive(DeriveIden)]
enum RunSessions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
