//! What an operator relies on: `/metrics` behind its token with figures by route template
//! (never an address), structured logs with `LOG_FORMAT=json`, and a node that stops within
//! the request time limit on SIGTERM.

use std::process::Command;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::EntityTrait;
use tower::ServiceExt;

use crate::support::{Browser, test_app};

async fn scrape(app: &axum::Router, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn metrics_answer_only_with_the_token_and_name_routes_by_their_template() {
    let without = test_app(None, &[]).await;
    assert_eq!(scrape(&without.router, None).await.0, StatusCode::NOT_FOUND);

    let app = test_app(None, &[("METRICS_TOKEN", "meet-maar-raak")]).await;
    assert_eq!(scrape(&app.router, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&app.router, Some("raden")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let mut visitor = Browser::default();
    for _ in 0..2 {
        let page = visitor.get(&app.router, "/factsheets/jihadisme").await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let (status, text) = scrape(&app.router, Some("meet-maar-raak")).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "http_requests_total{route=\"/factsheets/{slug}\",status=\"200\"}",
        "http_request_duration_seconds_bucket{route=\"/factsheets/{slug}\"",
        "page_cache_hits_total",
        "page_cache_misses_total",
        "db_pool_connections",
        "jobs_due",
        "jobs_failed",
        "mail_outbox{state=\"queued\"}",
        "search_index_age_seconds",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    assert!(!text.contains("jihadisme"), "no address in the metrics");
}

fn leerplatform(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leerplatform"));
    command
        .env_clear()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/lp.db?mode=rwc", dir.display()),
        )
        .env("CONTENT_DIR", dir.join("content"));
    command
}

#[test]
fn json_logs_are_one_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/factsheets")).unwrap();
    let output = leerplatform(dir.path())
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .args(["content", "import"])
        .arg(dir.path().join("content"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let logs = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = logs
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert!(!lines.is_empty(), "something was logged");
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        assert!(
            value.get("level").is_some() && value.get("fields").is_some(),
            "{line}"
        );
    }
}

/// One plain HTTP/1.1 GET of `path`; the status line's code.
fn get_status(port: u16, path: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn sigterm_stops_the_node_within_the_request_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/factsheets")).unwrap();
    std::fs::write(
        dir.path().join("content/factsheets/jihadisme.md"),
        crate::support::document("jihadisme", &[], "Tekst.\n"),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port();
    let mut node = leerplatform(dir.path())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("REQUEST_TIMEOUT_MS", "2000")
        .env("RUST_LOG", "off")
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A read of a factsheet, counted in memory until the node adds its counts.
    while get_status(port, "/readyz") != 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "not ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get_status(port, "/factsheets/jihadisme"), 200);
    // An idle keep-alive connection does not hold the node up.
    let _idle = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let signalled = Instant::now();
    // SAFETY: a plain kill(2) of the child this test started.
    let sent = unsafe { libc::kill(node.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0);
    loop {
        if let Some(status) = node.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            signalled.elapsed() < Duration::from_millis(2000 + 1500),
            "still running after the time limit"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Stopping, it added the read it had counted.
    let reads = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}/lp.db?mode=rwc", dir.path().display());
        let db = app::db::connect_and_migrate(&url).await.unwrap();
        app::knowledge::entity::document_read::Entity::find()
            .all(&db)
            .await
            .unwrap()
    });
    assert_eq!(
        reads
            .iter()
            .map(|r| (r.slug.as_str(), r.reads))
            .collect::<Vec<_>>(),
        [("jihadisme", 1)]
    );
}

#[test]
fn backup_and_restore_through_the_binary_refuse_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/factsheets")).unwrap();
    let run = |database: &str, args: &[&str]| {
        let mut command = leerplatform(dir.path());
        command.env(
            "DATABASE_URL",
            format!("sqlite://{}/{database}?mode=rwc", dir.path().display()),
        );
        command.args(args).output().unwrap()
    };
    let file = dir.path().join("kopie.backup");
    let file = file.to_str().unwrap();
    // Something to back up: the schema, made by an import.
    let import = run(
        "lp.db",
        &[
            "content",
            "import",
            &format!("{}/content", dir.path().display()),
        ],
    );
    assert!(import.status.success());
    let backup = run("lp.db", &["backup", file]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(String::from_utf8_lossy(&backup.stdout).contains("backup written"));
    let again = run("lp.db", &["backup", file]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    let restore = run("terug.db", &["restore", file]);
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    let again = run("terug.db", &["restore", file]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds tables"));
}

#[tokio::test]
async fn a_person_has_their_account_erased_from_the_profile_and_is_logged_out() {
    let app = test_app(None, &[]).await;
    let (user_id, session) = crate::support::login_as(&app.db, "wis-mij", &[]).await;
    let mut person = Browser::with_session(&session);
    let page = person.get(&app.router, "/profiel").await;
    assert!(page.body.contains("href=\"/profiel/verwijderen\""));
    let page = person.get(&app.router, "/profiel/verwijderen").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Wat verdwijnt",
        "Wat blijft",
        "5 jaar",
        "Mijn account nu wissen",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    // Without the confirmation only back to the page that explains.
    let asked = person
        .post_form(&app.router, "/profiel/verwijderen", "")
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.location(), "/profiel/verwijderen");
    let erased = person
        .post_form(&app.router, "/profiel/verwijderen", "bevestigd=ja")
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert!(erased.body.contains("Uw account is gewist"));
    let row = app::identity::entity::user::Entity::find_by_id(user_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.email.is_none() && row.erased_at.is_some());
    // The session no longer counts, on this device or another.
    let again = Browser::with_session(&session)
        .get(&app.router, "/profiel")
        .await;
    assert_ne!(again.status, StatusCode::OK);
}
