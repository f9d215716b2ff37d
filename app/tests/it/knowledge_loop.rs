//! The knowledge loop on SQLite and PostgreSQL: the themes of dilemmas are counted only where
//! enough groups bring them in, never as text; the tally follows the author's edits, outlives
//! the dilemma's retention and leaves after the counting window; editors keep a backlog of
//! wanted factsheets whose published items name a published document.

use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use app::error::ServiceError;
use app::identity::access::Role;
use app::intervision::entity::{dilemma, dilemma_theme};
use app::intervision::rules::check_dilemma;
use app::intervision::service::dilemmas::{delete_dilemma, save_dilemma, update_dilemma};
use app::intervision::service::sealing::Sealer;
use app::intervision::service::themes::{KeptThemeCounts, purge_old_tallies, theme_counts};
use app::knowledge::entity::backlog_item;
use app::knowledge::model::backlog::{BacklogForm, BacklogStatus};
use app::knowledge::rules::backlog::check_backlog_form;
use app::knowledge::service::backlog;
use app::knowledge::service::import::import_content_dir;
use app::knowledge::service::search::SearchIndex;
use app::vocabulary::Theme;

use crate::common::{content_dir, factsheet, now};
use crate::intervision::{SITUATION, account, dilemma_form, group};

/// The counts `theme_counts` shows at `at`, for the themes that have one; and the same from
/// the counts a node keeps (`kept`), which must follow every change.
async fn shown(
    db: &DatabaseConnection,
    kept: &KeptThemeCounts,
    at: chrono::DateTime<chrono::Utc>,
) -> Vec<(Theme, u32)> {
    let counted = theme_counts(db, at).await.unwrap();
    let from_kept = kept.theme_counts(db, at).await.unwrap();
    assert_eq!(*from_kept, counted, "the kept counts follow the tallies");
    counted
        .into_iter()
        .filter_map(|count| Some((count.theme, count.dilemmas?)))
        .collect()
}

async fn themes_are_counted_only_where_enough_groups_bring_them_in(db: &DatabaseConnection) {
    let kept = KeptThemeCounts::default();
    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let groups = [
        group(db, &facilitator, "8").await,
        group(db, &facilitator, "8").await,
        group(db, &facilitator, "8").await,
    ];
    let bring_in = |themes: &[&str]| {
        let mut form = dilemma_form(SITUATION);
        form.themes = themes.iter().map(|t| t.to_string()).collect();
        check_dilemma(&form).unwrap()
    };
    let author = facilitator.user_id;
    // School: 3 + 1 dilemmas in two groups; Gezin: 4 + 1, also two groups.
    let mut first_group = Vec::new();
    for _ in 0..3 {
        let valid = bring_in(&["school", "gezin"]);
        first_group.push(
            save_dilemma(db, &sealer, groups[0], author, &valid, now())
                .await
                .unwrap(),
        );
    }
    let valid = bring_in(&["gezin"]);
    save_dilemma(db, &sealer, groups[0], author, &valid, now())
        .await
        .unwrap();
    let valid = bring_in(&["school", "gezin"]);
    save_dilemma(db, &sealer, groups[1], author, &valid, now())
        .await
        .unwrap();
    // Thirteen months ago in the third group: outside the window.
    let long_ago = now() - Duration::days(400);
    let valid = bring_in(&["school"]);
    save_dilemma(db, &sealer, groups[2], author, &valid, long_ago)
        .await
        .unwrap();
    assert_eq!(
        shown(db, &kept, now()).await,
        [],
        "four, or five from two groups: nothing shown"
    );

    // A fifth school dilemma from a third group shows school; gezin stays at two groups. Every
    // dilemma also counts for its phenomenon (rechts-extremisme: 6 from 3 groups).
    let valid = bring_in(&["school"]);
    let third = save_dilemma(db, &sealer, groups[2], author, &valid, now())
        .await
        .unwrap();
    assert_eq!(
        shown(db, &kept, now()).await,
        [(Theme::RechtsExtremisme, 6), (Theme::School, 5)]
    );

    // The author's unchanged form writes nothing; a changed one moves the tally.
    let before = dilemma_theme::Entity::find().all(db).await.unwrap();
    let unchanged = update_dilemma(
        db,
        &sealer,
        groups[2],
        third,
        author,
        &bring_in(&["school"]),
        now(),
    )
    .await
    .unwrap();
    assert!(!unchanged);
    assert_eq!(dilemma_theme::Entity::find().all(db).await.unwrap(), before);
    assert!(
        update_dilemma(
            db,
            &sealer,
            groups[2],
            third,
            author,
            &bring_in(&["gezin"]),
            now()
        )
        .await
        .unwrap()
    );
    assert_eq!(
        shown(db, &kept, now()).await,
        [(Theme::RechtsExtremisme, 6), (Theme::Gezin, 6)]
    );

    // Retention deletes a dilemma: its tally stays, unlinked. The author's own deletion takes
    // the tally along (it was not brought in after all).
    dilemma::Entity::delete_by_id(first_group[0])
        .exec(db)
        .await
        .unwrap();
    let unlinked = dilemma_theme::Entity::find()
        .filter(dilemma_theme::Column::DilemmaId.is_null())
        .all(db)
        .await
        .unwrap();
    assert_eq!(unlinked.len(), 3, "school, gezin and the phenomenon");
    delete_dilemma(db, groups[2], third, author).await.unwrap();
    assert_eq!(
        shown(db, &kept, now()).await,
        [],
        "five of each, but only from two groups now"
    );

    // Nothing changed: the node's kept counts, not counted again.
    let before = kept.theme_counts(db, now()).await.unwrap();
    let again = kept.theme_counts(db, now()).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&before, &again));

    // The daily job drops what fell out of the window: the dilemma of thirteen months ago;
    // the kept counts are counted again.
    let tallies = dilemma_theme::Entity::find().all(db).await.unwrap().len();
    assert_eq!(purge_old_tallies(db, now()).await.unwrap(), 2);
    assert_eq!(
        dilemma_theme::Entity::find().all(db).await.unwrap().len(),
        tallies - 2
    );
    let after = kept.theme_counts(db, now()).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&before, &after));
}

fn form(theme: &str, title: &str, status: &str) -> BacklogForm {
    BacklogForm {
        thema: theme.into(),
        titel: title.into(),
        status: status.into(),
        ..BacklogForm::default()
    }
}

/// The themes page counts a year of tallies (31,200 rows in the ten years' bench) from the
/// index on (theme, group, day) alone, in its order: no read of the table, no sort by theme
/// (the day-first index before it left both databases sorting; 17–19 ms on PostgreSQL).
async fn theme_counts_read_the_index_in_its_order(db: &DatabaseConnection) {
    use app::intervision::service::themes::theme_count_query;
    use sea_orm::{DbBackend, QueryTrait};

    let backend = db.get_database_backend();
    let query = theme_count_query(now()).build(backend);
    let plan = crate::common::query_plan(db, query, "dilemma_themes").await;
    let wanted = match backend {
        DbBackend::Postgres => "Index Only Scan using idx_dilemma_themes_by_theme",
        _ => "COVERING INDEX idx_dilemma_themes_by_theme",
    };
    assert!(plan.contains(wanted), "{wanted} not in the plan:\n{plan}");
    assert!(
        !plan.contains("Sort") && !plan.contains("FOR GROUP BY"),
        "{plan}"
    );
}

async fn the_backlog_keeps_what_practice_asks_for_and_where_it_stands(db: &DatabaseConnection) {
    let dir = content_dir(&[(
        "signalen-op-school.md",
        factsheet(
            "signalen-op-school",
            &[
                ("title", "title: \"Signalen op school\""),
                ("phenomena", "phenomena: [jihadisme]"),
            ],
        )
        .replace(
            "Inleiding over signalen-op-school.",
            "Wat een leerling op school laat zien, en wanneer u de ouders betrekt.",
        ),
    )]);
    let report = import_content_dir(db, dir.path(), now()).await.unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let index = SearchIndex::new().unwrap();
    index.rebuild(db).await.unwrap();

    let new =
        check_backlog_form(&form("school", "Schoolverzuim en radicalisering", ""), true).unwrap();
    let first = backlog::add_item(db, &new, now()).await.unwrap();
    let other = check_backlog_form(&form("gezin", "Ouders in gesprek", ""), true).unwrap();
    let second = backlog::add_item(db, &other, now()).await.unwrap();

    // Published names a published document: an unknown one is refused at its field.
    let mut published = form("school", "Schoolverzuim en radicalisering", "gepubliceerd");
    published.document = "bestaat-niet".into();
    let refused = backlog::change_item(
        db,
        first,
        &check_backlog_form(&published, false).unwrap(),
        now(),
    )
    .await;
    let Err(ServiceError::Fields(errors)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        errors["document"],
        "Er is geen gepubliceerd document met de naam 'bestaat-niet'."
    );
    published.document = "signalen-op-school".into();
    let later = now() + Duration::days(3);
    let valid = check_backlog_form(&published, false).unwrap();
    assert!(
        backlog::change_item(db, first, &valid, later)
            .await
            .unwrap()
    );
    let stored = backlog_item::Entity::find_by_id(first)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !backlog::change_item(db, first, &valid, later + Duration::days(1))
            .await
            .unwrap()
    );
    assert_eq!(
        backlog_item::Entity::find_by_id(first)
            .one(db)
            .await
            .unwrap()
            .unwrap(),
        stored,
        "an unchanged form changes no stored row"
    );

    // Open items first on the editorial overview, and each theme lists its own.
    let items = backlog::backlog(db).await.unwrap();
    assert_eq!(
        items.iter().map(|i| (i.id, i.status)).collect::<Vec<_>>(),
        [
            (second, BacklogStatus::Open),
            (first, BacklogStatus::Published)
        ]
    );
    assert_eq!(
        items[1].document,
        Some(("signalen-op-school".into(), "Signalen op school".into()))
    );
    let page = backlog::themes_page(db, &index, &KeptThemeCounts::default(), now())
        .await
        .unwrap();
    let theme = |wanted: Theme| page.themes.iter().find(|t| t.theme == wanted).unwrap();
    assert_eq!(theme(Theme::School).backlog.len(), 1);
    assert_eq!(theme(Theme::Gezin).backlog[0].id, second);
    // What covers a theme: by its words (school, ouders) or by its phenomenon tag.
    for covered in [Theme::School, Theme::Gezin, Theme::Jihadisme] {
        assert_eq!(
            theme(covered)
                .covering
                .iter()
                .map(|d| d.url.as_str())
                .collect::<Vec<_>>(),
            ["/factsheets/signalen-op-school"],
            "{covered:?}"
        );
    }
    assert_eq!(theme(Theme::OnlineGedrag).covering_total, 0);
}

/// Owners hear of a document's review date 30 days before and once it passed, each once per
/// document and date (a new date starts again); owners without a mailbox hear nothing; the
/// editors' weekly digest lists what is overdue; the overview shows what went out.
async fn review_reminders_go_once_per_document_and_date(db: &DatabaseConnection) {
    use app::knowledge::model::ReminderKind;
    use app::knowledge::service::reviews;
    use app::messaging::entity::mail;
    use app::messaging::model::{JobKind, MailKind};
    use app::messaging::service::jobs;

    let doc = |slug: &str, owner: &str, due: &str| {
        (
            format!("{slug}.md"),
            factsheet(
                slug,
                &[
                    ("owner", &format!("owner: \"{owner}\"")),
                    ("review_due", &format!("review_due: {due}")),
                ],
            ),
        )
    };
    // `now()` is 29 November 2026.
    let files = [
        doc("bijna", "Team A", "2026-12-20"),
        doc("verlopen", "Team A", "2026-11-01"),
        doc("later", "Team A", "2027-06-01"),
        doc("zonder-postbus", "Team B", "2026-11-02"),
    ];
    let dir = content_dir(
        &files
            .iter()
            .map(|(n, t)| (n.as_str(), t.clone()))
            .collect::<Vec<_>>(),
    );
    std::fs::write(
        dir.path().join("owners.yaml"),
        "- owner: Team A\n  mailbox: team-a@test.invalid\n",
    )
    .unwrap();
    import_content_dir(db, dir.path(), now()).await.unwrap();
    assert_eq!(
        reviews::import_owner_mailboxes(db, dir.path())
            .await
            .unwrap(),
        1
    );
    let editor = crate::common::builders::AccountBuilder::new("redacteur")
        .roles(&[Role::Editor])
        .email("redacteur@test.invalid")
        .insert(db)
        .await;

    let subjects = |kind: MailKind| async move {
        let mut found: Vec<(String, String)> = mail::Entity::find()
            .filter(mail::Column::Kind.eq(kind))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.recipient, m.subject))
            .collect();
        found.sort();
        found
    };
    assert_eq!(reviews::run_daily(db, now()).await.unwrap(), 2);
    assert_eq!(
        subjects(MailKind::ReviewReminder).await,
        [
            (
                "team-a@test.invalid".to_owned(),
                "Controle nodig vóór 20 december 2026: Factsheet bijna".to_owned()
            ),
            (
                "team-a@test.invalid".to_owned(),
                "Controledatum verstreken: Factsheet verlopen".to_owned()
            ),
        ]
    );
    // Once: the next days send nothing new, until "bijna" passes its date.
    assert_eq!(
        reviews::send_review_reminders(db, now() + Duration::days(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        reviews::send_review_reminders(db, now() + Duration::days(22))
            .await
            .unwrap(),
        1
    );
    // A new review date (the document was checked) starts again.
    let checked = [doc("verlopen", "Team A", "2026-12-01")];
    let again = content_dir(
        &checked
            .iter()
            .map(|(n, t)| (n.as_str(), t.clone()))
            .collect::<Vec<_>>(),
    );
    import_content_dir(db, again.path(), now()).await.unwrap();
    assert_eq!(reviews::send_review_reminders(db, now()).await.unwrap(), 1);
    assert_eq!(subjects(MailKind::ReviewReminder).await.len(), 4);
    // The daily job put its next run a day later.
    let next = jobs::pending_for(db, JobKind::ReviewReminders, 0)
        .await
        .unwrap();
    assert_eq!(
        next.iter().map(|j| j.run_at).collect::<Vec<_>>(),
        [now() + Duration::days(1)]
    );

    // The digest: to the editor, every overdue document, Team B's too.
    assert_eq!(reviews::run_weekly(db, now()).await.unwrap(), 1);
    let digest = mail::Entity::find()
        .filter(mail::Column::Kind.eq(MailKind::EditorialDigest))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(digest.recipient, "redacteur@test.invalid");
    assert_eq!(digest.subject, "Redactie: 1 document over de controledatum");
    assert!(
        digest.body.contains("Factsheet zonder-postbus"),
        "{}",
        digest.body
    );
    let weekly = jobs::pending_for(db, JobKind::EditorialDigest, 0)
        .await
        .unwrap();
    assert_eq!(weekly[0].run_at, now() + Duration::days(7));
    let _ = editor;

    // The overview: what went out for each document's current date, and who has no mailbox.
    let mut page = app::knowledge::service::workflow::overview_page(db, now().date_naive(), 1)
        .await
        .unwrap();
    reviews::annotate_overview(db, &mut page).await.unwrap();
    let reminded = |slug: &str| page.items.iter().find(|i| i.slug == slug).unwrap().reminded;
    assert_eq!(
        reminded("bijna"),
        Some((
            ReminderKind::Overdue,
            (now() + Duration::days(22)).date_naive()
        ))
    );
    assert_eq!(reminded("later"), None);
    assert_eq!(page.owners_without_mailbox, ["Team B"]);
}

on_both_databases!(
    theme_counts_read_the_index_in_its_order,
    themes_are_counted_only_where_enough_groups_bring_them_in,
    the_backlog_keeps_what_practice_asks_for_and_where_it_stands,
    review_reminders_go_once_per_document_and_date,
);
