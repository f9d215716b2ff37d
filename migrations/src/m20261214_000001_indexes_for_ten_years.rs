use sea_orm_migration::prelude::*;

/// Indexes for what pages look up once ten years of use are stored: a run's sessions, a
/// trainer's runs, a person's groups and certificates, a group's dilemmas and meetings, a
/// dilemma's replies, reads and action points, a meeting's notes, the audit log by kind.
/// Without them each of these reads the whole table (measured with `make bench-volume`).
#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(index, table, columns)`.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("idx_run_sessions_run", "run_sessions", &["run_id", "date"]),
    ("idx_run_trainers_subject", "run_trainers", &["subject"]),
    (
        "idx_session_attendance_user",
        "session_attendance",
        &["user_id"],
    ),
    ("idx_certificates_user", "certificates", &["user_id"]),
    ("idx_group_members_user", "group_members", &["user_id"]),
    (
        "idx_group_facilitators_user",
        "group_facilitators",
        &["user_id"],
    ),
    ("idx_meetings_group", "meetings", &["group_id", "starts_at"]),
    (
        "idx_dilemmas_group",
        "dilemmas",
        &["group_id", "created_at"],
    ),
    (
        "idx_dilemma_posts_dilemma",
        "dilemma_posts",
        &["dilemma_id"],
    ),
    (
        "idx_dilemma_reads_dilemma",
        "dilemma_reads",
        &["dilemma_id"],
    ),
    (
        "idx_action_points_dilemma",
        "action_points",
        &["dilemma_id"],
    ),
    (
        "idx_meeting_notes_meeting",
        "meeting_notes",
        &["meeting_id"],
    ),
    (
        "idx_agreement_acceptances_group_user",
        "agreement_acceptances",
        &["group_id", "user_id"],
    ),
    (
        "idx_audit_events_event",
        "audit_events",
        &["event", "occurred_at"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Alias::new(*table));
            for column in *columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(*name)
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
