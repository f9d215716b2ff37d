use sea_orm_migration::{prelude::*, schema::*};

/// A facilitator invites an existing account by its address: the person is asked, by mail and
/// on their intervision page, and joins only by accepting. The row ties the invitation to the
/// account (never the address); it goes with the group or the account.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GroupAccountInvitations::Table)
                    .col(integer(GroupAccountInvitations::GroupId))
                    .col(integer(GroupAccountInvitations::UserId))
                    .col(timestamp_with_time_zone(GroupAccountInvitations::InvitedAt))
                    .col(timestamp_with_time_zone(GroupAccountInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(
                        GroupAccountInvitations::AnsweredAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(GroupAccountInvitations::GroupId)
                            .col(GroupAccountInvitations::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                GroupAccountInvitations::Table,
                                GroupAccountInvitations::GroupId,
                            )
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                GroupAccountInvitations::Table,
                                GroupAccountInvitations::UserId,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_group_account_invitations_user")
                    .table(GroupAccountInvitations::Table)
                    .col(GroupAccountInvitations::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(GroupAccountInvitations::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum GroupAccountInvitations {
    Table,
    GroupId,
    UserId,
    InvitedAt,
    ExpiresAt,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum IntervisionGroups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
