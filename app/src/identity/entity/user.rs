use sea_orm::entity::prelude::*;

/// An account, known by the OpenID provider's issuer and subject. The e-mail address is the
/// provider's `email` claim, refreshed at every login and used only for the platform's own mail.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub issuer: String,
    pub subject: String,
    pub display_name: Option<String>,
    pub organisation: Option<String>,
    pub work_field: Option<String>,
    pub profile_completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub last_login_at: DateTimeUtc,
    pub email: Option<String>,
    /// Erased at its owner's request: a pseudonym from then on, never logged in again.
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
