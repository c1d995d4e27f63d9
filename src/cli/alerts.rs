//! `breachwatch alerts test ID`: sends a made-up event to one configured alert's receiver,
//! as the service would (same body, same headers), and says what the receiver answered. No
//! database is needed, so it works while `run` holds it. Nothing is recorded.

use std::io::Write;

use anyhow::{anyhow, bail, Context as _, Result};
use chrono::Utc;
use clap::Subcommand;

use crate::alert::{self, Digest, DigestItem, Event, EventKind};
use crate::model::{Affected, Cause, DataType, Incident, Qualifier, SourceRef, Unit};
use crate::notify::{self, Options, Sender};
use crate::query::IncidentView;

use super::Context;

/// What `alerts` does.
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Send a sample event to the alert's url and report the answer (a digest alert gets a
    /// one-line sample digest).
    Test {
        /// The alert's `id` in the config.
        id: String,
    },
}

/// Runs an `alerts` subcommand.
///
/// # Errors
///
/// When the alert is not configured, or the receiver does not answer with a 2xx.
pub(super) fn run(context: &Context, command: AlertsCommand, out: &mut impl Write) -> Result<()> {
    match command {
        AlertsCommand::Test { id } => test(context, &id, out),
    }
}

fn test(context: &Context, id: &str, out: &mut impl Write) -> Result<()> {
    let config = &context.config;
    let rule = config.alerts.iter().find(|a| a.id == id).ok_or_else(|| {
        let known: Vec<&str> = config.alerts.iter().map(|a| a.id.as_str()).collect();
        anyhow!(
            "no alert {id:?} in {} (configured: {})",
            context.config_path.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )
    })?;
    let incident = sample_incident();
    let event = Event {
        kind: EventKind::New,
        key: "new".into(),
        summary: format!("test message from breachwatch: {}", incident.title),
    };
    let page = alert::incident_page(&notify::link_base(&config.settings), &incident.id);
    // A fresh id each time: a receiver that drops repeats must not drop the next test.
    let event_id = alert::event_id(&rule.id, &incident.id, &Utc::now().to_rfc3339());
    let view = IncidentView::from(&incident);
    let body = match rule.digest {
        Digest::Off => rule.body(&view, &event, &page, &event_id),
        Digest::Daily => rule.digest_body(
            &format!("{} (test)", Utc::now().format("%Y-%m-%d")),
            &[DigestItem {
                kind: event.kind,
                summary: event.summary.clone(),
                incident: view,
                page,
                event_id: event_id.clone(),
            }],
        ),
    };
    let options = Options::default();
    let sender = Sender::new(&config.settings, options.timeout)?;
    let answer = super::run::runtime()?.block_on(sender.post(&rule.url, &event_id, &body));
    let status = answer
        .status
        .map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}"));
    writeln!(out, "alert {}: POST {} -> {status}", rule.id, rule.url)?;
    if !answer.body.trim().is_empty() {
        writeln!(out, "answer: {}", answer.body.trim())?;
    }
    if let Some(error) = answer.error {
        bail!("alert {} was not delivered: {error}", rule.id);
    }
    writeln!(out, "delivered (Idempotency-Key {event_id})").context("writing the result")?;
    Ok(())
}

/// An incident that never happened, plainly labelled as a test.
fn sample_incident() -> Incident {
    let now = Utc::now().fixed_offset();
    Incident {
        id: "test-0000-00-000000".into(),
        title: "breachwatch test alert (no such incident)".into(),
        forces: vec!["kent".into()],
        force_names: vec!["Kent Police".into()],
        data_types: vec![DataType::Name, DataType::Rank],
        not_exposed: Vec::new(),
        affected: Some(Affected {
            count: 100,
            qualifier: Qualifier::Approx,
            unit: Unit::People,
        }),
        cause: Cause::AccidentalDisclosure,
        third_party: Some(false),
        supplier: None,
        first_reported: now,
        last_reported: now,
        occurred: None,
        sources: vec![SourceRef {
            url: "https://breachwatch.invalid/test".into(),
            canonical_url: None,
            title: "breachwatch test alert (no such incident)".into(),
            published: Some(now),
            outlet: "breachwatch".into(),
            article_key: "test".into(),
        }],
        figures: Vec::new(),
        evidence: Vec::new(),
        timeline: Vec::new(),
        conflicts: Vec::new(),
        members: Vec::new(),
        related: Vec::new(),
        opens_late: false,
        member_causes: Vec::new(),
        member_types: Vec::new(),
    }
}
