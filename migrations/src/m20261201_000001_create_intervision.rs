use sea_orm_migration::{prelude::*, schema::*};

/// Intervision: closed groups, their facilitators and members, versioned confidentiality
/// agreements and who accepted which version, single-use invitations (only the SHA-256 of the
/// token is stored), the dilemma log (its free text sealed with the application key, so a dump
/// alone reveals nothing), who read which dilemma, and name overrides of the privacy guard
/// (recorded without the text), and the counts kept when content passes its retention.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IntervisionGroups::Table)
                    .col(pk_auto(IntervisionGroups::Id))
                    .col(string_len(IntervisionGroups::Name, 120))
                    .col(integer(IntervisionGroups::MaxMembers))
                    .col(integer(IntervisionGroups::RetentionMonths))
                    .col(integer(IntervisionGroups::AgreementVersion))
                    .col(text(IntervisionGroups::AgreementText))
                    .col(timestamp_with_time_zone(IntervisionGroups::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (table, user_column) in [
            (GroupPeople::GroupFacilitators, GroupPeople::UserId),
            (GroupPeople::GroupMembers, GroupPeople::UserId),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table)
                        .col(integer(GroupPeople::GroupId))
                        .col(integer(user_column))
                        .col(timestamp_with_time_zone(GroupPeople::JoinedAt))
                        .col(boolean(GroupPeople::Notify).default(true))
                        .primary_key(
                            Index::create()
                                .col(GroupPeople::GroupId)
                                .col(GroupPeople::UserId),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(table, GroupPeople::GroupId)
                                .to(IntervisionGroups::Table, IntervisionGroups::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(table, GroupPeople::UserId)
                                .to(Users::Table, Users::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AgreementAcceptances::Table)
                    .col(pk_auto(AgreementAcceptances::Id))
                    .col(integer(AgreementAcceptances::GroupId))
                    .col(integer(AgreementAcceptances::UserId))
                    .col(integer(AgreementAcceptances::Version))
                    .col(timestamp_with_time_zone(AgreementAcceptances::AcceptedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgreementAcceptances::Table, AgreementAcceptances::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgreementAcceptances::Table, AgreementAcceptances::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupInvitations::Table)
                    .col(string_len(GroupInvitations::TokenHash, 64).primary_key())
                    .col(integer(GroupInvitations::GroupId))
                    .col(timestamp_with_time_zone(GroupInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(GroupInvitations::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GroupInvitations::Table, GroupInvitations::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dilemmas::Table)
                    .col(pk_auto(Dilemmas::Id))
                    .col(integer(Dilemmas::GroupId))
                    .col(integer_null(Dilemmas::AuthorUserId))
                    .col(string_len(Dilemmas::WorkField, 40))
                    .col(string_len(Dilemmas::Phenomenon, 60))
                    .col(blob(Dilemmas::Sealed))
                    .col(timestamp_with_time_zone(Dilemmas::CreatedAt))
                    .col(string_len_null(Dilemmas::Method, 40))
                    .col(integer_null(Dilemmas::MethodStep))
                    .col(timestamp_with_time_zone_null(Dilemmas::StepStartedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dilemmas::Table, Dilemmas::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dilemmas::Table, Dilemmas::AuthorUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DilemmaPosts::Table)
                    .col(pk_auto(DilemmaPosts::Id))
                    .col(integer(DilemmaPosts::DilemmaId))
                    .col(integer_null(DilemmaPosts::AuthorUserId))
                    .col(blob(DilemmaPosts::Sealed))
                    .col(timestamp_with_time_zone(DilemmaPosts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DilemmaPosts::Table, DilemmaPosts::DilemmaId)
                            .to(Dilemmas::Table, Dilemmas::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DilemmaPosts::Table, DilemmaPosts::AuthorUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActionPoints::Table)
                    .col(pk_auto(ActionPoints::Id))
                    .col(integer(ActionPoints::DilemmaId))
                    .col(integer_null(ActionPoints::OwnerUserId))
                    .col(blob(ActionPoints::Sealed))
                    .col(date_null(ActionPoints::DueOn))
                    .col(string_len(ActionPoints::Status, 20))
                    .col(timestamp_with_time_zone(ActionPoints::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActionPoints::Table, ActionPoints::DilemmaId)
                            .to(Dilemmas::Table, Dilemmas::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActionPoints::Table, ActionPoints::OwnerUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DilemmaReads::Table)
                    .col(pk_auto(DilemmaReads::Id))
                    .col(integer(DilemmaReads::DilemmaId))
                    .col(integer(DilemmaReads::UserId))
                    .col(timestamp_with_time_zone(DilemmaReads::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DilemmaReads::Table, DilemmaReads::DilemmaId)
                            .to(Dilemmas::Table, Dilemmas::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DilemmaReads::Table, DilemmaReads::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(pk_auto(Meetings::Id))
                    .col(integer(Meetings::GroupId))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(string_len(Meetings::Location, 200))
                    .col(string_len_null(Meetings::OnlineLink, 500))
                    .col(boolean(Meetings::Cancelled).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Meetings::Table, Meetings::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingAttendance::Table)
                    .col(integer(MeetingAttendance::MeetingId))
                    .col(integer(MeetingAttendance::UserId))
                    .col(string_len(MeetingAttendance::Status, 20))
                    .primary_key(
                        Index::create()
                            .col(MeetingAttendance::MeetingId)
                            .col(MeetingAttendance::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingAttendance::Table, MeetingAttendance::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingAttendance::Table, MeetingAttendance::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RetainedCounts::Table)
                    .col(integer(RetainedCounts::GroupId))
                    .col(string_len(RetainedCounts::Phenomenon, 60))
                    .col(integer(RetainedCounts::Dilemmas))
                    .primary_key(
                        Index::create()
                            .col(RetainedCounts::GroupId)
                            .col(RetainedCounts::Phenomenon),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RetainedCounts::Table, RetainedCounts::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuardOverrides::Table)
                    .col(pk_auto(GuardOverrides::Id))
                    .col(integer(GuardOverrides::GroupId))
                    .col(integer(GuardOverrides::UserId))
                    .col(integer(GuardOverrides::Names))
                    .col(timestamp_with_time_zone(GuardOverrides::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuardOverrides::Table, GuardOverrides::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuardOverrides::Table, GuardOverrides::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MeetingAttendance::Table.into_iden(),
            Meetings::Table.into_iden(),
            GuardOverrides::Table.into_iden(),
            RetainedCounts::Table.into_iden(),
            DilemmaReads::Table.into_iden(),
            ActionPoints::Table.into_iden(),
            DilemmaPosts::Table.into_iden(),
            Dilemmas::Table.into_iden(),
            GroupInvitations::Table.into_iden(),
            AgreementAcceptances::Table.into_iden(),
            GroupPeople::GroupMembers.into_iden(),
            GroupPeople::GroupFacilitators.into_iden(),
            IntervisionGroups::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum IntervisionGroups {
    Table,
    Id,
    Name,
    MaxMembers,
    RetentionMonths,
    AgreementVersion,
    AgreementText,
    CreatedAt,
}

/// The two tables of people in a group share their columns.
#[derive(DeriveIden, Clone, Copy)]
enum GroupPeople {
    GroupFacilitators,
    GroupMembers,
    GroupId,
    UserId,
    JoinedAt,
    /// Mail when there is news in the group (without saying what).
    Notify,
}

#[derive(DeriveIden)]
enum AgreementAcceptances {
    Table,
    Id,
    GroupId,
    UserId,
    Version,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum GroupInvitations {
    Table,
    TokenHash,
    GroupId,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Dilemmas {
    Table,
    Id,
    GroupId,
    AuthorUserId,
    WorkField,
    Phenomenon,
    Sealed,
    CreatedAt,
    /// The method the group works through it with, and where it stands.
    Method,
    MethodStep,
    StepStartedAt,
}

#[derive(DeriveIden)]
enum DilemmaPosts {
    Table,
    Id,
    DilemmaId,
    AuthorUserId,
    Sealed,
    CreatedAt,
}

/// What someone will do after a dilemma; its text sealed like the dilemma's.
#[derive(DeriveIden)]
enum ActionPoints {
    Table,
    Id,
    DilemmaId,
    OwnerUserId,
    Sealed,
    DueOn,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DilemmaReads {
    Table,
    Id,
    DilemmaId,
    UserId,
    ReadAt,
}

/// A group's meetings, from a recurrence rule; a single one can be cancelled.
#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    GroupId,
    StartsAt,
    EndsAt,
    Location,
    OnlineLink,
    Cancelled,
}

/// Present, excused or absent, per member and meeting, as the facilitator recorded it.
#[derive(DeriveIden)]
enum MeetingAttendance {
    Table,
    MeetingId,
    UserId,
    Status,
}

/// What is left of dilemmas past their retention: how many there were per phenomenon.
#[derive(DeriveIden)]
enum RetainedCounts {
    Table,
    GroupId,
    Phenomenon,
    Dilemmas,
}

#[derive(DeriveIden)]
enum GuardOverrides {
    Table,
    Id,
    GroupId,
    UserId,
    Names,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
