//! Whether this node's PostgreSQL answers, so that pages needing it fail fast while it does
//! not: a burst of requests may queue for a connection as long as the request time limit
//! allows, but when the server is gone nobody should wait that long for a 503.
//!
//! A watcher pings the database every [`CHECK_EVERY`] (each ping may take
//! [`crate::READINESS_LIMIT`]). While it does not answer, [`gate`] answers the Dutch 503 at
//! once, and a request that was already waiting gets it [`GRACE`] after the outage was seen.
//! Cached anonymous pages sit outside the gate and are still served. SQLite, a file of this
//! process, is not watched.

use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::watch;

/// How often the watcher pings.
pub const CHECK_EVERY: Duration = Duration::from_millis(500);
/// How long a request already under way may still take once the outage is seen.
pub const GRACE: Duration = Duration::from_secs(2);

pub struct DatabaseHealth {
    db: DatabaseConnection,
    down: watch::Sender<bool>,
}

impl DatabaseHealth {
    /// Starts watching `db` when it is PostgreSQL; the watcher ends with the last reference.
    pub fn watch(db: DatabaseConnection) -> Arc<Self> {
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let health = Arc::new(Self {
            db,
            down: watch::channel(false).0,
        });
        if postgres {
            tokio::spawn(watcher(Arc::downgrade(&health)));
        }
        health
    }

    pub fn is_down(&self) -> bool {
        *self.down.borrow()
    }
}

async fn watcher(health: Weak<DatabaseHealth>) {
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        let Some(health) = health.upgrade() else {
            return;
        };
        let answers = tokio::time::timeout(crate::READINESS_LIMIT, health.db.ping())
            .await
            .is_ok_and(|ping| ping.is_ok());
        let was_down = health.down.send_replace(!answers);
        match (was_down, answers) {
            (false, false) => {
                tracing::warn!("the database does not answer; pages that need it answer 503")
            }
            (true, true) => tracing::info!("the database answers again"),
            _ => {}
        }
    }
}

/// Answers 503 at once while the database is known to be down, and to a request still waiting
/// [`GRACE`] after it went down. Paths that never need the database pass untouched.
pub async fn gate(
    State(health): State<Arc<DatabaseHealth>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path == "/readyz" || path.starts_with("/pkg/") {
        return next.run(request).await;
    }
    if health.is_down() {
        return unavailable();
    }
    let mut down = health.down.subscribe();
    let gone = async move {
        let _ = down.wait_for(|down| *down).await;
        tokio::time::sleep(GRACE).await;
    };
    tokio::select! {
        response = next.run(request) => response,
        _ = gone => unavailable(),
    }
}

fn unavailable() -> Response {
    crate::auth::auth_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "Het platform kan zijn gegevens op dit moment niet bereiken. Er is niets verloren gegaan; probeer het over een paar minuten opnieuw.",
    )
}
