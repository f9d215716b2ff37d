use sea_orm::entity::prelude::*;

/// Seats a work field holds in a run (confirmed and offered), raised only by a conditional
/// update so the fair-mix share holds under concurrent enrolments.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_work_field_seats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    /// A `WorkField` slug (a composite key needs plain column types).
    pub work_field: String,
    pub seats: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
