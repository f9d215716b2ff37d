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

/// Dilemmas brought in before themes existed count for their phenomenon once the migration
/// runs, and only once, however often it runs.
async fn dilemmas_brought_in_before_themes_count_for_their_phenomenon(db: &DatabaseConnection) {
    use app::identity::access::Role;
    use app::intervision::entity::dilemma_theme;
    use app::intervision::rules::check_dilemma;
    use app::intervision::service::dilemmas::save_dilemma;
    use app::intervision::service::sealing::Sealer;
    use app::vocabulary::Theme;

    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = crate::intervision::account(db, "begeleider", &[Role::Facilitator]).await;
    let group = crate::intervision::group(db, &facilitator, "8").await;
    let valid = check_dilemma(&crate::intervision::dilemma_form(
        crate::intervision::SITUATION,
    ))
    .unwrap();
    save_dilemma(
        db,
        &sealer,
        group,
        facilitator.user_id,
        &valid,
        crate::common::now(),
    )
    .await
    .unwrap();
    let migrations = Migrator::migrations();
    let loop_at = migrations
        .iter()
        .position(|m| m.name() == "m20261216_000002_knowledge_loop")
        .expect("the knowledge loop is a migration");
    // Back to before the tally (its table goes), and up again: the backfill fills it in.
    Migrator::down(db, Some((migrations.len() - loop_at) as u32))
        .await
        .expect("migrate down to before the knowledge loop");
    Migrator::up(db, None).await.expect("migrate up again");
    let tallied: Vec<(Option<i32>, Theme)> = dilemma_theme::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.dilemma_id.map(|_| 1), t.theme))
        .collect();
    assert_eq!(tallied, [(Some(1), Theme::RechtsExtremisme)]);
    let once_more = migrations.len() - 1;
    Migrator::down(db, Some((migrations.len() - once_more) as u32))
        .await
        .unwrap();
    Migrator::up(db, None).await.unwrap();
    assert_eq!(
        dilemma_theme::Entity::find().all(db).await.unwrap().len(),
        1
    );
}

on_both_databases!(
    renaming_to_documents_keeps_every_row,
    the_session_span_is_filled_in_for_stored_runs,
    dilemmas_brought_in_before_themes_count_for_their_phenomenon
);
