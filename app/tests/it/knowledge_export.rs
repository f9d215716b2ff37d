//! `content export`: database → `content/`, on SQLite and PostgreSQL. Export then import then
//! export gives the same bytes, and published web edits come out for review in git.

use std::path::Path;

use crate::common::{content_dir, factsheet};
use app::knowledge::service::export::export_content_dir;
use app::knowledge::service::import::import_content_dir;
use app::knowledge::service::workflow::{save, submit, withdraw};
use sea_orm::DatabaseConnection;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("factsheets"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

async fn round_trip_is_byte_identical(db: &DatabaseConnection) {
    let source = content_dir(&[
        ("een.md", factsheet("een", &[])),
        ("twee.md", factsheet("twee", &[("status", "status: draft")])),
        (
            "drie.md",
            factsheet(
                "drie",
                &[("title", "title: \"Aanhalingstekens \\\" en ü\"")],
            ),
        ),
    ]);
    import_content_dir(db, source.path(), crate::common::now())
        .await
        .unwrap();
    let first = tempfile::tempdir().unwrap();
    let report = export_content_dir(db, first.path()).await.unwrap();
    assert_eq!(report.written, 3);
    assert_eq!(
        files(first.path()),
        files(source.path()),
        "canonical files come back unchanged"
    );

    // Into a fresh database and out again: the same bytes.
    let other = crate::common::sqlite().await;
    import_content_dir(&other, first.path(), crate::common::now())
        .await
        .unwrap();
    let second = tempfile::tempdir().unwrap();
    export_content_dir(&other, second.path()).await.unwrap();
    assert_eq!(files(second.path()), files(first.path()));
    // Exporting onto an up-to-date directory writes nothing.
    let again = export_content_dir(db, first.path()).await.unwrap();
    assert_eq!((again.written, again.unchanged), (0, 3));
}

async fn published_web_edits_are_exported_and_withdrawn_ones_are_not(db: &DatabaseConnection) {
    let source = content_dir(&[
        ("een.md", factsheet("een", &[])),
        ("weg.md", factsheet("weg", &[])),
    ]);
    import_content_dir(db, source.path(), crate::common::now())
        .await
        .unwrap();
    let edited = factsheet("een", &[]).replace("Inleiding over een.", "Bijgewerkt op het web.");
    save(db, 1, &edited, 1, crate::common::now()).await.unwrap();
    submit(db, 1, "een", crate::common::now()).await.unwrap();
    // Not yet approved: the export still has the published text.
    let out = tempfile::tempdir().unwrap();
    export_content_dir(db, out.path()).await.unwrap();
    let text = std::fs::read_to_string(out.path().join("factsheets/een.md")).unwrap();
    assert!(!text.contains("Bijgewerkt"));
    crate::common::approve_head(db, 2, "een").await.unwrap();
    withdraw(
        db,
        2,
        "weg",
        "Niet meer actueel genoeg.",
        crate::common::now(),
    )
    .await
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    export_content_dir(db, out.path()).await.unwrap();
    let text = std::fs::read_to_string(out.path().join("factsheets/een.md")).unwrap();
    assert_eq!(
        text, edited,
        "exactly the approved document, status published"
    );
    assert!(!out.path().join("factsheets/weg.md").exists());
}

on_both_databases!(
    round_trip_is_byte_identical,
    published_web_edits_are_exported_and_withdrawn_ones_are_not,
);
