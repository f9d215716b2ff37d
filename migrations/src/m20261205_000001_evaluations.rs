use sea_orm_migration::{prelude::*, schema::*};

/// The evaluation after a run's last session, anonymous to its trainers: the answers carry no
/// account and no time; a separate table only records that someone answered (so nobody
/// answers twice), never what.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Evaluations::Table)
                    .col(pk_auto(Evaluations::Id))
                    .col(integer(Evaluations::RunId))
                    .col(string_len(Evaluations::Scores, 40))
                    .col(text_null(Evaluations::Remark))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluations::Table, Evaluations::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EvaluationsGiven::Table)
                    .col(integer(EvaluationsGiven::RunId))
                    .col(integer(EvaluationsGiven::UserId))
                    .primary_key(
                        Index::create()
                            .col(EvaluationsGiven::RunId)
                            .col(EvaluationsGiven::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationsGiven::Table, EvaluationsGiven::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationsGiven::Table, EvaluationsGiven::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EvaluationsGiven::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Evaluations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    RunId,
    Scores,
    Remark,
}

#[derive(DeriveIden)]
enum EvaluationsGiven {
    Table,
    RunId,
    UserId,
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
