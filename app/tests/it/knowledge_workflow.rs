//! The editorial workflow on SQLite and PostgreSQL: revisions, optimistic locking, review by a
//! second editor, withdrawal with a notice, restore, and how it meets the importer.

use crate::common::{content_dir, factsheet};
use app::error::ServiceError;
use app::identity::model::AuditEventKind;
use app::knowledge::model::{DiffKind, WorkflowState};
use app::knowledge::service::documents::{RelatedMemo, get_published, list_published};
use app::knowledge::service::import::import_content_dir;
use app::knowledge::service::workflow::{
    self, approve, diff, history, open, restore, save, submit, withdraw,
};
use sea_orm::DatabaseConnection;

const ANNA: i32 = 101;
const BART: i32 = 102;
const CEES: i32 = 103;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn draft(slug: &str, body_line: &str) -> String {
    factsheet(slug, &[("status", "status: draft")])
        .replace(&format!("Inleiding over {slug}."), body_line)
}

async fn a_second_editor_must_approve(db: &DatabaseConnection) {
    let head = save(
        db,
        ANNA,
        &draft("nieuw", "Eerste versie."),
        0,
        crate::common::now(),
    )
    .await
    .unwrap();
    assert_eq!(head, 1);
    assert!(matches!(
        get_published(db, &RelatedMemo::default(), "nieuw", today()).await,
        Err(ServiceError::NotFound)
    ));
    // Approving needs a submission first.
    assert!(matches!(
        crate::common::approve_head(db, BART, "nieuw").await,
        Err(ServiceError::Invalid(_))
    ));
    submit(db, ANNA, "nieuw", crate::common::now())
        .await
        .unwrap();
    assert_eq!(
        open(db, "nieuw", crate::common::now()).await.unwrap().state,
        WorkflowState::InReview
    );
    // Nobody approves their own work: not the author, not the one who submitted.
    assert!(
        matches!(crate::common::approve_head(db, ANNA, "nieuw").await, Err(ServiceError::Invalid(m)) if m.contains("meegewerkt"))
    );
    let indexed = crate::common::approve_head(db, BART, "nieuw")
        .await
        .unwrap();
    assert_eq!(indexed.slug, "nieuw");
    let public = get_published(db, &RelatedMemo::default(), "nieuw", today())
        .await
        .unwrap();
    assert!(public.body_html.contains("Eerste versie."));
    let document = open(db, "nieuw", crate::common::now()).await.unwrap();
    assert_eq!(document.state, WorkflowState::Published);
    assert_eq!(document.published, Some(1));
    // Each step is in the audit log with who took it.
    let steps: Vec<(AuditEventKind, Option<i32>, String)> =
        app::identity::service::audit::list(db, None, app::identity::model::AuditStretch::Newest)
            .await
            .unwrap()
            .entries
            .into_iter()
            .map(|e| (e.event, e.actor_user_id, e.detail))
            .collect();
    assert_eq!(
        steps,
        [
            (
                AuditEventKind::DocumentApproved,
                Some(BART),
                "nieuw".to_owned()
            ),
            (
                AuditEventKind::DocumentSubmitted,
                Some(ANNA),
                "nieuw".to_owned()
            ),
        ]
    );

    // Someone else submits Anna's later edit: neither Anna (author) nor Bart (submitter) may approve.
    let head = save(
        db,
        ANNA,
        &draft("nieuw", "Tweede versie."),
        1,
        crate::common::now(),
    )
    .await
    .unwrap();
    submit(db, BART, "nieuw", crate::common::now())
        .await
        .unwrap();
    assert!(
        crate::common::approve_head(db, BART, "nieuw")
            .await
            .is_err()
    );
    assert!(
        crate::common::approve_head(db, ANNA, "nieuw")
            .await
            .is_err()
    );
    // Meanwhile the public still sees the first version.
    assert!(
        get_published(db, &RelatedMemo::default(), "nieuw", today())
            .await
            .unwrap()
            .body_html
            .contains("Eerste versie.")
    );
    crate::common::approve_head(db, CEES, "nieuw")
        .await
        .unwrap();
    assert!(
        get_published(db, &RelatedMemo::default(), "nieuw", today())
            .await
            .unwrap()
            .body_html
            .contains("Tweede versie.")
    );
    assert_eq!(
        open(db, "nieuw", crate::common::now())
            .await
            .unwrap()
            .published,
        Some(head)
    );
}

async fn concurrent_saves_conflict_instead_of_overwriting(db: &DatabaseConnection) {
    save(
        db,
        ANNA,
        &draft("gedeeld", "Basis."),
        0,
        crate::common::now(),
    )
    .await
    .unwrap();
    // Both open revision 1.
    let base = open(db, "gedeeld", crate::common::now())
        .await
        .unwrap()
        .head;
    save(
        db,
        ANNA,
        &draft("gedeeld", "Anna's tekst."),
        base,
        crate::common::now(),
    )
    .await
    .unwrap();
    let conflict = save(
        db,
        BART,
        &draft("gedeeld", "Barts tekst."),
        base,
        crate::common::now(),
    )
    .await;
    match conflict {
        Err(ServiceError::Conflict { head, theirs }) => {
            assert_eq!(head, 2);
            assert!(
                theirs.contains("Anna's tekst."),
                "the other version comes back"
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        open(db, "gedeeld", crate::common::now())
            .await
            .unwrap()
            .source
            .contains("Anna's tekst.")
    );
    // Creating a document whose slug exists is refused on the slug field.
    match save(
        db,
        BART,
        &draft("gedeeld", "Nieuw?"),
        0,
        crate::common::now(),
    )
    .await
    {
        Err(ServiceError::InvalidDocument { field, .. }) => assert_eq!(field, Some("slug")),
        other => panic!("expected a slug error, got {other:?}"),
    }
}

async fn invalid_documents_are_refused_with_the_importers_messages(db: &DatabaseConnection) {
    let bad = draft("fout", "Tekst.").replace("review_due: 2027-05-01", "review_due: 2020-01-01");
    match save(db, ANNA, &bad, 0, crate::common::now()).await {
        Err(ServiceError::InvalidDocument { field, message }) => {
            assert_eq!(field, Some("review_due"));
            assert!(message.contains("na de laatste controle"));
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    let huge = draft("groot", &"x".repeat(300 * 1024));
    assert!(
        matches!(save(db, ANNA, &huge, 0, crate::common::now()).await, Err(ServiceError::Invalid(m)) if m.contains("256 KB"))
    );
}

async fn withdrawn_factsheets_explain_themselves(db: &DatabaseConnection) {
    save(
        db,
        ANNA,
        &draft("oud", "Verouderd."),
        0,
        crate::common::now(),
    )
    .await
    .unwrap();
    submit(db, ANNA, "oud", crate::common::now()).await.unwrap();
    crate::common::approve_head(db, BART, "oud").await.unwrap();
    assert!(matches!(
        withdraw(db, BART, "oud", "te kort", crate::common::now()).await,
        Err(ServiceError::Invalid(_))
    ));
    let essay = "Vervangen. ".repeat(100);
    assert!(matches!(
        withdraw(db, BART, "oud", &essay, crate::common::now()).await,
        Err(ServiceError::Invalid(m)) if m.contains("te lang")
    ));
    withdraw(
        db,
        BART,
        "oud",
        "Vervangen door de factsheet over online radicalisering.",
        crate::common::now(),
    )
    .await
    .unwrap();
    match get_published(db, &RelatedMemo::default(), "oud", today()).await {
        Err(ServiceError::Withdrawn {
            kind,
            title,
            reason,
        }) => {
            assert_eq!(kind, "Factsheet");
            assert_eq!(title, "Factsheet oud");
            assert!(reason.contains("Vervangen"));
        }
        other => panic!("expected the withdrawn notice, got {other:?}"),
    }
    assert!(
        list_published(db)
            .await
            .unwrap()
            .iter()
            .all(|s| s.slug != "oud")
    );
    assert_eq!(
        open(db, "oud", crate::common::now()).await.unwrap().state,
        WorkflowState::Withdrawn
    );
    assert!(
        withdraw(
            db,
            BART,
            "oud",
            "Nog een keer intrekken.",
            crate::common::now()
        )
        .await
        .is_err()
    );
}

async fn history_diff_and_restore(db: &DatabaseConnection) {
    save(
        db,
        ANNA,
        &draft("historie", "Versie een."),
        0,
        crate::common::now(),
    )
    .await
    .unwrap();
    save(
        db,
        BART,
        &draft("historie", "Versie twee.")
            .replace("reviewed_on: 2026-05-01", "reviewed_on: 2026-11-02")
            .replace(
                "phenomena: [jihadisme]",
                "phenomena: [jihadisme, links-extremisme]",
            ),
        1,
        crate::common::now(),
    )
    .await
    .unwrap();
    let revisions = history(db, "historie", crate::common::now()).await.unwrap();
    assert_eq!(
        revisions.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(revisions[0].author_user_id, Some(BART));
    let changes = diff(db, "historie", 1, 2).await.unwrap();
    // Changed fields by their Dutch labels and values, unchanged ones left out.
    let fields: Vec<(&str, &str, &str)> = changes
        .fields
        .iter()
        .map(|c| (c.label.as_str(), c.old.as_str(), c.new.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("Fenomenen", "Jihadisme", "Jihadisme, Links-extremisme"),
            ("Laatst gecontroleerd", "1 mei 2026", "2 november 2026"),
        ]
    );
    assert!(
        changes
            .body
            .iter()
            .any(|l| l.kind == DiffKind::Removed && l.text == "Versie een.")
    );
    assert!(
        changes
            .body
            .iter()
            .any(|l| l.kind == DiffKind::Added && l.text == "Versie twee.")
    );
    // The body diff is the text only: no front matter in it.
    assert!(!changes.body.iter().any(|l| l.text.starts_with("title:")));
    let head = restore(db, ANNA, "historie", 1, 2, crate::common::now())
        .await
        .unwrap();
    assert_eq!(head, 3);
    let latest =
        app::identity::service::audit::list(db, None, app::identity::model::AuditStretch::Newest)
            .await
            .unwrap()
            .entries
            .remove(0);
    assert_eq!(
        (latest.event, latest.actor_user_id, latest.detail.as_str()),
        (AuditEventKind::DocumentRestored, Some(ANNA), "historie")
    );
    assert!(
        open(db, "historie", crate::common::now())
            .await
            .unwrap()
            .source
            .contains("Versie een.")
    );
    assert_eq!(
        history(db, "historie", crate::common::now())
            .await
            .unwrap()
            .len(),
        3,
        "restoring adds, never removes"
    );
    assert!(matches!(
        restore(db, ANNA, "historie", 1, 2, crate::common::now()).await,
        Err(ServiceError::Conflict { .. })
    ));
}

async fn imported_factsheets_become_revision_one_and_web_edits_survive_reimport(
    db: &DatabaseConnection,
) {
    let dir = content_dir(&[("gedeeld.md", factsheet("gedeeld", &[]))]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let document = open(db, "gedeeld", crate::common::now()).await.unwrap();
    assert_eq!(
        (document.head, document.state),
        (1, WorkflowState::Published)
    );
    assert_eq!(document.published, Some(1));
    assert_eq!(
        document.source,
        factsheet("gedeeld", &[]),
        "the imported file is revision 1, byte for byte"
    );
    assert_eq!(
        history(db, "gedeeld", crate::common::now()).await.unwrap()[0].author_user_id,
        None
    );

    // A web edit, then the content/ file changes too: the web version is kept.
    let edited = factsheet("gedeeld", &[]).replace("Inleiding over gedeeld.", "Webversie.");
    save(db, ANNA, &edited, 1, crate::common::now())
        .await
        .unwrap();
    submit(db, ANNA, "gedeeld", crate::common::now())
        .await
        .unwrap();
    crate::common::approve_head(db, BART, "gedeeld")
        .await
        .unwrap();
    std::fs::write(
        dir.path().join("factsheets/gedeeld.md"),
        factsheet("gedeeld", &[]).replace("Inleiding over gedeeld.", "Gitversie."),
    )
    .unwrap();
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert_eq!(report.edited_on_web, 1);
    assert_eq!(report.updated, 0);
    assert!(
        get_published(db, &RelatedMemo::default(), "gedeeld", today())
            .await
            .unwrap()
            .body_html
            .contains("Webversie.")
    );
}

async fn unknown_documents_are_not_found(db: &DatabaseConnection) {
    assert!(matches!(
        open(db, "bestaat-niet", crate::common::now()).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        submit(db, ANNA, "bestaat-niet", crate::common::now()).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        save(
            db,
            ANNA,
            &draft("bestaat-niet", "x"),
            3,
            crate::common::now()
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    assert!(workflow::diff_lines("a\n", "a\n").is_empty());
    // Only the change and two lines around it; the rest is "…".
    let old: String = (1..=20).map(|n| format!("regel {n}\n")).collect();
    let new = old.replace("regel 10\n", "regel tien\n");
    let lines: Vec<String> = workflow::diff_lines(&old, &new)
        .into_iter()
        .map(|line| line.text)
        .collect();
    assert_eq!(
        lines,
        [
            "regel 8",
            "regel 9",
            "regel 10",
            "regel tien",
            "regel 11",
            "regel 12"
        ]
    );
}

/// The approver publishes what they reviewed, and nobody who wrote part of the change since the
/// last publication may approve it: not only the head's author and the submitter.
async fn approval_is_tied_to_the_reviewed_revision_and_to_all_contributors(
    db: &DatabaseConnection,
) {
    save(
        db,
        ANNA,
        &draft("vier-ogen", "Eerste."),
        0,
        crate::common::now(),
    )
    .await
    .unwrap();
    submit(db, ANNA, "vier-ogen", crate::common::now())
        .await
        .unwrap();
    crate::common::approve_head(db, BART, "vier-ogen")
        .await
        .unwrap();
    // Bart writes revision 2, Cees revision 3 and submits; Bart is still a contributor.
    save(
        db,
        BART,
        &draft("vier-ogen", "Tweede."),
        1,
        crate::common::now(),
    )
    .await
    .unwrap();
    save(
        db,
        CEES,
        &draft("vier-ogen", "Derde."),
        2,
        crate::common::now(),
    )
    .await
    .unwrap();
    submit(db, CEES, "vier-ogen", crate::common::now())
        .await
        .unwrap();
    let refused = approve(db, BART, "vier-ogen", 3, crate::common::now()).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(m)) if m.contains("meegewerkt")),
        "{:?}",
        refused.err()
    );
    // Anna only wrote the published revision 1: she may judge the change, but only the one
    // she saw. A reviewed number that is not the head publishes nothing.
    let moved = approve(db, ANNA, "vier-ogen", 2, crate::common::now()).await;
    assert!(
        matches!(&moved, Err(ServiceError::Invalid(m)) if m.contains("nieuwere versie")),
        "{:?}",
        moved.err()
    );
    assert!(
        get_published(db, &RelatedMemo::default(), "vier-ogen", today())
            .await
            .unwrap()
            .body_html
            .contains("Eerste.")
    );
    approve(db, ANNA, "vier-ogen", 3, crate::common::now())
        .await
        .unwrap();
    assert!(
        get_published(db, &RelatedMemo::default(), "vier-ogen", today())
            .await
            .unwrap()
            .body_html
            .contains("Derde.")
    );
}

/// The editors' overview: imported and web-only documents alike, overdue reviews first.
async fn the_overview_lists_every_document_overdue_first(db: &DatabaseConnection) {
    let dir = content_dir(&[(
        "oud.md",
        factsheet(
            "oud",
            &[
                ("reviewed_on", "reviewed_on: 2025-01-01"),
                ("review_due", "review_due: 2026-01-01"),
            ],
        ),
    )]);
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    for slug in ["web-een", "web-twee"] {
        save(db, ANNA, &draft(slug, "Tekst."), 0, crate::common::now())
            .await
            .unwrap();
    }
    submit(db, ANNA, "web-twee", crate::common::now())
        .await
        .unwrap();
    let items = workflow::overview(db, today()).await.unwrap();
    let listed: Vec<(&str, WorkflowState, bool)> = items
        .iter()
        .map(|i| (i.slug.as_str(), i.state, i.overdue))
        .collect();
    assert_eq!(
        listed,
        [
            ("oud", WorkflowState::Published, true),
            ("web-een", WorkflowState::Draft, false),
            ("web-twee", WorkflowState::InReview, false),
        ]
    );
    assert_eq!(items[1].title, "Factsheet web-een");
    assert_eq!(items[1].owner, "Kennisteam Test");
    // The page the editors see: counts over everything, the queue of what awaits approval.
    let page = workflow::overview_page(db, today(), 1).await.unwrap();
    assert_eq!((page.overdue, page.in_review, page.drafts), (1, 1, 1));
    assert_eq!((page.page, page.page_count, page.items.len()), (1, 1, 3));
    assert_eq!(page.awaiting_approval[0].slug, "web-twee");
}

on_both_databases!(
    the_overview_lists_every_document_overdue_first,
    approval_is_tied_to_the_reviewed_revision_and_to_all_contributors,
    a_second_editor_must_approve,
    concurrent_saves_conflict_instead_of_overwriting,
    invalid_documents_are_refused_with_the_importers_messages,
    withdrawn_factsheets_explain_themselves,
    history_diff_and_restore,
    imported_factsheets_become_revision_one_and_web_edits_survive_reimport,
    unknown_documents_are_not_found,
);
