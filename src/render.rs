//! Terminal tables and CSV for the CLI.

use std::io::Write;

use crate::model::Incident;
use crate::query::IncidentView;

fn ids<T: serde::Serialize>(v: &[T]) -> String {
    v.iter()
        .map(|x| {
            serde_json::to_value(x)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn affected(i: &IncidentView) -> String {
    match &i.affected {
        None => "-".into(),
        Some(a) => {
            let q = match a.qualifier {
                crate::extract::Qualifier::Exact => "",
                crate::extract::Qualifier::Approx => "~",
                crate::extract::Qualifier::AtLeast => ">=",
                crate::extract::Qualifier::AtMost => "<=",
            };
            format!("{q}{} {}", a.count, ids(std::slice::from_ref(&a.unit)))
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// An aligned table of incidents.
pub fn incidents_table(out: &mut impl Write, views: &[IncidentView]) -> std::io::Result<()> {
    let rows: Vec<[String; 7]> = views
        .iter()
        .map(|i| {
            [
                i.first_reported.format("%Y-%m-%d").to_string(),
                i.id.clone(),
                truncate(&i.forces.join(", "), 28),
                i.cause.id().to_string(),
                affected(i),
                i.sources.len().to_string(),
                truncate(&ids(&i.data_types), 60),
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
    let mut w = head.map(|h| h.chars().count());
    for r in &rows {
        for (k, c) in r.iter().enumerate() {
            w[k] = w[k].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(k, c)| format!("{c:<width$}", width = w[k]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(&head.map(String::from)))?;
    for r in &rows {
        writeln!(out, "{}", line(r))?;
    }
    writeln!(out, "{} incident(s)", views.len())
}

/// Incidents as CSV, one row each; lists are `;`-separated.
pub fn incidents_csv(out: &mut impl Write, views: &[IncidentView]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
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
    for i in views {
        let (c, q, u) = match &i.affected {
            Some(a) => (
                a.count.to_string(),
                ids(std::slice::from_ref(&a.qualifier)),
                ids(std::slice::from_ref(&a.unit)),
            ),
            None => Default::default(),
        };
        w.write_record([
            i.id.clone(),
            i.first_reported.to_rfc3339(),
            i.occurred.map(|o| o.to_string()).unwrap_or_default(),
            i.forces.join(";"),
            ids(&i.data_types).replace(", ", ";"),
            ids(&i.not_exposed).replace(", ", ";"),
            c,
            q,
            u,
            i.cause.id().to_string(),
            i.third_party.map(|b| b.to_string()).unwrap_or_default(),
            i.sources.len().to_string(),
            i.sources
                .iter()
                .map(|s| s.url.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            i.title.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// One incident for a person: facts, sources oldest first, timeline, conflicts, evidence.
pub fn incident_text(out: &mut impl Write, i: &Incident) -> std::io::Result<()> {
    let v = IncidentView::from(i);
    writeln!(out, "{}\n{}", i.id, i.title)?;
    writeln!(out, "forces:          {}", i.force_names.join(", "))?;
    writeln!(out, "first reported:  {}", i.first_reported.to_rfc3339())?;
    writeln!(
        out,
        "occurred:        {}",
        i.occurred
            .map(|o| o.to_string())
            .unwrap_or_else(|| "not stated".into())
    )?;
    writeln!(
        out,
        "cause:           {}{}",
        i.cause.id(),
        match i.third_party {
            Some(true) => format!(
                " (at a supplier{})",
                i.supplier
                    .as_ref()
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default()
            ),
            _ => String::new(),
        }
    )?;
    writeln!(out, "affected:        {}", affected(&v))?;
    writeln!(out, "data exposed:    {}", ids(&i.data_types))?;
    writeln!(out, "not exposed:     {}", ids(&i.not_exposed))?;
    writeln!(out, "\nsources ({}), oldest first:", i.sources.len())?;
    for s in &i.sources {
        let when = s
            .published
            .map(|p| p.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "undated".into());
        writeln!(
            out,
            "  {when}  {}  [{}]\n              {}",
            s.title, s.outlet, s.url
        )?;
    }
    if !i.related.is_empty() {
        writeln!(out, "\nrelated incidents at other forces:")?;
        for r in &i.related {
            writeln!(
                out,
                "  {}  {}  ({})",
                r.first_reported.format("%Y-%m-%d"),
                r.id,
                r.why
            )?;
        }
    }
    if !i.timeline.is_empty() {
        writeln!(out, "\ntimeline:")?;
        for d in &i.timeline {
            let when = d
                .date
                .map(|p| p.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "undated".into());
            let amount = match (d.amount_minor, &d.currency) {
                (Some(a), Some(c)) => format!(" {c} {:.2}", a as f64 / 100.0),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {when}  {}{amount}: {}",
                ids(std::slice::from_ref(&d.kind)),
                d.sentence
            )?;
        }
    }
    if i.figures.len() > 1 {
        writeln!(out, "\nfigures claimed (best first):")?;
        for f in &i.figures {
            writeln!(
                out,
                "  {} {} ({}) — {}",
                f.count,
                ids(std::slice::from_ref(&f.unit)),
                ids(std::slice::from_ref(&f.qualifier)),
                f.url
            )?;
        }
    }
    if !i.conflicts.is_empty() {
        writeln!(out, "\nsources disagree:")?;
        for c in &i.conflicts {
            writeln!(out, "  {c}")?;
        }
    }
    if !i.evidence.is_empty() {
        writeln!(out, "\nwhy (the sentences each fact came from):")?;
        for e in &i.evidence {
            writeln!(out, "  {}={}: \"{}\"", e.field, e.value, e.sentence)?;
        }
    }
    Ok(())
}

/// Trend rows as an aligned table with a totals row.
pub fn trends_table(
    out: &mut impl Write,
    rows: &[crate::query::TrendRow],
    by: &str,
) -> std::io::Result<()> {
    let head = [
        "period",
        by,
        "incidents",
        "people affected",
        "without a figure",
    ];
    let mut cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.period.clone(),
                r.key.clone(),
                r.incidents.to_string(),
                r.people_affected.to_string(),
                r.incidents_without_count.to_string(),
            ]
        })
        .collect();
    cells.push([
        "total".into(),
        String::new(),
        rows.iter().map(|r| r.incidents).sum::<u64>().to_string(),
        rows.iter()
            .map(|r| r.people_affected)
            .sum::<u64>()
            .to_string(),
        rows.iter()
            .map(|r| r.incidents_without_count)
            .sum::<u64>()
            .to_string(),
    ]);
    let mut w = head.map(str::len);
    for r in &cells {
        for (k, c) in r.iter().enumerate() {
            w[k] = w[k].max(c.chars().count());
        }
    }
    let fmt = |r: &[String]| {
        r.iter()
            .enumerate()
            .map(|(k, c)| {
                if k >= 2 {
                    format!("{c:>width$}", width = w[k])
                } else {
                    format!("{c:<width$}", width = w[k])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", fmt(&head.map(String::from)))?;
    for (i, r) in cells.iter().enumerate() {
        if i + 1 == cells.len() {
            writeln!(out, "{}", "-".repeat(w.iter().sum::<usize>() + 8))?;
        }
        writeln!(out, "{}", fmt(r))?;
    }
    writeln!(out, "(an incident with several forces or types counts once under each; people affected sums only incidents with a figure)")
}

/// Trend rows as CSV.
pub fn trends_csv(out: &mut impl Write, rows: &[crate::query::TrendRow]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        w.serialize(r)?;
    }
    w.flush()?;
    Ok(())
}
