use std::process::ExitCode;

use server::config::Config;
use server::{AppState, StartupError, import_content, open_database, router};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
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
       leerplatform content import <dir>   import <dir>/factsheets into DATABASE_URL and exit";

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
            let report = import_content(&db, std::path::Path::new(dir)).await?;
            println!(
                "added {}, updated {}, unchanged {}, rejected {} in {:.2} s",
                report.added,
                report.updated,
                report.unchanged,
                report.rejected.len(),
                started.elapsed().as_secs_f64()
            );
            for rejection in &report.rejected {
                println!("rejected {}: {}", rejection.path, rejection.reason);
            }
            Ok(())
        }
        _ => Err(StartupError::Usage(USAGE.to_owned())),
    }
}

async fn serve(config: Config) -> Result<(), StartupError> {
    let db = open_database(&config.database_url).await?;
    import_content(&db, &config.content_dir).await?;

    let state = AppState::build(&config, db).await?;
    state.spawn_housekeeping();
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| StartupError::Bind {
            addr: config.site_addr.to_string(),
            reason: e.to_string(),
        })?;
    tracing::info!("listening on http://{}", config.site_addr);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| StartupError::Bind {
        addr: config.site_addr.to_string(),
        reason: e.to_string(),
    })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
