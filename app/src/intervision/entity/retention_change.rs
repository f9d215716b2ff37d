use sea_orm::entity::prelude::*;

/// A change of a group's retention period. Kept so that content written before a longer
/// period keeps the shorter one it was written under (see `service::retention`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub group_id: i32,
    pub changed_at: DateTimeUtc,
    pub months_before: i32,
    pub months_after: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
