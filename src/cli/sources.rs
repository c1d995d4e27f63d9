//! `breachwatch sources`: the configured sources and their health, which police bodies have a
//! newsroom among them (`coverage`), OPML in and out, and a dry-run fetch of each (`check`)
//! that stores nothing and never opens the database.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use clap::{Subcommand, ValueEnum};
use futures_util::future::join_all;
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::config::{Config, Source, SourceKind};
use crate::fetch::{FetchError, Fetched, Fetcher, RequestLimits};
use crate::model::SourceState;
use crate::opml::{self, Outline};
use crate::parse::{feed, html, RawItem};
use crate::render::terminal_text;
use crate::store::{Store, StoreError};

use super::Context;

/// Output formats of the `sources` commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourcesFormat {
    /// Aligned columns for a person.
    Table,
    /// A JSON array.
    Json,
}

/// What `sources` does besides listing.
#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Every body of the UK force gazetteer and the enabled sources that are its newsroom
    /// (a body without one is flagged MISSING).
    Coverage {
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: SourcesFormat,
    },
    /// Fetch each source once (stores nothing, opens no database) and report what came back:
    /// status, items, newest date, items with titles, dates and links, selector matches,
    /// bot-protection pages.
    Check {
        /// The sources to check (default: every enabled one).
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: SourcesFormat,
    },
    /// The feed sources as OPML 2.0 on stdout.
    ExportOpml,
    /// Add a `[[source]]` per new feed of an OPML file to the config in use (created if
    /// missing); feeds whose URL is configured already are skipped.
    ImportOpml {
        /// The OPML file.
        file: std::path::PathBuf,
    },
}

/// Runs `sources` (`command` `None`: the listing).
///
/// # Errors
///
/// When a named source is unknown, a file cannot be read or written, an import would leave an
/// invalid config, or stdout cannot be written.
pub(super) fn run(
    context: &Context,
    command: Option<SourcesCommand>,
    format: SourcesFormat,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        None => list(context, format, out),
        Some(SourcesCommand::Coverage { format }) => coverage(&context.config, format, out),
        Some(SourcesCommand::ExportOpml) => {
            write!(out, "{}", export_opml(&context.config, Utc::now()))?;
            Ok(())
        }
        Some(SourcesCommand::ImportOpml { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            for id in import_opml(&context.config_path, &text)? {
                writeln!(out, "{id}")?;
            }
            Ok(())
        }
        Some(SourcesCommand::Check { ids, format }) => {
            let selected = select(&context.config, &ids)?;
            let runtime = tokio::runtime::Runtime::new()?;
            let reports = runtime.block_on(check(&context.config, &selected))?;
            match format {
                SourcesFormat::Json => {
                    writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?
                }
                SourcesFormat::Table => {
                    for r in &reports {
                        writeln!(out, "{}", terminal_text(&r.to_string()))?;
                    }
                }
            }
            Ok(())
        }
    }
}

fn kind_name(kind: &SourceKind) -> &'static str {
    match kind {
        SourceKind::Feed { .. } => "feed",
        SourceKind::Html(_) => "html",
    }
}

fn time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// One row of the listing.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    id: &'a str,
    kind: &'static str,
    url: &'a str,
    forces: &'a [String],
    enabled: bool,
    /// `null` when the database could not be read.
    health: Option<Health>,
}

/// A source's health, from its stored state.
#[derive(Debug, Serialize)]
struct Health {
    last_success: Option<String>,
    consecutive_failures: u32,
    last_error: Option<String>,
    next_due: Option<String>,
}

impl From<&SourceState> for Health {
    fn from(s: &SourceState) -> Health {
        Health {
            last_success: time(s.last_success),
            consecutive_failures: s.consecutive_failures,
            last_error: s.last_error.clone(),
            next_due: time(s.next_due),
        }
    }
}

/// The stored state of every source, or why there is none (said on stderr).
fn stored_states(context: &Context) -> Option<Vec<(String, SourceState)>> {
    if !context.db.exists() {
        return Some(Vec::new());
    }
    let note = |why: String| {
        if !context.quiet {
            eprintln!("warning: sources shown without health: {why}");
        }
        None
    };
    match Store::open(&context.db) {
        Ok(store) => match store.source_states() {
            Ok(states) => Some(states),
            Err(e) => note(e.to_string()),
        },
        Err(StoreError::Locked { .. }) => {
            note("the database is held by a running `breachwatch run`".into())
        }
        Err(e) => note(e.to_string()),
    }
}

fn list(context: &Context, format: SourcesFormat, out: &mut impl Write) -> Result<()> {
    let states = stored_states(context);
    let rows: Vec<Listed> = context
        .config
        .sources
        .iter()
        .map(|s| Listed {
            id: &s.id,
            kind: kind_name(&s.kind),
            url: s.url.as_str(),
            forces: &s.forces,
            enabled: s.enabled,
            health: states.as_ref().map(|states| {
                states
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .map(|(_, st)| Health::from(st))
                    .unwrap_or_else(|| Health::from(&SourceState::default()))
            }),
        })
        .collect();
    match format {
        SourcesFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        SourcesFormat::Table => {
            for r in &rows {
                let mut line = format!(
                    "{}\t{}\t{}\t{}\t{}",
                    r.id,
                    r.kind,
                    if r.enabled { "enabled" } else { "disabled" },
                    if r.forces.is_empty() {
                        "-".to_string()
                    } else {
                        r.forces.join(",")
                    },
                    r.url
                );
                if let Some(h) = &r.health {
                    line.push_str(&format!(
                        "\tlast success {}\tfailures {}",
                        h.last_success.as_deref().unwrap_or("never"),
                        h.consecutive_failures
                    ));
                    if let Some(due) = &h.next_due {
                        line.push_str(&format!("\tnext due {due}"));
                    }
                    if let Some(e) = &h.last_error {
                        line.push_str(&format!("\tlast error: {e}"));
                    }
                }
                writeln!(out, "{}", terminal_text(&line))?;
            }
        }
    }
    Ok(())
}

/// One row of `sources coverage`.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Coverage {
    /// The gazetteer id of the body.
    pub force: String,
    /// The enabled sources that are its newsroom.
    pub sources: Vec<String>,
}

/// Every UK gazetteer body and the enabled sources that are its newsroom, in gazetteer order.
pub fn coverage_rows(config: &Config) -> Vec<Coverage> {
    crate::extract::uk_bodies()
        .into_iter()
        .map(|(id, _)| Coverage {
            force: id.to_string(),
            sources: config
                .sources
                .iter()
                .filter(|s| s.enabled && s.forces.iter().any(|f| f == id))
                .map(|s| s.id.clone())
                .collect(),
        })
        .collect()
}

fn coverage(config: &Config, format: SourcesFormat, out: &mut impl Write) -> Result<()> {
    let rows = coverage_rows(config);
    match format {
        SourcesFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        SourcesFormat::Table => {
            let names: std::collections::HashMap<_, _> =
                crate::extract::uk_bodies().into_iter().collect();
            let width = rows.iter().map(|r| r.force.len()).max().unwrap_or(0);
            for r in &rows {
                let sources = if r.sources.is_empty() {
                    "MISSING".to_string()
                } else {
                    r.sources.join(", ")
                };
                let name = names.get(r.force.as_str()).copied().unwrap_or("");
                writeln!(out, "{:width$}  {sources}  ({name})", r.force)?;
            }
            let missing = rows.iter().filter(|r| r.sources.is_empty()).count();
            writeln!(
                out,
                "{} of {} bodies have a newsroom source",
                rows.len() - missing,
                rows.len()
            )?;
        }
    }
    Ok(())
}

/// The feed sources as an OPML 2.0 document: sources that are a police body's newsroom in a
/// "Force newsrooms" folder, the others in "News".
pub fn export_opml(config: &Config, created: DateTime<Utc>) -> String {
    let outlines: Vec<Outline> = config
        .sources
        .iter()
        .filter(|s| matches!(s.kind, SourceKind::Feed { .. }))
        .map(|s| Outline {
            title: s.name.clone(),
            xml_url: s.url.to_string(),
            html_url: None,
            category: Some(
                if s.forces.is_empty() {
                    "News"
                } else {
                    "Force newsrooms"
                }
                .to_string(),
            ),
        })
        .collect();
    opml::write("breachwatch sources", &outlines, created)
}

/// Appends a `[[source]]` block for each feed of `opml_text` whose URL is not configured yet
/// to the config at `path` (created when missing), after checking the result loads. Returns
/// the ids added.
///
/// # Errors
///
/// When the OPML cannot be read, the config cannot be read or written, or the result would
/// not be a valid config (the file is then left as it was).
pub fn import_opml(path: &Path, opml_text: &str) -> Result<Vec<String>> {
    let outlines = opml::read(opml_text)?;
    let existing = if path.exists() {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    } else {
        String::new()
    };
    let config = Config::from_toml(&existing)
        .with_context(|| format!("{} is not a valid config", path.display()))?;
    let mut taken: HashSet<String> = config.sources.iter().map(|s| s.id.clone()).collect();
    let mut urls: HashSet<String> = config.sources.iter().map(|s| s.url.to_string()).collect();
    let mut text = existing.clone();
    let mut added = Vec::new();
    for o in &outlines {
        let url = url::Url::parse(&o.xml_url).map_or_else(|_| o.xml_url.clone(), String::from);
        if !urls.insert(url) {
            continue;
        }
        let id = opml::source_id(o, &taken);
        taken.insert(id.clone());
        if !text.is_empty() && !text.ends_with("\n\n") {
            text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
        }
        text.push_str(&opml::source_block(&id, o));
        added.push(id);
    }
    if added.is_empty() {
        return Ok(added);
    }
    if let Err(e) = Config::from_toml(&text) {
        bail!("not imported: the config would not load: {e}");
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(added)
}

/// The sources named by `ids` (every enabled source when none is named).
fn select(config: &Config, ids: &[String]) -> Result<Vec<Source>> {
    if ids.is_empty() {
        return Ok(config
            .sources
            .iter()
            .filter(|s| s.enabled)
            .cloned()
            .collect());
    }
    ids.iter()
        .map(|id| {
            config
                .sources
                .iter()
                .find(|s| s.id == *id)
                .cloned()
                .with_context(|| format!("no source {id:?} in the config"))
        })
        .collect()
}

/// What one fetch of a source came to.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CheckReport {
    /// The source's id.
    pub id: String,
    /// `feed` or `html`.
    pub kind: &'static str,
    /// The HTTP status of the feed or index page, when there was an answer.
    pub status: Option<u16>,
    /// Items listed (for an html source: the article pages read).
    pub items: usize,
    /// The newest item's date (RFC 3339).
    pub newest: Option<String>,
    /// Items with a title.
    pub with_title: usize,
    /// Items with a date.
    pub with_date: usize,
    /// Items with a link.
    pub with_link: usize,
    /// For an html source: the links the item selector matched on the index page.
    pub selector_matches: Option<usize>,
    /// `blocked: bot protection (Vendor)` when a challenge page came back.
    pub blocked: Option<String>,
    /// Why the check failed, when it did (a challenge included).
    pub error: Option<String>,
}

fn share(n: usize, of: usize) -> String {
    (n * 100)
        .checked_div(of)
        .map_or_else(|| "-".into(), |p| format!("{p}%"))
}

impl std::fmt::Display for CheckReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.id)?;
        if let Some(status) = self.status {
            write!(f, "HTTP {status}, ")?;
        }
        if let Some(b) = &self.blocked {
            return f.write_str(b);
        }
        if let Some(e) = &self.error {
            return write!(f, "error: {e}");
        }
        if let Some(m) = self.selector_matches {
            write!(f, "selector matched {m} links, ")?;
        }
        write!(
            f,
            "{} items, newest {}, with title {}, date {}, link {}",
            self.items,
            self.newest.as_deref().unwrap_or("-"),
            share(self.with_title, self.items),
            share(self.with_date, self.items),
            share(self.with_link, self.items),
        )
    }
}

/// Fetches each of `sources` once, at most a few at a time, each bounded by its own timeout
/// (so a slow or blocked source holds up no other), and reports in the order given.
///
/// # Errors
///
/// When the HTTP client cannot be built.
pub async fn check(config: &Config, sources: &[Source]) -> Result<Vec<CheckReport>> {
    let fetcher = Fetcher::new(&config.settings)?;
    let slots = Arc::new(Semaphore::new(
        config.settings.max_concurrent_fetches.max(1),
    ));
    let tasks = sources.iter().map(|s| {
        let (fetcher, slots) = (fetcher.clone(), slots.clone());
        async move {
            let _slot = slots.acquire_owned().await.expect("never closed");
            let mut report = CheckReport {
                id: s.id.clone(),
                kind: kind_name(&s.kind),
                ..CheckReport::default()
            };
            // The index or feed and its pages, all within twice the source's timeout.
            let budget = s.timeout.saturating_mul(2);
            if tokio::time::timeout(budget, check_one(&fetcher, s, &mut report))
                .await
                .is_err()
            {
                report.error = Some(format!("timed out after {budget:?}"));
            }
            report
        }
    });
    Ok(join_all(tasks).await)
}

fn tally(report: &mut CheckReport, items: &[RawItem]) {
    report.items = items.len();
    report.with_title = items.iter().filter(|i| !i.title.trim().is_empty()).count();
    report.with_date = items.iter().filter(|i| i.published.is_some()).count();
    report.with_link = items.iter().filter(|i| i.url.is_some()).count();
    report.newest = items
        .iter()
        .filter_map(|i| i.published)
        .max()
        .map(|d: DateTime<FixedOffset>| d.to_rfc3339_opts(SecondsFormat::Secs, true));
}

/// How many of a listing's pages `sources check` reads to see whether the page selectors
/// work: a sample, not the backlog (each costs the host's politeness gap).
const CHECK_PAGES: usize = 3;

async fn check_one(fetcher: &Fetcher, src: &Source, report: &mut CheckReport) {
    let limits = RequestLimits {
        timeout: src.timeout,
        max_body_bytes: src.max_body_bytes,
    };
    let body = match fetcher.get(&src.url, None, limits).await {
        Ok(Fetched::Body(b)) => b,
        Ok(Fetched::NotModified) => {
            report.status = Some(304);
            return;
        }
        Err(e) => {
            match &e {
                FetchError::Blocked { status, challenge } => {
                    report.status = Some(*status);
                    report.blocked = Some(challenge.to_string());
                }
                FetchError::Status { status, .. } => report.status = Some(*status),
                _ => {}
            }
            report.error = Some(e.to_string());
            return;
        }
    };
    report.status = Some(body.status);
    match &src.kind {
        SourceKind::Feed { .. } => {
            match feed::parse_feed(&body.bytes, Some(&body.final_url), &src.name) {
                Ok(parsed) => {
                    let mut items: Vec<RawItem> = parsed.items;
                    for item in &mut items {
                        crate::poll::unwrap_search_link(item);
                    }
                    tally(report, &items);
                }
                Err(e) => report.error = Some(e.to_string()),
            }
        }
        SourceKind::Html(rules) => {
            let (index, _) =
                crate::fetch::charset::decode(&body.bytes, body.content_type.as_deref());
            let links =
                html::index_links(&index, &body.final_url, &rules.item_selector, usize::MAX);
            report.selector_matches = Some(links.len());
            let pages = links
                .into_iter()
                .take(rules.max_items.min(CHECK_PAGES))
                .map(|link| async move {
                    match fetcher.get_page(&link, limits).await {
                        Ok(Fetched::Body(page)) => {
                            let (text, _) = crate::fetch::charset::decode(
                                &page.bytes,
                                page.content_type.as_deref(),
                            );
                            let p = html::parse_page(
                                &text,
                                Some(&rules.title_selector),
                                rules.date_selector.as_ref(),
                                rules.content_selector.as_ref(),
                            );
                            Some(RawItem {
                                url: Some(link.to_string()),
                                title: p.title,
                                published: p.published,
                                source: src.name.clone(),
                                text: p.text,
                            })
                        }
                        _ => None,
                    }
                });
            let items: Vec<RawItem> = join_all(pages).await.into_iter().flatten().collect();
            tally(report, &items);
        }
    }
}
