//! The HTTP surface through `tower::ServiceExt::oneshot`: status codes, pages, health checks.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use server::config::Config;
use server::{AppState, import_content, open_database, router};
use tower::ServiceExt;

use crate::support::document;

fn published() -> String {
    document(
        "jihadisme",
        &[("audience", "[onderwijs, veiligheid]")],
        "Inleiding.\n\n## Wat is jihadisme?\n\nTekst met een voetnoot[^1].\n\n<script>alert('xss')</script>\n\n[^1]: Bron.\n",
    )
}

fn other(slug: &str, status: &str) -> String {
    document(
        slug,
        &[
            ("title", "\"Rechts-extremisme\""),
            ("summary", "\"Over rechts-extremisme.\""),
            ("phenomena", "[rechts-extremisme]"),
            ("audience", "[gemeente]"),
            ("owner", "\"Kennisteam Rechts-extremisme\""),
            ("reviewed_on", "2026-06-09"),
            ("review_due", "2027-03-09"),
            ("status", status),
            (
                "sources",
                "\n  - title: \"NCTV\"\n    url: \"https://www.nctv.nl\"",
            ),
        ],
        "## Achtergrond\n",
    )
}

async fn test_app() -> (Router, sea_orm::DatabaseConnection, tempfile::TempDir) {
    let content = tempfile::tempdir().unwrap();
    let dir = content.path().join("factsheets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("jihadisme.md"), published()).unwrap();
    std::fs::write(
        dir.join("rechts-extremisme.md"),
        other("rechts-extremisme", "published"),
    )
    .unwrap();
    std::fs::write(dir.join("concept.md"), other("concept", "draft")).unwrap();

    let db = open_database("sqlite::memory:").await.unwrap();
    import_content(&db, content.path(), chrono::Utc::now())
        .await
        .unwrap();
    let config = Config::from_lookup(|_| None).unwrap();
    let state = AppState::build(&config, db.clone()).await.unwrap();
    (router(state), db, content)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn health_and_readiness() {
    let (app, db, _content) = test_app().await;
    assert_eq!(
        get(&app, "/healthz").await,
        (StatusCode::OK, "ok".to_owned())
    );
    assert_eq!(get(&app, "/readyz").await.0, StatusCode::OK);
    db.close().await.unwrap();
    assert_eq!(
        get(&app, "/readyz").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // The process is still up.
    assert_eq!(get(&app, "/healthz").await.0, StatusCode::OK);
}

#[tokio::test]
async fn home_lists_recently_reviewed_factsheets() {
    let (app, _db, _content) = test_app().await;
    let (status, html) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"nl\""), "{html}");
    let newest = html.find("Jihadisme").expect("jihadisme listed");
    let older = html
        .find("Rechts-extremisme")
        .expect("rechts-extremisme listed");
    assert!(newest < older, "newest review first");
    assert!(!html.contains("concept"), "drafts stay hidden");
}

#[tokio::test]
async fn index_filters_through_query_parameters() {
    let (app, _db, _content) = test_app().await;
    let (status, html) = get(&app, "/factsheets").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/factsheets/jihadisme\""));
    assert!(html.contains("href=\"/factsheets/rechts-extremisme\""));

    let (status, html) = get(&app, "/factsheets?fenomeen=jihadisme").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/factsheets/jihadisme\""));
    assert!(!html.contains("href=\"/factsheets/rechts-extremisme\""));
    assert!(
        html.contains("<option value=\"jihadisme\" selected"),
        "{html}"
    );

    let (_, html) = get(&app, "/factsheets?doelgroep=gemeente").await;
    assert!(!html.contains("href=\"/factsheets/jihadisme\""));
    assert!(html.contains("href=\"/factsheets/rechts-extremisme\""));

    let (_, html) = get(&app, "/factsheets?fenomeen=jihadisme&doelgroep=gemeente").await;
    assert!(html.contains("Geen factsheets gevonden"));

    // An unknown value is ignored rather than an error.
    let (status, html) = get(&app, "/factsheets?fenomeen=onzin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/factsheets/rechts-extremisme\""));
}

#[tokio::test]
async fn factsheet_page_shows_metadata_toc_and_sanitised_body() {
    let (app, _db, _content) = test_app().await;
    let (status, html) = get(&app, "/factsheets/jihadisme").await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<title>Jihadisme · Leerplatform LSE</title>",
        "Laatst gecontroleerd",
        "14 september 2026",
        "Volgende controle",
        "14 september 2027",
        "Kennisteam Jihadisme",
        "href=\"https://www.aivd.nl\"",
        "href=\"#tekst-wat-is-jihadisme\"",
        "<h2 id=\"tekst-wat-is-jihadisme\">",
        "class=\"footnote-reference\"",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(!html.contains("alert('xss')"));
}

#[tokio::test]
async fn unknown_pages_and_drafts_are_a_dutch_404() {
    let (app, _db, _content) = test_app().await;
    for uri in [
        "/factsheets/bestaat-niet",
        "/factsheets/concept",
        "/bestaat-niet",
        "/factsheets/a/b",
    ] {
        let (status, html) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(html.contains("Pagina niet gevonden"), "{uri}: {html}");
    }
}

#[tokio::test]
async fn database_failure_is_a_dutch_error_page() {
    let (app, db, _content) = test_app().await;
    db.close().await.unwrap();
    let (status, html) = get(&app, "/factsheets/jihadisme").await;
    // No connection to be had: the database is unavailable, which is a 503, not our fault.
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(html.contains("Even niet beschikbaar"), "{html}");
    assert!(html.contains("Er is niets verloren gegaan"), "{html}");
}

#[tokio::test]
async fn server_functions_answer_with_status_codes() {
    let (app, _db, _content) = test_app().await;
    let call = |body: &'static str| {
        Request::post("/api/get_factsheet")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let response = app.clone().oneshot(call("slug=jihadisme")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .clone()
        .oneshot(call("slug=bestaat-niet"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .clone()
        .oneshot(
            Request::post("/api/list_factsheets")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_all_complete() {
    let (app, _db, _content) = test_app().await;
    let requests = (0..40).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            let uri = [
                "/",
                "/factsheets",
                "/factsheets?fenomeen=jihadisme",
                "/factsheets/jihadisme",
            ][i % 4];
            get(&app, uri).await.0
        })
    });
    for request in requests.collect::<Vec<_>>() {
        assert_eq!(request.await.unwrap(), StatusCode::OK);
    }
}

#[tokio::test]
async fn security_headers_and_page_nonce() {
    let (app, _db, _content) = test_app().await;
    let response = app
        .clone()
        .oneshot(
            Request::get("/factsheets/jihadisme")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "same-origin");
    let policy = header("content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("page policy has a nonce")
        .to_owned();
    let html = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    // Every inline script carries this response's nonce.
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{html}"
    );

    let (_, second) = get(&app, "/factsheets/jihadisme").await;
    assert!(!second.contains(&nonce), "a nonce is never reused");

    let health = app
        .clone()
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        health.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(health.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn cross_origin_posts_are_refused() {
    let (app, _db, _content) = test_app().await;
    let post = |headers: &[(&str, &str)]| {
        let mut request =
            Request::post("/api/list_factsheets").header(header::HOST, "127.0.0.1:3000");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).unwrap()
    };
    for refused in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "https://aanvaller.example")],
        // Same host, other scheme: not our origin (PUBLIC_URL is http://127.0.0.1:3000).
        vec![("origin", "https://127.0.0.1:3000")],
        vec![("origin", "http://127.0.0.1:3000.aanvaller.example")],
    ] {
        let response = app.clone().oneshot(post(&refused)).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{refused:?}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&body).contains("Verzoek geweigerd"));
    }
    for allowed in [
        vec![
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://127.0.0.1:3000"),
        ],
        vec![("origin", "http://127.0.0.1:3000")],
        vec![],
    ] {
        let response = app.clone().oneshot(post(&allowed)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{allowed:?}");
    }
    // Following a link from another site is fine.
    let response = app
        .clone()
        .oneshot(
            Request::get("/factsheets")
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn search_page_works_without_javascript() {
    let (app, _db, _content) = test_app().await;
    let (status, body) = get(&app, "/zoeken?q=jihadisme&fenomeen=jihadisme").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 resultaat"), "{body}");
    assert!(body.contains("href=\"/factsheets/jihadisme\""));
    assert!(body.contains("<b>"), "highlighted match");
    let (_, none) = get(&app, "/zoeken?q=jihadisme&fenomeen=links-extremisme").await;
    assert!(none.contains("Niets gevonden"));
    // Scripts in the content never come back through a snippet.
    let (_, script) = get(&app, "/zoeken?q=xss").await;
    assert!(!script.contains("alert('xss')"));
}

#[tokio::test]
async fn atom_feed_and_related_factsheets() {
    let (app, _db, _content) = test_app().await;
    let response = app
        .clone()
        .oneshot(Request::get("/feed.xml").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let xml = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(xml.contains("http://127.0.0.1:3000/factsheets/jihadisme"));
    assert!(!xml.contains("/factsheets/concept"));
    let (_, home) = get(&app, "/").await;
    assert!(home.contains("application/atom+xml"), "feed is announced");
}

#[tokio::test]
async fn withdrawn_factsheet_shows_a_notice_with_status_410() {
    let (app, db, _content) = test_app().await;
    app::knowledge::service::workflow::withdraw(
        &db,
        1,
        "jihadisme",
        "Vervangen door een nieuwe versie.",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (status, body) = get(&app, "/factsheets/jihadisme").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("Factsheet ingetrokken"));
    assert!(body.contains("Vervangen door een nieuwe versie."));
    let (_, index) = get(&app, "/factsheets").await;
    assert!(!index.contains("/factsheets/jihadisme\""));
}
