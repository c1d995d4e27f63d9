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

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::model::{DataType, Incident};
use crate::query::IncidentView;

/// What kind of event an alert may ask for (`events = ["new", "development"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// An incident not seen before.
    New,
    /// A new development (fine, reprimand, arrest...), a new figure or a new force on an
    /// incident already seen.
    Development,
}

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
    let Some(before) = before else {
        return vec![Event {
            kind: EventKind::New,
            key: "new".into(),
            summary: format!("new incident: {}", after.title),
        }];
    };
    let mut out = Vec::new();
    for d in &after.timeline {
        let key = format!("development:{}:{}", d.kind.id(), d.url);
        let known = before
            .timeline
            .iter()
            .any(|b| b.kind == d.kind && b.url == d.url);
        if !known {
            let amount = match (d.amount_minor, d.currency.as_deref()) {
                (Some(minor), Some(cur)) => format!(" of {} {cur}", money(minor)),
                (Some(minor), None) => format!(" of {}", money(minor)),
                _ => String::new(),
            };
            out.push(Event {
                kind: EventKind::Development,
                key,
                summary: format!("{}{amount}", d.kind.id().replace('_', " ")),
            });
        }
    }
    for f in &after.figures {
        let known = before
            .figures
            .iter()
            .any(|b| b.count == f.count && b.unit == f.unit && b.url == f.url);
        if !known {
            out.push(Event {
                kind: EventKind::Development,
                key: format!("figure:{}:{}:{}", f.count, f.unit.id(), f.url),
                summary: format!("new figure: {} {}", f.count, f.unit.id()),
            });
        }
    }
    for (i, force) in after.forces.iter().enumerate() {
        if !before.forces.contains(force) {
            let name = after.force_names.get(i).unwrap_or(force);
            out.push(Event {
                kind: EventKind::Development,
                key: format!("force:{force}"),
                summary: format!("now also at {name}"),
            });
        }
    }
    out
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

/// How an alert's body is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{"alert", "event", "incident", "url"}` (the contract's body).
    #[default]
    Json,
    /// `{"text": ...}`, which Slack, Mattermost and Teams workflows accept.
    Slack,
}

fn all_events() -> Vec<EventKind> {
    vec![EventKind::New, EventKind::Development]
}

/// One `[[alert]]` of the config: where to send which events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Unique id, in the delivery records and `/metrics`.
    pub id: String,
    /// The receiver: a POST per event; a 2xx answer is delivery.
    pub url: String,
    /// The body's form.
    #[serde(default)]
    pub format: Format,
    /// Only incidents at one of these forces (none: every force).
    #[serde(default)]
    pub forces: Vec<String>,
    /// Only incidents that exposed one of these (none: any data).
    #[serde(default)]
    pub data_types: Vec<DataType>,
    /// Only incidents whose best figure is at least this.
    #[serde(default)]
    pub min_affected: Option<u64>,
    /// Which events.
    #[serde(default = "all_events")]
    pub events: Vec<EventKind>,
    /// One message a day listing the day's events, instead of one per event.
    #[serde(default)]
    pub digest: bool,
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
    /// and `page`, its dashboard page.
    pub fn body(&self, incident: &Incident, event: &Event, page: &str) -> Json {
        match self.format {
            Format::Json => serde_json::json!({
                "alert": self.id,
                "event": event.kind.id(),
                "incident": IncidentView::from(incident),
                "url": page,
                "summary": event.summary,
            }),
            Format::Slack => serde_json::json!({ "text": chat_line(incident, event, page) }),
        }
    }

    /// The body of a digest of `events` (incident, event, page), oldest first.
    pub fn digest_body(&self, day: &str, events: &[(&Incident, &Event, String)]) -> Json {
        let lines: Vec<String> = events
            .iter()
            .map(|(i, e, page)| format!("• {}", chat_line(i, e, page)))
            .collect();
        let text = format!(
            "breachwatch, {day}: {} event{}\n{}",
            events.len(),
            if events.len() == 1 { "" } else { "s" },
            lines.join("\n")
        );
        match self.format {
            Format::Slack => serde_json::json!({ "text": text }),
            Format::Json => serde_json::json!({
                "alert": self.id,
                "event": "digest",
                "day": day,
                "text": text,
                "events": events.iter().map(|(i, e, page)| serde_json::json!({
                    "event": e.kind.id(),
                    "summary": e.summary,
                    "incident": IncidentView::from(*i),
                    "url": page,
                })).collect::<Vec<_>>(),
            }),
        }
    }
}

/// One line for a chat message: the forces, what happened, the headline and the link. The
/// text of articles is hostile: `<`, `>` and `&` are escaped the way Slack and Mattermost
/// read them, so a headline cannot make a link or mention anyone.
pub fn chat_line(incident: &Incident, event: &Event, page: &str) -> String {
    let forces = incident.force_names.join(", ");
    let figure = incident
        .affected
        .as_ref()
        .map(|a| format!(" ({} {})", a.count, a.unit.id()))
        .unwrap_or_default();
    format!(
        "{}: {}{} — {} <{}>",
        chat_escape(&forces),
        chat_escape(&event.summary),
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
    const FIRST: u64 = 30;
    const CAP: u64 = 3600;
    let secs = FIRST.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
    Duration::from_secs(secs.min(CAP))
}

#[cfg(test)]
mod tests;
