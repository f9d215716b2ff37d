//! The write lane (`db::on_write_lane`): SQLite's writers run on a thread of their own, a
//! writer that panics is an error for its caller and not the end of the lane, and PostgreSQL's
//! writers run where they are.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};

fn thread_name() -> Option<String> {
    std::thread::current().name().map(str::to_owned)
}

async fn sqlite_writers_run_on_the_lane_and_postgres_writers_in_place(db: &DatabaseConnection) {
    let ran_on: Result<Option<String>, DbErr> =
        app::db::on_write_lane(db, async { Ok(thread_name()) }).await;
    let on_lane = ran_on.expect("lane work") == Some("write-lane".to_owned());
    assert_eq!(on_lane, db.get_database_backend() == DbBackend::Sqlite);
    // A session's write takes its turn there too, and does its work.
    let written = app::db::write_in_turn(db, |db| async move {
        db.execute_unprepared("CREATE TABLE lane_probe (n INTEGER)")
            .await?;
        Ok(db
            .execute_unprepared("INSERT INTO lane_probe (n) VALUES (1), (2)")
            .await?
            .rows_affected())
    })
    .await
    .expect("write in turn");
    assert_eq!(written, 2);
}

fn a_bug_in_a_writer() -> Result<(), DbErr> {
    panic!("a bug in a writer")
}

/// SQLite only: on PostgreSQL the work runs in place, so its panic is the caller's own.
#[tokio::test]
async fn a_writer_that_panics_is_an_error_and_the_lane_goes_on() {
    let db = crate::common::sqlite().await;
    let error = app::db::on_write_lane(&db, async { a_bug_in_a_writer() })
        .await
        .expect_err("the panic comes back as an error");
    assert!(error.to_string().contains("write lane"), "{error}");
    let after: Result<i32, DbErr> = app::db::on_write_lane(&db, async { Ok(7) }).await;
    assert_eq!(after.expect("the lane still runs"), 7);
}

on_both_databases!(sqlite_writers_run_on_the_lane_and_postgres_writers_in_place,);

/// On a SQLite file a read does not wait for the write transaction that is open (in WAL mode
/// readers run beside the writer), and a login's read-then-write transaction taken meanwhile
/// waits for its turn instead of failing on a stale snapshot.
#[tokio::test]
async fn on_a_sqlite_file_reads_run_beside_the_writer_and_writers_take_turns() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/lane.db?mode=rwc", dir.path().display());
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    let now = chrono::Utc::now();
    let writer = app::db::begin_write(&db).await.unwrap();
    db.execute_unprepared("SELECT 1").await.unwrap();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        app::identity::entity::user::Entity::find().count(&db),
    )
    .await
    .expect("a read is not held up by the open write transaction");
    assert_eq!(read.unwrap(), 0);
    let login = tokio::spawn({
        let db = db.clone();
        async move {
            app::identity::service::accounts::record_login(&db, "http://idp", "ana", None, now)
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(!login.is_finished(), "the login waits for its turn");
    app::identity::entity::user::Entity::insert(app::identity::entity::user::ActiveModel {
        issuer: sea_orm::Set("http://idp".into()),
        subject: sea_orm::Set("bo".into()),
        created_at: sea_orm::Set(now),
        last_login_at: sea_orm::Set(now),
        ..Default::default()
    })
    .exec(&*writer)
    .await
    .unwrap();
    writer.commit().await.unwrap();
    login
        .await
        .unwrap()
        .expect("the login succeeds after the writer");
    assert_eq!(
        app::identity::entity::user::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        2
    );
}

/// A SQLite file is read through a memory map and a page cache larger than SQLite's 2 MB
/// default, on every connection of the pool.
#[tokio::test]
async fn a_sqlite_file_is_read_through_a_memory_map() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("db.sqlite").display()
    );
    let db = app::db::connect_and_migrate(&url).await.expect("connect");
    for pragma in ["mmap_size", "cache_size"] {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                format!("PRAGMA {pragma}"),
            ))
            .await
            .expect("read the pragma")
            .expect("one row");
        let value: i64 = row.try_get_by_index(0).expect("a number");
        let wanted = match pragma {
            "mmap_size" => app::db::SQLITE_MMAP_BYTES as i64,
            _ => app::db::SQLITE_CACHE_KIB,
        };
        assert_eq!(value, wanted, "{pragma}");
    }
}
