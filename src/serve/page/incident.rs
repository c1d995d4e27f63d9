//! One incident's page (`/incidents/{id}`): its facts, sources oldest first, related
//! incidents, timeline, figures, conflicts and evidence, for `templates/incident.html`; the
//! facts an analyst set, the corrections, and the correction forms (shown only once the
//! browser has been given the admin token: see `incident.js`).

use askama::Template;

use crate::correction::Field;
use crate::model::{Affected, Incident};
use crate::query::IncidentDetail;

use super::{affected_text, day_or, filters, force_links, render_page, thousands, ForceLink, Link};

/// One incident, for `templates/incident.html`.
#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage<'a> {
    title: &'a str,
    active: &'a str,
    incident: &'a Incident,
    forces: Vec<ForceLink>,
    affected: String,
    third_party: String,
    sources: Vec<SourceRow<'a>>,
    timeline: Vec<TimelineItem<'a>>,
    figures: Vec<FigureRow<'a>>,
    evidence: Vec<EvidenceRow<'a>>,
    /// Whether an analyst dismissed it.
    dismissed: bool,
    /// The facts an analyst set, by field id.
    corrected: Vec<&'static str>,
    /// The corrections, oldest first.
    corrections: Vec<CorrectionRow>,
    /// The field ids the correction form offers.
    fields: Vec<&'static str>,
    /// The page's script (a constant of this crate, never data).
    script: &'static str,
}

/// The correction forms' script: token in `sessionStorage`, sent as the bearer header.
const SCRIPT: &str = include_str!("incident.js");

/// A correction as the page lists it.
struct CorrectionRow {
    when: String,
    what: String,
    reason: String,
}

/// A source in the table of sources.
struct SourceRow<'a> {
    published: String,
    outlet: &'a str,
    headline: Link,
}

/// A later development, with the sentence that reports it.
struct TimelineItem<'a> {
    kind: String,
    /// A fine or payout, with its currency.
    amount: Option<String>,
    date: String,
    source: Link,
    sentence: &'a str,
}

/// A figure a source claims.
struct FigureRow<'a> {
    claim: String,
    published: String,
    source: Link,
    sentence: &'a str,
}

/// A fact and the sentence it was read from.
struct EvidenceRow<'a> {
    field: &'a str,
    value: &'a str,
    sentence: &'a str,
    source: Link,
}

/// The outlet (else the headline) of the source at `url`, linking to it.
fn source_link(incident: &Incident, url: &str) -> Link {
    let text = incident
        .sources
        .iter()
        .find(|s| s.url == url || s.canonical_url.as_deref() == Some(url))
        .map(|s| {
            if s.outlet.is_empty() {
                s.title.clone()
            } else {
                s.outlet.clone()
            }
        })
        .unwrap_or_else(|| "source".into());
    Link::new(url, text)
}

/// An amount in minor units (pence, cents) with its currency: `£100,000`, `€10.50`.
fn money(minor: u64, currency: Option<&str>) -> String {
    let whole = thousands(minor / 100);
    let cents = minor % 100;
    let amount = if cents == 0 {
        whole
    } else {
        format!("{whole}.{cents:02}")
    };
    match currency {
        Some("GBP") => format!("£{amount}"),
        Some("EUR") => format!("€{amount}"),
        Some("USD") => format!("US${amount}"),
        Some(other) => format!("{amount} {other}"),
        None => amount,
    }
}

/// One incident: facts, sources oldest first, timeline, figures, conflicts and evidence, and
/// what analysts did to it.
pub fn incident_page(detail: &IncidentDetail) -> String {
    let incident = &detail.incident;
    let third_party = match (incident.third_party, incident.supplier.as_deref()) {
        (_, Some(s)) => format!("yes — {s}"),
        (Some(true), None) => "yes".into(),
        (Some(false), None) => "no".into(),
        (None, None) => "not stated".into(),
    };
    let mut sources: Vec<_> = incident.sources.iter().collect();
    sources.sort_by_key(|s| (s.published.is_none(), s.published));
    // Grouped by field, in the order the extractor gave them within each.
    let mut evidence: Vec<_> = incident.evidence.iter().collect();
    evidence.sort_by(|a, b| a.field.cmp(&b.field));
    let page = IncidentPage {
        title: &incident.title,
        active: "dashboard",
        incident,
        forces: force_links(incident),
        affected: incident
            .affected
            .as_ref()
            .map(affected_text)
            .unwrap_or_else(|| "not stated".into()),
        third_party,
        sources: sources
            .into_iter()
            .map(|s| SourceRow {
                published: day_or(s.published.as_ref(), "—"),
                outlet: &s.outlet,
                headline: Link::new(&s.url, s.title.clone()),
            })
            .collect(),
        timeline: incident
            .timeline
            .iter()
            .map(|development| TimelineItem {
                kind: split_camel(&format!("{:?}", development.kind)),
                amount: development
                    .amount_minor
                    .map(|minor| money(minor, development.currency.as_deref())),
                date: day_or(development.date.as_ref(), "undated"),
                source: source_link(incident, &development.url),
                sentence: &development.sentence,
            })
            .collect(),
        figures: incident
            .figures
            .iter()
            .map(|f| FigureRow {
                claim: affected_text(&Affected {
                    count: f.count,
                    qualifier: f.qualifier,
                    unit: f.unit,
                }),
                published: day_or(f.published.as_ref(), "—"),
                source: source_link(incident, &f.url),
                sentence: &f.sentence,
            })
            .collect(),
        evidence: evidence
            .into_iter()
            .map(|e| EvidenceRow {
                field: &e.field,
                value: &e.value,
                sentence: &e.sentence,
                source: source_link(incident, &e.url),
            })
            .collect(),
        dismissed: detail.dismissed,
        corrected: detail.corrected.iter().map(|f| f.id()).collect(),
        corrections: detail
            .corrections
            .iter()
            .map(|c| CorrectionRow {
                when: c.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                what: match (&c.field, &c.value) {
                    (Some(f), Some(v)) => match &c.replaced {
                        Some(was) => format!("set {} to {v} (was {was})", f.id()),
                        None => format!("set {} to {v}", f.id()),
                    },
                    _ => match &c.other {
                        Some(other) => format!("{} {other}", c.action),
                        None => c.action.clone(),
                    },
                },
                reason: c.reason.clone(),
            })
            .collect(),
        fields: Field::ids(),
        script: SCRIPT,
    };
    render_page(&page)
}

/// `RevisedCount` → `Revised count`.
fn split_camel(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_uppercase() && index > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_minor_units() {
        assert_eq!(money(10_000_000, Some("GBP")), "£100,000");
        assert_eq!(money(1_050, Some("EUR")), "€10.50");
        assert_eq!(money(5, None), "0.05");
    }

    #[test]
    fn development_kinds_read_as_words() {
        assert_eq!(split_camel("RevisedCount"), "Revised count");
        assert_eq!(split_camel("Fine"), "Fine");
    }
}
