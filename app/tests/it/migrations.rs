//! Migrations that move data keep it, on SQLite and PostgreSQL.

use app::knowledge::entity::{Column, Entity as Documents};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Steps back over the rename to `documents` (and every migration after it), stores a row the
/// old way, and migrates again.
async fn renaming_to_documents_keeps_every_row(db: &DatabaseConnection) {
    let migrations = Migrator::migrations();
    let rename = migrations
        .iter()
        .position(|m| m.name() == "m20261129_000001_rename_to_documents")
        .expect("the rename is a migration");
    Migrator::down(db, Some((migrations.len() - rename) as u32))
        .await
        .expect("migrate down to before the rename");
    db.execute_unprepared(
        "INSERT INTO factsheets (slug, title, summary, phenomena, audience, owner, reviewed_on, \
         review_due, sources, status, body_markdown, body_html, toc, content_hash, source_path, \
         updated_at, kind) VALUES ('oud', 'Oude factsheet', 'Samenvatting.', '[]', '[]', 'Team', \
         '2026-01-01', '2027-01-01', '[]', 'published', 'Tekst.', '<p>Tekst.</p>', '[]', 'h', \
         'factsheets/oud.md', '2026-01-01 00:00:00+00:00', 'factsheet')",
    )
    .await
    .expect("insert into the old table");
    Migrator::up(db, None).await.expect("migrate up again");
    let row = Documents::find()
        .filter(Column::Slug.eq("oud"))
        .one(db)
        .await
        .expect("query documents")
        .expect("the row survived the rename");
    assert_eq!(row.title, "Oude factsheet");
    assert_eq!(row.status, app::knowledge::model::DocumentStatus::Published);
    let old_table = db
        .execute_unprepared("SELECT count(*) FROM factsheets")
        .await;
    assert!(old_table.is_err(), "the old table name is gone");
}

/// Runs stored before their first and last session date lived on the run get them from their
/// sessions when the migration runs.
async fn the_session_span_is_filled_in_for_stored_runs(db: &DatabaseConnection) {
    use app::training::entity::run;
    let _dir = crate::common::builders::TrainingBuilder::new("verdieping")
        .run(crate::common::builders::RunBuilder::new("2027-voorjaar"))
        .import(db, crate::common::now())
        .await;
    let migrations = Migrator::migrations();
    let span = migrations
        .iter()
        .position(|m| m.name() == "m20261215_000001_run_session_span")
        .expect("the span is a migration");
    Migrator::down(db, Some((migrations.len() - span) as u32))
        .await
        .expect("migrate down to before the span");
    Migrator::up(db, None).await.expect("migrate up again");
    let stored = run::Entity::find()
        .one(db)
        .await
        .expect("query runs")
        .expect("the run");
    assert_eq!(
        (stored.first_session_on, stored.last_session_on),
        (
            Some(crate::common::builders::date("2027-03-04")),
            Some(crate::common::builders::date("2027-03-18"))
        )
    );
}

on_both_databases!(
    renaming_to_documents_keeps_every_row,
    the_session_span_is_filled_in_for_stored_runs
);
