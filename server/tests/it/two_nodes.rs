//! Two server processes on one PostgreSQL database, started at the same moment: they take
//! turns migrating and importing (the start-up lock), a session made on one works on the
//! other, a factsheet imported from the command line is found by page and by search on both
//! within 2 seconds, and due jobs run exactly once between them.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use openidconnect::reqwest;
use sea_orm::EntityTrait;

use crate::support::{COOKIE_NAME, PostgresDatabase, login_as};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn leerplatform(database_url: &str, content: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leerplatform"));
    command
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("CONTENT_DIR", content)
        .env("JOB_POLL_SECONDS", "1")
        .env("RUST_LOG", "off");
    command
}

struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(database_url: &str, content: &std::path::Path, port: u16) -> Node {
    Node(
        leerplatform(database_url, content)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .spawn()
            .expect("start leerplatform"),
    )
}

async fn wait_ready(client: &reqwest::Client, port: u16) {
    for _ in 0..600 {
        let ready = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .is_ok_and(|reply| reply.status().is_success());
        if ready {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("node on {port} did not become ready");
}

fn factsheet(slug: &str, title: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nslug: {slug}\nsummary: \"Samenvatting.\"\nphenomena: [jihadisme]\naudience: [zorg]\nowner: \"Test\"\nreviewed_on: 2026-11-01\nreview_due: 2027-11-01\nstatus: published\nsources:\n  - title: \"Bron\"\n    url: \"https://example.org\"\n---\n{body}\n"
    )
}

async fn get(
    client: &reqwest::Client,
    port: u16,
    path: &str,
    session: Option<&str>,
) -> (u16, String) {
    let mut request = client.get(format!("http://127.0.0.1:{port}{path}"));
    if let Some(session) = session {
        request = request.header("cookie", format!("{COOKIE_NAME}={session}"));
    }
    let reply = request.send().await.expect("a reply");
    let status = reply.status().as_u16();
    (status, reply.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_share_sessions_publications_search_and_jobs() {
    let database = PostgresDatabase::create("lp_two_nodes").await;
    let url = database.url();
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    std::fs::create_dir_all(content.join("factsheets")).unwrap();
    std::fs::write(
        content.join("factsheets/basis.md"),
        factsheet("basis", "Basis", "Over signalen."),
    )
    .unwrap();

    // Both start at once on an empty database: one migrates and imports, the other waits.
    let (port_a, port_b) = (free_port(), free_port());
    let _a = start(&url, &content, port_a);
    let _b = start(&url, &content, port_b);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    wait_ready(&client, port_a).await;
    wait_ready(&client, port_b).await;
    let db = server::open_database(&url).await.unwrap();

    // A session made on one node (here: in the shared store) works on both.
    let (_, session) = login_as(&db, "tweeknoops", &[]).await;
    for port in [port_a, port_b] {
        let (status, body) = get(&client, port, "/profiel", Some(&session)).await;
        assert_eq!(status, 200, "node {port}: {body}");
    }

    // A factsheet imported from the command line: page and search on both within 2 s.
    let more = work.path().join("more");
    std::fs::create_dir_all(more.join("factsheets")).unwrap();
    std::fs::write(
        more.join("factsheets/nieuw.md"),
        factsheet(
            "nieuw",
            "Polarisatie in de klas",
            "Docenten en polarisatie.",
        ),
    )
    .unwrap();
    let imported = leerplatform(&url, &content)
        .args(["content", "import"])
        .arg(&more)
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let published = Instant::now();
    for port in [port_a, port_b] {
        loop {
            let (page, _) = get(&client, port, "/factsheets/nieuw", None).await;
            let (_, results) = get(&client, port, "/zoeken?q=polarisatie", None).await;
            if page == 200 && results.contains("Polarisatie in de klas") {
                break;
            }
            assert!(
                published.elapsed() < Duration::from_secs(2),
                "node {port} did not find the new factsheet within 2 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // Due jobs run once between the two nodes: each finishes after exactly one attempt.
    let now = chrono::Utc::now();
    let mut ids = Vec::new();
    for subject in 0..40 {
        ids.push(
            app::messaging::service::jobs::enqueue(
                &db,
                app::messaging::model::JobKind::ExpireOffer,
                900_000 + subject,
                now,
                now,
            )
            .await
            .unwrap(),
        );
    }
    let started = Instant::now();
    loop {
        let jobs = app::messaging::entity::job::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .filter(|job| ids.contains(&job.id))
            .collect::<Vec<_>>();
        if jobs
            .iter()
            .all(|job| job.state == app::messaging::model::JobState::Done)
        {
            assert!(jobs.iter().all(|job| job.attempts == 1), "a job ran twice");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "jobs not done");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop((_a, _b));
    let _ = db.close().await;
    database.drop().await;
}
