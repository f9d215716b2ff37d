use sea_orm_migration::{prelude::*, schema::*};

/// Notes per intervision meeting: what the group logged, to reread and continue between
/// meetings. Sealed like dilemmas and replies (the ciphertext only), deleted with the meeting.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingNotes::Table)
                    .col(pk_auto(MeetingNotes::Id))
                    .col(integer(MeetingNotes::MeetingId))
                    .col(integer_null(MeetingNotes::AuthorUserId))
                    .col(blob(MeetingNotes::Sealed))
                    .col(timestamp_with_time_zone(MeetingNotes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingNotes::Table, MeetingNotes::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingNotes::Table, MeetingNotes::AuthorUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MeetingNotes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MeetingNotes {
    Table,
    Id,
    MeetingId,
    AuthorUserId,
    Sealed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
