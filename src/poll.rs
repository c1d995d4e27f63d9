//! One pass over the configured sources: fetch (conditionally), parse, follow links for short
//! feed items and press-release indexes, and hand every item to the pipeline. A failing
//! source is recorded in its state and reported; the others go on.

use std::time::Duration;

use chrono::Utc;
use futures_util::future::join_all;
use rand::RngExt;

use crate::canon;
use crate::config::{Config, Settings, Source, SourceKind};
use crate::fetch::{FetchError, Fetched, Fetcher, RequestLimits, Validators};
use crate::parse::{feed, html, RawItem};
use crate::pipeline::{self, Outcome};
use crate::store::{Store, StoreError};

/// How one source's pass ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceOutcome {
    /// Fetched and parsed: `items` listed, `new` stored, `relevant` of them about breaches.
    Fetched {
        items: usize,
        new: usize,
        relevant: usize,
    },
    /// 304 Not Modified.
    Unchanged,
    /// Failed; the message says why.
    Error(String),
}

/// One line of the poll summary.
#[derive(Debug, Clone)]
pub struct SourceReport {
    pub id: String,
    pub outcome: SourceOutcome,
    /// Per-item problems that did not fail the source (an article page that would not load).
    pub warnings: Vec<String>,
    /// When the source should next be polled.
    pub next_due: chrono::DateTime<Utc>,
    /// What the service's metrics count beyond the outcome.
    pub detail: PollDetail,
}

/// The parts of a poll the outcome does not say, for the service's metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollDetail {
    /// Breach reports extracted from the new articles.
    pub reports: usize,
    /// Incidents created or updated by them.
    pub incidents: usize,
    /// Why the source failed, when it did.
    pub failure: Option<FailureKind>,
}

/// Why a source failed, coarsely: a bounded set of values for a metric label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No complete answer in time.
    Timeout,
    /// DNS, connection, TLS or a broken stream.
    Network,
    /// The server answered with this error status (a bot-protection page shows up here,
    /// usually as 403, 429 or 503).
    Status(u16),
    /// The body exceeded the cap.
    TooLarge,
    /// More redirects than allowed.
    Redirects,
    /// Not a readable feed, or a selector that does not compile.
    Parse,
    /// The database failed.
    Store,
    /// Stopped before its items were stored.
    Interrupted,
    /// Anything else the HTTP client reported.
    Other,
}

impl std::fmt::Display for FailureKind {
    /// `timeout`, `network`, `http_503`, `too_large`, `redirects`, `parse`, `store`,
    /// `interrupted` or `other`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailureKind::Timeout => f.write_str("timeout"),
            FailureKind::Network => f.write_str("network"),
            FailureKind::Status(code) => write!(f, "http_{code}"),
            FailureKind::TooLarge => f.write_str("too_large"),
            FailureKind::Redirects => f.write_str("redirects"),
            FailureKind::Parse => f.write_str("parse"),
            FailureKind::Store => f.write_str("store"),
            FailureKind::Interrupted => f.write_str("interrupted"),
            FailureKind::Other => f.write_str("other"),
        }
    }
}

impl std::fmt::Display for SourceReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.outcome {
            SourceOutcome::Fetched {
                items,
                new,
                relevant,
            } if *new > 0 => {
                write!(
                    f,
                    "{}: new {new} ({relevant} about police breaches) of {items} items",
                    self.id
                )
            }
            SourceOutcome::Fetched { items, .. } => {
                write!(f, "{}: unchanged ({items} items, none new)", self.id)
            }
            SourceOutcome::Unchanged => write!(f, "{}: unchanged (not modified)", self.id),
            SourceOutcome::Error(e) => write!(f, "{}: error: {e}", self.id),
        }?;
        if !self.warnings.is_empty() {
            write!(
                f,
                "; {} item(s) skipped: {}",
                self.warnings.len(),
                self.warnings.join("; ")
            )?;
        }
        Ok(())
    }
}

/// Why a source failed.
#[derive(Debug, thiserror::Error)]
enum SourceError {
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("{0}")]
    Parse(#[from] crate::parse::ParseError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("stopped before its items were stored")]
    Interrupted,
}

impl SourceError {
    fn kind(&self) -> FailureKind {
        match self {
            SourceError::Fetch(f) => match f {
                FetchError::Timeout(_) => FailureKind::Timeout,
                FetchError::Connect(_) => FailureKind::Network,
                FetchError::Status { status, .. } => FailureKind::Status(*status),
                FetchError::TooLarge { .. } => FailureKind::TooLarge,
                FetchError::Redirects => FailureKind::Redirects,
                FetchError::Other(_) => FailureKind::Other,
            },
            SourceError::Parse(_) => FailureKind::Parse,
            SourceError::Store(_) => FailureKind::Store,
            SourceError::Interrupted => FailureKind::Interrupted,
        }
    }
}

/// Polls every enabled source once, concurrently within the fetcher's limits.
pub async fn poll_once(config: &Config, store: &Store, fetcher: &Fetcher) -> Vec<SourceReport> {
    let tasks = config
        .sources
        .iter()
        .filter(|s| s.enabled)
        .map(|s| poll_source(&config.settings, s, store, fetcher));
    join_all(tasks).await
}

/// Polls one source and records its state.
pub async fn poll_source(
    settings: &Settings,
    src: &Source,
    store: &Store,
    fetcher: &Fetcher,
) -> SourceReport {
    let mut state = store
        .source_state(&src.id)
        .ok()
        .flatten()
        .unwrap_or_default();
    let now = Utc::now();
    state.last_attempt = Some(now);
    let full = state.last_full_refresh.is_none_or(|t| {
        now - t >= chrono::Duration::from_std(settings.full_refresh).unwrap_or_default()
    });
    let validators = (!full).then(|| Validators {
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    });
    let mut warnings = Vec::new();
    let result = fetch_and_store(
        settings,
        src,
        store,
        fetcher,
        validators.as_ref(),
        &mut warnings,
    )
    .await;
    let (outcome, floor, retry_after, detail) = match result {
        Ok((outcome, v, floor, detail)) => {
            state.consecutive_failures = 0;
            state.last_error = None;
            state.last_success = Some(now);
            if let Some(v) = v {
                state.etag = v.etag;
                state.last_modified = v.last_modified;
                if full {
                    state.last_full_refresh = Some(now);
                }
            }
            if let SourceOutcome::Fetched { items, new, .. } = &outcome {
                state.items_seen += *items as u64;
                state.articles_new += *new as u64;
            }
            (outcome, floor, None, detail)
        }
        Err(e) => {
            state.consecutive_failures = state.consecutive_failures.saturating_add(1);
            state.last_error = Some(e.to_string());
            let ra = match &e {
                SourceError::Fetch(f) => f.retry_after(),
                _ => None,
            };
            tracing::warn!(source = %src.id, error = %e, "Source failed");
            let detail = PollDetail {
                failure: Some(e.kind()),
                ..PollDetail::default()
            };
            (SourceOutcome::Error(e.to_string()), None, ra, detail)
        }
    };
    let delay = next_delay(
        settings,
        src,
        state.consecutive_failures,
        floor,
        retry_after,
        rand::rng().random_range(0.0..1.0),
    );
    state.next_due = Some(now + chrono::Duration::from_std(delay).unwrap_or_default());
    if let Err(e) = store.put_source_state(&src.id, &state) {
        tracing::error!(source = %src.id, error = %e, "Could not save source state");
    }
    SourceReport {
        id: src.id.clone(),
        outcome,
        warnings,
        next_due: state.next_due.unwrap_or(now),
        detail,
    }
}

/// How long until the next poll: the interval (never below the feed's own ttl/max-age), with
/// jitter; after failures, exponential backoff capped at `max_backoff`; never less than a
/// server's Retry-After. A source is never disabled for good.
pub fn next_delay(
    settings: &Settings,
    src: &Source,
    failures: u32,
    floor: Option<Duration>,
    retry_after: Option<Duration>,
    jitter_fraction: f64,
) -> Duration {
    let base = src.interval.max(floor.unwrap_or_default());
    let jitter = settings.jitter.mul_f64(jitter_fraction.clamp(0.0, 1.0));
    let d = if failures == 0 {
        base + jitter
    } else {
        let backoff = Duration::from_secs(60).saturating_mul(1u32 << failures.min(20));
        backoff.min(settings.max_backoff) + jitter
    };
    d.max(retry_after.unwrap_or_default())
}

type Fetch = (
    SourceOutcome,
    Option<Validators>,
    Option<Duration>,
    PollDetail,
);

async fn fetch_and_store(
    settings: &Settings,
    src: &Source,
    store: &Store,
    fetcher: &Fetcher,
    validators: Option<&Validators>,
    warnings: &mut Vec<String>,
) -> Result<Fetch, SourceError> {
    let limits = RequestLimits {
        timeout: src.timeout,
        max_body_bytes: src.max_body_bytes,
    };
    let body = match fetcher.get(&src.url, validators, limits).await? {
        Fetched::NotModified => {
            return Ok((SourceOutcome::Unchanged, None, None, PollDetail::default()))
        }
        Fetched::Body(b) => b,
    };
    let mut items: Vec<RawItem> = Vec::new();
    let mut floor = body.max_age;
    match &src.kind {
        SourceKind::Feed {
            fetch_full_text,
            content_selector,
        } => {
            let parsed = feed::parse_feed(&body.bytes, Some(&body.final_url), &src.name)?;
            if let Some(ttl) = parsed.ttl_minutes {
                floor = floor.max(Some(Duration::from_secs(ttl as u64 * 60)));
            }
            let content = content_selector
                .as_deref()
                .map(html::compile_selector)
                .transpose()?;
            for mut item in parsed.items {
                let short = html::clean_text(&item.text).len() < settings.min_text_chars;
                if *fetch_full_text && short {
                    if let Some(link) = item.url.as_deref().and_then(|u| url::Url::parse(u).ok()) {
                        let key = canon::article_key(Some(link.as_str()), "", None, "");
                        if !store.has_article(&key)? {
                            match fetcher.get(&link, None, limits).await {
                                Ok(Fetched::Body(page)) => {
                                    let text = String::from_utf8_lossy(&page.bytes);
                                    let p = html::parse_page(&text, None, None, content.as_ref());
                                    if p.text.len() > html::clean_text(&item.text).len() {
                                        item.text = p.text;
                                    }
                                }
                                Ok(Fetched::NotModified) => {}
                                Err(e) => {
                                    warnings.push(format!("{link}: {e} (kept the feed summary)"))
                                }
                            }
                        }
                    }
                }
                items.push(item);
            }
        }
        SourceKind::Html(rules) => {
            let index = String::from_utf8_lossy(&body.bytes).into_owned();
            let item_sel = html::compile_selector(&rules.item_selector)?;
            let title_sel = html::compile_selector(&rules.title_selector)?;
            let date_sel = rules
                .date_selector
                .as_deref()
                .map(html::compile_selector)
                .transpose()?;
            let content_sel = rules
                .content_selector
                .as_deref()
                .map(html::compile_selector)
                .transpose()?;
            let links = html::index_links(&index, &body.final_url, &item_sel, rules.max_items);
            for link in links {
                let key = canon::article_key(Some(link.as_str()), "", None, "");
                if store.has_article(&key)? {
                    continue;
                }
                match fetcher.get(&link, None, limits).await {
                    Ok(Fetched::Body(page)) => {
                        let text = String::from_utf8_lossy(&page.bytes);
                        let p = html::parse_page(
                            &text,
                            Some(&title_sel),
                            date_sel.as_ref(),
                            content_sel.as_ref(),
                        );
                        if p.text.trim().is_empty() {
                            warnings.push(format!("{link}: no article text found"));
                            continue;
                        }
                        items.push(RawItem {
                            url: Some(link.to_string()),
                            title: p.title,
                            published: p.published,
                            source: src.name.clone(),
                            text: p.text,
                        });
                    }
                    Ok(Fetched::NotModified) => {}
                    Err(e) => warnings.push(format!("{link}: {e}")),
                }
            }
        }
    }
    let total = items.len();
    // Extraction and merging are CPU work under the store's writer lock: on a blocking thread,
    // so they never hold up the runtime's workers (other polls, the HTTP server).
    let (store, id) = (store.clone(), src.id.clone());
    let stored = tokio::task::spawn_blocking(move || -> Result<Stored, StoreError> {
        let mut n = Stored::default();
        pipeline::ingest_items(
            &store,
            Some(&id),
            |feed: &mut dyn FnMut(RawItem) -> bool| {
                for item in items {
                    if !feed(item) {
                        break;
                    }
                }
                Ok::<(), StoreError>(())
            },
            |o| {
                if let Outcome::New {
                    relevant,
                    reports,
                    incidents,
                } = o
                {
                    n.new += 1;
                    if relevant {
                        n.relevant += 1;
                        n.detail.reports += reports;
                    }
                    n.detail.incidents += incidents;
                }
            },
        )?;
        Ok(n)
    })
    .await;
    let Stored {
        new,
        relevant,
        detail,
    } = match stored {
        Ok(r) => r?,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => return Err(SourceError::Interrupted),
    };
    Ok((
        SourceOutcome::Fetched {
            items: total,
            new,
            relevant,
        },
        Some(body.validators),
        floor,
        detail,
    ))
}

/// What storing a source's items came to.
#[derive(Default)]
struct Stored {
    new: usize,
    relevant: usize,
    detail: PollDetail,
}
