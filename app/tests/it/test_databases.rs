//! The PostgreSQL test databases themselves: copied from the migrated template, and gone when
//! their test ends, also when it panics.

use std::sync::{Arc, Mutex};

use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::common::{database_exists, postgres, postgres_admin_url};

#[tokio::test]
async fn a_test_database_starts_fully_migrated_and_is_dropped_when_its_test_panics() {
    let seen: Arc<Mutex<Option<(String, i64)>>> = Arc::default();
    let in_test = seen.clone();
    let outcome = tokio::spawn(async move {
        let pg = postgres().await;
        let applied = pg
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT COUNT(*) AS n FROM seaql_migrations",
            ))
            .await
            .expect("count migrations")
            .expect("one row")
            .try_get::<i64>("", "n")
            .expect("a count");
        *in_test.lock().expect("not poisoned") = Some((pg.name().to_owned(), applied));
        panic!("the test fails after making its database");
    })
    .await;
    assert!(outcome.is_err(), "the spawned test panicked");

    let (name, applied) = seen.lock().expect("not poisoned").clone().expect("it ran");
    assert_eq!(applied as usize, migration::Migrator::migrations().len());
    let admin = Database::connect(postgres_admin_url())
        .await
        .expect("admin connection");
    assert!(
        !database_exists(&admin, &name).await,
        "{name} was left behind by a panicking test"
    );
}
