//! Search, related factsheets and the Atom feed over imported content, on SQLite and
//! PostgreSQL.

use crate::common::{content_dir, factsheet};
use app::knowledge::model::{SearchKind, SearchQuery};
use app::knowledge::service::documents::{RelatedMemo, get_published};
use app::knowledge::service::feed::atom_feed;
use app::knowledge::service::import::import_content_dir;
use app::knowledge::service::search::{IndexedDocument, SearchIndex};
use app::vocabulary::{Phenomenon, WorkField};
use sea_orm::DatabaseConnection;

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        ..Default::default()
    }
}

async fn imported(db: &DatabaseConnection) -> SearchIndex {
    let dir = content_dir(&[
        (
            "online.md",
            factsheet(
                "online",
                &[
                    ("title", "title: \"Online radicalisering\""),
                    ("phenomena", "phenomena: [fenomeenoverstijgend]"),
                ],
            )
            .replace(
                "Inleiding over online.",
                "Jongeren radicaliseren steeds vaker via sociale media en besloten chatgroepen.",
            ),
        ),
        (
            "rechts.md",
            factsheet(
                "rechts",
                &[
                    ("title", "title: \"Rechts-extremisme\""),
                    ("phenomena", "phenomena: [rechts-extremisme]"),
                    ("audience", "audience: [gemeente]"),
                ],
            )
            .replace(
                "Inleiding over rechts.",
                "Over accelerationisme en de radicalisering van <script>alert(1)</script> jongeren online.",
            ),
        ),
        (
            "concept.md",
            factsheet("concept", &[("status", "status: draft")])
                .replace("Inleiding over concept.", "Radicalisering in een concept."),
        ),
    ]);
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let index = SearchIndex::new().unwrap();
    assert_eq!(
        index.rebuild(db).await.unwrap(),
        2,
        "drafts are not indexed"
    );
    index
}

async fn dutch_stemming_ranking_and_snippets(db: &DatabaseConnection) {
    let index = imported(db).await;
    // "radicalisering" and "radicaliseren" share a stem; title matches rank first.
    let results = index.search(&query("radicalisering")).unwrap();
    assert_eq!(results.total, 2);
    assert_eq!(results.hits[0].slug, "online");
    let verb = index.search(&query("radicaliseren")).unwrap();
    assert_eq!(verb.total, 2);
    let hit = &index.search(&query("accelerationisme")).unwrap().hits[0];
    assert_eq!(hit.url, "/factsheets/rechts");
    assert!(
        hit.snippet_html.contains("<b>accelerationisme</b>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        !hit.snippet_html.contains("<script"),
        "{}",
        hit.snippet_html
    );
    // A snippet that starts or ends inside the text says so.
    assert!(
        hit.snippet_html.starts_with("… ") || hit.snippet_html.ends_with(" …"),
        "{}",
        hit.snippet_html
    );
    // A typo finds nothing, but a spelling that does is offered.
    let typo = index.search(&query("radikalisering")).unwrap();
    assert_eq!(typo.total, 0);
    assert_eq!(typo.suggestion.as_deref(), Some("radicalisering"));
    // Stop words alone find nothing; nonsense finds nothing (and gets no suggestion); odd
    // syntax is no error.
    let nonsense = index.search(&query("zzqx")).unwrap();
    assert_eq!((nonsense.total, nonsense.suggestion), (0, None));
    // Huge words cost nothing: the suggestion looks at the bounded query only.
    let started = std::time::Instant::now();
    let huge = vec!["radikaliseringg".repeat(400); 10].join(" ");
    assert_eq!(index.search(&query(&huge)).unwrap().suggestion, None);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    for odd in [
        "\"onafgesloten",
        "AND OR (",
        "title:",
        "*",
        "radicalisering)",
    ] {
        index.search(&query(odd)).unwrap();
    }
    assert_eq!(index.search(&query("   ")).unwrap().total, 0);
}

async fn filters_narrow_results(db: &DatabaseConnection) {
    let index = imported(db).await;
    let mut filtered = query("radicalisering");
    filtered.phenomenon = Some(Phenomenon::RechtsExtremisme);
    let results = index.search(&filtered).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].slug, "rechts");
    filtered.phenomenon = None;
    filtered.audience = Some(WorkField::Zorg);
    assert_eq!(index.search(&filtered).unwrap().hits[0].slug, "online");
    filtered.audience = None;
    filtered.kind = Some(SearchKind::Module);
    assert_eq!(index.search(&filtered).unwrap().total, 0);
}

async fn publishing_and_withdrawing_update_the_index(db: &DatabaseConnection) {
    let index = imported(db).await;
    let document = IndexedDocument {
        kind: SearchKind::Factsheet,
        slug: "nieuw".into(),
        title: "Polarisatie in de klas".into(),
        summary: "Gesprekken over polarisatie.".into(),
        body_text: "Docenten voeren het gesprek.".into(),
        phenomena: vec![Phenomenon::Fenomeenoverstijgend],
        audience: vec![WorkField::Onderwijs],
        context: None,
    };
    index.upsert(&document).unwrap();
    index.upsert(&document).unwrap();
    assert_eq!(
        index.search(&query("polarisatie")).unwrap().total,
        1,
        "no duplicate"
    );
    index.remove(SearchKind::Factsheet, "nieuw").unwrap();
    assert_eq!(index.search(&query("polarisatie")).unwrap().total, 0);
}

/// Two nodes on one database: what one publishes, withdraws or imports, the other's index
/// follows on its next `follow`, by the publication version and each row's content hash.
async fn every_node_follows_publications_for_search(db: &DatabaseConnection) {
    use app::identity::access::Role;
    let this_node = imported(db).await;
    let other_node = SearchIndex::new().unwrap();
    other_node.rebuild(db).await.unwrap();
    assert_eq!(other_node.follow(db).await.unwrap(), 0, "nothing moved");
    // An import (as from the command line) adds a factsheet and changes one.
    let dir = content_dir(&[
        (
            "nieuw.md",
            factsheet("nieuw", &[("title", "title: \"Polarisatie in de klas\"")]).replace(
                "Inleiding over nieuw.",
                "Docenten voeren het gesprek over polarisatie.",
            ),
        ),
        (
            "online.md",
            factsheet("online", &[("title", "title: \"Online radicalisering\"")]).replace(
                "Inleiding over online.",
                "Memes en complotdenken in besloten groepen.",
            ),
        ),
    ]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(other_node.search(&query("polarisatie")).unwrap().total, 0);
    assert!(other_node.follow(db).await.unwrap() >= 2);
    assert_eq!(other_node.search(&query("polarisatie")).unwrap().total, 1);
    assert_eq!(other_node.search(&query("complotdenken")).unwrap().total, 1);
    assert_eq!(
        other_node.search(&query("chatgroepen")).unwrap().total,
        0,
        "the old text is gone"
    );
    assert_eq!(other_node.follow(db).await.unwrap(), 0);
    // A withdrawal on this node: gone from the other's search on its next follow.
    let editor = crate::common::builders::AccountBuilder::new("redacteur")
        .roles(&[Role::Editor])
        .insert(db)
        .await;
    app::knowledge::service::workflow::withdraw(
        db,
        editor.user_id,
        "nieuw",
        "Verouderd; vervangen door een nieuwe factsheet.",
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(other_node.follow(db).await.unwrap(), 1);
    assert_eq!(other_node.search(&query("polarisatie")).unwrap().total, 0);
    this_node.follow(db).await.unwrap();
    assert_eq!(this_node.search(&query("complotdenken")).unwrap().total, 1);
}

async fn related_factsheets_share_phenomena_or_audience(db: &DatabaseConnection) {
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
                    ("phenomena", "phenomena: [jihadisme]"),
                    ("audience", "audience: [gemeente]"),
                ],
            ),
        ),
        (
            "c.md",
            factsheet(
                "c",
                &[
                    ("phenomena", "phenomena: [links-extremisme]"),
                    ("audience", "audience: [zorg]"),
                ],
            ),
        ),
        (
            "d.md",
            factsheet(
                "d",
                &[
                    ("phenomena", "phenomena: [links-extremisme]"),
                    ("audience", "audience: [gemeente]"),
                ],
            ),
        ),
        (
            "e.md",
            factsheet(
                "e",
                &[
                    ("phenomena", "phenomena: [jihadisme]"),
                    ("status", "status: draft"),
                ],
            ),
        ),
    ]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let a = get_published(db, &RelatedMemo::default(), "a", today)
        .await
        .unwrap();
    let related: Vec<&str> = a.related.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(
        related,
        ["b", "c"],
        "same phenomenon first; drafts and unrelated never"
    );
}

async fn related_factsheets_are_remembered_until_the_next_publication(db: &DatabaseConnection) {
    use app::knowledge::entity::{Column, Entity as Documents};
    use app::knowledge::model::DocumentStatus;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let related_of = |memo: RelatedMemo| async move {
        get_published(db, &memo, "a", today)
            .await
            .unwrap()
            .related
            .into_iter()
            .map(|s| s.slug)
            .collect::<Vec<_>>()
    };
    let mut files = vec![("a.md", factsheet("a", &[])), ("b.md", factsheet("b", &[]))];
    import_content_dir(db, content_dir(&files).path(), crate::common::now())
        .await
        .unwrap();
    let memo = RelatedMemo::default();
    assert_eq!(related_of(memo.clone()).await, ["b"]);

    // A change behind the publication version's back (the app never makes one) is not seen:
    // the memo answers while the version stands.
    Documents::update_many()
        .col_expr(Column::Status, Expr::value(DocumentStatus::Draft))
        .filter(Column::Slug.eq("b"))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(related_of(memo.clone()).await, ["b"], "remembered");
    assert_eq!(
        related_of(RelatedMemo::default()).await,
        Vec::<String>::new()
    );

    // Publishing bumps the version: the very next view works them out anew.
    files.push(("c.md", factsheet("c", &[])));
    import_content_dir(db, content_dir(&files).path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(related_of(memo).await, ["c"]);
}

async fn atom_feed_lists_published_factsheets(db: &DatabaseConnection) {
    imported(db).await;
    let xml = atom_feed(db, "https://leer.example.nl/").await.unwrap();
    let feed: atom_syndication::Feed = xml.parse().unwrap();
    assert_eq!(feed.entries().len(), 2);
    assert_eq!(feed.lang(), Some("nl"));
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert!(ids.contains(&"https://leer.example.nl/factsheets/online"));
    assert!(!xml.contains("concept"), "drafts stay out");
    // Imported files date from their last review (1 May 2026, Amsterdam midnight), not from
    // the import.
    for entry in feed.entries() {
        assert_eq!(entry.updated().to_rfc3339(), "2026-05-01T00:00:00+02:00");
    }
}

on_both_databases!(
    every_node_follows_publications_for_search,
    dutch_stemming_ranking_and_snippets,
    filters_narrow_results,
    publishing_and_withdrawing_update_the_index,
    related_factsheets_share_phenomena_or_audience,
    related_factsheets_are_remembered_until_the_next_publication,
    atom_feed_lists_published_factsheets,
);
