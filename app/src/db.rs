//! Connecting to the database (SQLite or PostgreSQL) and bringing its schema up to date.

use std::future::Future;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Connections to a SQLite file: the writer and a few readers (a core each at most).
const SQLITE_CONNECTIONS: u32 = 4;

/// How much of the database file SQLite maps into memory (it grows to this at most; the pages
/// are the kernel's file cache, shared by the connections).
pub const SQLITE_MMAP_BYTES: u64 = 1 << 30;

/// Each connection's own page cache, in KiB as SQLite's negative `cache_size` means it.
pub const SQLITE_CACHE_KIB: i64 = -16_384;

/// How long a request waits for a connection: a burst of requests for one run queues for its
/// lock, and may wait as long as a request may take at all (REQUEST_TIMEOUT_MS' default). When
/// PostgreSQL is unreachable, the server's database gate answers 503 long before this.
const ACQUIRE: Duration = Duration::from_secs(30);

/// Connects and runs pending migrations under the [`StartupLock`], which the caller holds
/// until the rest of its start-up (the content import) is done. SQLite gets WAL, foreign keys and a busy timeout, so
/// readers never block the writer and concurrent writers wait instead of failing.
pub async fn connect_for_startup(url: &str) -> Result<(DatabaseConnection, StartupLock), DbErr> {
    let mut options = ConnectOptions::new(url);
    let sqlite = url.starts_with("sqlite:");
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(ACQUIRE);
    if sqlite {
        if url.contains(":memory:") || url.contains("mode=memory") {
            // Every connection would open its own empty in-memory database.
            options.max_connections(1).min_connections(1);
        } else {
            // sea-orm opens one SQLite connection unless told otherwise, and then every read
            // waits behind the write transaction that holds it. In WAL mode readers run beside
            // the one writer; writers queue in `begin_write`.
            options.max_connections(SQLITE_CONNECTIONS);
        }
        options.map_sqlx_sqlite_opts(|sqlite| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // A write outside the queue (an autocommit update) waits in SQLite's busy
                // handler while queued transactions go first; it may wait as long as a request
                // may take at all, as it did for the one connection before there were four.
                .busy_timeout(Duration::from_secs(30))
                // Lists read thousands of rows: from the mapped file they are memory reads, not
                // a read call per page (with the default 2 MB page cache, `/redactie` spent a
                // third of its time copying pages out of the kernel).
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                .pragma("cache_size", SQLITE_CACHE_KIB.to_string())
        });
    }
    let db = Database::connect(options).await?;
    let lock = StartupLock::take(url).await?;
    match &lock.session {
        Some(session) => Migrator::up(session, None).await?,
        None => Migrator::up(&db, None).await?,
    }
    Ok((db, lock))
}

/// Tells databases apart within one process (tests open many at once): the address of the
/// pool's shared options, the same for every clone of one connection.
pub fn pool_identity(db: &DatabaseConnection) -> usize {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            std::sync::Arc::as_ptr(&db.get_postgres_connection_pool().connect_options()) as usize
        }
        sea_orm::DbBackend::Sqlite => {
            std::sync::Arc::as_ptr(&db.get_sqlite_connection_pool().connect_options()) as usize
        }
        _ => 0,
    }
}

/// Connects and runs pending migrations (see [`connect_for_startup`]), the lock let go at once.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let (db, lock) = connect_for_startup(url).await?;
    lock.release().await;
    Ok(db)
}

/// The key of the PostgreSQL advisory lock nodes take while they start ("leerplat" in ASCII).
const STARTUP_LOCK_KEY: i64 = 0x6c65_6572_706c_6174;

/// Held while a node migrates the schema and imports its content, so nodes that start at once
/// on one PostgreSQL database take turns instead of racing to create the same tables and rows.
/// A session-level advisory lock on a connection of its own, let go by [`StartupLock::release`]
/// or when that connection closes (a node that dies while starting holds nothing). SQLite needs
/// none: one process owns the file's writes, and its writers already take turns.
pub struct StartupLock {
    session: Option<DatabaseConnection>,
}

impl StartupLock {
    async fn take(url: &str) -> Result<Self, DbErr> {
        if !url.starts_with("postgres") {
            return Ok(Self { session: None });
        }
        let mut options = ConnectOptions::new(url);
        options
            .sqlx_logging(false)
            .max_connections(1)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(STARTUP_LOCK_WAIT);
        let session = Database::connect(options).await?;
        session
            .execute_unprepared(&format!("SELECT pg_advisory_lock({STARTUP_LOCK_KEY})"))
            .await?;
        Ok(Self {
            session: Some(session),
        })
    }

    /// Lets the next node start.
    pub async fn release(self) {
        if let Some(session) = self.session {
            let unlock = format!("SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})");
            if let Err(error) = session.execute_unprepared(&unlock).await {
                tracing::warn!(%error, "letting go of the start-up lock failed; closing its connection does");
            }
            let _ = session.close().await;
        }
    }
}

/// How long a starting node waits for another to finish migrating and importing.
const STARTUP_LOCK_WAIT: Duration = Duration::from_secs(300);

/// A write transaction that takes its write lock up front. On SQLite: `BEGIN IMMEDIATE`,
/// entered through one in-process queue, so concurrent writers wait their turn in order
/// instead of spinning in SQLite's busy handler (or failing a deferred upgrade). On
/// PostgreSQL: a plain transaction; the caller locks the rows it decides on (`FOR UPDATE`).
pub struct WriteTransaction {
    txn: sea_orm::DatabaseTransaction,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

static SQLITE_WRITERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTransaction, DbErr> {
    use sea_orm::{DbBackend, SqliteTransactionMode, TransactionOptions, TransactionTrait};
    if db.get_database_backend() == DbBackend::Sqlite {
        let turn = SQLITE_WRITERS.lock().await;
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(WriteTransaction {
            txn,
            _turn: Some(turn),
        })
    } else {
        Ok(WriteTransaction {
            txn: db.begin().await?,
            _turn: None,
        })
    }
}

/// Autocommit writes outside a transaction (a session's row) in their turn on the write lane.
/// On SQLite the turn is a place in the same queue as the write transactions: waiting there is
/// short and in order, while waiting in SQLite's busy handler sleeps in growing steps and loses
/// every race to the queued transactions. PostgreSQL's row locks need no turn.
pub async fn write_in_turn<T, F, W>(db: &DatabaseConnection, work: F) -> Result<T, DbErr>
where
    F: FnOnce(DatabaseConnection) -> W + Send + 'static,
    W: Future<Output = Result<T, DbErr>> + Send + 'static,
    T: Send + 'static,
{
    let owned = db.clone();
    on_write_lane(db, async move {
        let _turn = write_turn(&owned).await;
        work(owned).await
    })
    .await
}

async fn write_turn(db: &DatabaseConnection) -> Option<tokio::sync::MutexGuard<'static, ()>> {
    use sea_orm::DbBackend;
    if db.get_database_backend() == DbBackend::Sqlite {
        Some(SQLITE_WRITERS.lock().await)
    } else {
        None
    }
}

/// On SQLite, runs `work` on the write lane: one thread with a runtime of its own. A writer
/// holds the single write lock across a dozen statements, and each of them is a hand-off to
/// SQLite's thread and back; on the shared runtime every hand-back waited behind the queue of
/// other requests' tasks (a burst of a thousand enrolments spent most of its time there),
/// while the lane has nothing else to run. `work` takes its turn as usual (`begin_write`;
/// single writes go through `write_in_turn`). On PostgreSQL, whose writers don't share one
/// lock, it runs where it is.
pub async fn on_write_lane<T, E, W>(db: &DatabaseConnection, work: W) -> Result<T, E>
where
    W: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: From<DbErr> + Send + 'static,
{
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return work.await;
    }
    match write_lane() {
        Some(lane) => lane
            .spawn(work)
            .await
            .map_err(|failed| E::from(DbErr::Custom(format!("write lane: {failed}"))))?,
        None => work.await,
    }
}

/// The lane's runtime, started on first use; `None` if the thread could not be started (then
/// writers run on the caller's runtime, only slower).
fn write_lane() -> Option<&'static tokio::runtime::Handle> {
    static LANE: std::sync::OnceLock<Option<tokio::runtime::Handle>> = std::sync::OnceLock::new();
    LANE.get_or_init(|| {
        // The runtime is built and kept on its own thread: one dropped here, on an async
        // caller's thread, would panic.
        let (started, handle) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("write-lane".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                match runtime {
                    Ok(runtime) => {
                        let _ = started.send(Some(runtime.handle().clone()));
                        runtime.block_on(std::future::pending::<()>());
                    }
                    Err(_) => {
                        let _ = started.send(None);
                    }
                }
            })
            .ok()?;
        handle.recv().ok().flatten()
    })
    .as_ref()
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

impl std::ops::Deref for WriteTransaction {
    type Target = sea_orm::DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

/// JSON text of a value stored in a text column (see the knowledge entity's list columns).
pub fn to_json_text<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain lists of strings, enums and records cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}
