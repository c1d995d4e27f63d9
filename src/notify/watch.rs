//! Noticing events: the incidents the listing now gives, compared with what was seen of them
//! before, and the deliveries (or digest lines) the events make for each armed alert.
//!
//! What was seen is kept per incident (`seen/<id>`: its article keys and the keys of every
//! fact known of it, see [`crate::alert::known_keys`]) with an index from article key to
//! incident (`art/<article key>`). An incident whose id is not among the seen ones but whose
//! articles are (its id changed when an earlier report was found, two incidents merged, one
//! was split) is the seen one under a new name: it takes over the facts known of them, so
//! it is not "new" and repeats no development.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::alert::{self, AlertRule, Digest, DigestItem, Event};
use crate::config::Config;
use crate::model::Incident;
use crate::query::{self, Filter, IncidentView};
use crate::store::{AlertBatch, Store, StoreError};

use super::{Delivery, State};

/// What was seen of one incident (`seen/<id>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Seen {
    /// Its articles' keys.
    pub articles: BTreeSet<String>,
    /// The keys of every fact known of it, ever (a fact that goes and comes back is not
    /// new).
    pub known: BTreeSet<String>,
}

/// When an alert was armed (`arm/<alert id>`): it gets the events noticed after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Armed {
    /// The moment.
    pub at: DateTime<Utc>,
}

/// The digest period an event noticed at `now` belongs to: its start, in Unix seconds.
pub(super) fn period_start(now: DateTime<Utc>, period_secs: i64) -> i64 {
    now.timestamp().div_euclid(period_secs) * period_secs
}

/// What the worker remembers between scans so an unchanged incident costs no read of its
/// record: a fingerprint of its facts and articles, by id.
#[derive(Debug, Default)]
pub(super) struct Memory {
    fingerprints: HashMap<String, u64>,
}

fn fingerprint(incident: &Incident) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    alert::known_keys(incident).hash(&mut h);
    for s in &incident.sources {
        s.article_key.hash(&mut h);
    }
    h.finish()
}

/// How a scan went, for the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Scanned {
    /// Incidents listed.
    pub incidents: usize,
    /// Events noticed (before the alerts' filters).
    pub events: usize,
    /// Deliveries and digest lines queued.
    pub queued: usize,
}

/// Compares the incidents now listed with what was seen, records what changed, and queues
/// each event for every armed alert that wants it, all in one flushed write.
pub(super) fn scan(
    store: &Store,
    config: &Config,
    base: &str,
    digest_period_secs: i64,
    now: DateTime<Utc>,
    memory: &mut Memory,
) -> Result<Scanned, StoreError> {
    let armed: Vec<&AlertRule> = config
        .alerts
        .iter()
        .filter(|a| matches!(store.alert_get::<Armed>(&arm_key(&a.id)), Ok(Some(_))))
        .collect();
    let incidents = query::incidents(store, &Filter::default())?;
    let mut batch = AlertBatch::new();
    let mut out = Scanned {
        incidents: incidents.len(),
        ..Scanned::default()
    };
    // Seen records written in this scan, so two incidents taking over one seen record (a
    // split) both find it.
    let mut written: HashMap<String, Seen> = HashMap::new();
    // Remembered only once the write is flushed: a failed write is retried next scan.
    let mut prints = Vec::new();
    for incident in &incidents {
        let print = fingerprint(incident);
        if memory.fingerprints.get(&incident.id) == Some(&print) {
            continue;
        }
        let (known, renamed) = match store.alert_get::<Seen>(&seen_key(&incident.id))? {
            Some(seen) => (Some(seen.known), Vec::new()),
            None => seen_by_articles(store, incident, &written)?,
        };
        let events = alert::events_since(known.as_ref(), incident);
        let mut seen = Seen {
            articles: incident
                .sources
                .iter()
                .map(|s| s.article_key.clone())
                .collect(),
            known: known.unwrap_or_default(),
        };
        seen.known.extend(alert::known_keys(incident));
        for old in &renamed {
            batch.delete(&seen_key(old));
        }
        for a in &seen.articles {
            batch.put(&article_key(a), &incident.id);
        }
        batch.put(&seen_key(&incident.id), &seen);
        written.insert(incident.id.clone(), seen);
        prints.push((incident.id.clone(), print));
        out.events += events.len();
        for event in &events {
            for rule in armed.iter().filter(|r| r.wants(incident, event)) {
                if queue(
                    store,
                    &mut batch,
                    rule,
                    incident,
                    event,
                    base,
                    digest_period_secs,
                    now,
                )? {
                    out.queued += 1;
                }
            }
        }
    }
    store.alert_write(batch)?;
    memory.fingerprints.extend(prints);
    Ok(out)
}

/// The facts known of the seen incidents that share an article with `incident`, and their
/// ids: `(None, [])` when none does (the incident is new).
fn seen_by_articles(
    store: &Store,
    incident: &Incident,
    written: &HashMap<String, Seen>,
) -> Result<(Option<BTreeSet<String>>, Vec<String>), StoreError> {
    let mut ids = BTreeSet::new();
    for s in &incident.sources {
        if let Some(id) = store.alert_get::<String>(&article_key(&s.article_key))? {
            ids.insert(id);
        }
        for (id, seen) in written {
            if seen.articles.contains(&s.article_key) {
                ids.insert(id.clone());
            }
        }
    }
    let mut known: Option<BTreeSet<String>> = None;
    let mut renamed = Vec::new();
    for id in ids {
        let seen = match written.get(&id) {
            Some(seen) => Some(seen.clone()),
            None => store.alert_get::<Seen>(&seen_key(&id))?,
        };
        if let Some(seen) = seen {
            known.get_or_insert_with(BTreeSet::new).extend(seen.known);
            if !written.contains_key(&id) {
                renamed.push(id);
            }
        }
    }
    Ok((known, renamed))
}

/// Queues one event for one alert: a pending delivery, or a line of its digest. Never twice
/// for one (alert, incident, event key): returns whether it was queued.
#[allow(clippy::too_many_arguments)]
fn queue(
    store: &Store,
    batch: &mut AlertBatch,
    rule: &AlertRule,
    incident: &Incident,
    event: &Event,
    base: &str,
    digest_period_secs: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let id = alert::event_id(&rule.id, &incident.id, &event.key);
    if already_queued(store, &id)? {
        return Ok(false);
    }
    let page = alert::incident_page(base, &incident.id);
    let view = IncidentView::from(incident);
    match rule.digest {
        Digest::Daily => {
            let start = period_start(now, digest_period_secs);
            let item = DigestItem {
                kind: event.kind,
                summary: event.summary.clone(),
                incident: view,
                page,
                event_id: id.clone(),
            };
            batch.put(&digest_key(&rule.id, start, now, &id), &item);
            batch.put(&format!("evt/{id}"), &now);
        }
        Digest::Off => {
            let body = rule.body(&view, event, &page, &id);
            batch.put(
                &pending_key(&id),
                &Delivery::new(
                    rule,
                    &incident.id,
                    event.kind.id(),
                    &event.key,
                    id.clone(),
                    body,
                    now,
                ),
            );
        }
    }
    Ok(true)
}

/// Whether an event id has a delivery (pending or sent) or a digest line already.
fn already_queued(store: &Store, id: &str) -> Result<bool, StoreError> {
    Ok(store.alert_get::<Delivery>(&pending_key(id))?.is_some()
        || store.alert_get::<Delivery>(&sent_key(id))?.is_some()
        || store
            .alert_get::<DateTime<Utc>>(&format!("evt/{id}"))?
            .is_some())
}

/// Turns every digest period that has ended into one pending delivery per alert (its lines
/// go in the same write). Returns how many digests were queued.
pub(super) fn close_digests(
    store: &Store,
    config: &Config,
    digest_period_secs: i64,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let current = period_start(now, digest_period_secs);
    let mut batch = AlertBatch::new();
    let mut queued = 0;
    for rule in config.alerts.iter().filter(|a| a.digest == Digest::Daily) {
        let lines: Vec<(String, DigestItem)> = store.alert_scan(&format!("dig/{}/", rule.id))?;
        let mut periods: std::collections::BTreeMap<i64, Vec<(String, DigestItem)>> =
            Default::default();
        for (key, item) in lines {
            let start = key
                .split('/')
                .nth(2)
                .and_then(|h| i64::from_str_radix(h, 16).ok())
                .unwrap_or(current);
            if start < current {
                periods.entry(start).or_default().push((key, item));
            }
        }
        for (start, lines) in periods {
            let label = period_label(start, digest_period_secs);
            let id = alert::event_id(&rule.id, "digest", &label);
            let items: Vec<DigestItem> = lines.iter().map(|(_, i)| i.clone()).collect();
            let body = rule.digest_body(&label, &items);
            let mut d = Delivery::new(
                rule,
                "",
                "digest",
                &format!("digest:{label}"),
                id.clone(),
                body,
                now,
            );
            d.state = State::Pending;
            if !already_queued(store, &id)? {
                batch.put(&pending_key(&id), &d);
                queued += 1;
            }
            for (key, _) in &lines {
                batch.delete(key);
            }
        }
    }
    store.alert_write(batch)?;
    Ok(queued)
}

/// The day a digest period is of (`2026-12-04`), with the time when periods are shorter
/// than a day (tests).
fn period_label(start: i64, period_secs: i64) -> String {
    let t = DateTime::from_timestamp(start, 0).unwrap_or_default();
    if period_secs % 86_400 == 0 {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }
}

/// Arms every configured alert that is not armed yet, at `now`: from then on it gets
/// events; what was there before is its baseline.
pub(super) fn arm(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let mut batch = AlertBatch::new();
    let mut armed = Vec::new();
    for rule in &config.alerts {
        if store.alert_get::<Armed>(&arm_key(&rule.id))?.is_none() {
            batch.put(&arm_key(&rule.id), &Armed { at: now });
            armed.push(rule.id.clone());
        }
    }
    store.alert_write(batch)?;
    Ok(armed)
}

fn arm_key(alert: &str) -> String {
    format!("arm/{alert}")
}
fn seen_key(incident: &str) -> String {
    format!("seen/{incident}")
}
fn article_key(article: &str) -> String {
    format!("art/{article}")
}
fn digest_key(alert: &str, start: i64, now: DateTime<Utc>, id: &str) -> String {
    format!(
        "dig/{alert}/{start:016x}/{:016x}/{id}",
        now.timestamp_millis().max(0)
    )
}
/// The key of a delivery not yet made.
pub(super) fn pending_key(id: &str) -> String {
    format!("pend/{id}")
}
/// The key of a delivery made.
pub(super) fn sent_key(id: &str) -> String {
    format!("sent/{id}")
}
