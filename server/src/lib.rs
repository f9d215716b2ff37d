#![recursion_limit = "512"]
//! The axum server around the Leptos app: start-up, health checks and the HTTP router.

pub mod auth;
pub mod backup;
pub mod config;
pub mod db_health;
pub mod jobs;
pub mod memory;
pub mod metrics;
pub mod page_cache;
pub mod plain_page;
pub mod rate_limit;
pub mod security;

use std::path::Path;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use app::knowledge::service::import::{ImportReport, import_content_dir};
use app::{App, shell};
use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use app::context::AppContext;
use app::identity::service::session_store::DbSessionStore;
use app::knowledge::service::search::SearchIndex;
use auth::{Oidc, SessionPolicy};
use config::{Config, ConfigError, redact_password, sqlite_parent_dir};
use rate_limit::RateLimits;

/// Why the server could not start. Each is printed as one line before exiting non-zero.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("cannot open database {url}: {reason}")]
    Database { url: String, reason: String },
    #[error("cannot read CONTENT_DIR '{path}': {reason}")]
    ContentDir { path: String, reason: String },
    #[error("importing content failed: {0}")]
    Import(String),
    #[error("{0}")]
    Usage(String),
    #[error("building the search index failed: {0}")]
    Search(String),
    #[error("OpenID Connect: {0}")]
    Oidc(#[from] auth::DiscoveryError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: String, reason: String },
    #[error("{0}")]
    Backup(String),
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    /// None when no provider is configured: then nobody can log in.
    pub oidc: Option<Arc<Oidc>>,
    pub session_policy: SessionPolicy,
    pub session_idle_minutes: i64,
    pub secure_cookies: bool,
    pub request_timeout: Duration,
    /// `Origin` of our own pages (from `PUBLIC_URL`).
    pub public_origin: Arc<str>,
    pub rate_limits: Arc<RateLimits>,
    /// Database, clock, public address and the domains' shared state (the search index), as
    /// every server function and page sees them.
    pub context: AppContext,
    /// The mail server, when `SMTP_URL` is set.
    pub mailer: Option<app::messaging::service::smtp::Mailer>,
    pub job_poll: Duration,
    /// Whether PostgreSQL answers (see `db_health`).
    pub db_health: Arc<db_health::DatabaseHealth>,
    /// `/metrics` answers with this bearer token (`METRICS_TOKEN`); None: no `/metrics`.
    pub metrics_token: Option<Arc<str>>,
    /// Rendered public pages for anonymous visitors.
    pub page_cache: Arc<page_cache::PageCache>,
    /// This server among the running ones (see `messaging::service::nodes`).
    pub node_id: Arc<str>,
}

impl AppState {
    /// Everything the router needs; discovers the OpenID provider when one is configured.
    pub async fn build(config: &Config, db: DatabaseConnection) -> Result<Self, StartupError> {
        let oidc = match &config.oidc {
            Some(settings) => Some(Arc::new(Oidc::discover(settings, config).await?)),
            None => {
                tracing::warn!("OIDC_ISSUER_URL is not set: nobody can log in");
                None
            }
        };
        // The recorder first, so that nothing recorded from here on is lost.
        metrics::handle();
        let search = Arc::new(SearchIndex::new().map_err(|e| StartupError::Search(e.to_string()))?);
        let indexed = search
            .rebuild(&db)
            .await
            .map_err(|e| StartupError::Search(e.to_string()))?;
        tracing::info!(indexed, "search index built");
        let mailer = match &config.smtp_url {
            Some(url) => Some(
                app::messaging::service::smtp::Mailer::new(
                    url,
                    &config.mail_from,
                    &config.public_url,
                )
                .map_err(StartupError::Mail)?
                .signed_by(&config.organisation_name),
            ),
            None => {
                tracing::warn!("SMTP_URL is not set: mail stays in the outbox");
                None
            }
        };
        let context = AppContext::new(db.clone(), config.clock(), config.public_url.clone())
            .with(search)
            .with(app::knowledge::service::documents::RelatedMemo::default())
            .with(Arc::new(app::knowledge::service::usage::Usage::default()))
            .with(Arc::new(app::reports::service::KeptReports::default()))
            .with(Arc::new(
                app::intervision::service::themes::KeptThemeCounts::default(),
            ))
            .with(app::context::Organisation(config.organisation_name.clone()))
            .with(app::messaging::api::Outgoing {
                mailer: mailer.clone(),
            });
        let context = match &config.intervision_key {
            Some(key) => {
                let sealer = app::intervision::service::sealing::Sealer::from_base64(&key.0)
                    .map_err(|error| StartupError::Config(ConfigError::IntervisionKey(error)))?;
                // Never seal with a key other than the one the content is sealed with.
                app::intervision::service::rekey::check_key(&db, &sealer)
                    .await
                    .map_err(|refused| StartupError::Usage(refused.to_string()))?;
                context.with(sealer)
            }
            None => {
                tracing::warn!("INTERVISION_KEY is not set: intervision groups are closed");
                context
            }
        };
        let context = match oidc.as_deref().and_then(Oidc::logout_origin) {
            Some(origin) => context.with(app::csp::ProviderOrigin(origin)),
            None => context,
        };
        let roles_from_provider = config
            .oidc
            .as_ref()
            .is_some_and(|settings| settings.roles_claim.is_some());
        // Always present, so that reading it is never a missing entry (logged as an error).
        let context = context.with(if roles_from_provider {
            app::identity::model::RolesSource::Provider
        } else {
            app::identity::model::RolesSource::Platform
        });
        let secure_cookies = config.public_url_is_https();
        let db_health = db_health::DatabaseHealth::watch(db.clone());
        Ok(Self {
            page_cache: page_cache::PageCache::new(
                context.clone(),
                session_cookie_name(secure_cookies),
            ),
            context,
            leptos_options: leptos_options(config),
            db,
            oidc,
            session_policy: SessionPolicy {
                absolute_seconds: config.session_absolute_hours * 3600,
            },
            session_idle_minutes: config.session_idle_minutes,
            secure_cookies,
            request_timeout: config.request_timeout,
            public_origin: config.public_origin().into(),
            rate_limits: RateLimits::new(config),
            mailer,
            job_poll: Duration::from_secs(config.job_poll_seconds.into()),
            metrics_token: config.metrics_token.as_deref().map(Arc::from),
            db_health,
            node_id: format!(
                "{}-{}",
                std::process::id(),
                app::identity::service::secret_links::new_token()
                    .chars()
                    .take(8)
                    .collect::<String>()
            )
            .into(),
        })
    }

    /// Starts the job runner, and purges expired sessions, idle rate-limit entries, finished
    /// jobs and old mail every few minutes.
    /// Returns the job runner's task, which ends once `stop` is requested and the job in hand
    /// is done.
    pub fn spawn_housekeeping(&self, stop: jobs::Stop) -> tokio::task::JoinHandle<()> {
        let runner = jobs::spawn_runner(
            self.context.clone(),
            self.mailer.clone(),
            self.job_poll,
            stop,
        );
        self.spawn_search_follower();
        self.spawn_usage_flush();
        let (context, node_id) = (self.context.clone(), self.node_id.clone());
        tokio::spawn(async move {
            use app::messaging::service::nodes;
            let mut interval =
                tokio::time::interval(Duration::from_secs(nodes::NODE_RENEW_SECONDS));
            loop {
                interval.tick().await;
                if let Err(error) = nodes::renew(&context.db, &node_id, context.now()).await {
                    tracing::warn!(%error, "announcing this server failed");
                }
            }
        });
        let store = DbSessionStore::new(self.db.clone());
        let limits = self.rate_limits.clone();
        let context = self.context.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_secs(300));
            loop {
                interval.tick().await;
                match store.purge_expired().await {
                    Ok(0) => {}
                    Ok(purged) => tracing::info!(purged, "expired sessions purged"),
                    Err(error) => tracing::warn!(%error, "purging sessions failed"),
                }
                limits.forget_idle_clients();
                memory::release_freed_heap();
                // Offers whose expiry job is missing (made before jobs existed) still expire.
                let now = context.now();
                if let Err(error) =
                    app::training::service::enrolment::expire_offers(&context.db, now).await
                {
                    tracing::warn!(%error, "expiring offers failed");
                }
                let purged = async {
                    Ok::<_, app::error::ServiceError>(
                        app::messaging::service::jobs::purge_finished(&context.db, now).await?
                            + app::messaging::service::outbox::purge_old(&context.db, now).await?,
                    )
                };
                match purged.await {
                    Ok(0) => {}
                    Ok(purged) => tracing::info!(purged, "finished jobs and old mail purged"),
                    Err(error) => tracing::warn!(%error, "purging jobs and mail failed"),
                }
            }
        });
        runner
    }

    /// Adds this node's counts of reads and missed searches to the database every
    /// `usage::FLUSH_EVERY` (and `flush_usage` at shutdown).
    pub fn spawn_usage_flush(&self) {
        let context = self.context.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(app::knowledge::service::usage::FLUSH_EVERY);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // The first tick is at once, with nothing counted yet.
            interval.tick().await;
            loop {
                interval.tick().await;
                flush_usage(&context).await;
            }
        });
    }

    /// Keeps this node's search index up to what any node publishes (see
    /// `SearchIndex::follow`): a publish elsewhere is found here within a second or two.
    pub fn spawn_search_follower(&self) {
        let Ok(search) = self.context.get::<Arc<SearchIndex>>() else {
            return;
        };
        let db = self.db.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(app::knowledge::service::search::FOLLOW_EVERY);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match search.follow(&db).await {
                    Ok(0) => {}
                    Ok(changed) => tracing::info!(changed, "search index follows a publication"),
                    Err(error) => {
                        tracing::warn!(%error, "following publications for search failed")
                    }
                }
            }
        });
    }

    fn session_layer(&self) -> SessionManagerLayer<DbSessionStore> {
        SessionManagerLayer::new(DbSessionStore::new(self.db.clone()))
            .with_name(session_cookie_name(self.secure_cookies))
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(self.secure_cookies)
            .with_path("/")
            // Saved on every request, so the idle timeout counts from the last activity.
            .with_always_save(true)
            .with_expiry(Expiry::OnInactivity(
                tower_sessions::cookie::time::Duration::minutes(self.session_idle_minutes),
            ))
    }
}

/// Adds what this node counted of reads and missed searches to the database (logged when it
/// cannot; the counts are kept for the next try).
pub async fn flush_usage(context: &AppContext) {
    let Ok(usage) = context.get::<Arc<app::knowledge::service::usage::Usage>>() else {
        return;
    };
    if let Err(error) = usage.flush(&context.db, context.now()).await {
        tracing::warn!(%error, "adding the counts of reads and searches failed");
    }
}

/// The session cookie's name. `__Host-` binds it to this exact origin; browsers accept that
/// prefix only with Secure.
pub fn session_cookie_name(secure_cookies: bool) -> &'static str {
    if secure_cookies {
        "__Host-leerplatform"
    } else {
        "leerplatform_sessie"
    }
}

impl FromRef<AppState> for AppContext {
    fn from_ref(state: &AppState) -> Self {
        state.context.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(config.output_name.clone())
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(if config.production {
            Env::PROD
        } else {
            Env::DEV
        })
        .build()
}

pub async fn open_database(url: &str) -> Result<DatabaseConnection, StartupError> {
    let (db, lock) = open_database_for_startup(url).await?;
    lock.release().await;
    Ok(db)
}

/// [`open_database`], holding the start-up lock (see `app::db::StartupLock`) for the caller
/// to release once its content import is done.
pub async fn open_database_for_startup(
    url: &str,
) -> Result<(DatabaseConnection, app::db::StartupLock), StartupError> {
    // Every path into the platform opens its database first: the domains plug in here.
    app::register_document_kinds();
    let fail = |reason: String| StartupError::Database {
        url: redact_password(url),
        reason,
    };
    if let Some(dir) = sqlite_parent_dir(url) {
        std::fs::create_dir_all(&dir)
            .map_err(|e| fail(format!("creating {}: {e}", dir.display())))?;
    }
    app::db::connect_for_startup(url)
        .await
        .map_err(|e| fail(e.to_string()))
}

/// Imports `content/` and logs every rejected file with its reason. Only an unreadable
/// directory or a database failure stops start-up.
pub async fn import_content(
    db: &DatabaseConnection,
    content_dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ImportReport, StartupError> {
    std::fs::read_dir(content_dir).map_err(|e| StartupError::ContentDir {
        path: content_dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let report = import_content_dir(db, content_dir, now)
        .await
        .map_err(|e| StartupError::Import(e.to_string()))?;
    for rejection in &report.rejected {
        tracing::warn!(path = %rejection.path, reason = %rejection.reason, "factsheet skipped");
    }
    tracing::info!(
        added = report.added,
        updated = report.updated,
        unchanged = report.unchanged,
        rejected = report.rejected.len(),
        "content imported"
    );
    import_training_runs(db, content_dir, now).await?;
    let owners = import_owner_mailboxes(db, content_dir).await?;
    tracing::info!(owners, "owners' mailboxes for review reminders");
    Ok(report)
}

/// Reads `owners.yaml` of the content directory (see `knowledge::service::reviews`); how many
/// owners have a mailbox.
pub async fn import_owner_mailboxes(
    db: &DatabaseConnection,
    content_dir: &Path,
) -> Result<usize, StartupError> {
    app::knowledge::service::reviews::import_owner_mailboxes(db, content_dir)
        .await
        .map_err(|e| StartupError::Import(e.to_string()))
}

/// Creates or updates the runs the training files declare (see `training::service::runs_import`).
pub async fn import_training_runs(
    db: &DatabaseConnection,
    content_dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<app::training::service::runs_import::RunImportReport, StartupError> {
    let report = app::training::service::runs_import::import_runs(db, content_dir, now)
        .await
        .map_err(|e| StartupError::Import(e.to_string()))?;
    for (path, reason) in &report.rejected {
        tracing::warn!(%path, %reason, "training run skipped");
    }
    tracing::info!(
        added = report.added,
        updated = report.updated,
        kept = report.kept,
        rejected = report.rejected.len(),
        "training runs imported"
    );
    Ok(report)
}

/// The app's routes, generated once per process: generating them briefly suppresses resource
/// loading process-wide (a global flag in leptos_server), which would stall any page being
/// rendered at that moment by another router, as happens when tests run in parallel.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState) -> Router {
    let routes = ROUTES.clone();
    let context = state.context.clone();
    let provide_context = move || context.provide();
    let session_layer = state.session_layer();
    let limits = state.rate_limits.clone();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::endpoint))
        .route("/auth/login", get(auth::login))
        .route("/auth/callback", get(auth::callback))
        .route("/auth/logout", post(auth::logout))
        // A POST: a link or an image elsewhere cannot make a browser download (and audit) it.
        .route("/profiel/export", post(auth::export_profile))
        .route("/profiel/verwijderen", post(auth::erase_profile))
        .merge(app::knowledge::routes::routes())
        .merge(app::training::routes::routes())
        .merge(app::messaging::routes::routes())
        .merge(app::intervision::routes::routes())
        .merge(app::reports::routes::routes())
        .merge(app::calendar_feed::routes())
        .nest_service("/pkg", static_assets(&state.leptos_options))
        .leptos_routes_with_context(&state, routes, provide_context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_context, shell))
        // Inside the viewer and session layers: a framed answer shows who is logged in.
        .layer(axum::middleware::from_fn(plain_page::plain_form_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            plain_page::framed_answers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve_viewer,
        ))
        .layer(session_layer)
        .layer(axum::middleware::from_fn_with_state(
            limits,
            rate_limit::limit,
        ))
        .layer(axum::middleware::from_fn(security::body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.public_origin.clone(),
            security::refuse_cross_origin,
        ))
        // Inside the page cache: cached pages are served while the database is away.
        .layer(axum::middleware::from_fn_with_state(
            state.db_health.clone(),
            db_health::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.secure_cookies,
            security::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.request_timeout,
            security::time_limit,
        ))
        .layer(TraceLayer::new_for_http())
        // Every answer counted by its route's template; the page cache counts its own.
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state.clone());
    // The page cache stands in front of routing and every layer above, and compression in
    // front of the cache, so kept pages too are compressed for browsers that ask. Level 4:
    // brotli's default (11) costs milliseconds per page on every request, for a few percent
    // smaller pages; precompressed assets already carry an encoding.
    Router::new()
        .fallback_service(page_cache::PageCacheService::new(
            state.page_cache.clone(),
            app,
        ))
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(4)))
}

/// `/pkg/*` (WASM, JS, CSS) from the site root, as the `.br` or `.gz` file that the build wrote
/// beside each asset when the browser accepts it.
fn static_assets(options: &LeptosOptions) -> ServeDir {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// How long the readiness check waits for the database: a load balancer's probe should hear
/// "not ready" in a second, not after the pool's acquire timeout.
pub const READINESS_LIMIT: Duration = Duration::from_secs(1);

/// The process can serve requests: the database answers within [`READINESS_LIMIT`].
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READINESS_LIMIT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness check: the database did not answer within a second");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
