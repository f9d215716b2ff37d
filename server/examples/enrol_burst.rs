//! `make bench`: 1,000 simultaneous enrolment requests over HTTP into one run of 20 seats, on
//! the database in `DATABASE_URL` (SQLite or PostgreSQL), against a running server at
//! `BENCH_URL`. Prints total time, p50/p99 and outcome counts; asserts nothing.
//!
//! Accounts and their sessions are written straight into the database first (a login through
//! the provider per person would measure the provider, not enrolment).

use std::time::{Duration, Instant};

use openidconnect::reqwest;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const SLUG: &str = "belasting";
const CODE: &str = "2027-burst";

#[tokio::main]
async fn main() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let base = std::env::var("BENCH_URL").expect("BENCH_URL");
    let count: usize = std::env::var("BENCH_ENROLMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let db = app::db::connect_and_migrate(&database_url)
        .await
        .expect("database");
    let now = chrono::Utc::now();
    let store = app::identity::service::session_store::DbSessionStore::new(db.clone());
    let mut cookies = Vec::with_capacity(count);
    for i in 0..count {
        // Every enrolment queues its mail, as in production.
        let (_, id) = store
            .open_participant(
                &format!("burst-{i}-{}", now.timestamp_micros()),
                Some(format!("burst-{i}@bench.invalid")),
                now,
                tower_sessions::cookie::time::Duration::minutes(30),
            )
            .await
            .expect("participant");
        cookies.push(format!("leerplatform_sessie={id}"));
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    let url = format!("{base}/trainingen/{SLUG}/{CODE}/inschrijven");
    let started = Instant::now();
    let tasks: Vec<_> = cookies
        .into_iter()
        .map(|cookie| {
            let client = client.clone();
            let url = url.clone();
            let origin = base.clone();
            tokio::spawn(async move {
                let sent = Instant::now();
                let reply = client
                    .post(&url)
                    .header("cookie", cookie)
                    .header("origin", origin)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("")
                    .send()
                    .await;
                (sent.elapsed(), reply.map(|r| r.status().as_u16()))
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::with_capacity(count);
    let mut redirects = 0;
    let mut errors = 0;
    for task in tasks {
        let (latency, status) = task.await.expect("task");
        latencies.push(latency);
        match status {
            Ok(303) => redirects += 1,
            _ => errors += 1,
        }
    }
    let total = started.elapsed();
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let run = app::training::entity::run::Entity::find()
        .filter(app::training::entity::run::Column::TrainingSlug.eq(SLUG))
        .filter(app::training::entity::run::Column::Code.eq(CODE))
        .one(&db)
        .await
        .expect("run query")
        .expect("the bench run");
    let enrolments = app::training::entity::enrolment::Entity::find()
        .filter(app::training::entity::enrolment::Column::RunId.eq(run.id))
        .all(&db)
        .await
        .expect("enrolments");
    let confirmed = enrolments
        .iter()
        .filter(|e| e.status == app::training::model::EnrolmentStatus::Confirmed)
        .count();
    let waitlisted = enrolments
        .iter()
        .filter(|e| e.status == app::training::model::EnrolmentStatus::Waitlisted)
        .count();
    println!(
        "{count} enrolments over HTTP: {:.2} s total, p50 {:.1} ms, p99 {:.1} ms; {redirects} answered (303), {errors} errors; {confirmed} confirmed (capacity {}), {waitlisted} waitlisted",
        total.as_secs_f64(),
        pick(0.5).as_secs_f64() * 1000.0,
        pick(0.99).as_secs_f64() * 1000.0,
        run.capacity,
    );
}
