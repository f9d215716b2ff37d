//! A server killed with SIGKILL in the middle of a burst of enrolments over HTTP, then started
//! again on the same database: every enrolment that got its answer is there, nobody twice, and
//! capacity held.

use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openidconnect::reqwest;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PEOPLE: usize = 300;
const CAPACITY: i32 = 30;

const TRAINING: &str = r#"---
title: "Crashproef"
slug: crashproef
summary: "Inschrijven terwijl de server wegvalt."
phenomena: [fenomeenoverstijgend]
audience: [zorg]
owner: "Test"
reviewed_on: 2026-11-01
review_due: 2027-11-01
status: published
sources:
  - title: "Bron"
    url: "https://example.org"
hours: 3
prerequisites: "Niets."
runs:
  - code: 2099-burst
    capacity: 30
    enrolment_opens: 2020-01-01
    enrolment_closes: 2099-01-01
    sessions:
      - { date: 2099-03-04, start: "09:30", end: "12:30", location: "Utrecht" }
---
Tekst.
"#;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn start_server(database_url: &str, content: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_leerplatform"))
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("CONTENT_DIR", content)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_LOG", "off")
        .spawn()
        .expect("start leerplatform")
}

async fn wait_ready(client: &reqwest::Client, port: u16) {
    for _ in 0..200 {
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
    panic!("the server did not become ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_during_an_enrolment_burst_loses_no_answered_enrolment() {
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    std::fs::create_dir_all(content.join("trainings")).unwrap();
    std::fs::write(content.join("trainings/crashproef.md"), TRAINING).unwrap();
    let database_url = format!("sqlite://{}/crash.db?mode=rwc", work.path().display());
    let db = server::open_database(&database_url).await.unwrap();
    server::import_content(&db, &content, chrono::Utc::now())
        .await
        .unwrap();
    // Accounts with sessions, written directly: a login per person would test the provider.
    let now = chrono::Utc::now();
    let store = app::identity::service::session_store::DbSessionStore::new(db.clone());
    let mut people = Vec::with_capacity(PEOPLE);
    for i in 0..PEOPLE {
        let (user_id, id) = store
            .open_participant(
                &format!("crash-{i}"),
                None,
                now,
                tower_sessions::cookie::time::Duration::minutes(30),
            )
            .await
            .unwrap();
        people.push((user_id, format!("leerplatform_sessie={id}")));
    }

    let port = free_port();
    let server = Arc::new(Mutex::new(start_server(&database_url, &content, port)));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    wait_ready(&client, port).await;
    let answered = Arc::new(AtomicUsize::new(0));
    // Kill -9 once a fifth of the burst has been answered: the rest is in flight or queued.
    let killer = {
        let (server, answered) = (server.clone(), answered.clone());
        tokio::spawn(async move {
            while answered.load(Ordering::SeqCst) < PEOPLE / 5 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let mut child = server.lock().unwrap();
            child.kill().unwrap();
            child.wait().unwrap();
        })
    };
    let url = format!("http://127.0.0.1:{port}/trainingen/crashproef/2099-burst/inschrijven");
    let tasks: Vec<_> = people
        .iter()
        .map(|(user_id, cookie)| {
            let (client, url, cookie, answered) = (
                client.clone(),
                url.clone(),
                cookie.clone(),
                answered.clone(),
            );
            let user_id = *user_id;
            tokio::spawn(async move {
                let reply = client
                    .post(&url)
                    .header("cookie", cookie)
                    .header("origin", format!("http://127.0.0.1:{port}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("")
                    .send()
                    .await;
                let succeeded = reply.is_ok_and(|r| r.status().as_u16() == 303);
                if succeeded {
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                (user_id, succeeded)
            })
        })
        .collect();
    let mut succeeded = Vec::new();
    for task in tasks {
        let (user_id, ok) = task.await.unwrap();
        if ok {
            succeeded.push(user_id);
        }
    }
    killer.await.unwrap();
    assert!(
        succeeded.len() < PEOPLE,
        "the kill came after the burst; nothing was tested"
    );
    // Start again on the same database, as an operator would.
    let restarted = start_server(&database_url, &content, port);
    wait_ready(&client, port).await;
    let run = app::training::entity::run::Entity::find()
        .filter(app::training::entity::run::Column::Code.eq("2099-burst"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let rows = app::training::entity::enrolment::Entity::find()
        .filter(app::training::entity::enrolment::Column::RunId.eq(run.id))
        .all(&db)
        .await
        .unwrap();
    let mut per_person = std::collections::HashMap::<i32, usize>::new();
    for row in &rows {
        *per_person.entry(row.user_id).or_default() += 1;
    }
    for user_id in &succeeded {
        assert_eq!(
            per_person.get(user_id),
            Some(&1),
            "user {user_id} was answered"
        );
    }
    assert!(per_person.values().all(|count| *count == 1), "nobody twice");
    let confirmed = rows
        .iter()
        .filter(|row| row.status == app::training::model::EnrolmentStatus::Confirmed)
        .count() as i32;
    assert_eq!(run.seats_taken, confirmed);
    assert!(confirmed <= CAPACITY);
    let mut restarted = restarted;
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}
