use sea_orm::entity::prelude::*;

/// A closed intervision group. `agreement_version` rises each time the text changes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "intervision_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub max_members: i32,
    pub retention_months: i32,
    pub agreement_version: i32,
    pub agreement_text: String,
    pub created_at: DateTimeUtc,
    /// Closed by its facilitator: read-only, no new meetings; retention runs on.
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
