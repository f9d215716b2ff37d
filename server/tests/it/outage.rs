//! The database goes away under a running node (PostgreSQL behind a TCP proxy the test cuts):
//! the readiness check says so within a second, a page that needs the database answers the
//! Dutch 503 within 3 seconds (not after the request time limit), an anonymous
//! factsheet already in the page cache is still served, and the node recovers by itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use tokio::net::{TcpListener, TcpStream};

use crate::support::{Browser, PostgresDatabase, test_app_on};

/// Forwards connections to PostgreSQL until it is cut: then every connection it carries is
/// dropped and new ones are closed at once, as when the database server is gone.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
}

impl Proxy {
    async fn start(target: &'static str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let accepting = up.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accepting.load(Ordering::Acquire) {
                    drop(client);
                    continue;
                }
                let carrying = accepting.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    let copy = tokio::io::copy_bidirectional(&mut client, &mut server);
                    let cut = async {
                        while carrying.load(Ordering::Acquire) {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! {
                        _ = copy => {}
                        _ = cut => {}
                    }
                });
            }
        });
        Proxy { port, up }
    }

    fn set(&self, up: bool) {
        self.up.store(up, Ordering::Release);
    }
}

#[tokio::test]
async fn a_node_without_its_database_says_so_quickly_keeps_cached_pages_and_recovers() {
    let database = PostgresDatabase::create("lp_outage").await;
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let url = database.url_through(proxy.port);
    let db = server::open_database(&url).await.unwrap();
    let app = test_app_on(db, None, &[]).await;
    let mut visitor = Browser::default();
    let factsheet = "/factsheets/jihadisme";
    assert_eq!(
        visitor.get(&app.router, factsheet).await.status,
        StatusCode::OK
    );
    assert_eq!(
        visitor.get(&app.router, "/readyz").await.status,
        StatusCode::OK
    );

    proxy.set(false);
    // The proxy drops what it carries within its 20 ms check.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let timed = |started: Instant| started.elapsed();
    let started = Instant::now();
    assert_eq!(
        visitor.get(&app.router, "/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let readiness = timed(started);
    assert!(
        readiness < Duration::from_millis(1500),
        "readyz took {readiness:?}"
    );
    // Past the version's recheck, the cached factsheet is still served, quickly.
    tokio::time::sleep(server::page_cache::VERSION_RECHECK).await;
    let started = Instant::now();
    let cached = visitor.get(&app.router, factsheet).await;
    let served = timed(started);
    assert_eq!(cached.status, StatusCode::OK);
    assert!(cached.body.contains("Wat is jihadisme?"));
    assert!(
        served < Duration::from_secs(1),
        "the cached page took {served:?}"
    );
    // A page that needs the database: the Dutch 503 within 3 s, not after the 30 s limit.
    let started = Instant::now();
    let page = visitor.get(&app.router, "/trainingen").await;
    let failed = timed(started);
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("lang=\"nl\""),
        "the site's Dutch error page"
    );
    assert!(failed < Duration::from_secs(3), "the 503 took {failed:?}");

    // Back: the node recovers by itself.
    proxy.set(true);
    let back = Instant::now();
    loop {
        let ready = visitor.get(&app.router, "/readyz").await.status == StatusCode::OK;
        let page = visitor.get(&app.router, "/trainingen").await.status == StatusCode::OK;
        if ready && page {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(15), "no recovery");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(app);
    database.drop().await;
}
