use sea_orm::entity::prelude::*;

/// Where a document's owner (the team `owner:` names) receives review reminders; from
/// `content/owners.yaml` (see `service::reviews`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "owner_mailboxes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner: String,
    pub mailbox: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
