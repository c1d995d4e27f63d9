//! `breachwatch explain URL` or `explain --file PATH`: why articles are (or are not) police
//! breaches, fact by fact (see [`crate::explain`]). The command reads the file (as `ingest`
//! does, stored nowhere) or finds the stored article; `explain` analyses, `render` lays out.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use clap::builder::PossibleValue;
use clap::ValueEnum;

use crate::config::SourceKind;
use crate::explain::{self, Explanation};
use crate::ingest::{Format, Input};
use crate::pipeline;
use crate::render::{self, terminal_text};
use crate::store::{Store, StoreError};

use super::Context;

/// Formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainFormat {
    /// For a person: each fact with its sentence below it.
    Table,
    /// As a JSON array, one object per article.
    Json,
}

/// The values of `--format`, without help lines (`--help` lists them in one line).
impl ValueEnum for ExplainFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[ExplainFormat::Table, ExplainFormat::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            ExplainFormat::Table => "table",
            ExplainFormat::Json => "json",
        }))
    }
}

/// Explains the stored article at `url`, or the articles of `file`, in `format`.
///
/// # Errors
///
/// When neither is given, the file has no article, the article is not stored, the database
/// cannot be read, or stdout cannot be written.
pub(super) fn run(
    context: &Context,
    url: Option<&str>,
    file: Option<&Path>,
    format: ExplainFormat,
    out: &mut impl Write,
) -> Result<()> {
    let items = match (file, url) {
        (Some(path), _) => explain_file(path, context.quiet)?,
        (None, Some(url)) => vec![explain_stored(context, url)?],
        (None, None) => bail!("give a stored article's URL or --file PATH"),
    };
    match format {
        ExplainFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?,
        ExplainFormat::Table => render::explanation_table(out, &items)?,
    }
    Ok(())
}

/// Reads `path` as `ingest` does (by extension, else by content) and explains every article
/// in it, storing nothing. Skipped inputs (a bad JSONL line...) are warned about unless
/// `quiet`.
fn explain_file(path: &Path, quiet: bool) -> Result<Vec<Explanation>> {
    let input = Input::open(path, Format::Auto)?;
    let from_page = input.format() == Format::Html;
    let mut problems = Vec::new();
    let mut items = Vec::new();
    input.read(&mut problems, &mut |_| {}, &mut |item| {
        let article = pipeline::article_of(item, None);
        items.push(explain::explain_article(&article, from_page));
        true
    })?;
    if !quiet {
        for problem in &problems {
            eprintln!("warning: {} (skipped)", terminal_text(&problem.to_string()));
        }
    }
    if items.is_empty() {
        match problems.first() {
            Some(problem) => bail!("no article read from {}: {problem}", path.display()),
            None => bail!("no article in {}", path.display()),
        }
    }
    Ok(items)
}

/// Explains the stored article at `url` (as given, or its canonical form).
fn explain_stored(context: &Context, url: &str) -> Result<Explanation> {
    let db = &context.db;
    if !db.exists() {
        bail!(
            "no stored article with URL {url} (no database at {})",
            db.display()
        );
    }
    let store = match Store::open(db) {
        Ok(store) => store,
        Err(StoreError::Locked { .. }) => bail!(
            "the database {} is held by a running `breachwatch run`: stop it, or use `explain --file`",
            db.display()
        ),
        Err(error) => return Err(error.into()),
    };
    let article = explain::find_stored(&store, url)?
        .with_context(|| format!("no stored article with URL {url}"))?;
    // An article from an HTML source got its date from the page itself.
    let from_page = article.source_id.as_deref().is_some_and(|id| {
        context
            .config
            .sources
            .iter()
            .any(|s| s.id == id && matches!(s.kind, SourceKind::Html(_)))
    });
    Ok(explain::explain_article(&article, from_page))
}
