//! `breachwatch reprocess`: every stored article through extraction and deduplication again.

use std::io::Write;
use std::time::Instant;

use anyhow::Result;

use crate::pipeline;

use super::Context;

/// Reprocesses the context's database and says how much it did.
///
/// # Errors
///
/// When the database fails or stdout cannot be written.
pub(super) fn run(context: &Context, out: &mut impl Write) -> Result<()> {
    let store = context.open_store()?;
    let started = Instant::now();
    let (articles, incidents) = pipeline::reprocess(&store)?;
    store.flush()?;
    writeln!(
        out,
        "reprocessed {articles} article(s) in {:.1}s; {incidents} incident(s) stored",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
