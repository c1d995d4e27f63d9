//! One pass over the configured sources: fetch (conditionally), parse, follow links for short
//! feed items and press-release indexes, and hand every item to the pipeline. A failing
//! source is recorded in its state and reported; the others go on.

use std::time::Duration;

use chrono::Utc;
use futures_util::future::join_all;
use rand::RngExt;

use crate::canon;
use scraper::Selector;
use url::Url;

use crate::config::{Config, HtmlRules, Settings, Source, SourceKind};
use crate::fetch::{charset, FetchError, Fetched, Fetcher, RequestLimits, Validators};
use crate::parse::{feed, html, RawItem};
use crate::pipeline::{self, Outcome};
use crate::store::{Store, StoreError};

/// How one source's pass ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceOutcome {
    /// Fetched and parsed: `items` listed, `new` stored, `relevant` of them about breaches.
    Fetched {
        /// Items the source listed (followed links, for an index page).
        items: usize,
        /// Items not stored before.
        new: usize,
        /// New items about police breaches.
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
    /// The source's id.
    pub id: String,
    /// How its pass ended.
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
    /// The server answered with this error status (not a bot-protection page: that is
    /// [`FailureKind::Blocked`]).
    Status(u16),
    /// The body exceeded the cap.
    TooLarge,
    /// More redirects than allowed.
    Redirects,
    /// A bot-protection page (whatever its status).
    Blocked,
    /// Not a readable feed.
    Parse,
    /// The database failed.
    Store,
    /// Stopped before its items were stored.
    Interrupted,
    /// Anything else the HTTP client reported.
    Other,
}

impl std::fmt::Display for FailureKind {
    /// `timeout`, `network`, `http_503`, `too_large`, `redirects`, `blocked`, `parse`, `store`,
    /// `interrupted` or `other`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailureKind::Timeout => f.write_str("timeout"),
            FailureKind::Network => f.write_str("network"),
            FailureKind::Status(code) => write!(f, "http_{code}"),
            FailureKind::TooLarge => f.write_str("too_large"),
            FailureKind::Redirects => f.write_str("redirects"),
            FailureKind::Blocked => f.write_str("blocked"),
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
    /// The feed or index page could not be fetched.
    #[error("{0}")]
    Fetch(#[from] FetchError),
    /// The feed could not be read.
    #[error("{0}")]
    Parse(#[from] crate::parse::ParseError),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The blocking task storing the items was cancelled.
    #[error("stopped before its items were stored")]
    Interrupted,
}

impl SourceError {
    /// The failure's kind, for metrics.
    fn kind(&self) -> FailureKind {
        match self {
            SourceError::Fetch(f) => match f {
                FetchError::Timeout(_) => FailureKind::Timeout,
                FetchError::Connect(_) => FailureKind::Network,
                FetchError::Status { status, .. } => FailureKind::Status(*status),
                FetchError::TooLarge { .. } => FailureKind::TooLarge,
                FetchError::Redirects => FailureKind::Redirects,
                FetchError::Blocked { .. } => FailureKind::Blocked,
                FetchError::Disallowed { .. } | FetchError::Other(_) => FailureKind::Other,
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
    let pass = SourcePass {
        settings,
        source: src,
        store,
        fetcher,
        limits: RequestLimits {
            timeout: src.timeout,
            max_body_bytes: src.max_body_bytes,
        },
    };
    let result = pass
        .fetch_and_store(validators.as_ref(), &mut warnings)
        .await;
    let (outcome, floor, retry_after, detail) = match result {
        Ok(FetchedSource {
            outcome,
            validators: v,
            interval_floor: floor,
            detail,
        }) => {
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
        PollTiming {
            consecutive_failures: state.consecutive_failures,
            interval_floor: floor,
            retry_after,
        },
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

/// What, besides the interval, decides when a source is next polled.
#[derive(Debug, Clone, Copy, Default)]
pub struct PollTiming {
    /// Failures in a row so far (0 after a success).
    pub consecutive_failures: u32,
    /// The feed's own ttl or the response's max-age: the interval is never shorter.
    pub interval_floor: Option<Duration>,
    /// The server's Retry-After: the delay is never shorter.
    pub retry_after: Option<Duration>,
}

/// How long until the next poll: the interval (never below the feed's own ttl/max-age), with
/// `jitter_fraction` (0 to 1) of the jitter; after failures, exponential backoff capped at
/// `max_backoff`; never less than a server's Retry-After. A source is never disabled for good.
pub fn next_delay(
    settings: &Settings,
    src: &Source,
    timing: PollTiming,
    jitter_fraction: f64,
) -> Duration {
    let failures = timing.consecutive_failures;
    let base = src.interval.max(timing.interval_floor.unwrap_or_default());
    let jitter = settings.jitter.mul_f64(jitter_fraction.clamp(0.0, 1.0));
    let d = if failures == 0 {
        base + jitter
    } else {
        let backoff = Duration::from_secs(60).saturating_mul(1u32 << failures.min(20));
        backoff.min(settings.max_backoff) + jitter
    };
    d.max(timing.retry_after.unwrap_or_default())
}

/// What a successful pass over a source came to.
struct FetchedSource {
    outcome: SourceOutcome,
    /// The validators to send next time (`None` when not modified).
    validators: Option<Validators>,
    /// A floor for the polling interval: the feed's ttl or the response's max-age.
    interval_floor: Option<Duration>,
    detail: PollDetail,
}

/// One pass over one source: what it needs to fetch, read and store.
struct SourcePass<'a> {
    settings: &'a Settings,
    source: &'a Source,
    store: &'a Store,
    fetcher: &'a Fetcher,
    /// The source's request limits, for the feed or index and every page it links to.
    limits: RequestLimits,
}

impl SourcePass<'_> {
    /// Fetches the source (conditionally with `validators`), reads its items (following links
    /// as its kind says) and stores them; per-item problems go to `warnings`.
    async fn fetch_and_store(
        &self,
        validators: Option<&Validators>,
        warnings: &mut Vec<String>,
    ) -> Result<FetchedSource, SourceError> {
        let src = self.source;
        let body = match self.fetcher.get(&src.url, validators, self.limits).await? {
            Fetched::NotModified => {
                return Ok(FetchedSource {
                    outcome: SourceOutcome::Unchanged,
                    validators: None,
                    interval_floor: None,
                    detail: PollDetail::default(),
                })
            }
            Fetched::Body(b) => b,
        };
        let mut floor = body.max_age;
        let items = match &src.kind {
            SourceKind::Feed {
                fetch_full_text,
                content_selector,
            } => {
                let parsed = feed::parse_feed(&body.bytes, Some(&body.final_url), &src.name)?;
                if let Some(ttl) = parsed.ttl_minutes {
                    floor = floor.max(Some(Duration::from_secs(ttl as u64 * 60)));
                }
                let full_text = fetch_full_text.then_some(content_selector.as_ref());
                self.feed_items(parsed.items, full_text, warnings).await?
            }
            SourceKind::Html(rules) => {
                let (index, _) = charset::decode(&body.bytes, body.content_type.as_deref());
                self.index_items(&index, &body.final_url, rules, warnings)
                    .await?
            }
        };
        let total = items.len();
        let Stored {
            new,
            relevant,
            detail,
        } = self.store_items(items).await?;
        Ok(FetchedSource {
            outcome: SourceOutcome::Fetched {
                items: total,
                new,
                relevant,
            },
            validators: Some(body.validators),
            interval_floor: floor,
            detail,
        })
    }

    /// A feed's items, search-engine links unwrapped ([`unwrap_search_link`]); with
    /// `full_text` (the source's content selector, if any), a short item not stored before
    /// whose title or summary could be about a police breach
    /// ([`crate::extract::could_be_police_breach`]) gets the text of its page when that is
    /// longer. An article's page is fetched at most once per pass; an interstitial's never.
    async fn feed_items(
        &self,
        items: Vec<RawItem>,
        full_text: Option<Option<&Selector>>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<RawItem>, SourceError> {
        let mut out = Vec::with_capacity(items.len());
        let mut fetched = std::collections::HashSet::new();
        let mut unreachable = Unreachable::default();
        for mut item in items {
            let followable = unwrap_search_link(&mut item);
            let summary = html::clean_text(&item.text);
            let short = summary.len() < self.settings.min_text_chars;
            let promising = || crate::extract::could_be_police_breach(&item.title, &summary);
            if let Some(content) = full_text.filter(|_| followable && short && promising()) {
                if let Some(link) = item.url.as_deref().and_then(|u| url::Url::parse(u).ok()) {
                    let key = canon::article_key(Some(link.as_str()), "", None, "");
                    if fetched.insert(key.clone())
                        && !self.store.has_article(&key)?
                        && !unreachable.skips(&link)
                    {
                        match self.fetcher.get_page(&link, self.limits).await {
                            Ok(Fetched::Body(page)) => {
                                let (text, _) =
                                    charset::decode(&page.bytes, page.content_type.as_deref());
                                let p = html::parse_page(&text, None, None, content);
                                if p.text.len() > summary.len() {
                                    item.text = p.text;
                                }
                                // A summary-only feed may carry no date; its page does.
                                if item.published.is_none() {
                                    item.published = p.published;
                                }
                            }
                            Ok(Fetched::NotModified) => {}
                            Err(e) => {
                                unreachable.note(&link, &e);
                                warnings.push(format!("{link}: {e} (kept the feed summary)"))
                            }
                        }
                    }
                }
            }
            out.push(item);
        }
        warnings.extend(unreachable.summary());
        Ok(out)
    }

    /// The items of an index page: each link `rules` select that is not stored yet, fetched
    /// and read with the rules' selectors. A paginated listing is followed to its next page
    /// while every link on the page is new, up to `rules.max_items` links and
    /// [`MAX_LISTING_PAGES`] pages: the first poll of a newsroom reads its backlog, later
    /// polls stop at the first page that holds a stored article.
    async fn index_items(
        &self,
        index: &str,
        base: &Url,
        rules: &HtmlRules,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<RawItem>, SourceError> {
        let mut links: Vec<Url> = Vec::new();
        let (mut page, mut page_url) = (std::borrow::Cow::Borrowed(index), base.clone());
        let mut pages = vec![base.clone()];
        loop {
            let wanted = rules.max_items - links.len();
            let listed = html::index_links(&page, &page_url, &rules.item_selector, wanted);
            let mut all_new = !listed.is_empty();
            for link in listed {
                let key = canon::article_key(Some(link.as_str()), "", None, "");
                if self.store.has_article(&key)? {
                    all_new = false;
                } else if !links.contains(&link) {
                    links.push(link);
                }
            }
            if !all_new || links.len() >= rules.max_items || pages.len() >= MAX_LISTING_PAGES {
                break;
            }
            let next = html::next_page(&page, &page_url, rules.next_selector.as_ref());
            let Some(next) = next.filter(|n| !pages.contains(n)) else {
                break;
            };
            match self.fetcher.get(&next, None, self.limits).await {
                Ok(Fetched::Body(b)) => {
                    page = std::borrow::Cow::Owned(
                        charset::decode(&b.bytes, b.content_type.as_deref()).0,
                    );
                    pages.push(next);
                    page_url = b.final_url;
                }
                Ok(Fetched::NotModified) => break,
                Err(e) => {
                    warnings.push(format!("{next}: {e} (listing page; stopped paging)"));
                    break;
                }
            }
        }
        let mut items = Vec::new();
        let mut unreachable = Unreachable::default();
        for link in links {
            if unreachable.skips(&link) {
                continue;
            }
            match self.fetcher.get_page(&link, self.limits).await {
                Ok(Fetched::Body(page)) => {
                    let (text, _) = charset::decode(&page.bytes, page.content_type.as_deref());
                    let p = html::parse_page(
                        &text,
                        Some(&rules.title_selector),
                        rules.date_selector.as_ref(),
                        rules.content_selector.as_ref(),
                    );
                    if p.text.trim().is_empty() {
                        warnings.push(format!("{link}: no article text found"));
                        continue;
                    }
                    items.push(RawItem {
                        url: Some(link.to_string()),
                        title: p.title,
                        published: p.published,
                        source: self.source.name.clone(),
                        text: p.text,
                    });
                }
                Ok(Fetched::NotModified) => {}
                Err(e) => {
                    unreachable.note(&link, &e);
                    warnings.push(format!("{link}: {e}"));
                }
            }
        }
        warnings.extend(unreachable.summary());
        Ok(items)
    }

    /// Stores the items through the pipeline.
    async fn store_items(&self, items: Vec<RawItem>) -> Result<Stored, SourceError> {
        // Extraction and merging are CPU work under the store's writer lock: on a blocking
        // thread, so they never hold up the runtime's workers (other polls, the HTTP server).
        let (store, id) = (self.store.clone(), self.source.id.clone());
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
        match stored {
            Ok(r) => Ok(r?),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(SourceError::Interrupted),
        }
    }
}

/// Unwraps a search engine's link in `item` ([`canon::search::unwrap`]): the article's own URL
/// replaces the engine's. Returns whether the item's page may be fetched: not when the link
/// leads to the engine's interstitial page (the item stays headline-only).
pub fn unwrap_search_link(item: &mut RawItem) -> bool {
    match item.url.as_deref().and_then(canon::search::unwrap) {
        Some(canon::search::SearchLink::Article(url)) => {
            item.url = Some(url);
            true
        }
        Some(canon::search::SearchLink::Interstitial) => false,
        None => true,
    }
}

/// The most pages of one listing read in a pass.
pub const MAX_LISTING_PAGES: usize = 10;

/// Hosts that could not be reached in this pass (refused, timed out, or blocked by bot
/// protection): their other pages are skipped, so twenty links to a dead host cost one
/// timeout, not twenty.
#[derive(Default)]
struct Unreachable {
    hosts: std::collections::HashMap<String, usize>,
}

impl Unreachable {
    fn note(&mut self, url: &Url, e: &FetchError) {
        if matches!(
            e,
            FetchError::Timeout(_)
                | FetchError::Connect(_)
                | FetchError::Blocked { .. }
                | FetchError::Disallowed { unreachable: true }
        ) {
            self.hosts
                .entry(crate::fetch::polite::host_key(url))
                .or_default();
        }
    }

    /// Whether `url`'s host failed before (and counts the page skipped).
    fn skips(&mut self, url: &Url) -> bool {
        match self.hosts.get_mut(&crate::fetch::polite::host_key(url)) {
            Some(n) => {
                *n += 1;
                true
            }
            None => false,
        }
    }

    fn summary(self) -> impl Iterator<Item = String> {
        self.hosts
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(host, n)| format!("{host}: unreachable, skipped {n} more page(s) this pass"))
    }
}

/// What storing a source's items came to.
#[derive(Default)]
struct Stored {
    new: usize,
    relevant: usize,
    detail: PollDetail,
}
