//! Whole rendered pages for anonymous visitors, kept in memory so a popular factsheet costs
//! no database read, session work or render per view.
//!
//! - Only `GET`s of the public knowledge pages (home, factsheets, courses) without the session
//!   cookie: a request that carries it may belong to someone logged in, and their pages are
//!   never served from, or stored in, the cache.
//! - A page is kept under the publication version (`knowledge::service::publication`) and the
//!   day it was rendered on. Any state-changing request on this node makes the next lookup
//!   re-read the version, so a publish is visible on the very next request; other nodes (and a
//!   `content import` from the command line) are noticed within `VERSION_RECHECK`.
//! - The CSP nonce is per response: a page is stored split at its nonce and served with a
//!   fresh one, in the body and in the policy alike.
//! - Visitors get a weak `ETag` and `Cache-Control: no-cache`, so a browser revalidates and
//!   gets `304 Not Modified` while nothing changed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use sha2::{Digest, Sha256};
use tower::{Service, ServiceExt};

use app::context::AppContext;
use app::knowledge::service::usage::{Usage, is_document_page};

/// How long another node's publish may take to show here.
pub const VERSION_RECHECK: Duration = Duration::from_secs(1);
/// How long reading the version may take before the database counts as unreachable.
pub const VERSION_READ_LIMIT: Duration = Duration::from_millis(500);
/// Memory for cached pages (bodies and headers); the least used go first.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// Larger pages and longer queries are not kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
const MAX_QUERY_CHARS: usize = 256;

/// One stored page: the body in pieces around each place its nonce stood.
struct CachedPage {
    version: i64,
    day: NaiveDate,
    pieces: Vec<Bytes>,
    /// The policy around its nonce.
    policy: (String, String),
    headers: HeaderMap,
    etag: HeaderValue,
    /// What a `304 Not Modified` for it carries.
    revalidated: HeaderMap,
    /// Its route's counters, held so a hit costs no lookup in the metrics registry.
    counters: crate::metrics::KeptPageCounters,
}

impl CachedPage {
    /// The page, or `304 Not Modified` when the browser holds it already; counted.
    fn answer(&self, request: &Request) -> Response {
        let started = Instant::now();
        if request
            .headers()
            .get(header::IF_NONE_MATCH)
            .is_some_and(|tags| etag_matches(tags, &self.etag))
        {
            self.counters.not_modified(started);
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            *response.headers_mut() = self.revalidated.clone();
            return response;
        }
        let response = self.response();
        self.counters.answered(started);
        response
    }

    fn bytes(&self) -> u64 {
        let body: usize = self.pieces.iter().map(Bytes::len).sum();
        (body + self.policy.0.len() + self.policy.1.len() + 512) as u64
    }

    fn response(&self) -> Response {
        let nonce = leptos::nonce::Nonce::new();
        let nonce = nonce.as_inner().as_bytes();
        let mut body = Vec::with_capacity(self.bytes() as usize + self.pieces.len() * nonce.len());
        for (index, piece) in self.pieces.iter().enumerate() {
            if index > 0 {
                body.extend_from_slice(nonce);
            }
            body.extend_from_slice(piece);
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        let policy = format!(
            "{}{}{}",
            self.policy.0,
            String::from_utf8_lossy(nonce),
            self.policy.1
        );
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
        response
    }
}

#[derive(Clone)]
struct PageWeight;

impl Weighter<String, Arc<CachedPage>> for PageWeight {
    fn weight(&self, key: &String, page: &Arc<CachedPage>) -> u64 {
        key.len() as u64 + page.bytes()
    }
}

pub struct PageCache {
    pages: Cache<String, Arc<CachedPage>, PageWeight>,
    context: AppContext,
    session_cookie: &'static str,
    version: AtomicI64,
    /// The last version read failed: the database is unreachable.
    unreachable: AtomicBool,
    /// A state-changing request ran since the version was read.
    stale: AtomicBool,
    /// When the version was last read, in milliseconds since `started` (no lock per request).
    checked_at_millis: AtomicU64,
    started: Instant,
    /// Where reads of documents' pages are counted, kept pages included.
    usage: Option<Arc<Usage>>,
}

impl PageCache {
    pub fn new(context: AppContext, session_cookie: &'static str) -> Arc<Self> {
        Arc::new(Self {
            pages: Cache::with_weighter(4096, CACHE_BYTES, PageWeight),
            session_cookie,
            version: AtomicI64::new(-1),
            unreachable: AtomicBool::new(false),
            stale: AtomicBool::new(true),
            checked_at_millis: AtomicU64::new(0),
            started: Instant::now(),
            usage: context.optional::<Arc<Usage>>(),
            context,
        })
    }

    /// Counts a read of `path` when the answer showed its page (or confirmed the browser's
    /// copy of it).
    fn count_read(&self, path: &str, status: StatusCode) {
        if let Some(usage) = &self.usage
            && matches!(status, StatusCode::OK | StatusCode::NOT_MODIFIED)
        {
            usage.note_read(path);
        }
    }

    fn millis_since_start(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The publication version, read again when something may have changed it. `Err` with the
    /// last version known when the database cannot say: then pages already kept are served as
    /// they are (stale), and nothing new is kept. A failed read is tried again only after
    /// `VERSION_RECHECK`, and a read waits at most `VERSION_READ_LIMIT`, so an unreachable
    /// database does not hold up every request.
    async fn current_version(&self) -> Result<i64, i64> {
        let now_millis = self.millis_since_start();
        let due = now_millis.saturating_sub(self.checked_at_millis.load(Ordering::Acquire))
            >= VERSION_RECHECK.as_millis() as u64;
        if self.stale.swap(false, Ordering::AcqRel) || due {
            let read = tokio::time::timeout(
                VERSION_READ_LIMIT,
                app::knowledge::service::publication::current(&self.context.db),
            )
            .await;
            self.checked_at_millis.store(now_millis, Ordering::Release);
            match read {
                Ok(Ok(version)) => {
                    // The counter only grows: a slower, older read never undoes a newer one.
                    self.version.fetch_max(version, Ordering::AcqRel);
                    if self.unreachable.swap(false, Ordering::AcqRel) {
                        tracing::info!("the database answers again; the page cache is current");
                    }
                }
                Ok(Err(error)) => {
                    self.became_unreachable(&error.to_string());
                }
                Err(_) => self.became_unreachable("no answer within the time limit"),
            }
        }
        let version = self.version.load(Ordering::Acquire);
        if self.unreachable.load(Ordering::Acquire) {
            Err(version)
        } else {
            Ok(version)
        }
    }

    fn became_unreachable(&self, error: &str) {
        if !self.unreachable.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                %error,
                "reading the publication version failed; cached pages are served stale until the database answers"
            );
        }
    }

    /// The kept page for `key`, answered, when that needs no database read: the version was
    /// read within `VERSION_RECHECK`, nothing changed on this node since, and the page is of
    /// that version and of today.
    fn answer_from_memory(&self, key: &str, request: &Request) -> Option<Response> {
        let fresh = !self.stale.load(Ordering::Acquire)
            && !self.unreachable.load(Ordering::Acquire)
            && self
                .millis_since_start()
                .saturating_sub(self.checked_at_millis.load(Ordering::Acquire))
                < VERSION_RECHECK.as_millis() as u64;
        if !fresh {
            return None;
        }
        let version = self.version.load(Ordering::Acquire);
        let page = self.pages.get(key)?;
        (page.version == version && page.day == self.context.today()).then(|| page.answer(request))
    }

    /// The cache key of a request the cache may answer.
    fn key_of(&self, request: &Request) -> Option<String> {
        if request.method() != Method::GET || carries_cookie(request.headers(), self.session_cookie)
        {
            return None;
        }
        let uri = request.uri();
        let path = uri.path();
        let public = path == "/"
            || path == "/factsheets"
            || path == "/modules"
            || path.starts_with("/factsheets/")
            || path.starts_with("/modules/");
        let query = uri.query().unwrap_or("");
        (public && query.len() <= MAX_QUERY_CHARS).then(|| format!("{path}?{query}"))
    }
}

fn carries_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .any(|pair| pair.trim_start().split('=').next() == Some(name))
}

type Answering = std::pin::Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// The cache in front of the whole app: a kept page is answered before routing, tracing,
/// metrics, the time limit and the security headers (it was kept with the headers these gave
/// it), without cloning the app's middleware stack; anything else goes on to the app.
#[derive(Clone)]
pub struct PageCacheService<S> {
    cache: Arc<PageCache>,
    app: S,
}

impl<S> PageCacheService<S> {
    pub fn new(cache: Arc<PageCache>, app: S) -> Self {
        PageCacheService { cache, app }
    }
}

impl<S> Service<Request> for PageCacheService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answering;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Each call uses a clone of the app made ready by `oneshot`.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let cache = self.cache.clone();
        let key = cache.key_of(&request);
        // Most hits: the version needs no reading and the page is there.
        if let Some(key) = &key
            && let Some(response) = cache.answer_from_memory(key, &request)
        {
            cache.count_read(request.uri().path(), response.status());
            return Box::pin(std::future::ready(Ok(response)));
        }
        let app = self.app.clone();
        Box::pin(async move { Ok(answer(cache, app, key, request).await) })
    }
}

/// A request the cache may not answer from memory at once: what the app answers, kept when it
/// is a page to keep.
async fn answer<S>(cache: Arc<PageCache>, app: S, key: Option<String>, request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    // Reads are counted for everyone, logged in or not, kept page or not.
    let read = (request.method() == Method::GET && is_document_page(request.uri().path()))
        .then(|| request.uri().path().to_owned());
    let response = answer_uncounted(cache.clone(), app, key, request).await;
    if let Some(path) = read {
        cache.count_read(&path, response.status());
    }
    response
}

async fn answer_uncounted<S>(
    cache: Arc<PageCache>,
    app: S,
    key: Option<String>,
    request: Request,
) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let Some(key) = key else {
        let changes_state = !matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        );
        let response = from_app(app, request).await;
        if changes_state {
            cache.stale.store(true, Ordering::Release);
        }
        return response;
    };
    // Read before rendering: a page rendered while a publish commits is kept under the old
    // version, so it is never served after the new one is seen.
    let version = match cache.current_version().await {
        Ok(version) => version,
        // The database is unreachable: a page already kept is served as it was, so readers of
        // factsheets notice nothing; anything else goes on (and answers 503 if it needs it).
        Err(_) => {
            if let Some(page) = cache.pages.get(&key) {
                tracing::info!(path = %request.uri().path(), "served stale from the page cache: the database is unreachable");
                return page.response();
            }
            return from_app(app, request).await;
        }
    };
    let day = cache.context.today();
    if let Some(page) = cache
        .pages
        .get(&key)
        .filter(|page| page.version == version && page.day == day)
    {
        return page.answer(&request);
    }
    crate::metrics::page_cache_miss();
    let response = from_app(app, request).await;
    match keep(response, version, day).await {
        Ok((page, response)) => {
            cache.pages.insert(key, Arc::new(page));
            response
        }
        Err(response) => response,
    }
}

async fn from_app<S>(app: S, request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    match app.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn etag_matches(tags: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(tags) = tags.to_str() else {
        return false;
    };
    let ours = etag.as_bytes();
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.as_bytes() == ours)
}

/// What a 304 repeats of a page's headers: validators and the protective headers; no policy
/// (the browser would apply it to its cached copy, whose body holds another nonce).
const REVALIDATED: [header::HeaderName; 6] = [
    header::ETAG,
    header::CACHE_CONTROL,
    header::X_CONTENT_TYPE_OPTIONS,
    header::X_FRAME_OPTIONS,
    header::REFERRER_POLICY,
    header::STRICT_TRANSPORT_SECURITY,
];

/// The page to keep and the response to send, or the response untouched when it is not one
/// to keep (not a plain 200 HTML page, sets a cookie, says no-store, or has no nonce).
async fn keep(
    response: Response,
    version: i64,
    day: NaiveDate,
) -> Result<(CachedPage, Response), Response> {
    let headers = response.headers();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let no_store = headers
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("no-store"));
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .and_then(split_policy)
        .map(|(before, nonce, after)| (before.to_owned(), nonce.to_owned(), after.to_owned()));
    let (Some((before, nonce, after)), true, false, false) = (
        policy,
        response.status() == StatusCode::OK && html,
        no_store,
        headers.contains_key(header::SET_COOKIE),
    ) else {
        return Err(response);
    };
    let (mut parts, body) = response.into_parts();
    // A page too large to keep is still sent whole.
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "reading a page to cache failed");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let pieces = split_at(&bytes, nonce.as_bytes());
    let mut digest = Sha256::new();
    for piece in &pieces {
        digest.update(piece);
    }
    let hash = digest.finalize();
    let etag = HeaderValue::from_str(&format!(
        "W/\"{}\"",
        hash.iter()
            .take(12)
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::ETAG, etag.clone());
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let mut kept_headers = parts.headers.clone();
    kept_headers.remove(header::CONTENT_SECURITY_POLICY);
    kept_headers.remove(header::DATE);
    let mut revalidated = HeaderMap::new();
    for name in REVALIDATED {
        if let Some(value) = kept_headers.get(&name) {
            revalidated.insert(name, value.clone());
        }
    }
    let route = parts
        .extensions
        .get::<crate::metrics::RouteLabel>()
        .map_or("unmatched", |label| label.0.as_str());
    let page = CachedPage {
        version,
        day,
        pieces,
        policy: (before, after),
        headers: kept_headers,
        etag,
        revalidated,
        counters: crate::metrics::KeptPageCounters::for_route(route),
    };
    Ok((page, Response::from_parts(parts, Body::from(bytes))))
}

/// `(before, nonce, after)` of a policy with `'nonce-…'`.
fn split_policy(policy: &str) -> Option<(&str, &str, &str)> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    let nonce = &policy[start..start + length];
    // A nonce short enough to occur by chance in the page would cut it in the wrong places.
    (nonce.len() >= 16).then(|| (&policy[..start], nonce, &policy[start + length..]))
}

fn split_at(bytes: &Bytes, needle: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index + needle.len() <= bytes.len() {
        if &bytes[index..index + needle.len()] == needle {
            pieces.push(bytes.slice(start..index));
            index += needle.len();
            start = index;
        } else {
            index += 1;
        }
    }
    pieces.push(bytes.slice(start..));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_at_its_nonce_and_the_policy_around_it() {
        let policy = "script-src 'self' 'nonce-abcdefghijklmnop1234' 'wasm-unsafe-eval'";
        let (before, nonce, after) = split_policy(policy).unwrap();
        assert_eq!(nonce, "abcdefghijklmnop1234");
        assert_eq!(
            format!("{before}X{after}"),
            "script-src 'self' 'nonce-X' 'wasm-unsafe-eval'"
        );
        let body = Bytes::from_static(b"<script nonce=\"abcdefghijklmnop1234\">a</script>end");
        let pieces = split_at(&body, nonce.as_bytes());
        assert_eq!(pieces.len(), 2);
        assert_eq!(&pieces[1][..], b"\">a</script>end");
        assert!(split_policy("script-src 'nonce-short'").is_none());
    }

    #[test]
    fn only_the_session_cookie_by_name_counts() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; leerplatform_sessie2=x"),
        );
        assert!(!carries_cookie(&headers, "leerplatform_sessie"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; leerplatform_sessie=x"),
        );
        assert!(carries_cookie(&headers, "leerplatform_sessie"));
    }
}
