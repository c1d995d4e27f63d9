//! `feeds.toml`: deserialised into [`RawConfig`] (serde, unknown keys rejected), then validated
//! once into [`Config`]. Nothing downstream re-checks: URLs are parsed, CSS selectors compiled
//! (and kept compiled, see [`HtmlRules`]), ids unique, force ids known, durations built.
//!
//! Source templates (`[[template]]`, see [`template`]) are expanded when the config loads:
//! each expansion is an ordinary source with its own id, state and health.

pub mod alert;
pub mod template;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use scraper::Selector;
use serde::Deserialize;
use url::Url;

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}")]
    Read {
        /// The file named.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("invalid config {path}: {message}")]
    Syntax {
        /// The file (`<text>` for [`Config::from_toml`]).
        path: PathBuf,
        /// The TOML reader's message, on one line.
        message: String,
    },
    /// A value parsed but is not acceptable.
    #[error("invalid config: {key}: {message}")]
    Invalid {
        /// Where the value is: `settings.listen`, `source[2].item_selector`, ...
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

/// An [`ConfigError::Invalid`] for `key`.
fn invalid(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        message: message.into(),
    }
}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `[settings]`.
    #[serde(default)]
    pub settings: RawSettings,
    /// Every `[[source]]`.
    #[serde(default, rename = "source")]
    pub sources: Vec<RawSource>,
    /// Every `[[template]]`: one source pattern and the rows it is expanded for.
    #[serde(default, rename = "template")]
    pub templates: Vec<template::RawTemplate>,
    /// Every `[[alert]]`: a webhook and the events it wants (see [`alert`]).
    #[serde(default, rename = "alert")]
    pub alerts: Vec<alert::AlertRule>,
}

/// `[settings]`: defaults for every source plus service-wide options; each becomes the
/// [`Settings`] field of the same name (durations without their unit suffix).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// The sled database directory (default `breachwatch.db`).
    pub db_path: Option<PathBuf>,
    /// The service's address (default `127.0.0.1:8080`).
    pub listen: Option<String>,
    /// The User-Agent sent (default names the project and `contact`).
    pub user_agent: Option<String>,
    /// Where a publisher can reach whoever runs this instance (a URL or `mailto:`), named in
    /// the default User-Agent (default: the project's page).
    pub contact: Option<String>,
    /// The least time between two requests to one host, feeds and pages alike (default
    /// 1000). A host's robots.txt `crawl-delay` raises it for that host.
    pub min_host_delay_ms: Option<u64>,
    /// Honour robots.txt for the pages the poller follows (default true). Configured feeds
    /// and listings are fetched whatever it says.
    pub respect_robots: Option<bool>,
    /// Default time between polls of a source (default 1800).
    pub interval_secs: Option<u64>,
    /// Up to this much is added to each delay (default 120).
    pub jitter_secs: Option<u64>,
    /// Default time a whole request may take (default 30).
    pub timeout_secs: Option<u64>,
    /// Time a connection may take (default 10).
    pub connect_timeout_secs: Option<u64>,
    /// Default cap on a response body (default 5 MiB).
    pub max_body_bytes: Option<u64>,
    /// Redirects followed (default 5).
    pub max_redirects: Option<usize>,
    /// Fetches in flight at once (default 8).
    pub max_concurrent_fetches: Option<usize>,
    /// Fetches in flight at once to one host (default 2).
    pub per_host_concurrency: Option<usize>,
    /// How often a source is fetched unconditionally (default 12).
    pub full_refresh_hours: Option<u64>,
    /// The longest wait after failures (default one day).
    pub max_backoff_secs: Option<u64>,
    /// Default for feeds: fetch the page of a short item (default true).
    pub fetch_full_text: Option<bool>,
    /// An item's text shorter than this is short (default 600).
    pub min_text_chars: Option<usize>,
    /// How long shutdown waits for work in progress (default 8).
    pub shutdown_grace_secs: Option<u64>,
    /// The bearer token the service's write endpoints (analysts' corrections) require; none:
    /// every write is refused. `BREACHWATCH_ADMIN_TOKEN` overrides it.
    pub admin_token: Option<String>,
    /// The database's page cache in bytes (default: the store's, 16 MiB).
    pub db_cache_bytes: Option<u64>,
    /// The dashboard's address as readers reach it (e.g. `https://bw.example.org`): the
    /// base of links in alerts and Atom feeds (default: none; feeds use the request's host).
    pub public_url: Option<String>,
}

/// One `[[source]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Stable id: ASCII letters, digits, '-', '_' or '.'.
    pub id: String,
    /// `feed` (also `rss`, `atom`, `json`) or `html`.
    pub kind: String,
    /// The feed or index page.
    pub url: String,
    /// The outlet's name (default: the id).
    pub name: Option<String>,
    /// The police bodies (gazetteer ids) this source is the newsroom of: a press release
    /// written as "we" is theirs.
    pub forces: Option<Vec<String>>,
    /// Polled at all (default true).
    pub enabled: Option<bool>,
    /// Per-source override of `settings.interval_secs`.
    pub interval_secs: Option<u64>,
    /// Per-source override of `settings.timeout_secs`.
    pub timeout_secs: Option<u64>,
    /// Per-source override of `settings.max_body_bytes`.
    pub max_body_bytes: Option<u64>,
    /// feed: fetch each item's page when its text is short (default from settings).
    pub fetch_full_text: Option<bool>,
    /// feed or html: CSS selector for the article body on a linked page.
    pub content_selector: Option<String>,
    /// html: CSS selector for the links to press releases on the index page.
    pub item_selector: Option<String>,
    /// html: CSS selector for the link to the listing's next (older) page (default: a
    /// `rel="next"` link). Pages are followed while every link on them is new, up to
    /// `max_items` links.
    pub next_selector: Option<String>,
    /// html: CSS selector for the title on a press-release page (default `h1`).
    pub title_selector: Option<String>,
    /// html: CSS selector for the date (a `datetime` attribute or text).
    pub date_selector: Option<String>,
    /// html: how many links from the index to follow (default 20).
    pub max_items: Option<usize>,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Service-wide settings and per-source defaults.
    pub settings: Settings,
    /// The sources, in file order.
    pub sources: Vec<Source>,
    /// The webhook alerts, in file order (checked: see [`alert`]).
    pub alerts: Vec<alert::AlertRule>,
}

/// Validated settings with defaults applied.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The sled database directory.
    pub db_path: PathBuf,
    /// The service's address (`host:port`), checked to parse.
    pub listen: String,
    /// Sent with every request, naming the project and a contact.
    pub user_agent: String,
    /// The least time between two requests to one host.
    pub min_host_delay: Duration,
    /// Honour robots.txt for followed pages.
    pub respect_robots: bool,
    /// Default time between polls of a source.
    pub interval: Duration,
    /// Up to this much is added to each delay, so sources do not poll in step.
    pub jitter: Duration,
    /// Default time a whole request may take.
    pub timeout: Duration,
    /// Time a connection may take.
    pub connect_timeout: Duration,
    /// Default cap on a response body, after decompression.
    pub max_body_bytes: u64,
    /// Redirects followed before a fetch fails.
    pub max_redirects: usize,
    /// Fetches in flight at once, over all hosts.
    pub max_concurrent_fetches: usize,
    /// Fetches in flight at once to one host.
    pub per_host_concurrency: usize,
    /// How often a source is fetched without its validators (a full, unconditional GET).
    pub full_refresh: Duration,
    /// The longest wait after failures.
    pub max_backoff: Duration,
    /// Default for feeds: fetch the page of an item whose text is short.
    pub fetch_full_text: bool,
    /// An item's text shorter than this is short.
    pub min_text_chars: usize,
    /// How long shutdown waits for work in progress.
    pub shutdown_grace: Duration,
    /// `admin_token` as configured (see [`Settings::admin_token`] for the one in force).
    pub admin_token: Option<AdminToken>,
    /// sled's page cache in bytes, if set (`None`: the store's default,
    /// `store::DEFAULT_CACHE_BYTES`): the largest share of a long run's memory.
    pub db_cache_bytes: Option<u64>,
    /// `public_url` without its trailing `/`, checked to be http(s).
    pub public_url: Option<String>,
}

/// The token the service's write endpoints require. Its `Debug` form hides it, so a logged
/// configuration never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminToken(pub String);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(..)")
    }
}

impl Settings {
    /// The token in force: `BREACHWATCH_ADMIN_TOKEN` when set and not blank, else the
    /// configured `admin_token`; `None`: writes are disabled.
    pub fn admin_token(&self) -> Option<AdminToken> {
        std::env::var("BREACHWATCH_ADMIN_TOKEN")
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(AdminToken)
            .or_else(|| self.admin_token.clone())
    }
}

/// An id as sources and alerts need one: non-empty ASCII letters, digits, '-', '_' or '.'
/// (it names keys in the store and appears in URLs and logs).
pub(crate) fn check_id(id: &str) -> Result<(), String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    if !id.is_empty() && id.chars().all(plain) {
        Ok(())
    } else {
        Err(format!(
            "{id:?} must be non-empty ASCII letters, digits, '-', '_' or '.'"
        ))
    }
}

/// The contact named in the default User-Agent.
const DEFAULT_CONTACT: &str = "https://github.com/breachwatch/breachwatch";

/// The product token robots.txt groups are matched against.
pub const PRODUCT_TOKEN: &str = "breachwatch";

/// `breachwatch/VERSION (+CONTACT)`, the form crawlers use to say who they are.
fn user_agent_for(contact: &str) -> String {
    format!("{PRODUCT_TOKEN}/{} (+{contact})", env!("CARGO_PKG_VERSION"))
}

/// `settings.contact`, checked: an http(s) URL or a `mailto:` address, nothing that would
/// break the header.
fn checked_contact(contact: &str) -> Result<String, ConfigError> {
    let contact = contact.trim();
    let ok = Url::parse(contact)
        .map(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
        .unwrap_or(false)
        && !contact
            .chars()
            .any(|c| c.is_control() || c == '(' || c == ')');
    if ok {
        Ok(contact.to_owned())
    } else {
        Err(invalid(
            "settings.contact",
            format!("{contact:?} is not an http(s) URL or a mailto: address"),
        ))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            db_path: PathBuf::from("breachwatch.db"),
            listen: "127.0.0.1:8080".into(),
            user_agent: user_agent_for(DEFAULT_CONTACT),
            min_host_delay: Duration::from_millis(1000),
            respect_robots: true,
            interval: Duration::from_secs(1800),
            jitter: Duration::from_secs(120),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 5 * 1024 * 1024,
            max_redirects: 5,
            max_concurrent_fetches: 8,
            per_host_concurrency: 2,
            full_refresh: Duration::from_secs(12 * 3600),
            max_backoff: Duration::from_secs(24 * 3600),
            fetch_full_text: true,
            min_text_chars: 600,
            shutdown_grace: Duration::from_secs(8),
            admin_token: None,
            db_cache_bytes: None,
            public_url: None,
        }
    }
}

/// What a source is and how to read it.
#[derive(Debug, Clone)]
pub enum SourceKind {
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    Feed {
        /// Fetch the page of an item whose text is short.
        fetch_full_text: bool,
        /// The article body on a linked page (default: the usual article containers).
        content_selector: Option<Selector>,
    },
    /// A press-release index page whose links lead to article pages.
    Html(HtmlRules),
}

/// CSS selectors for an `html` source, compiled once at load (so a poll never re-parses
/// them, and a bad one fails the load naming its key).
#[derive(Debug, Clone)]
pub struct HtmlRules {
    /// The links to press releases on the index page.
    pub item_selector: Selector,
    /// The title on a press-release page (default `h1`).
    pub title_selector: Selector,
    /// The date on a press-release page (a `datetime` attribute or text).
    pub date_selector: Option<Selector>,
    /// The article body on a press-release page.
    pub content_selector: Option<Selector>,
    /// How many links from the index to follow.
    pub max_items: usize,
    /// The link to the listing's next page (default: `rel="next"`).
    pub next_selector: Option<Selector>,
}

/// A validated source.
#[derive(Debug, Clone)]
pub struct Source {
    /// Stable id: the key of its state in the store.
    pub id: String,
    /// The outlet's name, given to every item.
    pub name: String,
    /// The feed or index page.
    pub url: Url,
    /// The police bodies it is the newsroom of (gazetteer ids), sorted.
    pub forces: Vec<String>,
    /// Polled at all.
    pub enabled: bool,
    /// How to read it.
    pub kind: SourceKind,
    /// Time between polls (at least 60 s).
    pub interval: Duration,
    /// Time a request may take.
    pub timeout: Duration,
    /// Cap on a response body.
    pub max_body_bytes: u64,
}

/// Compiles a CSS selector; the message names the selector and why it does not compile.
fn compile_selector(css: &str) -> Result<Selector, String> {
    Selector::parse(css).map_err(|e| format!("invalid CSS selector {css:?}: {e}"))
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::from_toml(&text).map_err(|e| match e {
            ConfigError::Syntax { message, .. } => ConfigError::Syntax {
                path: path.to_owned(),
                message,
            },
            other => other,
        })
    }

    /// Parses and validates TOML text.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: PathBuf::from("<text>"),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        Config::validate(raw)
    }

    /// Turns the raw file into a checked configuration.
    pub fn validate(raw: RawConfig) -> Result<Config, ConfigError> {
        let settings = validate_settings(raw.settings)?;
        let mut labelled: Vec<(String, RawSource)> = raw
            .sources
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("source[{i}]"), s))
            .collect();
        for (t, raw_template) in raw.templates.into_iter().enumerate() {
            labelled.extend(template::expand(t, raw_template)?);
        }
        let mut seen = HashSet::new();
        let mut sources = Vec::with_capacity(labelled.len());
        for (label, s) in labelled {
            let at = |field: &str| format!("{label}.{field}");
            check_id(&s.id).map_err(|message| invalid(at("id"), message))?;
            if !seen.insert(s.id.clone()) {
                return Err(invalid(at("id"), format!("duplicate source id {:?}", s.id)));
            }
            let url = Url::parse(&s.url)
                .map_err(|e| invalid(at("url"), format!("{:?} is not a URL: {e}", s.url)))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(invalid(
                    at("url"),
                    format!("{:?} must be http or https", s.url),
                ));
            }
            let compiled = |field: &str, css: &Option<String>| {
                css.as_deref()
                    .map(compile_selector)
                    .transpose()
                    .map_err(|message| invalid(at(field), message))
            };
            let content_selector = compiled("content_selector", &s.content_selector)?;
            let item_selector = compiled("item_selector", &s.item_selector)?;
            let title_selector = compiled("title_selector", &s.title_selector)?;
            let date_selector = compiled("date_selector", &s.date_selector)?;
            let next_selector = compiled("next_selector", &s.next_selector)?;
            let kind = match s.kind.as_str() {
                "feed" | "rss" | "atom" | "json" => {
                    for (field, v) in [
                        ("item_selector", &s.item_selector),
                        ("title_selector", &s.title_selector),
                        ("date_selector", &s.date_selector),
                        ("next_selector", &s.next_selector),
                    ] {
                        if v.is_some() {
                            return Err(invalid(at(field), "only allowed for kind = \"html\""));
                        }
                    }
                    SourceKind::Feed {
                        fetch_full_text: s.fetch_full_text.unwrap_or(settings.fetch_full_text),
                        content_selector,
                    }
                }
                "html" => {
                    let item_selector = item_selector.ok_or_else(|| {
                        invalid(at("item_selector"), "required for kind = \"html\"")
                    })?;
                    let title_selector = match title_selector {
                        Some(title) => title,
                        None => Selector::parse("h1").expect("built-in selector compiles"),
                    };
                    SourceKind::Html(HtmlRules {
                        item_selector,
                        title_selector,
                        date_selector,
                        content_selector,
                        next_selector,
                        max_items: s.max_items.unwrap_or(20).max(1),
                    })
                }
                other => {
                    return Err(invalid(
                        at("kind"),
                        format!("unknown kind {other:?} (expected \"feed\" or \"html\")"),
                    ))
                }
            };
            let interval = s
                .interval_secs
                .map(Duration::from_secs)
                .unwrap_or(settings.interval);
            if interval < Duration::from_secs(60) {
                return Err(invalid(at("interval_secs"), "must be at least 60"));
            }
            let timeout = s
                .timeout_secs
                .map(Duration::from_secs)
                .unwrap_or(settings.timeout);
            if timeout.is_zero() {
                return Err(invalid(at("timeout_secs"), "must be positive"));
            }
            let mut forces = s.forces.clone().unwrap_or_default();
            for f in &forces {
                if !crate::extract::is_body_id(f) {
                    return Err(invalid(
                        at("forces"),
                        format!("unknown force id {f:?} (see data/uk_forces.json)"),
                    ));
                }
            }
            forces.sort();
            forces.dedup();
            let max_body_bytes = s.max_body_bytes.unwrap_or(settings.max_body_bytes);
            if max_body_bytes < 1024 {
                return Err(invalid(at("max_body_bytes"), "must be at least 1024"));
            }
            sources.push(Source {
                name: s.name.clone().unwrap_or_else(|| s.id.clone()),
                id: s.id,
                url,
                forces,
                enabled: s.enabled.unwrap_or(true),
                kind,
                interval,
                timeout,
                max_body_bytes,
            });
        }
        alert::validate(&raw.alerts)?;
        Ok(Config {
            settings,
            sources,
            alerts: raw.alerts,
        })
    }

    /// The configuration used when no file exists: defaults and no sources.
    pub fn empty() -> Config {
        Config {
            settings: Settings::default(),
            sources: Vec::new(),
            alerts: Vec::new(),
        }
    }
}

/// Applies defaults to `[settings]` and checks what must be positive or parse.
fn validate_settings(r: RawSettings) -> Result<Settings, ConfigError> {
    let d = Settings::default();
    let positive = |key: &str, v: Option<u64>, dflt: Duration| -> Result<Duration, ConfigError> {
        match v {
            Some(0) => Err(invalid(format!("settings.{key}"), "must be positive")),
            Some(n) => Ok(Duration::from_secs(n)),
            None => Ok(dflt),
        }
    };
    let nonzero = |key: &str, v: Option<usize>, dflt: usize| -> Result<usize, ConfigError> {
        match v {
            Some(0) => Err(invalid(format!("settings.{key}"), "must be positive")),
            Some(n) => Ok(n),
            None => Ok(dflt),
        }
    };
    if let Some(l) = &r.listen {
        l.parse::<std::net::SocketAddr>().map_err(|e| {
            invalid(
                "settings.listen",
                format!("{l:?} is not an address like 127.0.0.1:8080: {e}"),
            )
        })?;
    }
    if r.db_cache_bytes == Some(0) {
        return Err(invalid("settings.db_cache_bytes", "must be positive"));
    }
    let public_url = match &r.public_url {
        Some(text) => Some(
            alert::http_url(text)
                .map_err(|message| invalid("settings.public_url", message))?
                .as_str()
                .trim_end_matches('/')
                .to_string(),
        ),
        None => None,
    };
    Ok(Settings {
        public_url,
        db_path: r.db_path.unwrap_or(d.db_path),
        listen: r.listen.unwrap_or(d.listen),
        user_agent: match (r.user_agent, &r.contact) {
            (Some(ua), _) => ua,
            (None, Some(contact)) => user_agent_for(&checked_contact(contact)?),
            (None, None) => d.user_agent,
        },
        min_host_delay: r
            .min_host_delay_ms
            .map(Duration::from_millis)
            .unwrap_or(d.min_host_delay),
        respect_robots: r.respect_robots.unwrap_or(d.respect_robots),
        interval: positive("interval_secs", r.interval_secs, d.interval)?,
        jitter: r.jitter_secs.map(Duration::from_secs).unwrap_or(d.jitter),
        timeout: positive("timeout_secs", r.timeout_secs, d.timeout)?,
        connect_timeout: positive(
            "connect_timeout_secs",
            r.connect_timeout_secs,
            d.connect_timeout,
        )?,
        max_body_bytes: r.max_body_bytes.unwrap_or(d.max_body_bytes),
        max_redirects: r.max_redirects.unwrap_or(d.max_redirects),
        max_concurrent_fetches: nonzero(
            "max_concurrent_fetches",
            r.max_concurrent_fetches,
            d.max_concurrent_fetches,
        )?,
        per_host_concurrency: nonzero(
            "per_host_concurrency",
            r.per_host_concurrency,
            d.per_host_concurrency,
        )?,
        full_refresh: positive(
            "full_refresh_hours",
            r.full_refresh_hours.map(|h| h * 3600),
            d.full_refresh,
        )?,
        max_backoff: positive("max_backoff_secs", r.max_backoff_secs, d.max_backoff)?,
        fetch_full_text: r.fetch_full_text.unwrap_or(d.fetch_full_text),
        min_text_chars: r.min_text_chars.unwrap_or(d.min_text_chars),
        shutdown_grace: positive(
            "shutdown_grace_secs",
            r.shutdown_grace_secs,
            d.shutdown_grace,
        )?,
        admin_token: match r.admin_token.map(|t| t.trim().to_string()) {
            Some(t) if t.is_empty() => {
                return Err(invalid(
                    "settings.admin_token",
                    "is empty; leave it out to disable writes".to_string(),
                ))
            }
            t => t.map(AdminToken),
        },
        db_cache_bytes: r.db_cache_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_contract_config_loads_with_defaults() {
        let c = Config::from_toml(
            "[[source]]\nid = \"bbc-uk\"\nkind = \"feed\"\nurl = \"https://example.org/news.rss\"\n",
        )
        .unwrap();
        assert_eq!(c.sources.len(), 1);
        assert_eq!(c.sources[0].interval, Duration::from_secs(1800));
        assert!(c.sources[0].enabled);
        assert_eq!(c.settings.db_path, PathBuf::from("breachwatch.db"));
    }

    #[test]
    fn errors_name_the_offending_key() {
        let cases = [
            ("[[source]]\nid='a'\nkind='feed'\nurl='https://x.org/'\nurll='y'\n", "urll"),
            ("[[source]]\nid='a'\nkind='rss2'\nurl='https://x.org/'\n", "source[0].kind"),
            ("[[source]]\nid='a'\nkind='feed'\nurl='not a url'\n", "source[0].url"),
            ("[[source]]\nid='a'\nkind='html'\nurl='https://x.org/'\n", "source[0].item_selector"),
            (
                "[[source]]\nid='a'\nkind='html'\nurl='https://x.org/'\nitem_selector='a[['\n",
                "source[0].item_selector",
            ),
            (
                "[[source]]\nid='a'\nkind='feed'\nurl='https://x.org/'\n[[source]]\nid='a'\nkind='feed'\nurl='https://y.org/'\n",
                "source[1].id",
            ),
            ("[settings]\nmax_concurrent_fetches = 0\n", "settings.max_concurrent_fetches"),
            ("[settings]\ndb_cache_bytes = 0\n", "settings.db_cache_bytes"),
            ("[settings]\nlisten = 'nowhere'\n", "settings.listen"),
            ("[settingz]\n", "settingz"),
        ];
        for (text, key) in cases {
            let err = Config::from_toml(text).unwrap_err().to_string();
            assert!(err.contains(key), "{err:?} should name {key:?}");
        }
    }

    #[test]
    fn html_selectors_are_compiled_at_load() {
        let c = Config::from_toml(
            "[[source]]\nid='a'\nkind='html'\nurl='https://x.org/'\nitem_selector='.news a'\ndate_selector='time'\n",
        )
        .unwrap();
        let SourceKind::Html(rules) = &c.sources[0].kind else {
            panic!("an html source");
        };
        let page = scraper::Html::parse_document(
            "<h1>T</h1><ul class=news><li><a href=/a>A</a></li></ul><time>today</time>",
        );
        assert_eq!(page.select(&rules.item_selector).count(), 1);
        assert_eq!(
            page.select(&rules.title_selector).count(),
            1,
            "h1 by default"
        );
        assert!(rules.date_selector.is_some() && rules.content_selector.is_none());
        let err = Config::from_toml(
            "[[source]]\nid='a'\nkind='feed'\nurl='https://x.org/'\ncontent_selector='p[['\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(
                "invalid config: source[0].content_selector: invalid CSS selector \"p[[\": "
            ),
            "{err}"
        );
    }
}
