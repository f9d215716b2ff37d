//! `make bench`: one participant account with a logged-in session in `DATABASE_URL`; prints
//! the `Cookie` header value, for measuring a logged-in page.

#[tokio::main]
async fn main() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = app::db::connect_and_migrate(&database_url)
        .await
        .expect("database");
    let now = chrono::Utc::now();
    let store = app::identity::service::session_store::DbSessionStore::new(db.clone());
    let (_, id) = store
        .open_participant(
            &format!("bench-{}", now.timestamp_micros()),
            None,
            now,
            tower_sessions::cookie::time::Duration::hours(2),
        )
        .await
        .expect("participant");
    println!("{}={id}", server::session_cookie_name(false));
}
