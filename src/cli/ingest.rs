//! `breachwatch ingest PATH...`: local files through the pipeline, with a progress bar on
//! stderr (hidden by `--quiet`), a warning per skipped input and, for several files, a line
//! per file; then one summary line on stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ingest::{self, Format, Summary};
use crate::render::terminal_text;
use crate::store::Opening;

use super::Context;

/// A progress bar over `total_bytes` on stderr, or a hidden one when `quiet`.
fn progress_bar(total_bytes: u64, quiet: bool) -> ProgressBar {
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(total_bytes), target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} ingesting [{bar:30}] {bytes}/{total_bytes} {msg}")
            .expect("template")
            .progress_chars("=> "),
    );
    bar
}

/// Ingests `paths` as `format` into the context's database.
///
/// # Errors
///
/// When a file cannot be read, the database fails, or stdout cannot be written.
pub(super) fn run(
    context: &Context,
    format: Format,
    paths: &[PathBuf],
    out: &mut impl Write,
) -> Result<()> {
    let quiet = context.quiet;
    // Reading and analysing start while the store opens (see `Opening`).
    let opening = Opening::start(&context.db);
    let total_bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress_bar(total_bytes, quiet);
    let started = Instant::now();
    let several = paths.len() > 1;
    // Told as each file's last article is stored (on the writer's thread).
    let file_done = |file: &ingest::FileDone<'_>| {
        if quiet {
            return;
        }
        bar.suspend(|| {
            for problem in file.problems {
                eprintln!("warning: {} (skipped)", terminal_text(&problem.to_string()));
            }
            if several {
                report_file(&paths[file.index], file.summary, file.elapsed);
            }
        });
    };
    let total = ingest::ingest_paths(
        &opening,
        paths,
        format,
        &mut |bytes| bar.inc(bytes),
        &file_done,
    )?;
    bar.finish_and_clear();
    let store = opening.into_store()?;
    let incidents = store.incident_count();
    // Flushed before the summary is printed; the store is then let go (see there).
    store.close_for_exit()?;
    writeln!(
        out,
        "ingested {} article(s) in {:.1}s: {} new ({} about police breaches), {} already stored, {} bad input(s) skipped; {} incident(s) stored",
        total.read,
        started.elapsed().as_secs_f64(),
        total.new,
        total.relevant,
        total.unchanged,
        total.bad,
        incidents
    )?;
    Ok(())
}

/// One file's line on stderr, when several are ingested.
fn report_file(path: &Path, file: &Summary, elapsed: Duration) {
    eprintln!(
        "{}: {} article(s), {} new, in {:.2}s",
        path.display(),
        file.read,
        file.new,
        elapsed.as_secs_f64()
    )
}
