//! Server-rendered HTML for the dashboard: the overview (`/`), an incident (`/incidents/{id}`),
//! source health (`/sources`) and error pages. Askama templates under `templates/` with
//! inline CSS and inline SVG: no scripts, no CDN, no external assets.
//!
//! Askama escapes every value a template writes (`&`, `<`, `>`, `"` and `'`), so article and
//! feed text needs no escaping by hand. Link targets from articles and feeds go through
//! [`link_target`]: only http(s) and relative URLs become links, anything else
//! (`javascript:`, `data:`) is shown as text. The only unescaped insertions are the
//! stylesheet (a constant of this crate) and [`Markup`], which can only be made by
//! rendering another template. Nothing here does I/O: handlers in `routes` gather the data
//! and pass it in.

use std::collections::BTreeMap;
use std::fmt;

use askama::Template;
use chrono::{DateTime, FixedOffset, Utc};

use crate::model::{Affected, Incident};
use crate::model::{Cause, DataType};
use crate::query::TrendRow;

use super::routes::{FilterParams, SourceHealth};

/// The stylesheet, inlined in every page's `<style>`.
pub(crate) const CSS: &str = include_str!("style.css");

/// The version in the footer.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The navigation: key (see `active`), target, label.
pub(crate) const NAV: [(&str, &str, &str); 4] = [
    ("dashboard", "/", "Dashboard"),
    ("sources", "/sources", "Source health"),
    ("feed", "/feeds/incidents.atom", "Atom feed"),
    ("api", "/api/incidents", "JSON API"),
];

/// The output of a rendered template, to put inside another one as it is: it was escaped
/// when it was rendered. It can only be made by [`Markup::render`], never from a string.
pub struct Markup(String);

impl Markup {
    /// Renders `template`.
    pub fn render<T: Template>(template: &T) -> Markup {
        Markup(render(template))
    }
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Markup {}

/// `template` rendered. Rendering fails only when a value's `Display` fails, which none of
/// the values here can; an empty page is logged rather than a panic in a request.
fn render<T: Template>(template: &T) -> String {
    template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "A page template failed to render.");
        String::new()
    })
}

/// A whole page rendered, ending in a newline (askama drops the template file's last one).
fn render_page<T: Template>(template: &T) -> String {
    let mut page = render(template);
    page.push('\n');
    page
}

/// Formatting for the templates (`{{ value|name }}`). Askama escapes what they return.
mod filters {
    use std::fmt::Display;

    use askama::{Result, Values};
    use chrono::{DateTime, FixedOffset, Utc};

    /// `1234567` as `1,234,567`.
    pub fn thousands(n: impl Display, _: &dyn Values) -> Result<String> {
        Ok(super::group_digits(&n.to_string()))
    }

    /// An id from the vocabularies as words (see [`super::words`]).
    pub fn words(id: impl AsRef<str>, _: &dyn Values) -> Result<String> {
        Ok(super::words(id.as_ref()))
    }

    /// A path segment, percent-encoded (see [`super::segment`]).
    pub fn segment(id: impl AsRef<str>, _: &dyn Values) -> Result<String> {
        Ok(super::segment(id.as_ref()))
    }

    /// `14 Mar 2023`.
    pub fn day(t: &DateTime<FixedOffset>, _: &dyn Values) -> Result<String> {
        Ok(super::day(t))
    }

    /// `2 Jan 2024 03:04 UTC`, or `—`.
    pub fn utc_time(t: &Option<DateTime<Utc>>, _: &dyn Values) -> Result<String> {
        Ok(super::utc_time(t))
    }
}

/// The target of a link to an article or a source, when it may be one: an `http:` or
/// `https:` URL, or a relative one (no scheme). `None` for any other scheme
/// (`javascript:`, `data:`, `vbscript:` ...) and for an empty URL: pages show those as text.
///
/// The scheme is read as a browser reads it: after dropping leading and trailing spaces and
/// control characters and every tab and newline, so `java\tscript:` counts as `javascript:`.
pub fn link_target(url: &str) -> Option<&str> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let scheme_len = cleaned
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(cleaned.len());
    let has_scheme = scheme_len > 0
        && cleaned.starts_with(|c: char| c.is_ascii_alphabetic())
        && cleaned[scheme_len..].starts_with(':');
    if !has_scheme {
        return Some(url);
    }
    let scheme = cleaned[..scheme_len].to_ascii_lowercase();
    (scheme == "http" || scheme == "https").then_some(url)
}

/// A link in a page: `href` is `None` when the URL may not be a link target (see
/// [`link_target`]), and the template shows `text` alone.
pub struct Link {
    pub href: Option<String>,
    pub text: String,
}

impl Link {
    /// A link to `url` reading `text`.
    pub fn new(url: &str, text: impl Into<String>) -> Link {
        Link {
            href: link_target(url).map(str::to_string),
            text: text.into(),
        }
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
    group_digits(&n.to_string())
}

/// A run of digits with a comma every three from the right.
fn group_digits(digits: &str) -> String {
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
    use crate::model::Qualifier;
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

fn day_or(t: Option<&DateTime<FixedOffset>>, none: &str) -> String {
    t.map(day).unwrap_or_else(|| none.into())
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

/// A force as a link to the dashboard filtered by it.
struct ForceLink {
    /// The id, percent-encoded.
    segment: String,
    name: String,
}

fn force_links(inc: &Incident) -> Vec<ForceLink> {
    inc.forces
        .iter()
        .zip(force_labels(inc))
        .map(|(id, name)| ForceLink {
            segment: segment(id),
            name,
        })
        .collect()
}

/// A horizontal bar chart, laid out, for `templates/hbar.svg`.
#[derive(Template)]
#[template(path = "hbar.svg")]
struct HbarChart<'a> {
    title: &'a str,
    width: f64,
    height: f64,
    label_w: f64,
    rows: Vec<HbarRow<'a>>,
}

struct HbarRow<'a> {
    full: &'a str,
    /// The label, cut to 19 characters.
    shown: String,
    count: u64,
    lx: f64,
    ty: f64,
    ry: f64,
    w: f64,
    bh: f64,
    cx: f64,
}

/// A horizontal bar chart of `(label, count)` rows (at most `max_rows` rows, the largest
/// first); `None` when there are no rows.
fn hbar_chart<'a>(title: &'a str, rows: &'a [(String, u64)], max_rows: usize) -> Option<Markup> {
    let mut rows: Vec<&(String, u64)> = rows.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.truncate(max_rows);
    if rows.is_empty() {
        return None;
    }
    let (width, label_w, bar_w, row_h) = (320.0_f64, 138.0_f64, 140.0_f64, 24.0_f64);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let chart = HbarChart {
        title,
        width,
        height: row_h * rows.len() as f64 + 8.0,
        label_w,
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, (label, count))| {
                let y = 4.0 + row_h * i as f64;
                let w = (bar_w * (*count as f64) / max).max(2.0);
                let shown = if label.chars().count() > 19 {
                    label.chars().take(18).collect::<String>() + "…"
                } else {
                    label.clone()
                };
                HbarRow {
                    full: label,
                    shown,
                    count: *count,
                    lx: label_w - 8.0,
                    ty: y + row_h / 2.0 + 4.0,
                    ry: y + 4.0,
                    w,
                    bh: row_h - 8.0,
                    cx: label_w + w + 6.0,
                }
            })
            .collect(),
    };
    Some(Markup::render(&chart))
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

/// The overview page, for `templates/dashboard.html`.
#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    title: &'a str,
    active: &'a str,
    d: &'a Dashboard<'a>,
    over_time: Option<Markup>,
    periods: Vec<PeriodRow<'a>>,
    by_force: Option<Markup>,
    by_type: Option<Markup>,
    by_cause: Option<Markup>,
    force_options: Vec<SelectOption>,
    type_options: Vec<SelectOption>,
    cause_options: Vec<SelectOption>,
    rows: Vec<IncidentRow<'a>>,
}

/// Incidents and people affected in one period.
struct PeriodRow<'a> {
    period: &'a str,
    incidents: u64,
    people: u64,
    without: u64,
}

/// Incidents and people affected per period, newest first, from rows keyed by cause (so
/// each incident counts once).
fn period_rows(rows: &[TrendRow]) -> Vec<PeriodRow<'_>> {
    let mut per: BTreeMap<&str, (u64, u64, u64)> = BTreeMap::new();
    for r in rows {
        let e = per.entry(r.period.as_str()).or_default();
        e.0 += r.incidents;
        e.1 += r.people_affected;
        e.2 += r.incidents_without_count;
    }
    per.into_iter()
        .rev()
        .map(|(period, (incidents, people, without))| PeriodRow {
            period,
            incidents,
            people,
            without,
        })
        .collect()
}

/// One `<option>` of a filter menu.
struct SelectOption {
    value: String,
    label: String,
    selected: bool,
}

/// A filter menu: "any" first, then `choices` as `(value, label)`.
fn select_options(
    any: &str,
    choices: impl IntoIterator<Item = (String, String)>,
    selected: Option<&str>,
) -> Vec<SelectOption> {
    std::iter::once((String::new(), any.to_string()))
        .chain(choices)
        .map(|(value, label)| SelectOption {
            selected: selected == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

/// A row of the incident list.
struct IncidentRow<'a> {
    inc: &'a Incident,
    forces: Vec<ForceLink>,
    affected: String,
}

impl<'a> IncidentRow<'a> {
    fn new(inc: &'a Incident) -> IncidentRow<'a> {
        IncidentRow {
            inc,
            forces: force_links(inc),
            affected: inc
                .affected
                .as_ref()
                .map(affected_text)
                .unwrap_or_else(|| "—".into()),
        }
    }
}

/// The overview: headline numbers, trend charts, filters and the incident list.
pub fn dashboard(d: &Dashboard<'_>) -> String {
    let p = d.params;
    let page = DashboardPage {
        title: "Dashboard",
        active: "dashboard",
        d,
        over_time: (!d.over_time.is_empty()).then(|| {
            Markup::render(&crate::chart::TrendChart::new(
                d.over_time,
                "force",
                d.time_period,
            ))
        }),
        periods: period_rows(d.per_period),
        by_force: hbar_chart("Incidents by force", &d.by_force, 10),
        by_type: hbar_chart("Incidents by data type", &d.by_type, 10),
        by_cause: hbar_chart("Incidents by cause", &d.by_cause, 10),
        force_options: select_options("All forces", d.forces.clone(), p.force.as_deref()),
        type_options: select_options(
            "All data types",
            DataType::ALL
                .iter()
                .map(|t| (t.id().to_string(), words(t.id()))),
            p.data_type.as_deref(),
        ),
        cause_options: select_options(
            "All causes",
            Cause::ALL
                .iter()
                .map(|c| (c.id().to_string(), words(c.id()))),
            p.cause.as_deref(),
        ),
        rows: d.incidents.iter().map(IncidentRow::new).collect(),
    };
    render_page(&page)
}

/// One incident, for `templates/incident.html`.
#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage<'a> {
    title: &'a str,
    active: &'a str,
    inc: &'a Incident,
    forces: Vec<ForceLink>,
    affected: String,
    third_party: String,
    sources: Vec<SourceRow<'a>>,
    timeline: Vec<TimelineItem<'a>>,
    figures: Vec<FigureRow<'a>>,
    evidence: Vec<EvidenceRow<'a>>,
}

struct SourceRow<'a> {
    published: String,
    outlet: &'a str,
    headline: Link,
}

struct TimelineItem<'a> {
    kind: String,
    /// A fine or payout, with its currency.
    amount: Option<String>,
    date: String,
    source: Link,
    sentence: &'a str,
}

struct FigureRow<'a> {
    claim: String,
    published: String,
    source: Link,
    sentence: &'a str,
}

struct EvidenceRow<'a> {
    field: &'a str,
    value: &'a str,
    sentence: &'a str,
    source: Link,
}

/// The outlet (else the headline) of the source at `url`, linking to it.
fn source_link(inc: &Incident, url: &str) -> Link {
    let text = inc
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
    let third_party = match (inc.third_party, inc.supplier.as_deref()) {
        (_, Some(s)) => format!("yes — {s}"),
        (Some(true), None) => "yes".into(),
        (Some(false), None) => "no".into(),
        (None, None) => "not stated".into(),
    };
    let mut sources: Vec<_> = inc.sources.iter().collect();
    sources.sort_by_key(|s| (s.published.is_none(), s.published));
    // Grouped by field, in the order the extractor gave them within each.
    let mut evidence: Vec<_> = inc.evidence.iter().collect();
    evidence.sort_by(|a, b| a.field.cmp(&b.field));
    let page = IncidentPage {
        title: &inc.title,
        active: "dashboard",
        inc,
        forces: force_links(inc),
        affected: inc
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
        timeline: inc
            .timeline
            .iter()
            .map(|dev| TimelineItem {
                kind: split_camel(&format!("{:?}", dev.kind)),
                amount: dev.amount_minor.map(|m| money(m, dev.currency.as_deref())),
                date: day_or(dev.date.as_ref(), "undated"),
                source: source_link(inc, &dev.url),
                sentence: &dev.sentence,
            })
            .collect(),
        figures: inc
            .figures
            .iter()
            .map(|f| FigureRow {
                claim: affected_text(&Affected {
                    count: f.count,
                    qualifier: f.qualifier,
                    unit: f.unit,
                }),
                published: day_or(f.published.as_ref(), "—"),
                source: source_link(inc, &f.url),
                sentence: &f.sentence,
            })
            .collect(),
        evidence: evidence
            .into_iter()
            .map(|e| EvidenceRow {
                field: &e.field,
                value: &e.value,
                sentence: &e.sentence,
                source: source_link(inc, &e.url),
            })
            .collect(),
    };
    render_page(&page)
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

/// Source health, for `templates/sources.html`.
#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage<'a> {
    title: &'a str,
    active: &'a str,
    rows: Vec<SourceHealthRow<'a>>,
}

struct SourceHealthRow<'a> {
    s: &'a SourceHealth,
    /// The badge's class and words.
    badge: (&'static str, &'static str),
    url: Link,
}

fn badge(s: &SourceHealth) -> (&'static str, &'static str) {
    if !s.enabled {
        ("off", "disabled")
    } else if s.consecutive_failures >= 3 {
        ("bad", "failing")
    } else if s.consecutive_failures > 0 {
        ("warn", "retrying")
    } else if s.last_success.is_some() {
        ("ok", "ok")
    } else {
        ("off", "not polled yet")
    }
}

/// The health of every configured source.
pub fn sources_page(sources: &[SourceHealth]) -> String {
    render_page(&SourcesPage {
        title: "Source health",
        active: "sources",
        rows: sources
            .iter()
            .map(|s| SourceHealthRow {
                s,
                badge: badge(s),
                url: Link::new(&s.url, s.url.clone()),
            })
            .collect(),
    })
}

/// A failed request, for `templates/error.html`.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    active: &'a str,
    status: u16,
    message: &'a str,
}

/// A small page for a failed request.
pub fn error_page(status: u16, message: &str) -> String {
    render_page(&ErrorPage {
        title: &format!("Error {status}"),
        active: "",
        status,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_target_allows_http_https_and_relative_urls() {
        for url in [
            "https://a.example/x?a=1&b=\"2\"",
            "http://a.example/",
            "HTTPS://A.EXAMPLE/",
            " https://a.example/",
            "/incidents/kent",
            "news/kent?x=a:b",
            "//cdn.example/x",
        ] {
            assert_eq!(link_target(url), Some(url), "{url:?}");
        }
    }

    #[test]
    fn link_target_refuses_every_other_scheme_however_spelt() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "mailto:a@b.example",
            "",
            "  ",
        ] {
            assert_eq!(link_target(url), None, "{url:?}");
        }
    }

    #[test]
    fn a_link_that_may_not_be_one_renders_as_escaped_text() {
        let page = sources_page(&[SourceHealth {
            id: "a".into(),
            name: "A".into(),
            url: "javascript:alert('x')".into(),
            kind: "feed".into(),
            enabled: true,
            last_success: None,
            last_attempt: None,
            consecutive_failures: 0,
            last_error: None,
            next_due: None,
            items_seen: 0,
            articles_new: 0,
        }]);
        assert!(page.contains(r#"<div class="sub">javascript:alert(&#39;x&#39;)</div>"#));
        assert!(!page.contains("href=\"javascript"));
    }

    #[test]
    fn error_page_escapes_the_message_and_keeps_the_layout() {
        let page = error_page(404, r#"no incident "<b>O'Neil</b>""#);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("<title>Error 404 · breachwatch</title>"));
        assert!(page.contains("<p>no incident &#34;&#60;b&#62;O&#39;Neil&#60;/b&#62;&#34;</p>"));
        assert!(page.trim_end().ends_with("</html>"));
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
    fn hbar_chart_escapes_labels_and_titles() {
        let rows = [("<b>'s".to_string(), 3)];
        let svg = hbar_chart("O'Brien <t>", &rows, 5).unwrap().to_string();
        assert!(svg.contains("<title>&#60;b&#62;&#39;s: 3</title>"), "{svg}");
        assert!(
            svg.contains(r#"aria-label="O&#39;Brien &#60;t&#62;""#),
            "{svg}"
        );
        assert!(!svg.contains("<b>") && !svg.contains('\''));
        assert!(hbar_chart("t", &[], 5).is_none());
    }

    #[test]
    fn charts_go_into_the_dashboard_as_markup_escaped_once() {
        let params = FilterParams::default();
        let over_time = [TrendRow {
            key: "a&b".into(),
            period: "2024-Q1".into(),
            incidents: 1,
            people_affected: 0,
            incidents_without_count: 1,
        }];
        let page = dashboard(&Dashboard {
            incidents: &[],
            matched: 0,
            total_incidents: 0,
            over_time: &over_time,
            per_period: &[],
            time_period: "quarter",
            by_force: vec![("a&b".into(), 1)],
            by_type: Vec::new(),
            by_cause: Vec::new(),
            people_affected: 0,
            forces: Vec::new(),
            params: &params,
            filter_error: None,
        });
        assert_eq!(
            page.matches("<svg").count(),
            2,
            "the trend and the by-force charts"
        );
        assert!(page.contains("<title>a&#38;b: 1</title>"));
        assert!(!page.contains("&#60;svg") && !page.contains("&#38;#38;"));
        assert_eq!(
            page.matches(r#"<p class="empty">No incidents yet.</p>"#)
                .count(),
            2
        );
    }
}
