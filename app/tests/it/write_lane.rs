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
