use sea_orm::entity::prelude::*;

/// A run's anonymous evaluation answers, one list per run: each `[scores, remark]` with scores
/// per question ("4,5,3,4"). No account, no time, no id, and no order: each new answer goes to
/// a random place, so the list cannot be matched with who answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: i32,
    /// JSON: `[["4,5,3,4", "remark or null"], ...]`.
    pub answers: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
