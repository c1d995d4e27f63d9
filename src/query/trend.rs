//! Trends: incident counts and people affected per force, data type or cause and period, by
//! the date an incident was first reported (from the store's monthly counters) or the date
//! it occurred (from the incidents themselves). The ids of the trend keys, periods and dates
//! are spelt here once, for the command line and the API alike.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{Incident, Occurred};
use crate::store::{Store, StoreError};

/// What `trends` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrendKey {
    /// The forces an incident happened at: it counts once under each.
    Force,
    /// The types of data it exposed: it counts once under each.
    DataType,
    /// Its cause.
    Cause,
}

impl TrendKey {
    /// Every key, in the order `--help` and error messages list them.
    pub const ALL: [TrendKey; 3] = [TrendKey::Force, TrendKey::DataType, TrendKey::Cause];

    /// The id on the command line (`--by`) and in the API (`by=`).
    pub fn id(self) -> &'static str {
        match self {
            TrendKey::Force => "force",
            TrendKey::DataType => "data-type",
            TrendKey::Cause => "cause",
        }
    }

    /// The key of an id: [`TrendKey::id`], or `data_type` and `type` for the data type.
    pub fn from_id(id: &str) -> Option<TrendKey> {
        match id {
            "data_type" | "type" => Some(TrendKey::DataType),
            _ => TrendKey::ALL.into_iter().find(|key| key.id() == id),
        }
    }
}

/// The period an incident counts in (that of its `first_reported`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// A calendar month, `2023-08`.
    Month,
    /// A calendar quarter, `2023-Q3`.
    Quarter,
    /// A calendar year, `2023`.
    Year,
    /// All time, `all`.
    All,
}

impl Period {
    /// Every period, shortest first.
    pub const ALL: [Period; 4] = [Period::Month, Period::Quarter, Period::Year, Period::All];

    /// The id on the command line (`--period`) and in the API (`period=`).
    pub fn id(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::All => "all",
        }
    }

    /// The period of an id (see [`Period::id`]).
    pub fn from_id(id: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|period| period.id() == id)
    }

    /// The period label of a time: `2023-08`, `2023-Q3`, `2023` or `all`.
    pub fn label(self, time: &DateTime<FixedOffset>) -> String {
        match self {
            Period::Month => time.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", time.year(), (time.month() - 1) / 3 + 1),
            Period::Year => time.year().to_string(),
            Period::All => "all".into(),
        }
    }

    /// The label of the period holding `month` (`YYYY-MM`).
    fn label_of_month(self, month: &str) -> String {
        match self {
            Period::Month => month.to_string(),
            Period::Year => month[..4].to_string(),
            Period::Quarter => {
                let month_number: u32 = month[5..7].parse().unwrap_or(1);
                format!("{}-Q{}", &month[..4], (month_number - 1) / 3 + 1)
            }
            Period::All => "all".into(),
        }
    }
}

/// Which date puts an incident in a trend period (`trends --when`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Its `first_reported` time.
    #[default]
    Reported,
    /// Its `occurred` date, where the reports state it.
    Occurred,
}

impl When {
    /// Both dates, the default first.
    pub const ALL: [When; 2] = [When::Reported, When::Occurred];

    /// The id on the command line (`--when`) and in the API (`when=`).
    pub fn id(self) -> &'static str {
        match self {
            When::Reported => "reported",
            When::Occurred => "occurred",
        }
    }

    /// The date of an id (see [`When::id`]).
    pub fn from_id(id: &str) -> Option<When> {
        When::ALL.into_iter().find(|when| when.id() == id)
    }
}

/// The period label of incidents whose `occurred` date is not known at the period's precision.
pub const UNKNOWN_PERIOD: &str = "unknown";

/// One row of `trends --format json`, as the contract gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendRow {
    /// The force, data type or cause id.
    pub key: String,
    /// The period label (see [`Period::label`]), or [`UNKNOWN_PERIOD`].
    pub period: String,
    /// Incidents under this key in this period.
    pub incidents: u64,
    /// Sum of the best-supported figures of the incidents that have one.
    pub people_affected: u64,
    /// Incidents with no figure: `people_affected` is a partial sum when this is non-zero.
    pub incidents_without_count: u64,
}

/// A trend question, as `trends` and `/api/trends` ask it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendQuery {
    /// What to group by.
    pub by: TrendKey,
    /// How long a period is.
    pub period: Period,
    /// Which date puts an incident in a period, and in the range.
    pub when: When,
    /// On or after this day.
    pub since: Option<NaiveDate>,
    /// On or before this day.
    pub until: Option<NaiveDate>,
}

/// The rows of a trend keyed by period label and key, in the order they are returned.
type RowsByPeriodAndKey = BTreeMap<(String, String), TrendRow>;

/// The row of `key` in period `label`, added empty when it is not there yet.
fn row_of<'a>(rows: &'a mut RowsByPeriodAndKey, label: &str, key: &str) -> &'a mut TrendRow {
    rows.entry((label.to_string(), key.to_string()))
        .or_insert_with(|| TrendRow {
            key: key.to_string(),
            period: label.to_string(),
            incidents: 0,
            people_affected: 0,
            incidents_without_count: 0,
        })
}

/// Counts one incident in `row`.
fn count_incident(row: &mut TrendRow, incident: &Incident) {
    row.incidents += 1;
    match &incident.affected {
        Some(affected) => row.people_affected += affected.count,
        None => row.incidents_without_count += 1,
    }
}

/// The keys an incident counts under in a trend by `by`.
fn trend_keys(incident: &Incident, by: TrendKey) -> Vec<String> {
    match by {
        TrendKey::Force => incident.forces.clone(),
        TrendKey::DataType => incident
            .data_types
            .iter()
            .map(|t| t.id().to_string())
            .collect(),
        TrendKey::Cause => vec![incident.cause.id().to_string()],
    }
}

/// The answer to `query`: [`trends`] for `When::Reported`, [`trends_by_occurred`] for
/// `When::Occurred`.
///
/// # Errors
///
/// When the store cannot be read.
pub fn trends_for(store: &Store, query: &TrendQuery) -> Result<Vec<TrendRow>, StoreError> {
    let TrendQuery {
        by,
        period,
        when,
        since,
        until,
    } = *query;
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
///
/// # Errors
///
/// When the store cannot be read.
pub fn trends_by_occurred(
    store: &Store,
    by: TrendKey,
    period: Period,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<TrendRow>, StoreError> {
    let mut rows = RowsByPeriodAndKey::new();
    for incident in store.incidents() {
        let incident = incident?;
        let occurred = incident.occurred;
        if since.is_some() || until.is_some() {
            let Some(occurred) = occurred else {
                continue;
            };
            let (Some(first), Some(last)) = (occurred.first_day(), occurred.last_day()) else {
                continue;
            };
            if since.is_some_and(|s| first < s) || until.is_some_and(|u| last > u) {
                continue;
            }
        }
        let label = match (period, occurred) {
            (Period::All, _) => "all".to_string(),
            (Period::Year, Some(occurred)) => format!("{:04}", occurred.year),
            (
                Period::Quarter,
                Some(Occurred {
                    year,
                    month: Some(month),
                    ..
                }),
            ) => format!("{year:04}-Q{}", (month - 1) / 3 + 1),
            (
                Period::Month,
                Some(Occurred {
                    year,
                    month: Some(month),
                    ..
                }),
            ) => format!("{year:04}-{month:02}"),
            _ => UNKNOWN_PERIOD.to_string(),
        };
        for key in trend_keys(&incident, by) {
            count_incident(row_of(&mut rows, &label, &key), &incident);
        }
    }
    Ok(rows.into_values().collect())
}

/// The calendar month of `day`, `YYYY-MM`, as the store's counters are keyed.
fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The first day of `day`'s month.
fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("day 1 exists")
}

/// The last day of `day`'s month.
fn last_of_month(day: NaiveDate) -> NaiveDate {
    first_of_month(day) + Months::new(1) - Days::new(1)
}

/// Incident counts and people affected per key and period, sorted by period then key.
///
/// Whole months come from the counters the store maintains on every write (no incident is
/// read); only the partial months at the ends of a `since`/`until` range are counted from the
/// incidents first reported in them.
///
/// # Errors
///
/// When the store cannot be read.
pub fn trends(
    store: &Store,
    by: TrendKey,
    period: Period,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<TrendRow>, StoreError> {
    // The store's name for the counters of each key.
    let dimension = match by {
        TrendKey::Force => "force",
        TrendKey::DataType => "data-type",
        TrendKey::Cause => "cause",
    };
    // Whole months inside the range, and the partial ones at its ends (first and last day).
    let mut partial_months: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let from_month = since.map(|since| {
        if since.day() == 1 {
            month_of(since)
        } else {
            let end = until.map_or(last_of_month(since), |u| u.min(last_of_month(since)));
            partial_months.push((since, end));
            month_of(first_of_month(since) + Months::new(1))
        }
    });
    let to_month = until.map(|until| {
        if until == last_of_month(until) {
            month_of(until)
        } else {
            let start = since.map_or(first_of_month(until), |s| s.max(first_of_month(until)));
            if !partial_months
                .iter()
                .any(|(first, last)| *first <= until && until <= *last)
            {
                partial_months.push((start, until));
            }
            month_of(first_of_month(until) - Days::new(1))
        }
    });
    let mut rows = RowsByPeriodAndKey::new();
    let any_whole_month = match (&from_month, &to_month) {
        (Some(from), Some(to)) => from <= to,
        _ => true,
    };
    if any_whole_month {
        for (month, key, [incidents, people, without_count]) in
            store.aggregates(dimension, from_month.as_deref(), to_month.as_deref())?
        {
            let row = row_of(&mut rows, &period.label_of_month(&month), &key);
            row.incidents += incidents.max(0) as u64;
            row.people_affected += people.max(0) as u64;
            row.incidents_without_count += without_count.max(0) as u64;
        }
    }
    // A day's margin either side: the time index is by UTC timestamp, the days are local.
    let margin_secs = 86_400;
    let mut counted = BTreeSet::new();
    for (first, last) in partial_months {
        let from = first
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp()
            - margin_secs;
        let to = last
            .and_hms_opt(23, 59, 59)
            .expect("end of day")
            .and_utc()
            .timestamp()
            + margin_secs;
        for id in store.incident_ids_between(from, to)? {
            let Some(incident) = store.incident(&id)? else {
                continue;
            };
            let day = incident.first_reported.date_naive();
            if day < first || day > last || !counted.insert(id) {
                continue;
            }
            let label = period.label(&incident.first_reported);
            for key in trend_keys(&incident, by) {
                count_incident(row_of(&mut rows, &label, &key), &incident);
            }
        }
    }
    Ok(rows.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_every_key_period_and_date_both_ways() {
        for key in TrendKey::ALL {
            assert_eq!(TrendKey::from_id(key.id()), Some(key));
        }
        assert_eq!(TrendKey::from_id("data_type"), Some(TrendKey::DataType));
        assert_eq!(TrendKey::from_id("type"), Some(TrendKey::DataType));
        for period in Period::ALL {
            assert_eq!(Period::from_id(period.id()), Some(period));
        }
        for when in When::ALL {
            assert_eq!(When::from_id(when.id()), Some(when));
        }
        assert_eq!(Period::from_id("week"), None);
    }

    #[test]
    fn months_are_labelled_by_their_period() {
        assert_eq!(Period::Quarter.label_of_month("2023-08"), "2023-Q3");
        assert_eq!(Period::Year.label_of_month("2023-08"), "2023");
        assert_eq!(Period::All.label_of_month("2023-08"), "all");
        assert_eq!(Period::Month.label_of_month("2023-08"), "2023-08");
    }
}
