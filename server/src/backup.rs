//! `leerplatform backup <file>` and `leerplatform restore <file>`: a consistent copy of the
//! database while the platform serves, and that copy back into an empty database.
//!
//! - SQLite: `VACUUM INTO` writes a compact copy from one read transaction, so it is
//!   consistent while writers go on (WAL lets them). Restoring copies the file into place
//!   when the database file does not exist yet or holds no tables.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot, also while serving) and
//!   `pg_restore` into a database without tables; both must be installed (the client of the
//!   server's major version). The password goes to them in `PGPASSWORD`, not on the command
//!   line, where other users of the machine could read it.
//!
//! Both refuse rather than overwrite: a backup never replaces an existing file, a restore never
//! writes into a database that holds tables. After a restore the schema is migrated forward,
//! so a backup of an older version restores into a newer one. The intervision key is not in
//! the database: back it up apart (see the operator's guide).

use std::path::Path;
use std::process::Command;

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::StartupError;
use crate::config::{redact_password, sqlite_file};

fn refuse(message: impl Into<String>) -> StartupError {
    StartupError::Backup(message.into())
}

/// Writes a consistent copy of `url`'s database to `file`; a line saying what was written.
pub async fn backup(url: &str, file: &Path) -> Result<String, StartupError> {
    if file.exists() {
        return Err(refuse(format!(
            "{} exists; a backup never overwrites a file, choose a new name",
            file.display()
        )));
    }
    if url.starts_with("sqlite:") {
        if sqlite_file(url).is_none() {
            return Err(refuse("an in-memory database cannot be backed up"));
        }
        let db = crate::open_database(url).await?;
        let target = file.to_string_lossy().replace('\'', "''");
        db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
            .await
            .map_err(|error| refuse(format!("VACUUM INTO {}: {error}", file.display())))?;
    } else {
        let (url, password) = without_password(url);
        run(
            Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(file)
                .arg("--dbname")
                .arg(&url),
            password.as_deref(),
        )?;
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "backup written to {} ({bytes} bytes)",
        file.display()
    ))
}

/// Fills the empty database of `url` from `file`, a backup made by [`backup`], and migrates
/// it forward; a line saying what was restored.
pub async fn restore(url: &str, file: &Path) -> Result<String, StartupError> {
    if !file.is_file() {
        return Err(refuse(format!("{} is not a backup file", file.display())));
    }
    if url.starts_with("sqlite:") {
        let Some(target) = sqlite_file(url) else {
            return Err(refuse("restore into an SQLite file, not into memory"));
        };
        let mut header = [0u8; 16];
        let is_sqlite = std::fs::File::open(file)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .is_ok()
            && &header == b"SQLite format 3\0";
        if !is_sqlite {
            return Err(refuse(format!(
                "{} is not an SQLite backup (a PostgreSQL backup restores with a postgres:// DATABASE_URL)",
                file.display()
            )));
        }
        if target.exists() && table_count(url).await? > 0 {
            return Err(refuse(format!(
                "{} already holds tables; restore only fills an empty database",
                target.display()
            )));
        }
        if let Some(dir) = target.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| refuse(format!("{}: {e}", dir.display())))?;
        }
        // An empty file may have WAL leftovers beside it; they belong to no backup.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        std::fs::copy(file, &target)
            .map_err(|e| refuse(format!("copying to {}: {e}", target.display())))?;
    } else {
        if table_count(url).await? > 0 {
            return Err(refuse(format!(
                "{} already holds tables; restore only fills an empty database",
                redact_password(url)
            )));
        }
        let (bare, password) = without_password(url);
        run(
            Command::new("pg_restore")
                .args([
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                ])
                .arg(&bare)
                .arg(file),
            password.as_deref(),
        )?;
    }
    // Forward to this version's schema, and proof that it opens.
    let db = crate::open_database(url).await?;
    let tables = table_count_on(&db).await?;
    Ok(format!(
        "restored {} into {} ({tables} tables)",
        file.display(),
        redact_password(url)
    ))
}

/// How many tables the database at `url` has (0 for one that is empty or does not exist yet),
/// without migrating it.
async fn table_count(url: &str) -> Result<i64, StartupError> {
    let db = Database::connect(url)
        .await
        .map_err(|e| refuse(format!("cannot open {}: {e}", redact_password(url))))?;
    let count = table_count_on(&db).await;
    let _ = db.close().await;
    count
}

async fn table_count_on(db: &sea_orm::DatabaseConnection) -> Result<i64, StartupError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'",
        _ => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .map_err(|e| refuse(format!("counting tables: {e}")))?;
    Ok(row
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or(0))
}

/// The URL without its password, and the password (for `PGPASSWORD`).
fn without_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    match credentials.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}"),
            Some(password.to_owned()),
        ),
        None => (url.to_owned(), None),
    }
}

/// Runs a PostgreSQL client tool; its own message when it fails.
fn run(command: &mut Command, password: Option<&str>) -> Result<(), StartupError> {
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|error| {
        refuse(format!(
            "{program} could not be started ({error}); install the PostgreSQL client tools of the server's major version"
        ))
    })?;
    if output.status.success() {
        return Ok(());
    }
    Err(refuse(format!(
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    )))
}
