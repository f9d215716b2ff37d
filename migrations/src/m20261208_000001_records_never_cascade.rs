use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

/// Records that count (attendance, certificates) are never deleted as a side effect: deleting
/// a session with attendance, or a run with certificates, is refused by the database itself
/// (`ON DELETE RESTRICT`) instead of taking the register with it. SQLite cannot alter a foreign
/// key, so there the two tables are rebuilt with the same columns and indexes.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn attendance_table(name: &str, on_session_delete: ForeignKeyAction) -> TableCreateStatement {
    Table::create()
        .table(Alias::new(name))
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
                .from(Alias::new(name), SessionAttendance::SessionId)
                .to(RunSessions::Table, RunSessions::Id)
                .on_delete(on_session_delete),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Alias::new(name), SessionAttendance::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .check(Expr::cust("minutes >= 0 AND minutes <= 1440"))
        .to_owned()
}

fn certificates_table(name: &str, on_run_delete: ForeignKeyAction) -> TableCreateStatement {
    Table::create()
        .table(Alias::new(name))
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
                .from(Alias::new(name), Certificates::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::SetNull),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Alias::new(name), Certificates::RunId)
                .to(TrainingRuns::Table, TrainingRuns::Id)
                .on_delete(on_run_delete),
        )
        .to_owned()
}

const CERTIFICATE_COLUMNS: &str = "id, code, user_id, run_id, participant_name, training_title, dates, net_minutes, points, trainers, issued_at, revoked_at, revoked_reason";
const ATTENDANCE_COLUMNS: &str = "session_id, user_id, status, minutes, recorded_at";

async fn rebuild_on_sqlite(
    manager: &SchemaManager<'_>,
    on_delete: ForeignKeyAction,
) -> Result<(), DbErr> {
    let attendance =
        attendance_table("session_attendance_rebuilt", on_delete).to_string(SqliteQueryBuilder);
    let certificates =
        certificates_table("certificates_rebuilt", on_delete).to_string(SqliteQueryBuilder);
    let index = Index::create()
        .name("idx_certificates_run_user")
        .table(Certificates::Table)
        .col(Certificates::RunId)
        .col(Certificates::UserId)
        .unique()
        .to_string(SqliteQueryBuilder);
    // One batch on one connection: a pooled file database would otherwise run each statement
    // on whichever connection is free, one of which may still see the old schema.
    manager
        .get_connection()
        .execute_unprepared(&format!(
            "{attendance};
             INSERT INTO session_attendance_rebuilt ({ATTENDANCE_COLUMNS})
               SELECT {ATTENDANCE_COLUMNS} FROM session_attendance;
             DROP TABLE session_attendance;
             ALTER TABLE session_attendance_rebuilt RENAME TO session_attendance;
             {certificates};
             INSERT INTO certificates_rebuilt ({CERTIFICATE_COLUMNS})
               SELECT {CERTIFICATE_COLUMNS} FROM certificates;
             DROP TABLE certificates;
             ALTER TABLE certificates_rebuilt RENAME TO certificates;
             {index};"
        ))
        .await?;
    Ok(())
}

async fn alter_on_postgres(manager: &SchemaManager<'_>, action: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "ALTER TABLE session_attendance DROP CONSTRAINT IF EXISTS session_attendance_session_id_fkey; \
         ALTER TABLE session_attendance ADD CONSTRAINT session_attendance_session_id_fkey \
           FOREIGN KEY (session_id) REFERENCES run_sessions (id) ON DELETE {action}; \
         ALTER TABLE certificates DROP CONSTRAINT IF EXISTS certificates_run_id_fkey; \
         ALTER TABLE certificates ADD CONSTRAINT certificates_run_id_fkey \
           FOREIGN KEY (run_id) REFERENCES training_runs (id) ON DELETE {action};"
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild_on_sqlite(manager, ForeignKeyAction::Restrict).await,
            _ => alter_on_postgres(manager, "RESTRICT").await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild_on_sqlite(manager, ForeignKeyAction::Cascade).await,
            _ => alter_on_postgres(manager, "CASCADE").await,
        }
    }
}

#[derive(DeriveIden)]
enum SessionAttendance {
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
enum RunSessions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingRuns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
