//! The overview page (`/`): headline numbers, the trend chart over time and the bar charts
//! of totals, the filter form and the incident list. `routes` gathers a [`Dashboard`];
//! [`dashboard`] lays it out for `templates/dashboard.html`.

use std::collections::BTreeMap;

use askama::Template;

use crate::chart::{BarChart, TrendChart};
use crate::model::{Cause, DataType, Incident};
use crate::query::{FilterSpec, TrendRow};

use super::{affected_text, filters, force_links, render_page, words, ForceLink, Markup};

/// How many bars each chart of totals shows at most.
const MAX_BARS: usize = 10;

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
    /// Incidents per force name, over the whole period the filters allow, for a bar chart.
    pub by_force: Vec<(String, u64)>,
    /// Incidents per data type (in words), likewise.
    pub by_type: Vec<(String, u64)>,
    /// Incidents per cause (in words), likewise.
    pub by_cause: Vec<(String, u64)>,
    /// Sum of the best figures of every incident that has one.
    pub people_affected: u64,
    /// Forces with incidents, `(id, name)`, for the filter menu.
    pub forces: Vec<(String, String)>,
    /// The filters as submitted, to fill the form again.
    pub params: &'a FilterSpec,
    /// A filter that could not be understood.
    pub filter_error: Option<String>,
}

/// The overview page, for `templates/dashboard.html`.
#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    title: &'a str,
    active: &'a str,
    dashboard: &'a Dashboard<'a>,
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
    /// Incidents without a figure.
    without_count: u64,
}

/// Incidents and people affected per period, newest first, from rows keyed by cause (so
/// each incident counts once).
fn period_rows(rows: &[TrendRow]) -> Vec<PeriodRow<'_>> {
    let mut periods: BTreeMap<&str, PeriodRow<'_>> = BTreeMap::new();
    for row in rows {
        let period = periods
            .entry(row.period.as_str())
            .or_insert_with(|| PeriodRow {
                period: row.period.as_str(),
                incidents: 0,
                people: 0,
                without_count: 0,
            });
        period.incidents += row.incidents;
        period.people += row.people_affected;
        period.without_count += row.incidents_without_count;
    }
    periods.into_values().rev().collect()
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
    incident: &'a Incident,
    forces: Vec<ForceLink>,
    affected: String,
}

impl<'a> IncidentRow<'a> {
    fn new(incident: &'a Incident) -> IncidentRow<'a> {
        IncidentRow {
            incident,
            forces: force_links(incident),
            affected: incident
                .affected
                .as_ref()
                .map(affected_text)
                .unwrap_or_else(|| "—".into()),
        }
    }
}

/// A bar chart of `rows` as markup for the page, or `None` when there is nothing to draw.
fn bar_chart(title: &str, rows: &[(String, u64)]) -> Option<Markup> {
    BarChart::new(title, rows, MAX_BARS).map(|chart| Markup::render(&chart))
}

/// The overview: headline numbers, trend charts, filters and the incident list.
pub fn dashboard(dashboard: &Dashboard<'_>) -> String {
    let params = dashboard.params;
    let page = DashboardPage {
        title: "Dashboard",
        active: "dashboard",
        dashboard,
        over_time: (!dashboard.over_time.is_empty()).then(|| {
            Markup::render(&TrendChart::new(
                dashboard.over_time,
                "force",
                dashboard.time_period,
            ))
        }),
        periods: period_rows(dashboard.per_period),
        by_force: bar_chart("Incidents by force", &dashboard.by_force),
        by_type: bar_chart("Incidents by data type", &dashboard.by_type),
        by_cause: bar_chart("Incidents by cause", &dashboard.by_cause),
        force_options: select_options(
            "All forces",
            dashboard.forces.clone(),
            params.force.as_deref(),
        ),
        type_options: select_options(
            "All data types",
            DataType::ALL
                .iter()
                .map(|t| (t.id().to_string(), words(t.id()))),
            params.data_type.as_deref(),
        ),
        cause_options: select_options(
            "All causes",
            Cause::ALL
                .iter()
                .map(|c| (c.id().to_string(), words(c.id()))),
            params.cause.as_deref(),
        ),
        rows: dashboard.incidents.iter().map(IncidentRow::new).collect(),
    };
    render_page(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_go_into_the_dashboard_as_markup_escaped_once() {
        let params = FilterSpec::default();
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

    #[test]
    fn periods_are_summed_over_their_causes_newest_first() {
        let row = |period: &str, incidents, people, without| TrendRow {
            key: "cause".into(),
            period: period.into(),
            incidents,
            people_affected: people,
            incidents_without_count: without,
        };
        let rows = [
            row("2023", 2, 10, 1),
            row("2024", 1, 0, 1),
            row("2023", 1, 5, 0),
        ];
        let periods = period_rows(&rows);
        let shown: Vec<_> = periods
            .iter()
            .map(|p| (p.period, p.incidents, p.people, p.without_count))
            .collect();
        assert_eq!(shown, [("2024", 1, 0, 1), ("2023", 3, 15, 1)]);
    }
}
