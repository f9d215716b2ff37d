use sea_orm_migration::{prelude::*, schema::*};

/// A meeting's agenda: the dilemmas the facilitator puts on it, in order, each with the method
/// used for it. An item outlives its dilemma (retention, or the author deleting it): the
/// meeting still shows which method was used. A group's retention changes are kept, so
/// content written before a longer period keeps its shorter one. A meeting recorded by an
/// admin more than 14 days afterwards carries when that was (its attendance window runs
/// from then).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingAgendaItems::Table)
                    .col(pk_auto(MeetingAgendaItems::Id))
                    .col(integer(MeetingAgendaItems::MeetingId))
                    .col(integer_null(MeetingAgendaItems::DilemmaId))
                    .col(integer(MeetingAgendaItems::Position))
                    .col(string_null(MeetingAgendaItems::Method))
                    .col(timestamp_with_time_zone(MeetingAgendaItems::AddedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingAgendaItems::Table, MeetingAgendaItems::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingAgendaItems::Table, MeetingAgendaItems::DilemmaId)
                            .to(Dilemmas::Table, Dilemmas::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_agenda_items_meeting")
                    .table(MeetingAgendaItems::Table)
                    .col(MeetingAgendaItems::MeetingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_agenda_items_dilemma")
                    .table(MeetingAgendaItems::Table)
                    .col(MeetingAgendaItems::DilemmaId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RetentionChanges::Table)
                    .col(pk_auto(RetentionChanges::Id))
                    .col(integer(RetentionChanges::GroupId))
                    .col(timestamp_with_time_zone(RetentionChanges::ChangedAt))
                    .col(integer(RetentionChanges::MonthsBefore))
                    .col(integer(RetentionChanges::MonthsAfter))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RetentionChanges::Table, RetentionChanges::GroupId)
                            .to(IntervisionGroups::Table, IntervisionGroups::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_retention_changes_group")
                    .table(RetentionChanges::Table)
                    .col(RetentionChanges::GroupId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(timestamp_with_time_zone_null(Meetings::RecordedLateAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .drop_column(Meetings::RecordedLateAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(RetentionChanges::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MeetingAgendaItems::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MeetingAgendaItems {
    Table,
    Id,
    MeetingId,
    DilemmaId,
    Position,
    Method,
    AddedAt,
}

#[derive(DeriveIden)]
enum RetentionChanges {
    Table,
    Id,
    GroupId,
    ChangedAt,
    MonthsBefore,
    MonthsAfter,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    RecordedLateAt,
}

#[derive(DeriveIden)]
enum Dilemmas {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum IntervisionGroups {
    Table,
    Id,
}
