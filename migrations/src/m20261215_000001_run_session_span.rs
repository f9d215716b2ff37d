use sea_orm_migration::{prelude::*, schema::*};

/// A run's first and last session date on the run itself. Lists of runs place them by these
/// dates (the catalogue, the coordinators' overview, the runs still open); with ten years of
/// runs, deriving them from every session on each page view cost most of the page. The one
/// function that writes sessions keeps them (`runs_import::sync_sessions_and_trainers`).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [TrainingRuns::FirstSessionOn, TrainingRuns::LastSessionOn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TrainingRuns::Table)
                        .add_column(date_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE training_runs SET \
                 first_session_on = (SELECT MIN(date) FROM run_sessions WHERE run_sessions.run_id = training_runs.id), \
                 last_session_on = (SELECT MAX(date) FROM run_sessions WHERE run_sessions.run_id = training_runs.id)",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_training_runs_last_session")
                    .table(TrainingRuns::Table)
                    .col(TrainingRuns::LastSessionOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_training_runs_last_session")
                    .table(TrainingRuns::Table)
                    .to_owned(),
            )
            .await?;
        for column in [TrainingRuns::FirstSessionOn, TrainingRuns::LastSessionOn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TrainingRuns::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingRuns {
    Table,
    FirstSessionOn,
    LastSessionOn,
}
