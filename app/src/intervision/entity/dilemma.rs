use sea_orm::entity::prelude::*;

use crate::vocabulary::{Phenomenon, WorkField};

/// A dilemma in a group's log. Its free text is `sealed` (see `service::sealing`): the
/// database holds no readable word of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dilemmas")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub group_id: i32,
    /// The case owner; None once their account is gone.
    pub author_user_id: Option<i32>,
    pub work_field: WorkField,
    pub phenomenon: Phenomenon,
    pub sealed: Vec<u8>,
    pub created_at: DateTimeUtc,
    /// The method slug (see `rules::methods`) once the facilitator starts one.
    pub method: Option<String>,
    /// The current step (0-based); the number of steps when the method is finished.
    pub method_step: Option<i32>,
    pub step_started_at: Option<DateTimeUtc>,
    /// The steps' minutes for this meeting ("5,15,20"); None: the method's defaults.
    pub method_minutes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
