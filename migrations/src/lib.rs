//! Database schema, applied at start-up by the server and by every test database.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_factsheets;
mod m20261128_000001_create_identity;
mod m20261128_000002_create_factsheet_workflow;
mod m20261128_000003_create_course_modules;
mod m20261129_000001_rename_to_documents;
mod m20261129_000002_create_trainings;
mod m20261129_000003_create_calendar_feeds;
mod m20261130_000001_create_mail_and_jobs;
mod m20261201_000001_create_intervision;
mod m20261202_000001_method_minutes;
mod m20261203_000001_create_attendance_certificates;
mod m20261204_000001_meeting_notes;
mod m20261205_000001_evaluations;
mod m20261206_000001_run_records_deleted;
mod m20261207_000001_publication_version;
mod m20261208_000001_records_never_cascade;
mod m20261209_000001_account_invitations;
mod m20261210_000001_evaluation_answers;
mod m20261211_000001_key_check_and_nodes;
mod m20261212_000001_run_messages;
mod m20261212_000002_meeting_sequence;
mod m20261212_000003_group_closed;
mod m20261213_000001_agenda_and_retention;
mod m20261213_000002_account_erasure;
mod m20261214_000001_indexes_for_ten_years;
mod m20261214_000002_accounts_by_name;
mod m20261215_000001_run_session_span;
mod m20261215_000002_mails_by_state;
mod m20261216_000001_people_by_part_of_name;
mod m20261216_000002_knowledge_loop;
mod m20261216_000003_review_reminders;
mod m20261216_000004_dilemma_themes_once;
mod m20261217_000001_knowledge_usage;
mod m20261218_000001_theme_counts_by_theme;
mod m20261218_000002_theme_tally_version;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_factsheets::Migration),
            Box::new(m20261128_000001_create_identity::Migration),
            Box::new(m20261128_000002_create_factsheet_workflow::Migration),
            Box::new(m20261128_000003_create_course_modules::Migration),
            Box::new(m20261129_000001_rename_to_documents::Migration),
            Box::new(m20261129_000002_create_trainings::Migration),
            Box::new(m20261129_000003_create_calendar_feeds::Migration),
            Box::new(m20261130_000001_create_mail_and_jobs::Migration),
            Box::new(m20261201_000001_create_intervision::Migration),
            Box::new(m20261202_000001_method_minutes::Migration),
            Box::new(m20261203_000001_create_attendance_certificates::Migration),
            Box::new(m20261204_000001_meeting_notes::Migration),
            Box::new(m20261205_000001_evaluations::Migration),
            Box::new(m20261206_000001_run_records_deleted::Migration),
            Box::new(m20261207_000001_publication_version::Migration),
            Box::new(m20261208_000001_records_never_cascade::Migration),
            Box::new(m20261209_000001_account_invitations::Migration),
            Box::new(m20261210_000001_evaluation_answers::Migration),
            Box::new(m20261211_000001_key_check_and_nodes::Migration),
            Box::new(m20261212_000001_run_messages::Migration),
            Box::new(m20261212_000002_meeting_sequence::Migration),
            Box::new(m20261212_000003_group_closed::Migration),
            Box::new(m20261213_000001_agenda_and_retention::Migration),
            Box::new(m20261213_000002_account_erasure::Migration),
            Box::new(m20261214_000001_indexes_for_ten_years::Migration),
            Box::new(m20261214_000002_accounts_by_name::Migration),
            Box::new(m20261215_000001_run_session_span::Migration),
            Box::new(m20261215_000002_mails_by_state::Migration),
            Box::new(m20261216_000001_people_by_part_of_name::Migration),
            Box::new(m20261216_000002_knowledge_loop::Migration),
            Box::new(m20261216_000003_review_reminders::Migration),
            Box::new(m20261216_000004_dilemma_themes_once::Migration),
            Box::new(m20261217_000001_knowledge_usage::Migration),
            Box::new(m20261218_000001_theme_counts_by_theme::Migration),
            Box::new(m20261218_000002_theme_tally_version::Migration),
        ]
    }
}
