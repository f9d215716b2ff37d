//! `make bench`: one participant account with a logged-in session in `DATABASE_URL`; prints
//! the `Cookie` header value, for measuring a logged-in page.

use sea_orm::{ActiveModelTrait, Set};

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
    let id = store
        .open_for(
            user.id,
            now,
            tower_sessions::cookie::time::Duration::hours(2),
        )
        .await
        .expect("session");
    println!("{}={id}", server::session_cookie_name(false));
}
