//! Webhook alerts, delivered: the worker `run` starts when the config has `[[alert]]`s.
//!
//! Every [`Options::scan_every`] it lists the incidents (the same listing as `incidents`, so
//! a dismissed incident never alerts), compares them with what it saw before (`watch`),
//! and queues each event for every armed alert that wants it; then it POSTs what is due.
//! [`crate::alert`] decides the events, filters and bodies; this module keeps the records
//! and speaks HTTP. It reads the incidents, never the pipeline's writes, so it does not
//! depend on how they were written (new articles, `reprocess`, corrections).
//!
//! # Delivery, once
//!
//! Each (alert, incident, event key) has one record, keyed by its [`crate::alert::event_id`]:
//! `pend/<id>` until a 2xx answer, then `sent/<id>`. The pending record is written and
//! flushed to disk in the same write that records the incident as seen, before anything is
//! sent; the answer is recorded (and flushed) right after it comes. A receiver that fails or
//! is down is tried again after [`crate::alert::retry_delay`] (30 s doubling, at most an
//! hour), for as long as it takes, across restarts. A kill -9 between a receiver's 2xx and
//! the record of it leaves the delivery pending, so it is sent once more after the restart:
//! every POST carries the event id as its `Idempotency-Key` header (and, in JSON bodies,
//! as `event_id`) so a receiver can drop that one repeat.
//!
//! # Arming
//!
//! An alert is armed the first time a worker runs with it in the config, after that run's
//! first scan: the incidents already stored (and whatever happened to them before) are its
//! baseline and do not fire; every event noticed later does (see
//! `docs/decisions/alerts.md`).

mod watch;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::alert::{self, AlertRule};
use crate::config::{Config, Settings};
use crate::store::{AlertBatch, Store, StoreError};

/// How often and how patiently the worker works. The defaults are for service; tests
/// shorten them through hidden environment variables ([`Options::from_env`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The first retry's delay, doubled for each further one (at most an hour).
    pub retry_first: Duration,
    /// How often the incidents are compared with what was seen.
    pub scan_every: Duration,
    /// How long a digest period is: a day.
    pub digest_period: Duration,
    /// How long one POST may take.
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            retry_first: Duration::from_secs(30),
            scan_every: Duration::from_secs(30),
            digest_period: Duration::from_secs(86_400),
            timeout: Duration::from_secs(10),
        }
    }
}

impl Options {
    /// The defaults, with `BREACHWATCH_ALERT_RETRY_MS`, `BREACHWATCH_ALERT_SCAN_MS` and
    /// `BREACHWATCH_ALERT_DIGEST_SECS` applied where set (for tests, not documented for
    /// users).
    pub fn from_env() -> Options {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|n| *n > 0)
        };
        let d = Options::default();
        Options {
            retry_first: var("BREACHWATCH_ALERT_RETRY_MS")
                .map(Duration::from_millis)
                .unwrap_or(d.retry_first),
            scan_every: var("BREACHWATCH_ALERT_SCAN_MS")
                .map(Duration::from_millis)
                .unwrap_or(d.scan_every),
            digest_period: var("BREACHWATCH_ALERT_DIGEST_SECS")
                .map(Duration::from_secs)
                .unwrap_or(d.digest_period),
            timeout: d.timeout,
        }
    }
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Recorded, not yet answered with a 2xx.
    Pending,
    /// Answered with a 2xx.
    Delivered,
}

/// One POST owed to (or made to) one alert's receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// The alert's config id.
    pub alert: String,
    /// The incident's id when the event happened (empty for a digest).
    pub incident: String,
    /// `new`, `development` or `digest`.
    pub event: String,
    /// The event's key (see [`crate::alert`]).
    pub key: String,
    /// [`crate::alert::event_id`]: the `Idempotency-Key`.
    pub id: String,
    /// The body, as it was when the event happened.
    pub body: Json,
    /// When it was queued.
    pub created: DateTime<Utc>,
    /// Pending or delivered.
    pub state: State,
    /// POSTs made.
    pub attempts: u32,
    /// When the next may be made.
    pub next_at: DateTime<Utc>,
    /// When a 2xx came.
    pub delivered_at: Option<DateTime<Utc>>,
    /// The last failure, in words.
    pub last_error: Option<String>,
}

impl Delivery {
    /// A pending delivery of `body`, due at once.
    pub fn new(
        rule: &AlertRule,
        incident: &str,
        event: &str,
        key: &str,
        id: String,
        body: Json,
        now: DateTime<Utc>,
    ) -> Delivery {
        Delivery {
            alert: rule.id.clone(),
            incident: incident.to_string(),
            event: event.to_string(),
            key: key.to_string(),
            id,
            body,
            created: now,
            state: State::Pending,
            attempts: 0,
            next_at: now,
            delivered_at: None,
            last_error: None,
        }
    }
}

/// Why the worker could not work, or a POST could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The store could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// What a receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status, if one came.
    pub status: Option<u16>,
    /// Why it is not a delivery, in words (`None`: a 2xx).
    pub error: Option<String>,
    /// The start of the answer's body.
    pub body: String,
}

impl Answer {
    /// Whether it is a delivery (a 2xx).
    pub fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// Posts alert bodies.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
}

impl Sender {
    /// A client with the config's User-Agent, `timeout` a POST, and no redirects.
    ///
    /// # Errors
    ///
    /// When the client cannot be built.
    pub fn new(settings: &Settings, timeout: Duration) -> Result<Sender, NotifyError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout.min(timeout))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| NotifyError::Client(e.to_string()))?;
        Ok(Sender { client })
    }

    /// POSTs `body` as JSON to `url` with `Idempotency-Key: id`.
    pub async fn post(&self, url: &str, id: &str, body: &Json) -> Answer {
        let sent = self
            .client
            .post(url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", id)
            .body(serde_json::to_vec(body).unwrap_or_default())
            .send()
            .await;
        match sent {
            Err(e) => Answer {
                status: None,
                error: Some(error_chain(&e)),
                body: String::new(),
            },
            Ok(response) => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let body: String = text.chars().take(200).collect();
                Answer {
                    status: Some(status.as_u16()),
                    error: (!status.is_success()).then(|| format!("HTTP {status}")),
                    body,
                }
            }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Told of every attempt: the alert's id and whether it was delivered (for `/metrics`).
pub type Observer = Arc<dyn Fn(&str, bool) + Send + Sync>;

/// The base of dashboard links: `public_url`, else the address the service listens on.
pub fn link_base(settings: &Settings) -> String {
    settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.listen))
}

/// The worker, running until `stop` resolves; it returns at once when no alert is
/// configured. Errors are logged and retried, never fatal: the service goes on.
pub async fn run(
    config: Arc<Config>,
    store: Store,
    options: Options,
    observer: Observer,
    stop: impl Future<Output = ()>,
) {
    if config.alerts.is_empty() {
        return;
    }
    let sender = match Sender::new(&config.settings, options.timeout) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "Alerts are off.");
            return;
        }
    };
    tokio::pin!(stop);
    let base = link_base(&config.settings);
    let period = options.digest_period.as_secs().max(1) as i64;
    let memory = Arc::new(std::sync::Mutex::new(watch::Memory::default()));
    let mut armed = false;
    let mut next_scan = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_scan {
            let (s, c, b, m) = (store.clone(), config.clone(), base.clone(), memory.clone());
            let scanned = tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
                let now = Utc::now();
                let mut memory = m.lock().unwrap_or_else(|e| e.into_inner());
                let scanned = watch::scan(&s, &c, &b, period, now, &mut memory)?;
                if scanned.queued > 0 {
                    tracing::info!(events = scanned.events, queued = scanned.queued, "Alerts queued.");
                }
                if !armed {
                    let new = watch::arm(&s, &c, now)?;
                    if !new.is_empty() {
                        tracing::info!(alerts = ?new, "Alerts armed: incidents stored now are their baseline.");
                    }
                }
                watch::close_digests(&s, &c, period, now)?;
                Ok(())
            })
            .await;
            match scanned {
                Ok(Ok(())) => armed = true,
                Ok(Err(e)) => tracing::error!(error = %e, "Alert scan failed; trying again."),
                Err(e) => tracing::error!(error = %e, "Alert scan panicked; trying again."),
            }
            next_scan = tokio::time::Instant::now() + options.scan_every;
        }
        let next_due =
            match deliver_due(&store, &config, &sender, &options, &observer, &mut stop).await {
                Ok(Some(next)) => next,
                Ok(None) => return,
                Err(e) => {
                    tracing::error!(error = %e, "Alert delivery failed; trying again.");
                    None
                }
            };
        let mut wake = next_scan;
        if let Some(due) = next_due {
            let wait = (due - Utc::now()).to_std().unwrap_or_default();
            wake = wake.min(tokio::time::Instant::now() + wait);
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = tokio::time::sleep_until(wake) => {}
        }
    }
}

/// POSTs every pending delivery that is due, oldest first, recording each answer. Returns
/// when the next pending one is due (`Some(None)`: none is), or `None` when `stop` fired.
async fn deliver_due(
    store: &Store,
    config: &Config,
    sender: &Sender,
    options: &Options,
    observer: &Observer,
    stop: &mut std::pin::Pin<&mut impl Future<Output = ()>>,
) -> Result<Option<Option<DateTime<Utc>>>, NotifyError> {
    let s = store.clone();
    let mut pending: Vec<(String, Delivery)> =
        tokio::task::spawn_blocking(move || s.alert_scan::<Delivery>("pend/"))
            .await
            .map_err(|e| NotifyError::Client(e.to_string()))??;
    pending.sort_by(|a, b| (a.1.created, &a.0).cmp(&(b.1.created, &b.0)));
    let mut next: Option<DateTime<Utc>> = None;
    for (_, mut d) in pending {
        let now = Utc::now();
        if d.next_at > now {
            next = Some(next.map_or(d.next_at, |n| n.min(d.next_at)));
            continue;
        }
        let Some(rule) = config.alerts.iter().find(|a| a.id == d.alert) else {
            // Its alert left the config: kept pending, in case it comes back.
            continue;
        };
        let answer = tokio::select! {
            _ = stop.as_mut() => return Ok(None),
            answer = sender.post(&rule.url, &d.id, &d.body) => answer,
        };
        observer(&d.alert, answer.delivered());
        let now = Utc::now();
        d.attempts += 1;
        let mut batch = AlertBatch::new();
        if answer.delivered() {
            d.state = State::Delivered;
            d.delivered_at = Some(now);
            d.last_error = None;
            batch.delete(&watch::pending_key(&d.id));
            batch.put(&watch::sent_key(&d.id), &d);
            tracing::info!(alert = %d.alert, event = %d.key, incident = %d.incident, "Alert delivered.");
        } else {
            let error = answer.error.unwrap_or_default();
            d.next_at = now
                + chrono::Duration::from_std(alert::retry_delay_from(
                    options.retry_first,
                    d.attempts,
                ))
                .unwrap_or_default();
            tracing::warn!(alert = %d.alert, attempts = d.attempts, error = %error, "Alert not delivered; will retry.");
            d.last_error = Some(error);
            next = Some(next.map_or(d.next_at, |n| n.min(d.next_at)));
            batch.put(&watch::pending_key(&d.id), &d);
        }
        let s = store.clone();
        tokio::task::spawn_blocking(move || s.alert_write(batch))
            .await
            .map_err(|e| NotifyError::Client(e.to_string()))??;
    }
    Ok(Some(next))
}

/// Every delivery recorded, pending first then sent, each oldest first (for `alerts`).
///
/// # Errors
///
/// When the store cannot be read.
pub fn deliveries(store: &Store) -> Result<Vec<Delivery>, StoreError> {
    let mut out: Vec<Delivery> = Vec::new();
    for prefix in ["pend/", "sent/"] {
        let mut part: Vec<Delivery> = store
            .alert_scan::<Delivery>(prefix)?
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        part.sort_by_key(|d| d.created);
        out.extend(part);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
