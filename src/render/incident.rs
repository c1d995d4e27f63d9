//! Incidents for the terminal and as CSV: `incidents` (a table, or one CSV row each) and
//! `show` (the whole incident, or its sources as CSV).

use std::io::Write;

use crate::export::csv_text;
use crate::model::{Affected, Incident, Qualifier};
use crate::query::IncidentView;

use super::{id_of, joined_ids, terminal_text, truncate};

/// The best figure, short: `~1200 people`, `>=30 records`, or `-`.
fn affected_text(affected: Option<&Affected>) -> String {
    match affected {
        None => "-".into(),
        Some(affected) => {
            let qualifier = match affected.qualifier {
                Qualifier::Exact => "",
                Qualifier::Approx => "~",
                Qualifier::AtLeast => ">=",
                Qualifier::AtMost => "<=",
            };
            format!("{qualifier}{} {}", affected.count, id_of(&affected.unit))
        }
    }
}

/// An aligned table of incidents.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn incidents_table(out: &mut impl Write, views: &[IncidentView]) -> std::io::Result<()> {
    let rows: Vec<[String; 7]> = views
        .iter()
        .map(|view| {
            [
                view.first_reported.format("%Y-%m-%d").to_string(),
                terminal_text(&view.id),
                truncate(&terminal_text(&view.forces.join(", ")), 28),
                view.cause.id().to_string(),
                terminal_text(&affected_text(view.affected.as_ref())),
                view.sources.len().to_string(),
                truncate(&terminal_text(&joined_ids(&view.data_types)), 60),
            ]
        })
        .collect();
    let head = [
        "first reported",
        "id",
        "forces",
        "cause",
        "affected",
        "sources",
        "data exposed",
    ];
    let mut widths = head.map(|h| h.chars().count());
    for row in &rows {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(column, cell)| format!("{cell:<width$}", width = widths[column]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(&head.map(String::from)))?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(out, "{} incident(s)", views.len())
}

/// Incidents as CSV, one row each; lists are `;`-separated. Every cell goes through
/// [`csv_text`] (see [`crate::export`]).
///
/// # Errors
///
/// When `out` cannot be written.
pub fn incidents_csv(out: &mut impl Write, views: &[IncidentView]) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "id",
        "first_reported",
        "occurred",
        "forces",
        "data_types",
        "not_exposed",
        "affected_count",
        "affected_qualifier",
        "affected_unit",
        "cause",
        "third_party",
        "sources",
        "source_urls",
        "title",
    ])?;
    for view in views {
        let (count, qualifier, unit) = match &view.affected {
            Some(affected) => (
                affected.count.to_string(),
                id_of(&affected.qualifier),
                id_of(&affected.unit),
            ),
            None => Default::default(),
        };
        let record = [
            view.id.clone(),
            view.first_reported.to_rfc3339(),
            view.occurred.map(|o| o.to_string()).unwrap_or_default(),
            view.forces.join(";"),
            joined_ids(&view.data_types).replace(", ", ";"),
            joined_ids(&view.not_exposed).replace(", ", ";"),
            count,
            qualifier,
            unit,
            view.cause.id().to_string(),
            view.third_party.map(|b| b.to_string()).unwrap_or_default(),
            view.sources.len().to_string(),
            view.sources
                .iter()
                .map(|s| s.url.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            view.title.clone(),
        ];
        writer.write_record(record.iter().map(|cell| csv_text(cell).into_owned()))?;
    }
    writer.flush()?;
    Ok(())
}

/// A date as `YYYY-MM-DD`, or `undated`.
fn day_or_undated(date: Option<chrono::DateTime<chrono::FixedOffset>>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "undated".into())
}

/// One incident for a person: facts, sources oldest first, timeline, conflicts, evidence.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn incident_text(out: &mut impl Write, incident: &Incident) -> std::io::Result<()> {
    writeln!(
        out,
        "{}\n{}",
        terminal_text(&incident.id),
        terminal_text(&incident.title)
    )?;
    writeln!(
        out,
        "forces:          {}",
        terminal_text(&incident.force_names.join(", "))
    )?;
    writeln!(
        out,
        "first reported:  {}",
        incident.first_reported.to_rfc3339()
    )?;
    writeln!(
        out,
        "occurred:        {}",
        incident
            .occurred
            .map(|o| o.to_string())
            .unwrap_or_else(|| "not stated".into())
    )?;
    let at_supplier = match incident.third_party {
        Some(true) => format!(
            " (at a supplier{})",
            incident
                .supplier
                .as_ref()
                .map(|s| format!(": {}", terminal_text(s)))
                .unwrap_or_default()
        ),
        _ => String::new(),
    };
    writeln!(out, "cause:           {}{at_supplier}", incident.cause.id())?;
    writeln!(
        out,
        "affected:        {}",
        terminal_text(&affected_text(incident.affected.as_ref()))
    )?;
    writeln!(out, "data exposed:    {}", joined_ids(&incident.data_types))?;
    writeln!(
        out,
        "not exposed:     {}",
        joined_ids(&incident.not_exposed)
    )?;
    writeln!(out, "\nsources ({}), oldest first:", incident.sources.len())?;
    for s in &incident.sources {
        writeln!(
            out,
            "  {}  {}  [{}]\n              {}",
            day_or_undated(s.published),
            terminal_text(&s.title),
            terminal_text(&s.outlet),
            terminal_text(&s.url)
        )?;
    }
    if !incident.related.is_empty() {
        writeln!(out, "\nrelated incidents at other forces:")?;
        for related in &incident.related {
            writeln!(
                out,
                "  {}  {}  ({})",
                related.first_reported.format("%Y-%m-%d"),
                terminal_text(&related.id),
                terminal_text(&related.why)
            )?;
        }
    }
    if !incident.timeline.is_empty() {
        writeln!(out, "\ntimeline:")?;
        for development in &incident.timeline {
            let amount = match (development.amount_minor, &development.currency) {
                (Some(minor), Some(currency)) => {
                    format!(" {} {:.2}", terminal_text(currency), minor as f64 / 100.0)
                }
                _ => String::new(),
            };
            writeln!(
                out,
                "  {}  {}{amount}: {}",
                day_or_undated(development.date),
                id_of(&development.kind),
                terminal_text(&development.sentence)
            )?;
        }
    }
    if incident.figures.len() > 1 {
        writeln!(out, "\nfigures claimed (best first):")?;
        for figure in &incident.figures {
            writeln!(
                out,
                "  {} {} ({}) — {}",
                figure.count,
                id_of(&figure.unit),
                id_of(&figure.qualifier),
                terminal_text(&figure.url)
            )?;
        }
    }
    if !incident.conflicts.is_empty() {
        writeln!(out, "\nsources disagree:")?;
        for conflict in &incident.conflicts {
            writeln!(out, "  {}", terminal_text(conflict))?;
        }
    }
    if !incident.evidence.is_empty() {
        writeln!(out, "\nwhy (the sentences each fact came from):")?;
        for evidence in &incident.evidence {
            writeln!(
                out,
                "  {}={}: \"{}\"",
                terminal_text(&evidence.field),
                terminal_text(&evidence.value),
                terminal_text(&evidence.sentence)
            )?;
        }
    }
    Ok(())
}

/// `show --format csv`: the incident's sources, one row each, oldest first, with the incident
/// id on every row (`incidents --format csv` has the incident itself as one row). Every cell
/// goes through [`csv_text`].
///
/// # Errors
///
/// When `out` cannot be written.
pub fn sources_csv(out: &mut impl Write, incident: &Incident) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["incident_id", "published", "outlet", "title", "url"])?;
    for source in &incident.sources {
        let record = [
            incident.id.clone(),
            source.published.map(|p| p.to_rfc3339()).unwrap_or_default(),
            source.outlet.clone(),
            source.title.clone(),
            source.url.clone(),
        ];
        writer.write_record(record.iter().map(|cell| csv_text(cell).into_owned()))?;
    }
    writer.flush()?;
    Ok(())
}
