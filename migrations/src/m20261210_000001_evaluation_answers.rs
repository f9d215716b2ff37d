use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, JsonValue, Statement};

/// A run's evaluation answers become one shuffled list per run instead of a row per answer:
/// rows carried an id from a sequence and a place in the table in the order they arrived, the
/// same order as the "who answered" rows, so the two could be joined. The list has no order
/// worth anything (each new answer goes to a random place) and no ids.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvaluationAnswers::Table)
                    .col(integer(EvaluationAnswers::RunId).primary_key())
                    .col(text(EvaluationAnswers::Answers))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EvaluationAnswers::Table, EvaluationAnswers::RunId)
                            .to(TrainingRuns::Table, TrainingRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        // Sorted by content, not by arrival.
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT run_id, scores, remark FROM evaluations ORDER BY run_id, scores, remark",
            ))
            .await?;
        let mut per_run: std::collections::BTreeMap<i32, Vec<JsonValue>> = Default::default();
        for row in rows {
            let run_id: i32 = row.try_get("", "run_id")?;
            let scores: String = row.try_get("", "scores")?;
            let remark: Option<String> = row.try_get("", "remark")?;
            per_run
                .entry(run_id)
                .or_default()
                .push(JsonValue::Array(vec![
                    JsonValue::String(scores),
                    remark.map_or(JsonValue::Null, JsonValue::String),
                ]));
        }
        for (run_id, answers) in per_run {
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(EvaluationAnswers::Table)
                        .columns([EvaluationAnswers::RunId, EvaluationAnswers::Answers])
                        .values_panic([run_id.into(), JsonValue::Array(answers).to_string().into()])
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Evaluations::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The order the answers arrived in is gone for good; the answers come back as rows.
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
            .drop_table(Table::drop().table(EvaluationAnswers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EvaluationAnswers {
    Table,
    RunId,
    Answers,
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
enum TrainingRuns {
    Table,
    Id,
}
