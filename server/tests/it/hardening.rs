//! Hardening at the edge: transport security, time limits and where links may lead.

use axum::http::StatusCode;

use crate::support::{Browser, test_app};

#[tokio::test]
async fn https_deployments_send_strict_transport_security() {
    let https = test_app(None, &[("PUBLIC_URL", "https://leerplatform.example")]).await;
    let reply = Browser::default().get(&https.router, "/").await;
    assert_eq!(
        reply
            .headers
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains")
    );
    // Plain http (the embedded run): the header would lock browsers out of localhost.
    let plain = test_app(None, &[]).await;
    let reply = Browser::default().get(&plain.router, "/").await;
    assert!(reply.headers.get("strict-transport-security").is_none());
}

#[tokio::test]
async fn the_time_limit_is_configured_and_leaves_ordinary_pages_alone() {
    // What a slow request gets is tested on the middleware itself (`security::time_limit`,
    // with a handler that sleeps); a real page is not reliably slower than any limit.
    let config = server::config::Config::from_lookup(|name| {
        (name == "REQUEST_TIMEOUT_MS").then(|| "1500".to_owned())
    })
    .unwrap();
    assert_eq!(
        config.request_timeout,
        std::time::Duration::from_millis(1500)
    );
    let app = test_app(None, &[]).await;
    let reply = Browser::default()
        .get(&app.router, "/zoeken?q=radicalisering")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn the_profile_page_never_links_off_site() {
    let app = test_app(None, &[]).await;
    let (_, session) = crate::support::login_as(&app.db, "lezer", &[]).await;
    for next in ["/%5Cevil.example", "/%09/evil.example", "//evil.example"] {
        let mut browser = Browser::with_session(&session);
        let page = browser
            .get(&app.router, &format!("/profiel?volgende={next}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{next}");
        assert!(!page.body.contains("evil.example"), "{next}: {}", page.body);
    }
}

#[tokio::test]
async fn a_refused_form_without_javascript_ends_on_a_dutch_page_not_json() {
    let app = test_app(None, &[]).await;
    let (_, session) = crate::support::login_as(&app.db, "redacteur", &["editor"]).await;
    let mut browser = Browser::with_session(&session);
    let request = axum::http::Request::post("/api/withdraw_document")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header(
            "referer",
            "http://127.0.0.1:3000/redactie/documenten/jihadisme",
        )
        .body(axum::body::Body::from("slug=jihadisme&reason=kort"))
        .unwrap();
    let reply = browser.send(&app.router, request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        reply.headers
    );
    assert!(reply.body.contains("minstens 10 tekens"), "{}", reply.body);
    assert!(
        reply
            .body
            .contains("href=\"/redactie/documenten/jihadisme\"")
    );
    assert!(!reply.body.contains("{\""), "{}", reply.body);
}

#[tokio::test]
async fn request_bodies_are_limited_per_route_class() {
    let app = test_app(None, &[]).await;
    let (_, session) = crate::support::login_as(&app.db, "redacteur", &["editor"]).await;
    let post = |path: &str, size: usize| {
        axum::http::Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!("body={}", "a".repeat(size))))
            .unwrap()
    };
    let mut browser = Browser::with_session(&session);
    // A small server function refuses 100 KB before reading it.
    let reply = browser
        .send(&app.router, post("/api/current_viewer", 100 * 1024))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("Te groot"), "{}", reply.body);
    // The editor's preview takes a whole 250 KB document.
    let reply = browser
        .send(&app.router, post("/api/preview_markdown", 250 * 1024))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        &reply.body[..200.min(reply.body.len())]
    );
    // But not a megabyte.
    let reply = browser
        .send(&app.router, post("/api/preview_markdown", 1024 * 1024))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_data_export_is_a_post_that_a_link_elsewhere_cannot_trigger() {
    let app = test_app(None, &[]).await;
    let (_, session) = crate::support::login_as(&app.db, "lezer", &[]).await;
    let mut browser = Browser::with_session(&session);
    // An <img src="/profiel/export"> in content or on another site: no download, no audit row.
    let get = browser.get(&app.router, "/profiel/export").await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
    let cross_site = axum::http::Request::post("/profiel/export")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        browser.send(&app.router, cross_site).await.status,
        StatusCode::FORBIDDEN
    );
    let exports = app::identity::service::audit::list(
        &app.db,
        Some(app::identity::model::AuditEventKind::ProfileExported),
        app::identity::model::AuditStretch::Newest,
    )
    .await
    .unwrap();
    assert!(exports.entries.is_empty());
    // The profile page's own form downloads it.
    let export = browser.post_form(&app.router, "/profiel/export", "").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.contains("\"profiel\""), "{}", export.body);
}
