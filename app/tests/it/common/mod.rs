//! Fresh databases for service tests: SQLite in memory, and a new PostgreSQL database per test
//! (copied from one migrated template) so runs never see each other's rows.
#![allow(dead_code)]

pub mod builders;
pub mod smtp_sink;

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub async fn sqlite() -> DatabaseConnection {
    app::register_document_kinds();
    app::db::connect_and_migrate("sqlite::memory:")
        .await
        .expect("in-memory SQLite")
}

/// The server that holds the per-test databases; `TEST_POSTGRES_URL` overrides the default.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A test's own PostgreSQL database, copied from the migrated template; dropped when the test
/// ends, also when it panics.
pub struct PostgresDb {
    pub db: DatabaseConnection,
    name: String,
}

impl PostgresDb {
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for PostgresDb {
    fn drop(&mut self) {
        drop_database_now(&self.name);
    }
}

/// Drops a test database from any context: Drop may run while a panic unwinds inside the
/// test's runtime, where nothing can be awaited, so a thread of its own does it (FORCE ends
/// the connections still open).
fn drop_database_now(name: &str) {
    let name = name.to_owned();
    let dropped = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            if let Ok(admin) = Database::connect(postgres_admin_url()).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
            }
        });
    });
    let _ = dropped.join();
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

fn database_url(name: &str) -> String {
    let admin_url = postgres_admin_url();
    let (base, _) = admin_url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}

pub async fn database_exists(admin: &DatabaseConnection, name: &str) -> bool {
    admin
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await
        .ok()
        .flatten()
        .is_some()
}

/// The migrated template every test database is copied from (`CREATE DATABASE … TEMPLATE`),
/// made once per list of migrations: its name carries a hash of their names, so a new
/// migration makes a new template. It is migrated under a name of its own and renamed when
/// complete, so test processes starting at once never copy a half-migrated template.
async fn template(admin: &DatabaseConnection) -> String {
    use migration::MigratorTrait;
    use std::hash::{Hash, Hasher};
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for migration in migration::Migrator::migrations() {
                migration.name().hash(&mut hasher);
            }
            let name = format!("lp_template_{:016x}", hasher.finish());
            if database_exists(admin, &name).await {
                return name;
            }
            let building = unique_name("lp_template_building");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{building}\""))
                .await
                .expect("create the template database");
            let migrated = app::db::connect_and_migrate(&database_url(&building))
                .await
                .expect("migrate the template database");
            let _ = migrated.close().await;
            let renamed = admin
                .execute_unprepared(&format!(
                    "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                ))
                .await;
            if let Err(error) = renamed {
                // Another test process may have finished its template first: use that one.
                drop_database_now(&building);
                assert!(
                    database_exists(admin, &name).await,
                    "the template database could not be made: {error}"
                );
            }
            name
        })
        .await
        .clone()
}

/// A fresh PostgreSQL database for one test, copied from the migrated template.
pub async fn postgres() -> PostgresDb {
    app::register_document_kinds();
    let admin_url = postgres_admin_url();
    let admin = Database::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is needed for these tests: {e}"));
    let template = template(&admin).await;
    let name = unique_name("lp_test");
    admin
        .execute_unprepared(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
        ))
        .await
        .expect("create test database");
    let _ = admin.close().await;
    match app::db::connect_and_migrate(&database_url(&name)).await {
        Ok(db) => PostgresDb { db, name },
        Err(error) => {
            drop_database_now(&name);
            panic!("connect to test database: {error}")
        }
    }
}

/// Runs each listed `async fn(&DatabaseConnection)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let db = $crate::common::sqlite().await;
                    super::$test(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    let pg = $crate::common::postgres().await;
                    super::$test(&pg.db).await;
                }
            )*
        }
    };
}

/// The plan the database would follow for `query`, one line per step. On PostgreSQL after
/// `VACUUM ANALYZE` of `table` (statistics, as autovacuum would keep them) and with sequential
/// scans off: a test's small table would be read whole anyway; which index the planner turns
/// to is the question.
pub async fn query_plan(db: &DatabaseConnection, query: sea_orm::Statement, table: &str) -> String {
    use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
    let mut explain = query;
    let lines: Vec<String> = match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!("VACUUM ANALYZE {table}"))
                .await
                .unwrap();
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await
                .unwrap();
            explain.sql = format!("EXPLAIN {}", explain.sql);
            txn.query_all_raw(explain)
                .await
                .unwrap()
                .iter()
                .map(|row| row.try_get_by_index::<String>(0).unwrap())
                .collect()
        }
        _ => {
            explain.sql = format!("EXPLAIN QUERY PLAN {}", explain.sql);
            db.query_all_raw(explain)
                .await
                .unwrap()
                .iter()
                .map(|row| row.try_get::<String>("", "detail").unwrap())
                .collect()
        }
    };
    lines.join("\n")
}

/// A valid factsheet file; `overrides` replace whole front-matter lines by their key.
pub fn factsheet(slug: &str, overrides: &[(&str, &str)]) -> String {
    let mut lines = vec![
        format!("title: \"Factsheet {slug}\""),
        format!("slug: {slug}"),
        "summary: \"Een korte samenvatting.\"".to_owned(),
        "phenomena: [jihadisme]".to_owned(),
        "audience: [onderwijs, zorg]".to_owned(),
        "owner: \"Kennisteam Test\"".to_owned(),
        "reviewed_on: 2026-05-01".to_owned(),
        "review_due: 2027-05-01".to_owned(),
        "status: published".to_owned(),
        "sources:\n  - title: \"AIVD\"\n    url: \"https://www.aivd.nl\"".to_owned(),
    ];
    for (key, replacement) in overrides {
        let prefix = format!("{key}:");
        match lines.iter_mut().find(|line| line.starts_with(&prefix)) {
            Some(line) => *line = replacement.to_string(),
            None => lines.push(replacement.to_string()),
        }
    }
    format!(
        "---\n{}\n---\nInleiding over {slug}.\n\n## Achtergrond\n\nTekst[^1].\n\n### Details\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Een bron.\n",
        lines.join("\n")
    )
}

/// A content directory with the given `factsheets/<name>` files.
pub fn content_dir(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let factsheets = dir.path().join("factsheets");
    std::fs::create_dir_all(&factsheets).expect("factsheets dir");
    for (name, text) in files {
        std::fs::write(factsheets.join(name), text).expect("write fixture");
    }
    dir
}

/// A module file of `course`: a factsheet-shaped document with `body` as its text.
pub fn module(slug: &str, body: &str) -> String {
    let text = factsheet(slug, &[]);
    let front_matter_end = text.find("\n---\n").expect("front matter") + 5;
    format!("{}{body}", &text[..front_matter_end])
}

/// Writes `files` (paths relative to the content directory) into `dir`.
pub fn write_files(dir: &std::path::Path, files: &[(&str, String)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write fixture");
    }
}

/// A self-check block: the first option right, the second wrong.
pub fn question(prompt: &str, right: &str, wrong: &str) -> String {
    format!("```vraag\n{prompt}\n- [x] {right}\n- [ ] {wrong}\n> Uitleg bij {prompt}\n```\n")
}

/// The moment service tests act at (services take the time from the caller's clock).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-29T10:00:00Z".parse().expect("a valid moment")
}

/// Approves the newest revision of `slug`, as an approver who reviewed it would.
pub async fn approve_head(
    db: &DatabaseConnection,
    approver: i32,
    slug: &str,
) -> Result<app::knowledge::service::search::IndexedDocument, app::error::ServiceError> {
    use app::knowledge::service::workflow;
    let head = workflow::history(db, slug, now())
        .await?
        .first()
        .map_or(0, |revision| revision.number);
    workflow::approve(db, approver, slug, head, now()).await
}
