//! `breachwatch review`: the review queue (see [`crate::query::review`]): what most needs a
//! person, with a reason and the `explain` command for each. Read-only; while `run` holds
//! the database, the running service answers (`/api/review`).

use std::io::Write;

use anyhow::Result;
use clap::ValueEnum;

use crate::query::review::{self, ReviewItem};
use crate::render;

use super::{Access, Context};

/// Output formats of `review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// One block per item for a person.
    Table,
    /// A JSON array, as `/api/review` answers.
    Json,
}

/// Lists the queue, looking at the `recent` most recently stored articles for near misses.
///
/// # Errors
///
/// When neither the database nor the service answers, or stdout cannot be written.
pub(super) fn run(
    context: &Context,
    recent: usize,
    format: ReviewFormat,
    out: &mut impl Write,
) -> Result<()> {
    let items: Vec<ReviewItem> =
        match context.open_or_ask_service(&format!("/api/review?recent={recent}"))? {
            Access::Local(store) => {
                let window = review::Window {
                    recent_articles: recent,
                };
                let items = review::collect(&store, window, crate::serve::page::review::judge)?;
                store.close_for_exit()?;
                items
            }
            Access::Remote(body) => serde_json::from_str(&body)?,
        };
    match format {
        ReviewFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?,
        ReviewFormat::Table => {
            if items.is_empty() {
                writeln!(out, "Nothing to review.")?;
            }
            for item in &items {
                let day = item
                    .published
                    .map(|p| p.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "undated".into());
                let what = item.incident.as_deref().unwrap_or("rejected article");
                writeln!(
                    out,
                    "{:<17}  {day}  {}",
                    item.concern.id(),
                    render::terminal_text(what)
                )?;
                writeln!(out, "  {}", render::terminal_text(&item.title))?;
                writeln!(out, "  {}", render::terminal_text(&item.reason))?;
                writeln!(out, "  {}", render::terminal_text(&item.explain))?;
            }
        }
    }
    Ok(())
}
