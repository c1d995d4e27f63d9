//! `breachwatch run`: the service ([`crate::serve::run`]) on the address given, else the
//! config's `listen`, until SIGINT or SIGTERM. While it runs it leaves its address in the
//! database directory ([`remote::SERVICE_ADDR_FILE`]), where the reading commands look for
//! it when they find the database held.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use tokio::net::TcpListener;

use crate::serve;
use crate::store::Store;

use super::{remote, Context};

/// A multi-threaded runtime for the service.
///
/// # Errors
///
/// When the runtime cannot be started.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Polls on schedule and serves on `listen` (else the config's `listen`) until SIGINT or
/// SIGTERM, then shuts down cleanly.
///
/// # Errors
///
/// When the database cannot be opened, the address cannot be bound, or the service fails.
pub(super) fn run(context: &Context, listen: Option<&str>) -> Result<()> {
    let config = &context.config;
    let addr = listen.unwrap_or(&config.settings.listen).to_string();
    let store = Store::open(&context.db)?;
    if config.sources.iter().all(|s| !s.enabled) {
        tracing::warn!("No enabled sources in the config: serving the stored incidents only.");
    }
    let runtime = runtime()?;
    let config = Arc::new(config.clone());
    let result = runtime.block_on(serve_until_signal(config, store, &context.db, &addr));
    // Polls abandoned mid-way may sit in synchronous code; do not wait on them for long.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Binds `addr`, leaves the address for the reading commands, and runs the service until a
/// signal.
async fn serve_until_signal(
    config: Arc<crate::config::Config>,
    store: Store,
    db: &Path,
    addr: &str,
) -> Result<()> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    // Tell the CLI where to find us while we hold the database (see `remote::service_addr`).
    let marker = db.join(remote::SERVICE_ADDR_FILE);
    if let Err(error) = std::fs::write(&marker, local.to_string()) {
        tracing::warn!(error = %error, "Could not write {}", marker.display());
    }
    eprintln!("breachwatch: serving http://{local}/ (Ctrl-C to stop)");
    let served = serve::run(config, store, listener, serve::shutdown_signal()).await;
    let _ = std::fs::remove_file(&marker);
    served?;
    eprintln!("breachwatch: stopped");
    Ok(())
}
