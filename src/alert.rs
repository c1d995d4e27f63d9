//! Webhook alerts, the pure part: which events an incident's change makes, which alerts an
//! event is for, the bodies sent, and when to try again. Delivery (HTTP) and its record in
//! the store are the service's.
//!
//! # Events and their identity
//!
//! An event is a new incident, or a new development, figure or force on one. Each has a
//! **key** that says what happened without saying when it was noticed (`new`,
//! `development:fine:<url>`, `figure:1200:people:<url>`, `force:essex`), so the pair
//! (alert, incident, key) is delivered once however often the incident is rewritten, by new
//! articles, `reprocess` or a restart.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest as _, Sha256};

use crate::model::Incident;
use crate::query::IncidentView;

pub use crate::config::alert::{AlertRule, Digest, EventKind, Format};

impl EventKind {
    /// The id in the config and the body.
    pub fn id(self) -> &'static str {
        match self {
            EventKind::New => "new",
            EventKind::Development => "development",
        }
    }
}

/// One thing that happened to an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// New, or a development.
    pub kind: EventKind,
    /// What happened, as its identity (see the module doc).
    pub key: String,
    /// What happened, in words, for chat messages and digests.
    pub summary: String,
}

/// The events that `after` makes, given the incident as it was before (`None`: it is new).
/// A new incident is one event, whatever it already holds; later, each development, figure
/// and force it did not have before is one.
pub fn events(before: Option<&Incident>, after: &Incident) -> Vec<Event> {
    let known = before.map(known_keys);
    events_since(known.as_ref(), after)
}

/// The keys of every fact of `incident` an event can be about (see [`facts`]): what a
/// watcher remembers of an incident it has seen, so a rewrite that adds nothing makes no
/// event.
pub fn known_keys(incident: &Incident) -> BTreeSet<String> {
    facts(incident).into_iter().map(|e| e.key).collect()
}

/// The events of `after` given the keys already known of it ([`known_keys`] of what was
/// seen; `None`: never seen, so it is new).
pub fn events_since(known: Option<&BTreeSet<String>>, after: &Incident) -> Vec<Event> {
    let Some(known) = known else {
        return vec![Event {
            kind: EventKind::New,
            key: "new".into(),
            summary: format!("new incident: {}", after.title),
        }];
    };
    facts(after)
        .into_iter()
        .filter(|e| !known.contains(&e.key))
        .collect()
}

/// Every development, figure and force of `incident`, each as the development event it was
/// (or would be) when it appeared.
pub fn facts(incident: &Incident) -> Vec<Event> {
    let mut out = Vec::new();
    for d in &incident.timeline {
        let amount = match (d.amount_minor, d.currency.as_deref()) {
            (Some(minor), Some(cur)) => format!(" of {} {cur}", money(minor)),
            (Some(minor), None) => format!(" of {}", money(minor)),
            _ => String::new(),
        };
        out.push(Event {
            kind: EventKind::Development,
            key: format!("development:{}:{}", d.kind.id(), d.url),
            summary: format!("{}{amount}", d.kind.id().replace('_', " ")),
        });
    }
    for f in &incident.figures {
        out.push(Event {
            kind: EventKind::Development,
            key: format!("figure:{}:{}:{}", f.count, f.unit.id(), f.url),
            summary: format!("new figure: {} {}", f.count, f.unit.id()),
        });
    }
    for (i, force) in incident.forces.iter().enumerate() {
        let name = incident.force_names.get(i).unwrap_or(force);
        out.push(Event {
            kind: EventKind::Development,
            key: format!("force:{force}"),
            summary: format!("now also at {name}"),
        });
    }
    // Two sources may report the same development: one event.
    let mut seen = BTreeSet::new();
    out.retain(|e| seen.insert(e.key.clone()));
    out
}

/// The stable id of one event for one alert, sent as the `Idempotency-Key` header and the
/// JSON body's `event_id`: the same (alert, incident, event key) always gives the same id,
/// so a receiver can drop a repeat.
pub fn event_id(alert: &str, incident: &str, key: &str) -> String {
    let mut h = Sha256::new();
    for part in [alert, incident, key] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    format!("bw-{}", hex::encode(&h.finalize()[..16]))
}

/// The dashboard page of incident `id` under `base` (`https://bw.example`, no trailing `/`).
pub fn incident_page(base: &str, id: &str) -> String {
    let mut segment = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            segment.push(b as char);
        } else {
            segment.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{base}/incidents/{segment}")
}

/// `123456` minor units as `1,234.56`.
fn money(minor: u64) -> String {
    let units = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match minor % 100 {
        0 => grouped,
        cents => format!("{grouped}.{cents:02}"),
    }
}

impl AlertRule {
    /// Whether the alert is for this event of this incident.
    pub fn wants(&self, incident: &Incident, event: &Event) -> bool {
        self.events.contains(&event.kind)
            && (self.forces.is_empty() || incident.forces.iter().any(|f| self.forces.contains(f)))
            && (self.data_types.is_empty()
                || incident
                    .data_types
                    .iter()
                    .any(|t| self.data_types.contains(t)))
            && self
                .min_affected
                .is_none_or(|min| incident.affected.as_ref().is_some_and(|a| a.count >= min))
    }

    /// The body of one event's POST: the incident as `incidents --format json` lists it,
    /// `page`, its dashboard page, and (JSON only) the event's [`event_id`].
    pub fn body(&self, incident: &IncidentView, event: &Event, page: &str, id: &str) -> Json {
        match self.format {
            Format::Json => serde_json::json!({
                "alert": self.id,
                "event": event.kind.id(),
                "incident": incident,
                "url": page,
                "summary": event.summary,
                "event_id": id,
            }),
            Format::Slack => {
                serde_json::json!({ "text": chat_line(incident, &event.summary, page) })
            }
        }
    }

    /// The body of a digest of `items`, oldest first; `day` names the day they are of.
    pub fn digest_body(&self, day: &str, items: &[DigestItem]) -> Json {
        let lines: Vec<String> = items
            .iter()
            .map(|i| format!("• {}", chat_line(&i.incident, &i.summary, &i.page)))
            .collect();
        let text = format!(
            "breachwatch, {day}: {} event{}\n{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" },
            lines.join("\n")
        );
        match self.format {
            Format::Slack => serde_json::json!({ "text": text }),
            Format::Json => serde_json::json!({
                "alert": self.id,
                "event": "digest",
                "day": day,
                "text": text,
                "events": items.iter().map(|i| serde_json::json!({
                    "event": i.kind.id(),
                    "summary": i.summary,
                    "incident": i.incident,
                    "url": i.page,
                    "event_id": i.event_id,
                })).collect::<Vec<_>>(),
            }),
        }
    }
}

/// One event waiting for its alert's daily digest: what the digest's line and JSON need,
/// kept as it was when the event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestItem {
    /// New or development.
    pub kind: EventKind,
    /// What happened, in words.
    pub summary: String,
    /// The incident as it then was.
    pub incident: IncidentView,
    /// Its dashboard page.
    pub page: String,
    /// The event's [`event_id`].
    pub event_id: String,
}

/// One line for a chat message: the forces, what happened, the headline and the link. The
/// text of articles is hostile: `<`, `>` and `&` are escaped the way Slack and Mattermost
/// read them, so a headline cannot make a link or mention anyone.
pub fn chat_line(incident: &IncidentView, summary: &str, page: &str) -> String {
    let forces = incident.force_names.join(", ");
    let figure = incident
        .affected
        .as_ref()
        .map(|a| format!(" ({} {})", a.count, a.unit.id()))
        .unwrap_or_default();
    format!(
        "{}: {}{} — {} <{}>",
        chat_escape(&forces),
        chat_escape(summary),
        figure,
        chat_escape(&incident.title),
        page
    )
}

fn chat_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// How long to wait before the `attempt`-th retry (1-based) of a failed delivery: 30 s
/// doubling, at most an hour. Deliveries are retried until they succeed.
pub fn retry_delay(attempt: u32) -> Duration {
    retry_delay_from(Duration::from_secs(30), attempt)
}

/// [`retry_delay`] with another first delay (tests shorten it): `first` doubling, at most
/// an hour.
pub fn retry_delay_from(first: Duration, attempt: u32) -> Duration {
    const CAP: Duration = Duration::from_secs(3600);
    first
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
        .min(CAP)
}

#[cfg(test)]
mod tests;
