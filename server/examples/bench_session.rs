//! `make bench`: one participant account with a logged-in session in `DATABASE_URL`; prints
//! the `Cookie` header value, for measuring a logged-in page.

use sea_orm::{ActiveModelTrait, Set};
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};

#[tokio::main]
async fn main() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = app::db::connect_and_migrate(&database_url)
        .await
        .expect("database");
    let now = chrono::Utc::now();
    let user = app::identity::entity::user::ActiveModel {
        issuer: Set("http://127.0.0.1/bench".into()),
        subject: Set(format!("bench-{}", now.timestamp_micros())),
        display_name: Set(Some("Deelnemer Bench".into())),
        organisation: Set(Some("Organisatie".into())),
        work_field: Set(Some("zorg".into())),
        profile_completed_at: Set(Some(now)),
        created_at: Set(now),
        last_login_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("account");
    let store = app::identity::service::session_store::DbSessionStore::new(db.clone());
    let mut record = Record {
        id: Id::default(),
        data: [
            ("user_id".to_owned(), serde_json::json!(user.id)),
            (
                "authenticated_at".to_owned(),
                serde_json::json!(now.timestamp()),
            ),
        ]
        .into_iter()
        .collect(),
        expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
            + tower_sessions::cookie::time::Duration::hours(2),
    };
    store.create(&mut record).await.expect("session");
    println!("{}={}", server::session_cookie_name(false), record.id);
}
