//! `/metrics` in the Prometheus text format, for the operator's monitoring: requests by route
//! and status with latency histograms, the database pool, jobs due and failed, the mail
//! outbox by state, page-cache hits and misses, and the search index's age.
//!
//! The `metrics` facade records; `metrics-exporter-prometheus` (without its own listener)
//! renders. Routes are labelled by their template (`/intervisie/{group}`), never by the
//! address itself, so no id, slug or query reaches the metrics. The endpoint answers only with
//! `Authorization: Bearer <METRICS_TOKEN>`; without a token configured it does not exist (404).

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::AppState;

/// Request latency buckets, in seconds: a cached page takes well under a millisecond, a
/// rendered one a few, and the time limit is 30 s.
const LATENCY_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The process's one recorder (the `metrics` facade is global), installed on first use.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    &LATENCY_BUCKETS,
                )
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
            }
            handle
        })
        .clone()
}

/// A response's route template, for the page cache: it stands in front of routing and
/// counts the answers it gives under the route of the page it kept.
#[derive(Clone)]
pub struct RouteLabel(pub String);

/// Counts every request by route template and status, with its duration.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let started = Instant::now();
    let mut response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    response.extensions_mut().insert(RouteLabel(route));
    response
}

/// The counters a kept page's answers go to, resolved once when it is kept: a hit then costs
/// a few atomic updates, not lookups in the registry.
pub struct KeptPageCounters {
    answered: metrics::Counter,
    not_modified: metrics::Counter,
    duration: metrics::Histogram,
    hits: metrics::Counter,
}

impl KeptPageCounters {
    pub fn for_route(route: &str) -> Self {
        let route = route.to_owned();
        KeptPageCounters {
            answered: metrics::counter!("http_requests_total", "route" => route.clone(), "status" => "200"),
            not_modified: metrics::counter!("http_requests_total", "route" => route.clone(), "status" => "304"),
            duration: metrics::histogram!("http_request_duration_seconds", "route" => route),
            hits: metrics::counter!("page_cache_hits_total"),
        }
    }

    pub fn answered(&self, started: Instant) {
        self.answered.increment(1);
        self.hits.increment(1);
        self.duration.record(started.elapsed().as_secs_f64());
    }

    pub fn not_modified(&self, started: Instant) {
        self.not_modified.increment(1);
        self.hits.increment(1);
        self.duration.record(started.elapsed().as_secs_f64());
    }
}

/// A page-cache lookup that found no page to answer with (hits count on the page's own
/// [`KeptPageCounters`]).
pub fn page_cache_miss() {
    metrics::counter!("page_cache_misses_total").increment(1);
}

/// `GET /metrics`.
pub async fn endpoint(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !bearer_matches(&headers, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "",
        )
            .into_response();
    }
    if let Err(error) = sample_gauges(&state).await {
        tracing::warn!(%error, "reading the metrics from the database failed");
        metrics::counter!("metrics_database_errors_total").increment(1);
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle().render(),
    )
        .into_response()
}

/// Compared as digests, so the time taken says nothing about how much of the token matched.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

/// The figures read when scraped: the pool, the job table, the outbox and the search index.
async fn sample_gauges(state: &AppState) -> Result<(), sea_orm::DbErr> {
    use app::messaging::entity::{job, mail};
    use app::messaging::model::{JobState, MailState};
    let db = &state.db;
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    let now = state.context.now();
    let due = job::Entity::find()
        .filter(job::Column::State.eq(JobState::Pending))
        .filter(job::Column::RunAt.lte(now))
        .count(db)
        .await?;
    let failed = job::Entity::find()
        .filter(job::Column::State.eq(JobState::Failed))
        .count(db)
        .await?;
    metrics::gauge!("jobs_due").set(due as f64);
    metrics::gauge!("jobs_failed").set(failed as f64);
    for state_of_mail in MailState::ALL {
        let count = mail::Entity::find()
            .filter(mail::Column::State.eq(state_of_mail))
            .count(db)
            .await?;
        metrics::gauge!("mail_outbox", "state" => state_of_mail.slug()).set(count as f64);
    }
    if let Ok(search) = state
        .context
        .get::<std::sync::Arc<app::knowledge::service::search::SearchIndex>>()
        && let Some(age) = search.age()
    {
        metrics::gauge!("search_index_age_seconds").set(age.as_secs_f64());
    }
    Ok(())
}
