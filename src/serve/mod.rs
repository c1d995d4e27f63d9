//! The long-running service: scheduled polling plus the HTTP API, dashboard and Atom feeds,
//! with a clean shutdown. The commands that start it (`run`, `demo`) and the command line's
//! way of asking it (`incidents` while `run` holds the database) are in [`crate::cli`]; this
//! module knows nothing of the command line.
//!
//! # Layout
//!
//! * [`schedule`] — one polling task per source, stop token, grace period.
//! * [`routes`] — the axum router: `/api/...`, pages, feeds.
//! * [`page`] — the HTML pages, rendered with askama templates (`templates/`).
//! * [`atom`] — Atom 1.0 feeds of incidents.
//! * [`error`] — [`error::ApiError`] → status + JSON `{code, message}`.
//! * [`metrics`] — `/metrics`: polls, articles, incidents, alerts and HTTP requests, in the
//!   Prometheus text format written by [`prom`], a small hand-written registry.
//!
//! # Shutdown
//!
//! [`run`] takes the shutdown trigger as a future: production passes [`shutdown_signal`]
//! (SIGINT or SIGTERM), tests pass their own. When it resolves: scheduling stops, polls
//! under way get `settings.shutdown_grace` to finish (then are abandoned), the HTTP server
//! drains within the same deadline, and the store is flushed.

pub mod atom;
pub mod error;
pub mod metrics;
pub mod page;
pub mod prom;
pub mod routes;
pub mod schedule;
pub mod writes;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::Config;
use crate::fetch::{FetchError, Fetcher};
use crate::store::{Store, StoreError};

pub use routes::{router, AppState};

/// Why the service stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The HTTP client for polling could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Fetcher(#[from] FetchError),
    /// The HTTP server failed.
    #[error("the HTTP server failed: {0}")]
    Http(#[from] std::io::Error),
    /// The final flush of the database failed.
    #[error("cannot flush the database: {0}")]
    Store(#[from] StoreError),
}

/// Serves the dashboard, API and feeds on `listener` until `shutdown` resolves, then lets
/// open requests finish. No polling: [`run`] adds that.
///
/// # Errors
///
/// When accepting connections fails for good.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The service: polls every enabled source at start and then on its schedule, and serves
/// HTTP on `listener`, until `shutdown` resolves. Then it stops scheduling, gives polls
/// and requests under way `settings.shutdown_grace` to finish, and flushes the store.
///
/// # Errors
///
/// When the HTTP client cannot be built, the server fails, or the final flush fails.
pub async fn run(
    config: Arc<Config>,
    store: Store,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServiceError> {
    let fetcher = Fetcher::new(&config.settings)?;
    let (stop, token) = schedule::stop_channel();
    let state = AppState::new(store.clone(), config.clone());
    state.metrics.seed_from_store(&config, &store);
    let scheduler = schedule::spawn(
        config.clone(),
        store.clone(),
        fetcher,
        token.clone(),
        state.metrics.clone(),
    );
    tracing::info!(sources = scheduler.len(), "Scheduled polling.");
    // Webhook alerts (a no-op without `[[alert]]`s), stopped with everything else.
    let observed = state.metrics.clone();
    let mut alerts_token = token.clone();
    let mut alerts = tokio::spawn(crate::notify::run(
        config.clone(),
        store.clone(),
        crate::notify::Options::from_env(),
        Arc::new(move |alert: &str, delivered: bool| {
            observed.alert_delivered(
                alert,
                if delivered {
                    metrics::AlertOutcome::Delivered
                } else {
                    metrics::AlertOutcome::Failed
                },
            )
        }),
        async move { alerts_token.stopped().await },
    ));
    let mut server_token = token.clone();
    let mut server = tokio::spawn(serve(listener, state, async move {
        server_token.stopped().await;
    }));

    let early: Option<std::io::Result<()>> = tokio::select! {
        _ = shutdown => None,
        ended = &mut server => Some(ended.unwrap_or_else(|e| Err(std::io::Error::other(e)))),
    };
    stop.stop();
    let grace = config.settings.shutdown_grace;
    tracing::info!(grace_secs = grace.as_secs(), "Shutting down.");
    let deadline = tokio::time::Instant::now() + grace;
    let abandoned = scheduler.finish(grace).await;
    if tokio::time::timeout_at(deadline, &mut alerts)
        .await
        .is_err()
    {
        tracing::warn!("Abandoning an alert delivery still under way after the grace period.");
        alerts.abort();
    }
    let served = match early {
        Some(result) => result,
        None => match tokio::time::timeout_at(deadline, &mut server).await {
            Ok(joined) => joined.unwrap_or_else(|e| Err(std::io::Error::other(e))),
            Err(_) => {
                tracing::warn!("Closing HTTP connections still open after the grace period.");
                server.abort();
                Ok(())
            }
        },
    };
    store.flush()?;
    tracing::info!(abandoned = ?abandoned, "Stopped; database flushed.");
    served?;
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %error, "Cannot listen for Ctrl-C.");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(error) => {
                tracing::error!(error = %error, "Cannot listen for SIGTERM.");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
