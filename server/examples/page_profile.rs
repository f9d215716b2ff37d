//! `make bench`: where the time of one factsheet page goes, in process (no network): the
//! service call (database read of the document, its related factsheets worked out afresh or
//! remembered for the publication version), a whole request rendered afresh (middleware, SSR),
//! and the same request answered from the page cache.
//! Uses the database in `DATABASE_URL` (the bench's 10,000 factsheets). Asserts nothing.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;

const SLUG: &str = "synthetisch-00042";
const ROUNDS: u32 = 300;

fn per_call(total: Duration) -> String {
    format!("{:.3} ms", total.as_secs_f64() * 1000.0 / f64::from(ROUNDS))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = server::open_database(&database_url)
        .await
        .expect("database");
    let config = server::config::Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(database_url.clone()),
        "LEPTOS_SITE_ROOT" => Some("target/site".into()),
        _ => None,
    })
    .expect("config");
    let state = server::AppState::build(&config, db.clone())
        .await
        .expect("state");
    let router = server::router(state);
    let today = chrono::Utc::now().date_naive();

    use app::knowledge::service::documents::{RelatedMemo, get_published};
    let started = Instant::now();
    for _ in 0..ROUNDS {
        get_published(&db, &RelatedMemo::default(), SLUG, today)
            .await
            .expect("factsheet");
    }
    let afresh = started.elapsed();
    let memo = RelatedMemo::default();
    let started = Instant::now();
    for _ in 0..ROUNDS {
        get_published(&db, &memo, SLUG, today)
            .await
            .expect("factsheet");
    }
    let service = started.elapsed();

    let get = |uri: String| {
        let router = router.clone();
        async move {
            let response = router
                .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
                .await
                .expect("response");
            response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
                .len()
        }
    };
    // A different query each time: never in the cache, so each is rendered afresh.
    let started = Instant::now();
    for round in 0..ROUNDS {
        get(format!("/factsheets/{SLUG}?profiel={round}")).await;
    }
    let rendered = started.elapsed();
    get(format!("/factsheets/{SLUG}")).await;
    let started = Instant::now();
    let mut size = 0;
    for _ in 0..ROUNDS {
        size = get(format!("/factsheets/{SLUG}")).await;
    }
    let cached = started.elapsed();
    println!(
        "one factsheet page ({size} bytes), per request on one core: service call (document + related) {} \
         with related worked out afresh, {} remembered for the publication version; \
         whole request rendered afresh {} (so middleware + SSR {:.3} ms), from the page cache {}",
        per_call(afresh),
        per_call(service),
        per_call(rendered),
        (rendered.as_secs_f64() - service.as_secs_f64()) * 1000.0 / f64::from(ROUNDS),
        per_call(cached),
    );
}
