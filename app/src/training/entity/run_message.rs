use sea_orm::entity::prelude::*;

use crate::training::model::MessageAudience;

/// A message written to a run's participants or waitlist: who sent it, when, to whom and how
/// many; the subject, never the text (the mails in the outbox carry that, for a while).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub sender_user_id: Option<i32>,
    pub sent_at: DateTimeUtc,
    pub audience: MessageAudience,
    pub recipients: i32,
    pub subject: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
