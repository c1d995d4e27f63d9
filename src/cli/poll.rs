//! `breachwatch poll`: one pass over every enabled source, a line per source, then exit.

use std::io::Write;

use anyhow::{bail, Result};

use crate::fetch::Fetcher;
use crate::poll::{self, SourceOutcome};
use crate::render::terminal_text;

use super::Context;

/// Polls every enabled source of the context's config once.
///
/// # Errors
///
/// When no source is enabled, the database or HTTP client cannot be set up, every source
/// failed, or stdout cannot be written.
pub(super) fn run(context: &Context, out: &mut impl Write) -> Result<()> {
    let store = context.open_store()?;
    let config = &context.config;
    if config.sources.iter().all(|s| !s.enabled) {
        bail!("no enabled sources in {}", context.config_path.display());
    }
    let fetcher = Fetcher::new(&config.settings)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let reports = runtime.block_on(poll::poll_once(config, &store, &fetcher));
    store.flush()?;
    for report in &reports {
        writeln!(out, "{}", terminal_text(&report.to_string()))?;
    }
    let failed = reports
        .iter()
        .filter(|r| matches!(r.outcome, SourceOutcome::Error(_)))
        .count();
    if failed == reports.len() && failed > 0 {
        bail!("every source failed");
    }
    Ok(())
}
