//! The knowledge loop over HTTP, without JavaScript: a member ticks practice themes on a
//! dilemma, knowledge staff see the theme beside what covers it and put a wanted factsheet on
//! the backlog; refused forms come back as typed with the reason at the field, once.

use axum::http::StatusCode;
use sea_orm::EntityTrait;

use crate::support::{Browser, login_as, test_app};

#[tokio::test]
async fn practice_themes_reach_the_editors_backlog_with_plain_forms() {
    use app::intervision::entity::dilemma_theme;
    use app::vocabulary::Theme;

    let app = test_app(None, &[]).await;
    let now = chrono::Utc::now();
    let (facilitator, _) = login_as(&app.db, "begeleider", &["facilitator"]).await;
    let (member, member_session) = login_as(&app.db, "lid", &[]).await;
    let (_, editor_session) = login_as(&app.db, "redacteur", &["editor"]).await;
    let group =
        crate::intervision::group_with_member(&app.db, "Themagroep", facilitator, member, now)
            .await;

    // The member's form offers the practice themes and keeps what was ticked.
    let mut as_member = Browser::with_session(&member_session);
    let form_page = as_member
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert!(
        form_page.body.contains("name=\"themas[school]\""),
        "{}",
        form_page.body
    );
    let dilemma = "work_field=onderwijs&phenomenon=jihadisme&themas%5Bschool%5D=on&themas%5Bgezin%5D=on\
        &situatie=Een+leerling+deelt+filmpjes+in+de+klasgroep.&vraag=Wat+doe+ik+eerst%3F";
    let saved = as_member
        .post_form(
            &app.router,
            &format!("/intervisie/{group}/dilemmas"),
            dilemma,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let mut tallied: Vec<Theme> = dilemma_theme::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.theme)
        .collect();
    tallied.sort();
    assert_eq!(tallied, [Theme::Jihadisme, Theme::School, Theme::Gezin]);
    // Only knowledge staff see the themes and keep the backlog.
    let refused = as_member
        .post_form(
            &app.router,
            "/redactie/themas/gewenst",
            "thema=school&titel=Iets",
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut as_editor = Browser::with_session(&editor_session);
    let page = as_editor.get(&app.router, "/redactie/themas").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("School en onderwijs"));
    assert!(
        page.body
            .contains("Te weinig dilemma&#x27;s (of uit te weinig groepen)")
            || page
                .body
                .contains("Te weinig dilemma's (of uit te weinig groepen)"),
        "one dilemma from one group shows no number"
    );
    // What covers jihadism: the fixture's factsheet, by its tag.
    assert!(page.body.contains("href=\"/factsheets/jihadisme\""));

    // Nothing typed: back at the theme with the reason at the field, once.
    let empty = as_editor
        .post_form(
            &app.router,
            "/redactie/themas/gewenst",
            "thema=school&titel=+",
        )
        .await;
    assert_eq!(empty.status, StatusCode::SEE_OTHER);
    assert_eq!(empty.location(), "/redactie/themas#thema-school");
    let with_error = as_editor.get(&app.router, "/redactie/themas").await;
    assert!(
        with_error
            .body
            .contains("Beschrijf in een paar woorden welke factsheet nodig is.")
    );
    let again = as_editor.get(&app.router, "/redactie/themas").await;
    assert!(
        !again
            .body
            .contains("Beschrijf in een paar woorden welke factsheet nodig is.")
    );

    let added = as_editor
        .post_form(
            &app.router,
            "/redactie/themas/gewenst",
            "thema=school&titel=Filmpjes+in+de+klasgroep",
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let overview = as_editor.get(&app.router, "/redactie").await;
    assert!(
        overview.body.contains("Gewenste factsheets (1)"),
        "{}",
        overview.body
    );
    assert!(overview.body.contains("Filmpjes in de klasgroep"));
    let item = app::knowledge::entity::backlog_item::Entity::find()
        .all(&app.db)
        .await
        .unwrap()[0]
        .id;

    // Published names a published document; typed as it was when refused.
    let change = |document: &str| {
        format!(
            "thema=school&titel=Filmpjes+in+de+klasgroep&status=gepubliceerd&document={document}"
        )
    };
    let unknown = as_editor
        .post_form(
            &app.router,
            &format!("/redactie/themas/gewenst/{item}"),
            &change("bestaat-niet"),
        )
        .await;
    assert_eq!(
        unknown.location(),
        format!("/redactie/themas#gewenst-{item}")
    );
    let shown = as_editor.get(&app.router, "/redactie/themas").await;
    assert!(
        shown
            .body
            .contains("Er is geen gepubliceerd document met de naam")
    );
    assert!(shown.body.contains("value=\"bestaat-niet\""));
    let published = as_editor
        .post_form(
            &app.router,
            &format!("/redactie/themas/gewenst/{item}"),
            &change("jihadisme"),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let done = as_editor.get(&app.router, "/redactie/themas").await;
    assert!(done.body.contains("De gewenste factsheet is bijgewerkt."));
    let overview = as_editor.get(&app.router, "/redactie").await;
    assert!(overview.body.contains("Gewenste factsheets (0)"));
}

/// The editorial overview says which reminder went out for a document's review date, and
/// which owners have no mailbox (and so get none).
#[tokio::test]
async fn the_editorial_overview_shows_the_reminders_and_the_owners_without_a_mailbox() {
    use app::knowledge::entity::owner_mailbox;
    use app::knowledge::service::reviews;
    use sea_orm::{ActiveModelTrait, Set};

    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "redacteur", &["editor"]).await;
    let mut editor = Browser::with_session(&session);
    let overview = editor.get(&app.router, "/redactie").await;
    assert!(
        overview
            .body
            .contains("Geen postbus bekend (content/owners.yaml), dus geen herinneringen voor: "),
        "{}",
        overview.body
    );
    assert!(overview.body.contains("Kennisteam Jihadisme"));

    owner_mailbox::ActiveModel {
        owner: Set("Kennisteam Jihadisme".into()),
        mailbox: Set("jihadisme@test.invalid".into()),
    }
    .insert(&app.db)
    .await
    .unwrap();
    // The fixture's review date is 14 September 2027; a month before it, the reminder goes.
    let month_before = "2027-08-20T08:00:00Z".parse().unwrap();
    assert!(
        reviews::send_review_reminders(&app.db, month_before)
            .await
            .unwrap()
            > 0
    );
    let overview = editor.get(&app.router, "/redactie").await;
    assert!(
        overview.body.contains("herinnerd op 20 augustus 2027"),
        "{}",
        overview.body
    );
    assert!(!overview.body.contains("Kennisteam Jihadisme."));
}

/// The reports over HTTP: the page with its charts and tables for the chosen year, and each
/// table as CSV with the same cells; an unknown table is not found.
#[tokio::test]
async fn the_reports_show_each_table_with_its_chart_and_as_csv() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "coordinator", &["admin"]).await;
    let mut admin = Browser::with_session(&session);
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    let page = admin.get(&app.router, "/beheer/rapportage").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("Rapportage {this_year}")));
    // The fixture's few published factsheets, by phenomenon and audience: a table of "< 5"
    // and no chart (a chart of nothing but marks would show nothing; the browser suite sees
    // the demo's chart).
    assert!(!page.body.contains("class=\"bar-chart\""), "{}", page.body);
    assert!(page.body.contains("Factsheets per fenomeen en doelgroep"));
    assert!(page.body.contains("&lt; 5"));
    let csv = admin
        .get(
            &app.router,
            "/beheer/rapportage/factsheets-per-fenomeen.csv",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.contains("\"Fenomeen\";\"Veiligheid\""),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("\"Jihadisme\";"), "{}", csv.body);
    let unknown = admin
        .get(&app.router, "/beheer/rapportage/bestaat-niet.csv")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // A year that is not one is this year, as on the page; a table without rows still has a
    // totals line under every column.
    let typo = admin
        .get(
            &app.router,
            "/beheer/rapportage/certificaten-per-register.csv?jaar=abc",
        )
        .await;
    assert_eq!(typo.status, StatusCode::OK);
    let lines: Vec<&str> = typo.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", typo.body);
    assert_eq!(lines[1], "\"Totaal\";\"0\";\"0\";\"0\";\"0\";\"0\"");
    let earlier = admin
        .get(
            &app.router,
            &format!("/beheer/rapportage?jaar={}", this_year - 1),
        )
        .await;
    assert!(
        earlier
            .body
            .contains(&format!("Rapportage {}", this_year - 1))
    );
}

/// Reads of a document's page count whether the page comes from the cache or is rendered for
/// someone logged in; a search that finds nothing counts its words, one that could name
/// someone does not; the report shows them once the node has added its counts.
#[tokio::test]
async fn reads_and_searches_without_result_reach_the_reports() {
    use app::knowledge::entity::{document_read, search_miss};

    let app = test_app(None, &[]).await;
    let (_, editor_session) = login_as(&app.db, "redacteur", &["editor"]).await;
    let mut visitor = Browser::default();
    for _ in 0..6 {
        // The first is rendered, the rest come from the cache.
        let page = visitor.get(&app.router, "/factsheets/jihadisme").await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let mut editor = Browser::with_session(&editor_session);
    assert_eq!(
        editor
            .get(&app.router, "/factsheets/jihadisme")
            .await
            .status,
        StatusCode::OK
    );
    // A page that does not exist is no read.
    visitor.get(&app.router, "/factsheets/bestaat-niet").await;
    for _ in 0..5 {
        let found = visitor.get(&app.router, "/zoeken?q=Sekte+op+school").await;
        assert_eq!(found.status, StatusCode::OK);
    }
    visitor.get(&app.router, "/zoeken?q=samira+yilmaz").await;
    visitor.get(&app.router, "/zoeken?q=jihadisme").await;
    // Nothing is written before the node adds its counts.
    assert!(
        document_read::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    server::flush_usage(&app.context).await;
    let reads = document_read::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(
        reads
            .iter()
            .map(|r| (r.slug.as_str(), r.reads))
            .collect::<Vec<_>>(),
        [("jihadisme", 7)]
    );
    let misses = search_miss::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(
        misses
            .iter()
            .map(|m| (m.words.as_str(), m.searches))
            .collect::<Vec<_>>(),
        [("sekte op school", 5)]
    );
    let year = app.context.today().format("%Y").to_string();
    let reports = editor
        .get(&app.router, &format!("/beheer/rapportage?jaar={year}"))
        .await;
    assert_eq!(reports.status, StatusCode::OK);
    assert!(reports.body.contains("sekte op school"), "{}", reports.body);
    assert!(!reports.body.contains("samira"));
    let csv = editor
        .get(
            &app.router,
            &format!("/beheer/rapportage/meest-gelezen.csv?jaar={year}"),
        )
        .await;
    assert!(csv.body.contains("(factsheet)"), "{}", csv.body);
}
