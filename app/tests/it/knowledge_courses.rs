//! Courses and modules: import and placement, module pages, self-check answers checked on the
//! server, stored progress, editing a module in the workflow, export and search. On SQLite and
//! PostgreSQL.

use crate::common::{content_dir, factsheet, module, question, write_files};
use app::error::ServiceError;
use app::identity::service::accounts::record_login;
use app::knowledge::model::course::answer_value;
use app::knowledge::model::{Placement, SearchKind, SearchQuery};
use app::knowledge::service::courses::{
    check_quiz, course_view, list_courses, mark_read, module_view, progress_export,
};
use app::knowledge::service::export::export_content_dir;
use app::knowledge::service::import::import_content_dir;
use app::knowledge::service::search::SearchIndex;
use app::knowledge::service::workflow::{next_module_placement, open, save, save_placed, submit};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// A course `cursus` with modules at positions 1, 2 and 10 and one factsheet.
fn course_dir() -> tempfile::TempDir {
    let dir = content_dir(&[("feit.md", factsheet("feit", &[]))]);
    write_files(
        dir.path(),
        &[
            (
                "modules/cursus/course.md",
                module("cursus", "Over de cursus.\n"),
            ),
            (
                "modules/cursus/01-begin.md",
                module(
                    "begin",
                    &format!(
                        "Eerste module.\n\n{}\n{}",
                        question("Welke kleur?", "Blauwgeheim", "Rood"),
                        question("Welk getal?", "Twee", "Drie"),
                    ),
                ),
            ),
            (
                "modules/cursus/02-midden.md",
                module("midden", "Tweede module.\n"),
            ),
            (
                "modules/cursus/10-eind.md",
                module(
                    "eind",
                    &format!("Laatste.\n\n{}", question("Klaar?", "Ja", "Nee")),
                ),
            ),
        ],
    );
    dir
}

fn answers(values: &[(usize, usize)]) -> Vec<String> {
    values.iter().map(|(q, o)| answer_value(*q, *o)).collect()
}

async fn modules_are_placed_in_order_with_neighbours(db: &DatabaseConnection) {
    let dir = course_dir();
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.added, 5);

    let courses = list_courses(db, None, crate::common::now().date_naive())
        .await
        .unwrap();
    assert_eq!(courses.len(), 1);
    assert_eq!(courses[0].module_count, 3);

    let course = course_view(db, "cursus", None, today()).await.unwrap();
    let order: Vec<&str> = course.modules.iter().map(|m| m.slug.as_str()).collect();
    assert_eq!(order, ["begin", "midden", "eind"]);
    assert_eq!(course.modules[0].question_count, 2);
    assert!(!course.tracks_progress);
    assert!(course.modules.iter().all(|m| m.progress.is_none()));

    let middle = module_view(db, "cursus", "midden", None, today())
        .await
        .unwrap();
    assert_eq!((middle.number, middle.total), (2, 3));
    assert_eq!(middle.previous.unwrap().slug, "begin");
    assert_eq!(middle.next.unwrap().slug, "eind");
    assert!(middle.questions.is_empty());

    let first = module_view(db, "cursus", "begin", None, today())
        .await
        .unwrap();
    assert!(first.previous.is_none());
    assert_eq!(first.questions.len(), 2);
    assert_eq!(first.questions[0].options, ["Blauwgeheim", "Rood"]);
    // The page data says nothing about which option is right.
    let json = serde_json::to_string(&first).unwrap();
    assert!(
        !json.contains("Uitleg") && !json.contains("correct"),
        "{json}"
    );
    assert!(!first.module.body_html.contains("Blauwgeheim"));

    // A module is not a factsheet, and a module of another course is not found.
    assert!(matches!(
        app::knowledge::service::documents::get_published(
            db,
            &app::knowledge::service::documents::RelatedMemo::default(),
            "begin",
            today()
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        module_view(db, "andere", "begin", None, today()).await,
        Err(ServiceError::NotFound)
    ));
    assert_eq!(
        app::knowledge::service::documents::list_published(db)
            .await
            .unwrap()
            .len(),
        1,
        "only the factsheet is listed as one"
    );
}

async fn bad_module_files_are_rejected_with_reasons(db: &DatabaseConnection) {
    let dir = content_dir(&[
        (
            "feit.md",
            factsheet("feit", &[]).replace("Inleiding over feit.", &question("V?", "a", "b")),
        ),
        ("bestaand.md", factsheet("bestaand", &[])),
    ]);
    write_files(
        dir.path(),
        &[
            ("modules/cursus/course.md", module("cursus", "Over.\n")),
            ("modules/cursus/inleiding.md", module("inleiding", "x\n")),
            (
                "modules/cursus/01-bestaand.md",
                module("bestaand", "Zelfde slug als een factsheet.\n"),
            ),
            (
                "modules/cursus/02-anders.md",
                module("verkeerd", "Slug past niet.\n"),
            ),
            (
                "modules/cursus/03-kapot.md",
                module("kapot", "```vraag\nV?\n- [ ] a\n- [ ] b\n```\n"),
            ),
            (
                "modules/zonder/01-wees.md",
                module("wees", "Geen course.md.\n"),
            ),
            (
                "modules/verkeerd/course.md",
                module("andere-naam", "Map en slug verschillen.\n"),
            ),
        ],
    );
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let reasons: Vec<(String, String)> = report
        .rejected
        .iter()
        .map(|r| (r.path.clone(), r.reason.clone()))
        .collect();
    let reason_of = |path: &str| {
        reasons
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{path} not rejected: {reasons:?}"))
    };
    assert!(reason_of("factsheets/feit.md").contains("alleen in cursusmodules"));
    assert!(reason_of("modules/cursus/inleiding.md").contains("NN-<slug>.md"));
    assert!(reason_of("modules/cursus/01-bestaand.md").contains("elke slug is uniek"));
    assert!(reason_of("modules/cursus/02-anders.md").contains("02-verkeerd.md"));
    assert!(reason_of("modules/cursus/03-kapot.md").contains("zelftoetsvraag 1"));
    assert!(reason_of("modules/zonder/01-wees.md").contains("course.md"));
    assert!(reason_of("modules/verkeerd/course.md").contains("naam van haar map"));
    assert_eq!(report.added, 2, "the course and one factsheet: {reasons:?}");
    // Also when the other document was imported before.
    write_files(
        dir.path(),
        &[(
            "modules/cursus/04-bestaand.md",
            module("bestaand", "Opnieuw.\n"),
        )],
    );
    std::fs::remove_file(dir.path().join("modules/cursus/01-bestaand.md")).unwrap();
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let clash = report
        .rejected
        .iter()
        .find(|r| r.path == "modules/cursus/04-bestaand.md")
        .expect("clash with stored factsheet");
    assert!(
        clash
            .reason
            .contains("al in gebruik door factsheets/bestaand.md"),
        "{}",
        clash.reason
    );
}

async fn renumbering_a_module_moves_it(db: &DatabaseConnection) {
    let dir = course_dir();
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    let old = dir.path().join("modules/cursus/01-begin.md");
    std::fs::rename(&old, dir.path().join("modules/cursus/05-begin.md")).unwrap();
    let report = import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.updated, 1);
    let course = course_view(db, "cursus", None, today()).await.unwrap();
    let order: Vec<&str> = course.modules.iter().map(|m| m.slug.as_str()).collect();
    assert_eq!(order, ["midden", "begin", "eind"]);
}

async fn answers_are_checked_and_progress_is_kept(db: &DatabaseConnection) {
    import_content_dir(db, course_dir().path(), crate::common::now())
        .await
        .unwrap();
    let user = record_login(
        db,
        "https://idp.example",
        "lerende",
        None,
        crate::common::now(),
    )
    .await
    .unwrap();

    // Anonymous: checked, not stored.
    let anonymous = check_quiz(
        db,
        None,
        "cursus",
        "begin",
        &answers(&[(0, 0), (1, 0)]),
        crate::common::now(),
    )
    .await
    .unwrap();
    assert!(anonymous.passed && !anonymous.recorded);

    let wrong = check_quiz(
        db,
        Some(user),
        "cursus",
        "begin",
        &answers(&[(0, 1), (1, 0)]),
        crate::common::now(),
    )
    .await
    .unwrap();
    assert!(!wrong.passed && wrong.recorded);
    assert_eq!(
        wrong.feedback.iter().map(|f| f.correct).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(
        wrong.feedback[0].explanation.as_deref(),
        Some("Uitleg bij Welke kleur?")
    );
    let view = module_view(db, "cursus", "begin", Some(user), today())
        .await
        .unwrap();
    let progress = view.progress.unwrap();
    assert!(
        progress.read && !progress.quiz_passed,
        "trying counts as reading"
    );
    assert_eq!(view.completed_in_course, Some(0));

    let right = check_quiz(
        db,
        Some(user),
        "cursus",
        "begin",
        &answers(&[(0, 0), (1, 0)]),
        crate::common::now(),
    )
    .await
    .unwrap();
    assert!(right.passed);
    // A later failure does not take a pass away.
    check_quiz(db, Some(user), "cursus", "begin", &[], crate::common::now())
        .await
        .unwrap();
    mark_read(db, user, "cursus", "midden", crate::common::now())
        .await
        .unwrap();
    mark_read(db, user, "cursus", "midden", crate::common::now())
        .await
        .unwrap();

    let course = course_view(db, "cursus", Some(user), today())
        .await
        .unwrap();
    let completed: Vec<bool> = course.modules.iter().map(|m| m.completed()).collect();
    assert_eq!(
        completed,
        [true, true, false],
        "a module without questions needs only reading"
    );
    assert_eq!(course.completed_count(), 2);
    // The course overview counts the same for the reader, and nothing for a visitor.
    let overview = list_courses(db, Some(user), today()).await.unwrap();
    assert_eq!(
        (overview[0].module_count, overview[0].completed),
        (3, Some(2))
    );
    let anonymous = list_courses(db, None, today()).await.unwrap();
    assert_eq!(anonymous[0].completed, None);

    // Another user sees none of it.
    let other = record_login(
        db,
        "https://idp.example",
        "ander",
        None,
        crate::common::now(),
    )
    .await
    .unwrap();
    let theirs = course_view(db, "cursus", Some(other), today())
        .await
        .unwrap();
    assert_eq!(theirs.completed_count(), 0);

    let exported = progress_export(db, user).await.unwrap();
    assert_eq!(exported.len(), 2);
    assert!(exported[0]["zelftoets_gehaald_utc"].is_string());

    // A module without questions has no quiz to check; unknown modules are not found.
    assert!(matches!(
        check_quiz(
            db,
            Some(user),
            "cursus",
            "midden",
            &[],
            crate::common::now()
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        mark_read(db, user, "cursus", "bestaat-niet", crate::common::now()).await,
        Err(ServiceError::NotFound)
    ));
}

async fn modules_are_edited_and_added_in_the_workflow(db: &DatabaseConnection) {
    let dir = course_dir();
    import_content_dir(db, dir.path(), crate::common::now())
        .await
        .unwrap();

    // Editing an imported module keeps its place.
    let document = open(db, "midden", crate::common::now()).await.unwrap();
    assert_eq!(
        document.placement,
        Placement::Module {
            course: "cursus".into(),
            position: 2
        }
    );
    let edited = document.source.replace(
        "Tweede module.",
        &format!(
            "Tweede module, herzien.\n\n{}",
            question("Nieuw?", "Ja", "Nee")
        ),
    );
    save(db, 1, &edited, document.head, crate::common::now())
        .await
        .unwrap();
    submit(db, 1, "midden", crate::common::now()).await.unwrap();
    let indexed = crate::common::approve_head(db, 2, "midden").await.unwrap();
    assert_eq!(indexed.kind, SearchKind::Module);
    assert_eq!(indexed.slug, "cursus/midden");
    let view = module_view(db, "cursus", "midden", None, today())
        .await
        .unwrap();
    assert_eq!((view.number, view.questions.len()), (2, 1));
    assert!(view.module.body_html.contains("herzien"));

    // A broken question is refused next to the text, and nothing is saved.
    let head = open(db, "midden", crate::common::now()).await.unwrap().head;
    let broken = edited.replace("- [x] Ja", "- [ ] Ja");
    match save(db, 1, &broken, head, crate::common::now()).await {
        Err(ServiceError::InvalidDocument { field, message }) => {
            assert_eq!(field, Some("body"));
            assert!(message.contains("zelftoetsvraag 1"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        open(db, "midden", crate::common::now()).await.unwrap().head,
        head
    );

    // A new module goes after the last one.
    let placement = next_module_placement(db, "cursus").await.unwrap();
    assert_eq!(
        placement,
        Placement::Module {
            course: "cursus".into(),
            position: 11
        }
    );
    let new = module("nieuw", "Een module uit de browser.\n");
    save_placed(db, 1, &new, 0, &placement, crate::common::now())
        .await
        .unwrap();
    submit(db, 1, "nieuw", crate::common::now()).await.unwrap();
    crate::common::approve_head(db, 2, "nieuw").await.unwrap();
    let course = course_view(db, "cursus", None, today()).await.unwrap();
    assert_eq!(course.modules.last().unwrap().slug, "nieuw");
    assert!(matches!(
        next_module_placement(db, "geen-cursus").await,
        Err(ServiceError::NotFound)
    ));

    // Export writes modules where the importer reads them; in and out again is byte-identical.
    let out = tempfile::tempdir().unwrap();
    export_content_dir(db, out.path()).await.unwrap();
    let written = std::fs::read_to_string(out.path().join("modules/cursus/11-nieuw.md")).unwrap();
    assert!(written.contains("Een module uit de browser."));
    assert_eq!(
        std::fs::read(out.path().join("modules/cursus/01-begin.md")).unwrap(),
        std::fs::read(dir.path().join("modules/cursus/01-begin.md")).unwrap()
    );
    let other = crate::common::sqlite().await;
    let report = import_content_dir(&other, out.path(), crate::common::now())
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let again = tempfile::tempdir().unwrap();
    export_content_dir(&other, again.path()).await.unwrap();
    for path in [
        "modules/cursus/course.md",
        "modules/cursus/02-midden.md",
        "modules/cursus/11-nieuw.md",
        "factsheets/feit.md",
    ] {
        assert_eq!(
            std::fs::read(again.path().join(path)).unwrap(),
            std::fs::read(out.path().join(path)).unwrap(),
            "{path}"
        );
    }
}

async fn modules_are_found_but_answers_are_not(db: &DatabaseConnection) {
    import_content_dir(db, course_dir().path(), crate::common::now())
        .await
        .unwrap();
    let index = SearchIndex::new().unwrap();
    index.rebuild(db).await.unwrap();
    let search = |text: &str, kind: Option<SearchKind>| {
        index
            .search(&SearchQuery {
                text: text.into(),
                kind,
                ..Default::default()
            })
            .unwrap()
    };
    let hits = search("laatste", Some(SearchKind::Module)).hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].url, "/modules/cursus/eind");
    // A module hit names its course and place.
    assert_eq!(
        hits[0].context.as_deref(),
        Some("Module uit de cursus Factsheet cursus")
    );
    let course = search("cursus", Some(SearchKind::Module));
    assert!(course.hits.iter().any(|hit| hit.url == "/modules/cursus"));
    assert_eq!(
        search("blauwgeheim", None).total,
        0,
        "quiz answers are not indexed"
    );
    assert!(
        search("laatste", Some(SearchKind::Factsheet))
            .hits
            .is_empty()
    );
}

on_both_databases!(
    modules_are_placed_in_order_with_neighbours,
    bad_module_files_are_rejected_with_reasons,
    renumbering_a_module_moves_it,
    answers_are_checked_and_progress_is_kept,
    modules_are_edited_and_added_in_the_workflow,
    modules_are_found_but_answers_are_not,
);
