//! Import and read services of the knowledge domain, on SQLite and PostgreSQL.

use crate::common::{content_dir, factsheet};
use app::error::ServiceError;
use app::knowledge::service::documents::{
    RelatedMemo, get_published, list_published, list_published_page, recently_reviewed,
};
use app::knowledge::service::import::import_content_dir;
use app::vocabulary::{Phenomenon, WorkField};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn imports_a_good_file(db: &DatabaseConnection) {
    let dir = content_dir(&[("jihadisme.md", factsheet("jihadisme", &[]))]);
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!((report.added, report.updated, report.unchanged), (1, 0, 0));
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);

    let list = list_published(db).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].phenomena, vec![Phenomenon::Jihadisme]);
    assert_eq!(
        list[0].audience,
        vec![WorkField::Onderwijs, WorkField::Zorg]
    );

    let sheet = get_published(db, &RelatedMemo::default(), "jihadisme", date("2026-11-23"))
        .await
        .unwrap();
    assert_eq!(sheet.summary.title, "Factsheet jihadisme");
    assert_eq!(sheet.sources[0].url, "https://www.aivd.nl");
    assert_eq!(sheet.toc.len(), 2);
    assert_eq!(sheet.toc[0].anchor, "tekst-achtergrond");
    assert!(sheet.body_html.contains("<h2 id=\"tekst-achtergrond\">"));
    assert!(sheet.body_html.contains("<table>"));
    assert!(!sheet.review_overdue);
}

async fn reports_every_kind_of_bad_file_and_serves_the_rest(db: &DatabaseConnection) {
    let dir = content_dir(&[
        ("goed.md", factsheet("goed", &[])),
        ("geen-front-matter.md", "# Alleen tekst\n".to_owned()),
        ("niet-afgesloten.md", "---\ntitle: x\n".to_owned()),
        ("kapotte-yaml.md", "---\ntitle: [\n---\n".to_owned()),
        (
            "onbekend-veld.md",
            factsheet("onbekend-veld", &[("author", "author: iemand")]),
        ),
        (
            "onbekend-fenomeen.md",
            factsheet(
                "onbekend-fenomeen",
                &[("phenomena", "phenomena: [voetbal]")],
            ),
        ),
        (
            "ontbrekende-eigenaar.md",
            factsheet("ontbrekende-eigenaar", &[("owner", "")]),
        ),
        (
            "foute-datum.md",
            factsheet("foute-datum", &[("reviewed_on", "reviewed_on: gisteren")]),
        ),
        ("andere-naam.md", factsheet("heel-anders", &[])),
        (
            "te-groot.md",
            factsheet("te-groot", &[]) + &"x".repeat(300 * 1024),
        ),
    ]);
    std::fs::write(
        dir.path().join("factsheets/geen-utf8.md"),
        [0xff, 0xfe, 0x00],
    )
    .unwrap();
    std::fs::write(dir.path().join("factsheets/notities.txt"), "geen markdown").unwrap();

    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(report.added, 1);
    let reasons: Vec<(String, String)> = report
        .rejected
        .iter()
        .map(|r| (r.path.clone(), r.reason.clone()))
        .collect();
    let expect = |file: &str, fragment: &str| {
        let path = format!("factsheets/{file}");
        let (_, reason) = reasons
            .iter()
            .find(|(p, _)| *p == path)
            .unwrap_or_else(|| panic!("{path} not rejected: {reasons:?}"));
        assert!(reason.contains(fragment), "{path}: {reason}");
    };
    expect("geen-front-matter.md", "begint niet met front matter");
    expect("niet-afgesloten.md", "niet afgesloten");
    expect("kapotte-yaml.md", "geen geldige YAML");
    expect("onbekend-veld.md", "onbekend veld 'author'");
    expect(
        "onbekend-fenomeen.md",
        "veld 'phenomena': onbekende waarde 'voetbal'",
    );
    expect("ontbrekende-eigenaar.md", "veld 'owner': ontbreekt");
    expect("foute-datum.md", "veld 'reviewed_on'");
    expect(
        "andere-naam.md",
        "bestandsnaam moet gelijk zijn aan de slug",
    );
    expect("te-groot.md", "groter dan 256 KB");
    expect("geen-utf8.md", "UTF-8");
    assert_eq!(report.rejected.len(), 10, "{reasons:?}");

    let slugs: Vec<String> = list_published(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert_eq!(slugs, ["goed"]);
}

async fn second_import_changes_nothing(db: &DatabaseConnection) {
    let dir = content_dir(&[("a.md", factsheet("a", &[])), ("b.md", factsheet("b", &[]))]);
    let first = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(first.added, 2);
    let before = get_published(db, &RelatedMemo::default(), "a", date("2026-11-23"))
        .await
        .unwrap();
    let second = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!((second.added, second.updated, second.unchanged), (0, 0, 2));
    assert_eq!(
        get_published(db, &RelatedMemo::default(), "a", date("2026-11-23"))
            .await
            .unwrap(),
        before
    );
}

async fn changed_file_updates(db: &DatabaseConnection) {
    let dir = content_dir(&[("a.md", factsheet("a", &[]))]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    std::fs::write(
        dir.path().join("factsheets/a.md"),
        factsheet(
            "a",
            &[
                ("title", "title: \"Nieuwe titel\""),
                ("audience", "audience: [gemeente]"),
            ],
        ),
    )
    .unwrap();
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!((report.added, report.updated, report.unchanged), (0, 1, 0));
    let sheet = get_published(db, &RelatedMemo::default(), "a", date("2026-11-23"))
        .await
        .unwrap();
    assert_eq!(sheet.summary.title, "Nieuwe titel");
    assert_eq!(sheet.summary.audience, vec![WorkField::Gemeente]);
    assert_eq!(list_published(db).await.unwrap().len(), 1);
}

async fn drafts_are_hidden(db: &DatabaseConnection) {
    let dir = content_dir(&[
        ("publiek.md", factsheet("publiek", &[])),
        (
            "concept.md",
            factsheet("concept", &[("status", "status: draft")]),
        ),
    ]);
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(report.added, 2);
    let slugs: Vec<String> = list_published(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert_eq!(slugs, ["publiek"]);
    assert!(matches!(
        get_published(db, &RelatedMemo::default(), "concept", date("2026-11-23")).await,
        Err(ServiceError::NotFound)
    ));
    assert!(
        recently_reviewed(db, 10)
            .await
            .unwrap()
            .iter()
            .all(|s| s.slug != "concept")
    );
}

async fn unknown_slug_is_not_found(db: &DatabaseConnection) {
    assert!(matches!(
        get_published(
            db,
            &RelatedMemo::default(),
            "bestaat-niet",
            date("2026-11-23")
        )
        .await,
        Err(ServiceError::NotFound)
    ));
}

async fn recent_are_newest_first_and_limited(db: &DatabaseConnection) {
    let dir = content_dir(&[
        (
            "oud.md",
            factsheet("oud", &[("reviewed_on", "reviewed_on: 2026-01-10")]),
        ),
        (
            "nieuw.md",
            factsheet("nieuw", &[("reviewed_on", "reviewed_on: 2026-10-10")]),
        ),
        (
            "midden.md",
            factsheet("midden", &[("reviewed_on", "reviewed_on: 2026-06-10")]),
        ),
    ]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let slugs: Vec<String> = recently_reviewed(db, 2)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert_eq!(slugs, ["nieuw", "midden"]);
}

async fn overdue_review_is_flagged(db: &DatabaseConnection) {
    let dir = content_dir(&[(
        "a.md",
        factsheet("a", &[("review_due", "review_due: 2026-11-01")]),
    )]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert!(
        get_published(db, &RelatedMemo::default(), "a", date("2026-11-02"))
            .await
            .unwrap()
            .review_overdue
    );
    assert!(
        !get_published(db, &RelatedMemo::default(), "a", date("2026-11-01"))
            .await
            .unwrap()
            .review_overdue
    );
}

async fn large_import_keeps_every_file_and_rejection(db: &DatabaseConnection) {
    // Enough files for the import to parse on several threads.
    let files: Vec<(String, String)> = (0..150)
        .map(|i| {
            let slug = format!("fs-{i:03}");
            let text = if i % 50 == 7 {
                factsheet(&slug, &[("audience", "audience: [niemand]")])
            } else {
                factsheet(&slug, &[])
            };
            (format!("{slug}.md"), text)
        })
        .collect();
    let named: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = content_dir(&named);
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(report.added, 147);
    let rejected: Vec<&str> = report.rejected.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        rejected,
        [
            "factsheets/fs-007.md",
            "factsheets/fs-057.md",
            "factsheets/fs-107.md"
        ]
    );
    assert_eq!(list_published(db).await.unwrap().len(), 147);
    // The index pages through them 30 at a time; the last page holds the rest.
    let first = list_published_page(db, None, None, 1).await.unwrap();
    assert_eq!(
        (first.total, first.page_count, first.items.len()),
        (147, 5, 30)
    );
    assert_eq!(first.items[0].slug, "fs-000");
    let last = list_published_page(db, None, None, 5).await.unwrap();
    assert_eq!(last.items.len(), 27);
    assert_eq!(last.items[26].slug, "fs-149");
    // A page past the end shows the last page, not an empty list.
    assert_eq!(
        list_published_page(db, None, None, 99).await.unwrap().page,
        5
    );
}

async fn the_index_filters_in_the_database(db: &DatabaseConnection) {
    let dir = content_dir(&[
        (
            "a.md",
            factsheet(
                "a",
                &[
                    ("phenomena", "phenomena: [jihadisme]"),
                    ("audience", "audience: [zorg]"),
                ],
            ),
        ),
        (
            "b.md",
            factsheet(
                "b",
                &[
                    ("phenomena", "phenomena: [rechts-extremisme]"),
                    ("audience", "audience: [zorg, onderwijs]"),
                ],
            ),
        ),
    ]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let slugs = |listing: app::knowledge::model::FactsheetListing| {
        listing
            .items
            .into_iter()
            .map(|s| s.slug)
            .collect::<Vec<_>>()
    };
    let both = list_published_page(db, None, Some(WorkField::Zorg), 1)
        .await
        .unwrap();
    assert_eq!(
        (both.total, slugs(both)),
        (2, vec!["a".to_owned(), "b".to_owned()])
    );
    let jihadism = list_published_page(db, Some(Phenomenon::Jihadisme), Some(WorkField::Zorg), 1)
        .await
        .unwrap();
    assert_eq!(slugs(jihadism), ["a"]);
    let none = list_published_page(
        db,
        Some(Phenomenon::Jihadisme),
        Some(WorkField::Onderwijs),
        1,
    )
    .await
    .unwrap();
    assert_eq!((none.total, none.page_count, none.items.len()), (0, 1, 0));
}

on_both_databases!(
    large_import_keeps_every_file_and_rejection,
    the_index_filters_in_the_database,
    imports_a_good_file,
    reports_every_kind_of_bad_file_and_serves_the_rest,
    second_import_changes_nothing,
    changed_file_updates,
    drafts_are_hidden,
    unknown_slug_is_not_found,
    recent_are_newest_first_and_limited,
    overdue_review_is_flagged,
);

#[tokio::test]
async fn shipped_content_imports_without_rejections() {
    let db = crate::common::sqlite().await;
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let report = import_content_dir(&db, &content, crate::common::now())
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert!(report.added >= 12, "only {} documents", report.added);
    let courses = app::knowledge::service::courses::list_courses(
        &db,
        None,
        crate::common::now().date_naive(),
    )
    .await
    .unwrap();
    assert!(courses.iter().all(|c| c.module_count >= 1), "{courses:?}");
}

#[test]
fn a_training_documents_common_and_own_fields_are_reported_at_once() {
    use app::knowledge::rules::front_matter::parse_document_all;
    app::register_document_kinds();
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../content/trainings/gespreksvoering-bij-radicalisering.md"),
    )
    .expect("a shipped training");
    assert!(
        parse_document_all(&shipped).is_ok(),
        "the shipped training is valid"
    );
    // Each wrong value comments the shipped one out.
    let broken = shipped
        .replacen("\nowner: ", "\nowner: \"\" # ", 1)
        .replacen("\nhours: ", "\nhours: zes # ", 1)
        .replacen("\nprerequisites: ", "\nprerequisites: \"\" # ", 1);
    let errors = parse_document_all(&broken).expect_err("three wrong fields");
    let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [Some("owner"), Some("hours"), Some("prerequisites")]
    );
}
