//! Questions asked of the store, answered as plain structs. Reads only through `store`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{Affected, Incident, Related};
use crate::model::{Cause, DataType, Occurred};
use crate::store::{Store, StoreError};

/// Incident filters; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub force: Option<String>,
    pub data_type: Option<DataType>,
    pub cause: Option<Cause>,
    /// Inclusive, on `first_reported`.
    pub since: Option<NaiveDate>,
    /// Inclusive, on `first_reported`.
    pub until: Option<NaiveDate>,
    /// Case-insensitive text in a source title.
    pub text: Option<String>,
    pub limit: Option<usize>,
}

impl Filter {
    pub fn matches(&self, i: &Incident) -> bool {
        let day = i.first_reported.date_naive();
        self.force
            .as_ref()
            .is_none_or(|f| i.forces.iter().any(|x| x == f))
            && self.data_type.is_none_or(|t| i.data_types.contains(&t))
            && self.cause.is_none_or(|c| i.cause == c)
            && self.since.is_none_or(|s| day >= s)
            && self.until.is_none_or(|u| day <= u)
            && self.text.as_ref().is_none_or(|t| {
                let t = t.to_lowercase();
                i.sources
                    .iter()
                    .any(|s| s.title.to_lowercase().contains(&t))
            })
    }
}

/// How far apart (days) the first reports of two related incidents may be.
pub const RELATED_DAYS: i64 = 180;

/// One incident as people read it: stored, with its related incidents worked out.
pub fn incident(store: &Store, id: &str) -> Result<Option<Incident>, StoreError> {
    let Some(mut inc) = store.incident(id)? else {
        return Ok(None);
    };
    inc.related = related(store, &inc)?;
    Ok(Some(inc))
}

/// Incidents at other forces first reported within [`RELATED_DAYS`] of `inc` that look like
/// the same attack or failure hitting them too: they name the same supplier, or an article
/// reports both and both happened at a supplier, with compatible causes. Matching keeps them
/// apart (it never merges different forces, and one supplier's attack often reaches forces
/// weeks apart); this says they belong together. A round-up sharing an article is not
/// enough: it retells breaches that have nothing else in common.
/// Oldest first. Reads the incidents first reported in the window, through the time index.
pub fn related(store: &Store, inc: &Incident) -> Result<Vec<Related>, StoreError> {
    let t = inc.first_reported.timestamp();
    let span = RELATED_DAYS * 86_400;
    let articles: std::collections::HashSet<&str> =
        inc.sources.iter().map(|s| s.article_key.as_str()).collect();
    let mut out = Vec::new();
    for id in store.incident_ids_between(t - span, t + span)? {
        if id == inc.id {
            continue;
        }
        let Some(other) = store.incident(&id)? else {
            continue;
        };
        if other.forces.iter().any(|f| inc.forces.contains(f)) {
            continue;
        }
        let why = match (&inc.supplier, &other.supplier) {
            (Some(a), Some(b)) if a.trim().eq_ignore_ascii_case(b.trim()) => {
                Some(format!("same supplier: {a}"))
            }
            _ if inc.third_party == Some(true)
                && other.third_party == Some(true)
                && crate::dedup::causes_compatible(inc.cause, other.cause)
                && other
                    .sources
                    .iter()
                    .any(|s| articles.contains(s.article_key.as_str())) =>
            {
                Some("reported together, both at a supplier".to_string())
            }
            _ => None,
        };
        if let Some(why) = why {
            out.push(Related {
                id: other.id,
                forces: other.forces,
                first_reported: other.first_reported,
                why,
            });
        }
    }
    out.sort_by(|a, b| (a.first_reported, &a.id).cmp(&(b.first_reported, &b.id)));
    Ok(out)
}

/// Incidents matching `filter`, newest first (by the time index).
pub fn incidents(store: &Store, filter: &Filter) -> Result<Vec<Incident>, StoreError> {
    let mut out = Vec::new();
    for r in store.incident_ids_newest_first() {
        let (ts, id) = r?;
        if let Some(s) = filter.since {
            if ts
                < s.and_hms_opt(0, 0, 0)
                    .map(|d| d.and_utc().timestamp())
                    .unwrap_or(i64::MIN)
                    - 14 * 3600
            {
                break;
            }
        }
        let Some(inc) = store.incident(&id)? else {
            continue;
        };
        if filter.matches(&inc) {
            out.push(inc);
            if filter.limit.is_some_and(|l| out.len() >= l) {
                break;
            }
        }
    }
    Ok(out)
}

/// A source as the contract lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceView {
    pub url: String,
    pub canonical_url: Option<String>,
    pub title: String,
    pub published: Option<DateTime<FixedOffset>>,
    pub outlet: String,
}

/// An incident as `incidents --format json` and `/api/incidents` give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub id: String,
    pub title: String,
    pub forces: Vec<String>,
    pub force_names: Vec<String>,
    pub data_types: Vec<DataType>,
    pub not_exposed: Vec<DataType>,
    pub affected: Option<Affected>,
    pub cause: Cause,
    pub third_party: Option<bool>,
    pub supplier: Option<String>,
    pub first_reported: DateTime<FixedOffset>,
    pub last_reported: DateTime<FixedOffset>,
    /// When the breach happened, as reported: `{"year", "month", "day"}` or null.
    #[serde(default)]
    pub occurred: Option<Occurred>,
    pub developments: usize,
    pub sources: Vec<SourceView>,
}

impl From<&Incident> for IncidentView {
    fn from(i: &Incident) -> Self {
        IncidentView {
            id: i.id.clone(),
            title: i.title.clone(),
            forces: i.forces.clone(),
            force_names: i.force_names.clone(),
            data_types: i.data_types.clone(),
            not_exposed: i.not_exposed.clone(),
            affected: i.affected.clone(),
            cause: i.cause,
            third_party: i.third_party,
            supplier: i.supplier.clone(),
            first_reported: i.first_reported,
            last_reported: i.last_reported,
            occurred: i.occurred,
            developments: i.timeline.len(),
            sources: i
                .sources
                .iter()
                .map(|s| SourceView {
                    url: s.url.clone(),
                    canonical_url: s.canonical_url.clone(),
                    title: s.title.clone(),
                    published: s.published,
                    outlet: s.outlet.clone(),
                })
                .collect(),
        }
    }
}

/// What `trends` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrendKey {
    Force,
    DataType,
    Cause,
}

/// The period an incident counts in (that of its `first_reported`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Month,
    Quarter,
    Year,
    All,
}

impl Period {
    /// The period label of a time: `2023-08`, `2023-Q3`, `2023` or `all`.
    pub fn label(self, t: &DateTime<FixedOffset>) -> String {
        use chrono::Datelike;
        match self {
            Period::Month => t.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", t.year(), (t.month() - 1) / 3 + 1),
            Period::Year => t.year().to_string(),
            Period::All => "all".into(),
        }
    }
}

/// Which date puts an incident in a trend period (`trends --when`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Its `first_reported` time.
    #[default]
    Reported,
    /// Its `occurred` date, where the reports state it.
    Occurred,
}

impl When {
    pub fn id(self) -> &'static str {
        match self {
            When::Reported => "reported",
            When::Occurred => "occurred",
        }
    }
}

/// The period label of incidents whose `occurred` date is not known at the period's precision.
pub const UNKNOWN_PERIOD: &str = "unknown";

/// One row of `trends --format json`, as the contract gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendRow {
    pub key: String,
    pub period: String,
    pub incidents: u64,
    /// Sum of the best-supported figures of the incidents that have one.
    pub people_affected: u64,
    /// Incidents with no figure: `people_affected` is a partial sum when this is non-zero.
    pub incidents_without_count: u64,
}

/// The keys an incident counts under in a trend by `by`.
fn trend_keys(inc: &Incident, by: TrendKey) -> Vec<String> {
    match by {
        TrendKey::Force => inc.forces.clone(),
        TrendKey::DataType => inc.data_types.iter().map(|t| t.id().to_string()).collect(),
        TrendKey::Cause => vec![inc.cause.id().to_string()],
    }
}

/// [`trends`] by the chosen date: `When::Reported` is [`trends`] itself, `When::Occurred`
/// [`trends_by_occurred`].
pub fn trends_when(
    store: &Store,
    by: TrendKey,
    period: Period,
    when: When,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<TrendRow>, StoreError> {
    match when {
        When::Reported => trends(store, by, period, since, until),
        When::Occurred => trends_by_occurred(store, by, period, since, until),
    }
}

/// Incident counts per key and period of the incident's `occurred` date (`trends --when
/// occurred`), sorted by period then key.
///
/// The decisions, for dates known only in part:
/// - an incident whose `occurred` is not stated counts under the period `unknown`; so does one
///   whose date is coarser than the period (a year-only date with `--period month` or
///   `quarter`). A year-only date counts in its year for `--period year`.
/// - `--period all` needs no date: every incident counts under `all`.
/// - `--since`/`--until` keep only incidents whose date is known to lie in the range: the whole
///   of it (a year, a month or a day) on or after `since` and on or before `until`. With either
///   given, undated incidents are left out (they cannot be placed), so no `unknown` row.
///
/// The store keeps counters by first-reported month only, so this reads every incident.
pub fn trends_by_occurred(
    store: &Store,
    by: TrendKey,
    period: Period,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<TrendRow>, StoreError> {
    let mut rows: std::collections::BTreeMap<(String, String), TrendRow> = Default::default();
    for inc in store.incidents() {
        let inc = inc?;
        let o = inc.occurred;
        if since.is_some() || until.is_some() {
            let Some(o) = o else {
                continue;
            };
            let (Some(first), Some(last)) = (o.first_day(), o.last_day()) else {
                continue;
            };
            if since.is_some_and(|s| first < s) || until.is_some_and(|u| last > u) {
                continue;
            }
        }
        let label = match (period, o) {
            (Period::All, _) => "all".to_string(),
            (Period::Year, Some(o)) => format!("{:04}", o.year),
            (
                Period::Quarter,
                Some(crate::model::Occurred {
                    year,
                    month: Some(m),
                    ..
                }),
            ) => {
                format!("{year:04}-Q{}", (m - 1) / 3 + 1)
            }
            (
                Period::Month,
                Some(crate::model::Occurred {
                    year,
                    month: Some(m),
                    ..
                }),
            ) => {
                format!("{year:04}-{m:02}")
            }
            _ => UNKNOWN_PERIOD.to_string(),
        };
        for key in trend_keys(&inc, by) {
            let row = rows
                .entry((label.clone(), key.clone()))
                .or_insert_with(|| TrendRow {
                    key,
                    period: label.clone(),
                    incidents: 0,
                    people_affected: 0,
                    incidents_without_count: 0,
                });
            row.incidents += 1;
            match &inc.affected {
                Some(a) => row.people_affected += a.count,
                None => row.incidents_without_count += 1,
            }
        }
    }
    Ok(rows.into_values().collect())
}

/// Incident counts and people affected per key and period, sorted by period then key.
///
/// Whole months come from the counters the store maintains on every write (no incident is
/// read); only the partial months at the ends of a `since`/`until` range are counted from the
/// incidents first reported in them.
pub fn trends(
    store: &Store,
    by: TrendKey,
    period: Period,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<TrendRow>, StoreError> {
    use chrono::{Datelike, Months};
    let dim = match by {
        TrendKey::Force => "force",
        TrendKey::DataType => "data-type",
        TrendKey::Cause => "cause",
    };
    let month_of = |d: NaiveDate| d.format("%Y-%m").to_string();
    let first_of = |d: NaiveDate| d.with_day(1).expect("day 1 exists");
    let last_of = |d: NaiveDate| first_of(d) + Months::new(1) - chrono::Days::new(1);
    // Whole months inside the range, and the partial ones at its ends.
    let mut partial: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let from_month = since.map(|s| {
        if s.day() == 1 {
            month_of(s)
        } else {
            partial.push((s, until.map_or(last_of(s), |u| u.min(last_of(s)))));
            month_of(first_of(s) + Months::new(1))
        }
    });
    let to_month = until.map(|u| {
        if u == last_of(u) {
            month_of(u)
        } else {
            let start = since.map_or(first_of(u), |s| s.max(first_of(u)));
            if !partial.iter().any(|p| p.0 <= u && u <= p.1) {
                partial.push((start, u));
            }
            month_of(first_of(u) - chrono::Days::new(1))
        }
    });
    let mut rows: std::collections::BTreeMap<(String, String), TrendRow> = Default::default();
    let label_of_month = |m: &str| -> String {
        match period {
            Period::Month => m.to_string(),
            Period::Year => m[..4].to_string(),
            Period::Quarter => {
                let mo: u32 = m[5..7].parse().unwrap_or(1);
                format!("{}-Q{}", &m[..4], (mo - 1) / 3 + 1)
            }
            Period::All => "all".into(),
        }
    };
    let mut add = |label: String, key: String, n: i64, people: i64, without: i64| {
        let row = rows
            .entry((label.clone(), key.clone()))
            .or_insert_with(|| TrendRow {
                key,
                period: label,
                incidents: 0,
                people_affected: 0,
                incidents_without_count: 0,
            });
        row.incidents += n.max(0) as u64;
        row.people_affected += people.max(0) as u64;
        row.incidents_without_count += without.max(0) as u64;
    };
    let whole = match (&from_month, &to_month) {
        (Some(f), Some(t)) => f <= t,
        _ => true,
    };
    if whole {
        for (month, key, [n, people, without]) in
            store.aggregates(dim, from_month.as_deref(), to_month.as_deref())?
        {
            add(label_of_month(&month), key, n, people, without);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (a, b) in partial {
        let margin = 86_400;
        let from = a
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp()
            - margin;
        let to = b
            .and_hms_opt(23, 59, 59)
            .expect("end of day")
            .and_utc()
            .timestamp()
            + margin;
        for id in store.incident_ids_between(from, to)? {
            let Some(inc) = store.incident(&id)? else {
                continue;
            };
            let day = inc.first_reported.date_naive();
            if day < a || day > b || !seen.insert(id) {
                continue;
            }
            let keys = trend_keys(&inc, by);
            let label = period.label(&inc.first_reported);
            for k in keys {
                match &inc.affected {
                    Some(x) => add(label.clone(), k, 1, x.count as i64, 0),
                    None => add(label.clone(), k, 1, 0, 1),
                }
            }
        }
    }
    Ok(rows.into_values().collect())
}
