//! The long-running service (scheduled polling, HTTP API, dashboard, Atom feeds) and the
//! offline demo. Placeholder until the service lands: the entry points exist so the CLI is
//! wired, and they say plainly that they are not built.

use std::path::Path;

use anyhow::{bail, Result};

use crate::config::Config;

/// `breachwatch run`: poll on schedule and serve on `listen` until SIGINT/SIGTERM.
pub fn cli_run(_config: &Config, _db: &Path, _listen: Option<&str>) -> Result<()> {
    bail!("`run` is not built yet")
}

/// `breachwatch demo`: serve the bundled sample sources on loopback, poll them, serve the dashboard.
pub fn cli_demo(_config: &Config, _db: Option<&Path>, _listen: Option<&str>) -> Result<()> {
    bail!("`demo` is not built yet")
}

/// GETs `path_and_query` (e.g. `/api/incidents?force=kent`) from a running service at
/// `listen` and returns the body, for the CLI while `run` holds the database.
pub fn remote_get(_listen: &str, _path_and_query: &str) -> Result<String> {
    bail!("the database is in use and no service answered")
}
