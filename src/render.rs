//! Terminal tables and CSV for the CLI.
//!
//! Titles, outlets, URLs, sentences and force names come from articles on the web (or, for
//! `incidents`/`show` against a running service, from its JSON): they are untrusted. Every
//! piece of such text goes through [`terminal_text`] before it reaches a terminal, so an
//! article cannot move the cursor, retitle the window, hide text or reorder it with bidi
//! overrides. CSV cells go through [`crate::export::csv_text`] instead (formula injection).

use std::io::Write;

use crate::export::csv_text;
use crate::model::Incident;
use crate::query::IncidentView;

/// `s` made safe to print on a terminal, as one line.
///
/// Removed: escape sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`, DCS/SOS/PM/APC
/// strings up to ST, and two-character `ESC x` sequences), their 8-bit C1 forms (U+009B CSI,
/// U+009D OSC, U+0090/U+0098/U+009E/U+009F strings), every other C0/C1 control and DEL,
/// and the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F,
/// U+202A–U+202E, U+2066–U+2069). Tabs, newlines, carriage returns, vertical tabs and form
/// feeds become one space per run; the result is trimmed.
pub fn terminal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // Whether the last character written stands for a line break or tab: spaces next to it
    // join it.
    let mut in_break = false;
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                in_break = true;
                continue;
            }
            ' ' if in_break => continue,
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // Other escape sequences (`ESC 7`, `ESC c`, `ESC ( B`): intermediates, final.
                Some('\u{20}'..='\u{7e}') => {
                    while chars
                        .next_if(|c| matches!(c, '\u{20}'..='\u{2f}'))
                        .is_some()
                    {}
                    chars.next_if(|c| matches!(c, '\u{30}'..='\u{7e}'));
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_invisible_control(c) => {}
            c => out.push(c),
        }
        in_break = false;
    }
    out.trim().to_string()
}

/// C0 and C1 controls, DEL, and the bidi formatting characters.
fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Skips the rest of a control sequence: parameter and intermediate bytes, then the final
/// byte (`@` to `~`). Stops early at anything else, which is left to the caller's loop.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{20}'..='\u{3f}' => {
                chars.next();
            }
            '\u{40}'..='\u{7e}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// Skips a control string (OSC, DCS, SOS, PM, APC) up to and including its terminator:
/// BEL, ST (`ESC \` or U+009C). An unterminated string runs to the end of the text.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

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
                crate::model::Qualifier::Exact => "",
                crate::model::Qualifier::Approx => "~",
                crate::model::Qualifier::AtLeast => ">=",
                crate::model::Qualifier::AtMost => "<=",
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
                terminal_text(&i.id),
                truncate(&terminal_text(&i.forces.join(", ")), 28),
                i.cause.id().to_string(),
                terminal_text(&affected(i)),
                i.sources.len().to_string(),
                truncate(&terminal_text(&ids(&i.data_types)), 60),
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

/// Incidents as CSV, one row each; lists are `;`-separated. Every cell goes through
/// [`csv_text`] (see [`crate::export`]).
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
        let record = [
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
        ];
        w.write_record(record.iter().map(|cell| csv_text(cell).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// One incident for a person: facts, sources oldest first, timeline, conflicts, evidence.
pub fn incident_text(out: &mut impl Write, i: &Incident) -> std::io::Result<()> {
    let t = terminal_text;
    let v = IncidentView::from(i);
    writeln!(out, "{}\n{}", t(&i.id), t(&i.title))?;
    writeln!(out, "forces:          {}", t(&i.force_names.join(", ")))?;
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
                    .map(|s| format!(": {}", t(s)))
                    .unwrap_or_default()
            ),
            _ => String::new(),
        }
    )?;
    writeln!(out, "affected:        {}", t(&affected(&v)))?;
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
            t(&s.title),
            t(&s.outlet),
            t(&s.url)
        )?;
    }
    if !i.related.is_empty() {
        writeln!(out, "\nrelated incidents at other forces:")?;
        for r in &i.related {
            writeln!(
                out,
                "  {}  {}  ({})",
                r.first_reported.format("%Y-%m-%d"),
                t(&r.id),
                t(&r.why)
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
                (Some(a), Some(c)) => format!(" {} {:.2}", t(c), a as f64 / 100.0),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {when}  {}{amount}: {}",
                ids(std::slice::from_ref(&d.kind)),
                t(&d.sentence)
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
                t(&f.url)
            )?;
        }
    }
    if !i.conflicts.is_empty() {
        writeln!(out, "\nsources disagree:")?;
        for c in &i.conflicts {
            writeln!(out, "  {}", t(c))?;
        }
    }
    if !i.evidence.is_empty() {
        writeln!(out, "\nwhy (the sentences each fact came from):")?;
        for e in &i.evidence {
            writeln!(
                out,
                "  {}={}: \"{}\"",
                t(&e.field),
                t(&e.value),
                t(&e.sentence)
            )?;
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
                terminal_text(&r.period),
                terminal_text(&r.key),
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

/// Trend rows as CSV; the key and period cells are guarded with [`csv_text`].
pub fn trends_csv(out: &mut impl Write, rows: &[crate::query::TrendRow]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        w.serialize(crate::query::TrendRow {
            key: csv_text(&r.key).into_owned(),
            period: csv_text(&r.period).into_owned(),
            ..r.clone()
        })?;
    }
    w.flush()?;
    Ok(())
}

/// `show --format csv`: the incident's sources, one row each, oldest first, with the incident
/// id on every row (`incidents --format csv` has the incident itself as one row). Every cell
/// goes through [`csv_text`].
pub fn sources_csv(out: &mut impl Write, i: &Incident) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["incident_id", "published", "outlet", "title", "url"])?;
    for s in &i.sources {
        let record = [
            i.id.clone(),
            s.published.map(|p| p.to_rfc3339()).unwrap_or_default(),
            s.outlet.clone(),
            s.title.clone(),
            s.url.clone(),
        ];
        w.write_record(record.iter().map(|cell| csv_text(cell).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole_and_line_breaks_become_one_space() {
        for (hostile, shown) in [
            ("a\u{1b}[2Jb", "ab"),
            ("a\u{1b}[38;5;196mred\u{1b}[0m", "ared"),
            ("title\u{1b}]0;owned\u{7} rest", "title rest"),
            (
                "link \u{1b}]8;;https://x.example\u{1b}\\here\u{1b}]8;;\u{1b}\\",
                "link here",
            ),
            ("a\u{9b}31mb\u{9d}0;t\u{9c}c", "abc"),
            ("a\u{1b}(Bb\u{1b}7c", "abc"),
            ("one\r\ntwo\tthree\n\n four", "one two three four"),
            ("x\u{202e}evil\u{202c}y\u{2066}z\u{200f}", "xevilyz"),
            ("bell\u{7}del\u{7f}nul\u{0}c1\u{85}", "belldelnulc1"),
            ("  Ünïcode stays  ", "Ünïcode stays"),
            ("unterminated \u{1b}]0;title", "unterminated"),
            ("trailing escape \u{1b}", "trailing escape"),
        ] {
            assert_eq!(terminal_text(hostile), shown, "{hostile:?}");
        }
    }
}
