//! Logging: tracing to stderr, filtered by `RUST_LOG` (default `warn`, or `info` for `run`).

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber writing to `writer`.
pub fn init<W>(default_level: &str, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("breachwatch={default_level},warn")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false)
        .try_init();
}
