use sea_orm::entity::prelude::*;

/// An existing account invited to a group by its address (the address is not kept): it joins
/// only by accepting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_account_invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub invited_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Accepted or declined; an answered invitation is not asked again.
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
