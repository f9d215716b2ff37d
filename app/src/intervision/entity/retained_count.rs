use sea_orm::entity::prelude::*;

/// How many dilemmas of a phenomenon a group had once they passed their retention period:
/// all that is kept of them, for reports.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retained_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    /// A `Phenomenon` slug (a composite key needs plain column types).
    pub phenomenon: String,
    pub dilemmas: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
