//! Server-rendered HTML for the dashboard: the overview (`/`), an incident (`/incidents/{id}`),
//! source health (`/sources`) and error pages. Plain `format!` templates with inline CSS and
//! inline SVG: no scripts, no CDN, no external assets.
//!
//! Every string that came from an article or a feed goes through [`escape`] (text and
//! attribute values) or [`href`] (link targets, which also drops non-http(s) schemes).
//! Nothing here does I/O: handlers in `routes` gather the data and pass it in.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Utc};

use crate::extract::{Cause, DataType};
use crate::model::{Affected, Incident};
use crate::query::TrendRow;

use super::routes::{FilterParams, SourceHealth};

const CSS: &str = include_str!("style.css");

/// Escapes `&`, `<`, `>`, `"` and `'` so any text is safe inside HTML text and quoted
/// attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A link target for an article URL, escaped; anything but http(s) becomes `#` so a feed
/// cannot smuggle in `javascript:` links.
pub fn href(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        escape(url)
    } else {
        "#".to_string()
    }
}

/// A path segment (an incident or force id) percent-encoded for use in a link.
pub fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The best figure in words: `about 1,200 people`, `at least 30 records`.
pub fn affected_text(a: &Affected) -> String {
    use crate::extract::Qualifier;
    let prefix = match a.qualifier {
        Qualifier::Exact => "",
        Qualifier::Approx => "about ",
        Qualifier::AtLeast => "at least ",
        Qualifier::AtMost => "at most ",
    };
    format!("{prefix}{} {}", thousands(a.count), a.unit.id())
}

/// An id from the vocabularies as words: `home_address` → `home address`.
pub fn words(id: &str) -> String {
    id.replace(['_', '-'], " ")
}

fn day(t: &DateTime<FixedOffset>) -> String {
    t.format("%-d %b %Y").to_string()
}

fn utc_time(t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%-d %b %Y %H:%M UTC").to_string())
        .unwrap_or_else(|| "—".into())
}

/// The display names of an incident's forces (ids where names are missing).
pub fn force_labels(inc: &Incident) -> Vec<String> {
    inc.forces
        .iter()
        .enumerate()
        .map(|(i, id)| {
            inc.force_names
                .get(i)
                .filter(|n| !n.is_empty() && inc.force_names.len() == inc.forces.len())
                .cloned()
                .unwrap_or_else(|| id.clone())
        })
        .collect()
}

fn force_links(inc: &Incident) -> String {
    inc.forces
        .iter()
        .zip(force_labels(inc))
        .map(|(id, name)| format!(r#"<a href="/?force={}">{}</a>"#, segment(id), escape(&name)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_tags(types: &[DataType], class: &str) -> String {
    types
        .iter()
        .map(|t| format!(r#"<span class="tag{class}">{}</span>"#, words(t.id())))
        .collect()
}

/// Wraps a page body in the shared layout. `active` names the nav entry to highlight.
pub fn layout(title: &str, active: &str, body: &str) -> String {
    let nav = [
        ("dashboard", "/", "Dashboard"),
        ("sources", "/sources", "Source health"),
        ("feed", "/feeds/incidents.atom", "Atom feed"),
        ("api", "/api/incidents", "JSON API"),
    ]
    .iter()
    .map(|(key, url, label)| {
        let class = if *key == active {
            r#" class="active""#
        } else {
            ""
        };
        format!(r#"<a href="{url}"{class}>{label}</a>"#)
    })
    .collect::<String>();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title} · breachwatch</title>
<link rel="alternate" type="application/atom+xml" title="Police data breach incidents" href="/feeds/incidents.atom">
<style>{CSS}</style>
</head>
<body>
<header class="top"><div class="wrap"><a class="brand" href="/">breachwatch<span>police data breaches from the news</span></a><nav>{nav}</nav></div></header>
<main class="wrap">
{body}
</main>
<footer>breachwatch {version} · incidents are extracted automatically from news reports; check the quoted sentences before relying on a figure.</footer>
</body>
</html>
"#,
        title = escape(title),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// A horizontal bar chart of `(label, count)` rows as inline SVG (at most `max_rows` rows,
/// the largest first).
pub fn hbar_svg(title: &str, rows: &[(String, u64)], max_rows: usize) -> String {
    let mut rows: Vec<&(String, u64)> = rows.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.truncate(max_rows);
    if rows.is_empty() {
        return r#"<p class="empty">No incidents yet.</p>"#.to_string();
    }
    let (width, label_w, bar_w, row_h) = (320.0_f64, 138.0_f64, 140.0_f64, 24.0_f64);
    let height = row_h * rows.len() as f64 + 8.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{}" font-family="inherit" font-size="12">"#,
        escape(title)
    );
    let _ = write!(svg, "<title>{}</title>", escape(title));
    for (i, (label, count)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = (bar_w * (*count as f64) / max).max(2.0);
        let shown: String = if label.chars().count() > 19 {
            label.chars().take(18).collect::<String>() + "…"
        } else {
            label.clone()
        };
        let _ = write!(
            svg,
            r##"<g><title>{full}: {count}</title><text x="{lx}" y="{ty:.1}" text-anchor="end" fill="#33414f">{shown}</text><rect x="{label_w}" y="{ry:.1}" width="{w:.1}" height="{bh:.1}" rx="3" fill="#1f5f8b"/><text x="{cx:.1}" y="{ty:.1}" fill="#5b6b7b">{count}</text></g>"##,
            full = escape(label),
            shown = escape(&shown),
            lx = label_w - 8.0,
            ty = y + row_h / 2.0 + 4.0,
            ry = y + 4.0,
            bh = row_h - 8.0,
            cx = label_w + w + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Everything the overview page shows.
pub struct Dashboard<'a> {
    /// The incidents matching the filters, newest first (at most the shown number).
    pub incidents: &'a [Incident],
    /// How many matched before the page cut the list.
    pub matched: usize,
    /// All incidents in the store.
    pub total_incidents: usize,
    /// Trend rows by force over `time_period`, for the chart over time.
    pub over_time: &'a [TrendRow],
    /// Trend rows by cause over `time_period`: each incident counts once, for the table
    /// beside the chart.
    pub per_period: &'a [TrendRow],
    /// `year` or `quarter`.
    pub time_period: &'a str,
    /// Totals for the bar charts, over the whole period the filters allow.
    pub by_force: Vec<(String, u64)>,
    pub by_type: Vec<(String, u64)>,
    pub by_cause: Vec<(String, u64)>,
    /// Sum of the best figures of every incident that has one.
    pub people_affected: u64,
    /// Forces with incidents, `(id, name)`, for the filter menu.
    pub forces: Vec<(String, String)>,
    /// The filters as submitted, to fill the form again.
    pub params: &'a FilterParams,
    /// A filter that could not be understood.
    pub filter_error: Option<String>,
}

fn option(value: &str, label: &str, selected: Option<&str>) -> String {
    let sel = if selected == Some(value) {
        " selected"
    } else {
        ""
    };
    format!(
        r#"<option value="{}"{sel}>{}</option>"#,
        escape(value),
        escape(label)
    )
}

fn filter_form(d: &Dashboard<'_>) -> String {
    let p = d.params;
    let mut forces = option("", "All forces", p.force.as_deref());
    for (id, name) in &d.forces {
        forces.push_str(&option(id, name, p.force.as_deref()));
    }
    let mut types = option("", "All data types", p.data_type.as_deref());
    for t in DataType::ALL {
        types.push_str(&option(t.id(), &words(t.id()), p.data_type.as_deref()));
    }
    let mut causes = option("", "All causes", p.cause.as_deref());
    for c in Cause::ALL {
        causes.push_str(&option(c.id(), &words(c.id()), p.cause.as_deref()));
    }
    let val = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
    let error = d
        .filter_error
        .as_deref()
        .map(|e| format!(r#"<p class="err">{}</p>"#, escape(e)))
        .unwrap_or_default();
    format!(
        r#"<form class="filters" method="get" action="/">
<label>Force<select name="force">{forces}</select></label>
<label>Data exposed<select name="data_type">{types}</select></label>
<label>Cause<select name="cause">{causes}</select></label>
<label>Reported from<input type="date" name="since" value="{since}"></label>
<label>Reported until<input type="date" name="until" value="{until}"></label>
<label>Headline contains<input type="search" name="q" value="{q}" placeholder="e.g. spreadsheet"></label>
<div class="actions"><button type="submit">Filter</button><a class="reset" href="/">Reset</a></div>
</form>{error}"#,
        since = val(&p.since),
        until = val(&p.until),
        q = val(&p.q),
    )
}

/// The incident list as a table (or a note when nothing matches).
pub fn incident_table(incidents: &[Incident]) -> String {
    if incidents.is_empty() {
        return r#"<p class="empty">No incidents match these filters.</p>"#.to_string();
    }
    let mut rows = String::new();
    for inc in incidents {
        let supplier = inc
            .supplier
            .as_deref()
            .map(|s| format!(r#"<div class="sub">via supplier {}</div>"#, escape(s)))
            .unwrap_or_default();
        let affected = inc
            .affected
            .as_ref()
            .map(affected_text)
            .unwrap_or_else(|| "—".into());
        let _ = write!(
            rows,
            r#"<tr class="incident"><td class="date">{date}</td><td class="title"><a href="/incidents/{id}">{title}</a>{supplier}</td><td>{forces}</td><td>{types}</td><td class="num">{affected}</td><td><span class="tag cause">{cause}</span></td><td class="num">{sources}</td></tr>"#,
            date = day(&inc.first_reported),
            id = segment(&inc.id),
            title = escape(&inc.title),
            forces = force_links(inc),
            types = type_tags(&inc.data_types, ""),
            affected = escape(&affected),
            cause = words(inc.cause.id()),
            sources = inc.sources.len(),
        );
    }
    format!(
        r#"<table id="incidents"><thead><tr><th>First reported</th><th>Incident</th><th>Forces</th><th>Data exposed</th><th class="num">Affected</th><th>Cause</th><th class="num">Sources</th></tr></thead><tbody>{rows}</tbody></table>"#
    )
}

/// Incidents and people affected per period, from rows keyed by cause (so each incident
/// counts once).
fn period_table(rows: &[TrendRow], period: &str) -> String {
    let mut per: BTreeMap<&str, (u64, u64, u64)> = BTreeMap::new();
    for r in rows {
        let e = per.entry(r.period.as_str()).or_default();
        e.0 += r.incidents;
        e.1 += r.people_affected;
        e.2 += r.incidents_without_count;
    }
    if per.is_empty() {
        return String::new();
    }
    let mut body = String::new();
    for (p, (n, people, without)) in per.iter().rev() {
        let _ = write!(
            body,
            r#"<tr><td>{}</td><td class="num">{n}</td><td class="num">{}</td><td class="num">{without}</td></tr>"#,
            escape(p),
            thousands(*people),
        );
    }
    format!(
        r#"<table class="compact"><thead><tr><th>{}</th><th class="num">Incidents</th><th class="num">Affected</th><th class="num">No figure</th></tr></thead><tbody>{body}</tbody></table>"#,
        escape(period)
    )
}

/// The overview: headline numbers, trend charts, filters and the incident list.
pub fn dashboard(d: &Dashboard<'_>) -> String {
    let mut body = String::new();
    body.push_str(r#"<h1>Police data breaches</h1><p class="lede">Incidents reported in the news, merged across outlets, with the sentences each fact came from.</p>"#);
    let n_forces = d.by_force.len();
    let _ = write!(
        body,
        r#"<section class="stats"><div class="stat"><div class="n">{}</div><div class="l">incidents recorded</div></div><div class="stat"><div class="n">{}</div><div class="l">forces affected</div></div><div class="stat"><div class="n">{}</div><div class="l">people or records affected (where stated)</div></div><div class="stat"><div class="n">{}</div><div class="l">incidents matching the filters</div></div></section>"#,
        thousands(d.total_incidents as u64),
        thousands(n_forces as u64),
        thousands(d.people_affected),
        thousands(d.matched as u64),
    );
    let over_time = if d.over_time.is_empty() {
        r#"<p class="empty">No incidents yet.</p>"#.to_string()
    } else {
        crate::chart::trend_svg(d.over_time, "force", d.time_period)
    };
    let _ = write!(
        body,
        r#"<section class="card charts" id="trends"><h2>Incidents over time, by force</h2><div class="split"><figure class="chart">{over_time}</figure><div>{periods}</div></div><p class="note">An incident with several forces counts once under each force, in the {period} it was first reported.</p></section>"#,
        periods = period_table(d.per_period, d.time_period),
        period = escape(d.time_period),
    );
    let _ = write!(
        body,
        r#"<section class="grid3 charts"><div class="card"><h3>By force</h3><figure class="chart">{}</figure></div><div class="card"><h3>By data exposed</h3><figure class="chart">{}</figure></div><div class="card"><h3>By cause</h3><figure class="chart">{}</figure></div></section>"#,
        hbar_svg("Incidents by force", &d.by_force, 10),
        hbar_svg("Incidents by data type", &d.by_type, 10),
        hbar_svg("Incidents by cause", &d.by_cause, 10),
    );
    let shown = if d.matched > d.incidents.len() {
        format!(
            r#"<p class="note">Showing the newest {} of {} matching incidents; narrow the filters or use the JSON API for all.</p>"#,
            d.incidents.len(),
            d.matched
        )
    } else {
        String::new()
    };
    let _ = write!(
        body,
        r#"<section class="card"><h2>Incidents</h2>{form}</section><section class="card">{table}{shown}</section>"#,
        form = filter_form(d),
        table = incident_table(d.incidents),
    );
    layout("Dashboard", "dashboard", &body)
}

fn source_title(inc: &Incident, url: &str) -> String {
    inc.sources
        .iter()
        .find(|s| s.url == url || s.canonical_url.as_deref() == Some(url))
        .map(|s| {
            if s.outlet.is_empty() {
                s.title.clone()
            } else {
                s.outlet.clone()
            }
        })
        .unwrap_or_else(|| "source".into())
}

fn source_link(inc: &Incident, url: &str) -> String {
    format!(
        r#"<a href="{}" rel="noopener noreferrer">{}</a>"#,
        href(url),
        escape(&source_title(inc, url))
    )
}

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

/// One incident: facts, sources oldest first, timeline, figures, conflicts and evidence.
pub fn incident_page(inc: &Incident) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<div class="breadcrumb"><a href="/">← All incidents</a></div><h1>{}</h1><p class="lede">First reported {} · last reported {} · {} source(s) · <a href="/api/incidents/{}">JSON</a></p>"#,
        escape(&inc.title),
        day(&inc.first_reported),
        day(&inc.last_reported),
        inc.sources.len(),
        segment(&inc.id),
    );
    let third_party = match (inc.third_party, inc.supplier.as_deref()) {
        (_, Some(s)) => format!("yes — {}", escape(s)),
        (Some(true), None) => "yes".into(),
        (Some(false), None) => "no".into(),
        (None, None) => "not stated".into(),
    };
    let not_exposed = if inc.not_exposed.is_empty() {
        "—".to_string()
    } else {
        type_tags(&inc.not_exposed, " neg")
    };
    let _ = write!(
        body,
        r#"<section class="card"><h2>Facts</h2><dl class="facts"><dt>Forces</dt><dd>{forces}</dd><dt>Data exposed</dt><dd>{types}</dd><dt>Explicitly not exposed</dt><dd>{not_exposed}</dd><dt>Affected</dt><dd>{affected}</dd><dt>Occurred</dt><dd>{occurred}</dd><dt>Cause</dt><dd><span class="tag cause">{cause}</span></dd><dt>At a supplier</dt><dd>{third_party}</dd><dt>Incident id</dt><dd><code>{id}</code></dd></dl></section>"#,
        forces = force_links(inc),
        types = if inc.data_types.is_empty() {
            "not stated".into()
        } else {
            type_tags(&inc.data_types, "")
        },
        affected = inc
            .affected
            .as_ref()
            .map(|a| escape(&affected_text(a)))
            .unwrap_or_else(|| "not stated".into()),
        cause = words(inc.cause.id()),
        id = escape(&inc.id),
        occurred = inc
            .occurred
            .map(|o| o.to_string())
            .unwrap_or_else(|| "not stated".into()),
    );

    let mut sources: Vec<_> = inc.sources.iter().collect();
    sources.sort_by_key(|s| (s.published.is_none(), s.published));
    let mut rows = String::new();
    for s in sources {
        let _ = write!(
            rows,
            r#"<tr><td class="date">{}</td><td>{}</td><td><a href="{}" rel="noopener noreferrer">{}</a></td></tr>"#,
            s.published.as_ref().map(day).unwrap_or_else(|| "—".into()),
            escape(&s.outlet),
            href(&s.url),
            escape(&s.title),
        );
    }
    let _ = write!(
        body,
        r#"<section class="card" id="sources"><h2>Sources <span class="sub">oldest first</span></h2><table><thead><tr><th>Published</th><th>Outlet</th><th>Headline</th></tr></thead><tbody>{rows}</tbody></table></section>"#
    );

    if !inc.related.is_empty() {
        let items: String = inc
            .related
            .iter()
            .map(|r| {
                format!(
                    r#"<li><a href="/incidents/{}">{}</a> <span class="sub">{} · {}</span></li>"#,
                    segment(&r.id),
                    escape(&r.id),
                    day(&r.first_reported),
                    escape(&r.why),
                )
            })
            .collect();
        let _ = write!(
            body,
            r#"<section class="card" id="related"><h2>Related incidents <span class="sub">other forces</span></h2><ul>{items}</ul></section>"#
        );
    }

    let timeline = if inc.timeline.is_empty() {
        r#"<p class="empty">No later developments reported.</p>"#.to_string()
    } else {
        let mut items = String::new();
        for dev in &inc.timeline {
            let amount = dev
                .amount_minor
                .map(|m| format!(" · {}", escape(&money(m, dev.currency.as_deref()))))
                .unwrap_or_default();
            let kind = format!("{:?}", dev.kind);
            let _ = write!(
                items,
                r#"<li><div><span class="kind">{}</span>{amount} <span class="sub">{} · {}</span></div><blockquote>{}</blockquote></li>"#,
                escape(&split_camel(&kind)),
                dev.date
                    .as_ref()
                    .map(day)
                    .unwrap_or_else(|| "undated".into()),
                source_link(inc, &dev.url),
                escape(&dev.sentence),
            );
        }
        format!(r#"<ol class="timeline">{items}</ol>"#)
    };
    let _ = write!(
        body,
        r#"<section class="card" id="timeline"><h2>Timeline of developments</h2>{timeline}</section>"#
    );

    if !inc.figures.is_empty() {
        let mut rows = String::new();
        for (i, f) in inc.figures.iter().enumerate() {
            let claim = affected_text(&Affected {
                count: f.count,
                qualifier: f.qualifier,
                unit: f.unit,
            });
            let _ = write!(
                rows,
                r#"<tr><td class="num">{}</td><td class="num">{}</td><td class="date">{}</td><td>{}</td><td><blockquote>{}</blockquote></td></tr>"#,
                i + 1,
                escape(&claim),
                f.published.as_ref().map(day).unwrap_or_else(|| "—".into()),
                source_link(inc, &f.url),
                escape(&f.sentence),
            );
        }
        let _ = write!(
            body,
            r#"<section class="card" id="figures"><h2>Figures claimed <span class="sub">best supported first</span></h2><table><thead><tr><th class="num">#</th><th class="num">Figure</th><th>Published</th><th>Source</th><th>Sentence</th></tr></thead><tbody>{rows}</tbody></table></section>"#
        );
    }

    if !inc.conflicts.is_empty() {
        let items: String = inc
            .conflicts
            .iter()
            .map(|c| format!("<li>{}</li>", escape(c)))
            .collect();
        let _ = write!(
            body,
            r#"<section class="card" id="conflicts"><h2>Where sources disagree</h2><ul class="conflicts">{items}</ul></section>"#
        );
    }

    let mut by_field: BTreeMap<&str, Vec<&crate::model::Evidence>> = BTreeMap::new();
    for e in &inc.evidence {
        by_field.entry(e.field.as_str()).or_default().push(e);
    }
    if !by_field.is_empty() {
        let mut rows = String::new();
        for (field, list) in by_field {
            for e in list {
                let _ = write!(
                    rows,
                    r#"<tr><td>{}</td><td><span class="tag">{}</span></td><td><blockquote>{}</blockquote></td><td>{}</td></tr>"#,
                    escape(&words(field)),
                    escape(&words(&e.value)),
                    escape(&e.sentence),
                    source_link(inc, &e.url),
                );
            }
        }
        let _ = write!(
            body,
            r#"<section class="card" id="evidence"><h2>Evidence <span class="sub">the sentence each fact came from</span></h2><table><thead><tr><th>Fact</th><th>Value</th><th>Sentence</th><th>Source</th></tr></thead><tbody>{rows}</tbody></table></section>"#
        );
    }
    layout(&inc.title, "dashboard", &body)
}

/// `RevisedCount` → `Revised count`.
fn split_camel(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The health of every configured source.
pub fn sources_page(sources: &[SourceHealth]) -> String {
    let mut rows = String::new();
    for s in sources {
        let status = if !s.enabled {
            r#"<span class="badge off">disabled</span>"#
        } else if s.consecutive_failures > 0 {
            if s.consecutive_failures >= 3 {
                r#"<span class="badge bad">failing</span>"#
            } else {
                r#"<span class="badge warn">retrying</span>"#
            }
        } else if s.last_success.is_some() {
            r#"<span class="badge ok">ok</span>"#
        } else {
            r#"<span class="badge off">not polled yet</span>"#
        };
        let error = s
            .last_error
            .as_deref()
            .map(|e| format!(r#"<div class="err">{}</div>"#, escape(e)))
            .unwrap_or_default();
        let _ = write!(
            rows,
            r#"<tr><td>{status}</td><td><strong>{name}</strong><div class="sub">{id} · {kind}</div><div class="sub"><a href="{url}" rel="noopener noreferrer">{url_text}</a></div>{error}</td><td class="date">{success}</td><td class="num">{failures}</td><td class="date">{due}</td><td class="num">{seen}</td><td class="num">{new}</td></tr>"#,
            name = escape(&s.name),
            id = escape(&s.id),
            kind = escape(&s.kind),
            url = href(&s.url),
            url_text = escape(&s.url),
            success = utc_time(&s.last_success),
            failures = s.consecutive_failures,
            due = utc_time(&s.next_due),
            seen = thousands(s.items_seen),
            new = thousands(s.articles_new),
        );
    }
    let table = if sources.is_empty() {
        r#"<p class="empty">No sources are configured.</p>"#.to_string()
    } else {
        format!(
            r#"<table id="source-health"><thead><tr><th>Status</th><th>Source</th><th>Last success</th><th class="num">Failures in a row</th><th>Next poll</th><th class="num">Items seen</th><th class="num">New articles</th></tr></thead><tbody>{rows}</tbody></table>"#
        )
    };
    let body = format!(
        r#"<h1>Source health</h1><p class="lede">Every configured source, when it last answered and when it is polled next. Failing sources back off but are never dropped.</p><section class="card">{table}</section>"#
    );
    layout("Source health", "sources", &body)
}

/// A small page for a failed request.
pub fn error_page(status: u16, message: &str) -> String {
    let body = format!(
        r#"<h1>{status}</h1><section class="card"><p>{}</p><p><a href="/">Back to the dashboard</a></p></section>"#,
        escape(message)
    );
    layout(&format!("Error {status}"), "", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn escape_leaves_plain_text_alone() {
        assert_eq!(
            escape("Kent Police fined £100,000"),
            "Kent Police fined £100,000"
        );
        assert_eq!(escape(""), "");
    }

    #[test]
    fn escape_does_not_double_decode_entities() {
        assert_eq!(escape("&lt;"), "&amp;lt;");
    }

    #[test]
    fn href_refuses_script_urls() {
        assert_eq!(href("javascript:alert(1)"), "#");
        assert_eq!(href(" JavaScript:alert(1)"), "#");
        assert_eq!(
            href("https://a.example/?a=1&b=\"2\""),
            "https://a.example/?a=1&amp;b=&quot;2&quot;"
        );
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn money_formats_minor_units() {
        assert_eq!(money(10_000_000, Some("GBP")), "£100,000");
        assert_eq!(money(1_050, Some("EUR")), "€10.50");
        assert_eq!(money(5, None), "0.05");
    }

    #[test]
    fn hbar_chart_escapes_labels() {
        let svg = hbar_svg("t", &[("<b>".into(), 3)], 5);
        assert!(svg.contains("&lt;b&gt;"));
        assert!(!svg.contains("<b>"));
    }
}
