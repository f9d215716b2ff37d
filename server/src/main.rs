use std::process::ExitCode;

use server::config::Config;
use server::{AppState, StartupError, import_content, open_database, router};
use tracing_subscriber::EnvFilter;

/// Prints a line of command output. A reader that stopped early (`| head -1`) is not an error
/// of ours: the rest of the output is dropped, never a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[tokio::main]
async fn main() -> ExitCode {
    let logs = tracing_subscriber::fmt()
        // Logs are not a command's output: `content import … | head -1` keeps them apart.
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        );
    if server::config::json_logs(|name| std::env::var(name).ok()) {
        logs.json().init();
    } else {
        logs.init();
    }
    // The privacy scan needs neither configuration nor a database.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().map(String::as_str).eq(["privacy", "scan"]) {
        return privacy_scan();
    }
    if args
        .iter()
        .map(String::as_str)
        .eq(["intervision", "new-key"])
    {
        say!(
            "{}",
            app::intervision::service::sealing::Sealer::generate_key()
        );
        return ExitCode::SUCCESS;
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("leerplatform: {error}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str =
    "usage: leerplatform            serve the platform (configured by environment variables)
       leerplatform content import <dir>   import <dir>/factsheets into DATABASE_URL and exit
       leerplatform content export <dir>   write DATABASE_URL's factsheets to <dir>/factsheets and exit
       leerplatform backup <file>          write a consistent copy of DATABASE_URL to <file> (also while
                                           serving; SQLite: VACUUM INTO, PostgreSQL: pg_dump)
       leerplatform restore <file>         fill the empty database of DATABASE_URL from <file>
       leerplatform privacy scan           read text on stdin, print each piece of personal data as a
                                           JSON line; exit 1 if any, 0 if none, 2 on bad input
       leerplatform intervision new-key    print a new random key for INTERVISION_KEY
       leerplatform intervision rotate-key seal all intervision content again, from INTERVISION_KEY
                                           to INTERVISION_NEW_KEY (then make that the key)";

/// `leerplatform privacy scan`: the intervision guard on stdin. One JSON object per finding
/// (`kind`, byte offsets `start` and `end`, `text`); exit 1 when anything is found, 0 when the
/// text is clean, 2 when the input is not UTF-8 or cannot be read.
fn privacy_scan() -> ExitCode {
    use std::io::{Read, Write};
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("leerplatform privacy scan: cannot read stdin: {error}");
        return ExitCode::from(2);
    }
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("leerplatform privacy scan: the input is not UTF-8 text");
        return ExitCode::from(2);
    };
    let findings = app::privacy_guard::scan(&text);
    let mut out = std::io::stdout().lock();
    for finding in &findings {
        let line = serde_json::json!({
            "kind": finding.kind.slug(),
            "start": finding.start,
            "end": finding.end,
            "text": finding.text,
        });
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run() -> Result<(), StartupError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::from_env()?;
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => serve(config).await,
        ["content", "import", dir] => {
            let db = open_database(&config.database_url).await?;
            let started = std::time::Instant::now();
            let report =
                import_with_progress_bar(&db, std::path::Path::new(dir), config.clock().now())
                    .await?;
            say!(
                "added {}, updated {}, unchanged {}, edited on the web (kept) {}, rejected {} in {:.2} s",
                report.added,
                report.updated,
                report.unchanged,
                report.edited_on_web,
                report.rejected.len(),
                started.elapsed().as_secs_f64()
            );
            for rejection in &report.rejected {
                say!("rejected {}: {}", rejection.path, rejection.reason);
            }
            let runs =
                server::import_training_runs(&db, std::path::Path::new(dir), config.clock().now())
                    .await?;
            say!(
                "training runs: added {}, updated {}, unchanged {}, changed on the web (kept) {}, rejected {}",
                runs.added,
                runs.updated,
                runs.unchanged,
                runs.kept,
                runs.rejected.len()
            );
            for (path, reason) in &runs.rejected {
                say!("rejected {path}: {reason}");
            }
            let owners = server::import_owner_mailboxes(&db, std::path::Path::new(dir)).await?;
            say!("owners with a mailbox for review reminders: {owners}");
            Ok(())
        }
        ["backup", file] => {
            let done =
                server::backup::backup(&config.database_url, std::path::Path::new(file)).await?;
            say!("{done}");
            Ok(())
        }
        ["restore", file] => {
            let done =
                server::backup::restore(&config.database_url, std::path::Path::new(file)).await?;
            say!("{done}");
            Ok(())
        }
        ["content", "export", dir] => {
            let db = open_database(&config.database_url).await?;
            let report =
                app::knowledge::service::export::export_content_dir(&db, std::path::Path::new(dir))
                    .await
                    .map_err(|e| StartupError::Import(e.to_string()))?;
            say!("written {}, unchanged {}", report.written, report.unchanged);
            Ok(())
        }
        ["intervision", "rotate-key"] => {
            use app::intervision::service::sealing::Sealer;
            let usage = || {
                StartupError::Usage(
                "rotate-key needs the current key in INTERVISION_KEY and the new one in INTERVISION_NEW_KEY".to_owned(),
            )
            };
            let old = config.intervision_key.as_ref().ok_or_else(usage)?;
            let old =
                Sealer::from_base64(&old.0).map_err(|e| StartupError::Usage(e.to_string()))?;
            let new = std::env::var("INTERVISION_NEW_KEY").map_err(|_| usage())?;
            let new = Sealer::from_base64(&new)
                .map_err(|e| StartupError::Usage(format!("INTERVISION_NEW_KEY: {e}")))?;
            let db = open_database(&config.database_url).await?;
            let done = app::intervision::service::rekey::rotate_key_offline(
                &db,
                &old,
                &new,
                config.clock().now(),
            )
            .await
            .map_err(|e| StartupError::Usage(format!("rotation refused, nothing changed: {e}")))?;
            say!(
                "sealed again with the new key: {} dilemmas, {} replies, {} action points, {} meeting notes; set INTERVISION_KEY to the new key now",
                done.dilemmas,
                done.posts,
                done.actions,
                done.notes
            );
            Ok(())
        }
        _ => Err(StartupError::Usage(USAGE.to_owned())),
    }
}

/// The import with a progress bar on stderr (shown only on a terminal).
async fn import_with_progress_bar(
    db: &sea_orm::DatabaseConnection,
    dir: &std::path::Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<app::knowledge::service::import::ImportReport, StartupError> {
    use app::knowledge::service::import::{ImportProgress, import_content_dir_with_progress};
    use indicatif::{ProgressBar, ProgressStyle};
    std::fs::read_dir(dir).map_err(|e| StartupError::ContentDir {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let progress_bar = bar.clone();
    let progress = std::sync::Arc::new(move |step: ImportProgress| match step {
        ImportProgress::Scanned { changed, .. } => {
            // Each changed file is parsed once and stored once.
            progress_bar.set_length(2 * changed as u64);
            progress_bar.set_message("importeren");
        }
        ImportProgress::Parsed => progress_bar.inc(1),
        ImportProgress::Stored(count) => progress_bar.inc(count as u64),
    });
    let result = import_content_dir_with_progress(db, dir, now, progress).await;
    bar.finish_and_clear();
    result.map_err(|e| StartupError::Import(e.to_string()))
}

async fn serve(config: Config) -> Result<(), StartupError> {
    // Nodes that start at once take turns migrating and importing.
    let (db, startup_lock) = server::open_database_for_startup(&config.database_url).await?;
    import_content(&db, &config.content_dir, config.clock().now()).await?;
    if let (true, Some(oidc)) = (config.demo_data, &config.oidc) {
        app::demo::seed(&db, &oidc.issuer_url, config.clock().now())
            .await
            .map_err(|e| StartupError::Import(format!("demo data: {e}")))?;
    }
    startup_lock.release().await;

    let state = AppState::build(&config, db.clone()).await?;
    // The import and the search index freed far more than they keep.
    server::memory::release_freed_heap();
    // SIGTERM or Ctrl-C: no new connections, in-flight requests finish, the job runner
    // finishes the job in hand and gives the rest of its batch back; all within the request
    // time limit, after which the process exits regardless.
    let signal = shutdown_signal();
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let runner = state.spawn_housekeeping(server::jobs::Stop::new(stopping.clone()));
    let node_id = state.node_id.clone();
    let context = state.context.clone();
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| StartupError::Bind {
            addr: config.site_addr.to_string(),
            reason: e.to_string(),
        })?;
    tracing::info!("listening on http://{}", config.site_addr);
    let signalled = async move {
        signal.await;
        tracing::info!("stopping: finishing requests and the job in hand");
        let _ = stop.send(true);
    };
    let served = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(signalled);
    let limit = config.request_timeout;
    let mut deadline = stopping.clone();
    let past_the_limit = async move {
        let _ = deadline.wait_for(|stop| *stop).await;
        tokio::time::sleep(limit).await;
    };
    let served = tokio::select! {
        served = served => served.map_err(|e| StartupError::Bind {
            addr: config.site_addr.to_string(),
            reason: e.to_string(),
        }),
        _ = past_the_limit => {
            tracing::warn!("requests still running at the time limit; stopping anyway");
            Ok(())
        }
    };
    // The runner has what is left of the time limit to finish its job.
    if tokio::time::timeout(limit, runner).await.is_err() {
        tracing::warn!(
            "the job in hand did not finish in time; its lease runs out for another node"
        );
    }
    // The last minute's counts of reads and searches.
    server::flush_usage(&context).await;
    // Stopped: key rotation need not wait for this server to be forgotten.
    if let Err(error) = app::messaging::service::nodes::leave(&db, &node_id).await {
        tracing::warn!(%error, "could not sign this server off");
    }
    served
}

/// SIGTERM or SIGINT (Ctrl-C). The handlers are installed when this is called, not when the
/// future is first polled: a signal that comes while the node is still starting must not
/// kill it the default way.
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (terminate, interrupt) {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => {},
                        _ = interrupt.recv() => {},
                    }
                }
                _ => std::future::pending::<()>().await,
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
