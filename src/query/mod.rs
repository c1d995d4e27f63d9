//! Questions asked of the store, answered as plain structs. Reads only through `store`.
//!
//! * [`incidents`], [`incident`], [`related`] and the views the contract gives them in
//!   ([`IncidentView`], [`SourceView`]).
//! * [`Filter`] and [`FilterSpec`]: filters, and the one parser of their text that the
//!   command line and the API share (`filter.rs`).
//! * [`incident_detail`], [`dismissed`], [`corrected_fields`]: what analysts' corrections
//!   left on incidents (`corrections.rs`).
//! * [`trends`], [`trends_for`] and the ids of trend keys, periods and dates (`trend.rs`).
//! * [`review`]: the review queue, what most needs a person.

mod corrections;
mod filter;
pub mod review;
mod trend;

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::model::{Affected, Incident, Related};
use crate::model::{Cause, DataType, Occurred};
use crate::store::{Store, StoreError};

pub use corrections::{
    applied, corrected_fields, current_id, dismissed, incident_detail, IncidentDetail,
};
pub use filter::{parse_day, Filter, FilterError, FilterSpec};
pub use trend::{
    trends, trends_by_occurred, trends_for, Period, TrendKey, TrendQuery, TrendRow, When,
    UNKNOWN_PERIOD,
};

/// How far apart (days) the first reports of two related incidents may be.
pub const RELATED_DAYS: i64 = 180;

/// One incident as people read it: stored (or dismissed by an analyst), with its related
/// incidents worked out.
///
/// # Errors
///
/// When the store cannot be read.
pub fn incident(store: &Store, id: &str) -> Result<Option<Incident>, StoreError> {
    let Some(mut incident) = store.incident(id)?.or(store.dismissed_incident(id)?) else {
        return Ok(None);
    };
    incident.related = related(store, &incident)?;
    Ok(Some(incident))
}

/// Incidents at other forces first reported within [`RELATED_DAYS`] of `incident` that look
/// like the same attack or failure hitting them too: they name the same supplier, or an
/// article reports both and both happened at a supplier, with compatible causes. Matching
/// keeps them apart (it never merges different forces, and one supplier's attack often
/// reaches forces weeks apart); this says they belong together. A round-up sharing an
/// article is not enough: it retells breaches that have nothing else in common.
/// Oldest first. Reads the incidents first reported in the window, through the time index.
///
/// # Errors
///
/// When the store cannot be read.
pub fn related(store: &Store, incident: &Incident) -> Result<Vec<Related>, StoreError> {
    let first_reported = incident.first_reported.timestamp();
    let window_secs = RELATED_DAYS * 86_400;
    let articles: HashSet<&str> = incident
        .sources
        .iter()
        .map(|s| s.article_key.as_str())
        .collect();
    let mut found = Vec::new();
    for id in
        store.incident_ids_between(first_reported - window_secs, first_reported + window_secs)?
    {
        if id == incident.id {
            continue;
        }
        let Some(other) = store.incident(&id)? else {
            continue;
        };
        if other.forces.iter().any(|f| incident.forces.contains(f)) {
            continue;
        }
        let why = match (&incident.supplier, &other.supplier) {
            (Some(supplier), Some(other_supplier))
                if supplier.trim().eq_ignore_ascii_case(other_supplier.trim()) =>
            {
                Some(format!("same supplier: {supplier}"))
            }
            _ if incident.third_party == Some(true)
                && other.third_party == Some(true)
                && crate::dedup::causes_compatible(incident.cause, other.cause)
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
            found.push(Related {
                id: other.id,
                forces: other.forces,
                first_reported: other.first_reported,
                why,
            });
        }
    }
    found.sort_by(|a, b| (a.first_reported, &a.id).cmp(&(b.first_reported, &b.id)));
    Ok(found)
}

/// Incidents matching `filter`, newest first (by the time index).
///
/// # Errors
///
/// When the store cannot be read.
pub fn incidents(store: &Store, filter: &Filter) -> Result<Vec<Incident>, StoreError> {
    // The index is by UTC time, `since` a local day: read on 14 hours before its midnight.
    let stop_before = filter.since.map(|since| {
        since
            .and_hms_opt(0, 0, 0)
            .map(|midnight| midnight.and_utc().timestamp())
            .unwrap_or(i64::MIN)
            - 14 * 3600
    });
    let mut matched = Vec::new();
    for entry in store.incident_ids_newest_first() {
        let (first_reported, id) = entry?;
        if stop_before.is_some_and(|stop| first_reported < stop) {
            break;
        }
        let Some(incident) = store.incident(&id)? else {
            continue;
        };
        if filter.matches(&incident) {
            matched.push(incident);
            if filter.limit.is_some_and(|limit| matched.len() >= limit) {
                break;
            }
        }
    }
    Ok(matched)
}

/// A source as the contract lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceView {
    /// The article's URL exactly as the feed or input gave it.
    pub url: String,
    /// Its canonical form, when it differs.
    pub canonical_url: Option<String>,
    /// The headline.
    pub title: String,
    /// When the article was published, where known.
    pub published: Option<DateTime<FixedOffset>>,
    /// The outlet that published it.
    pub outlet: String,
}

/// An incident as `incidents --format json` and `/api/incidents` give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    /// The stable id, `<first force>-<yyyy-mm>-<hash>`.
    pub id: String,
    /// The headline of the earliest source.
    pub title: String,
    /// The force ids, as in the filters.
    pub forces: Vec<String>,
    /// The forces' names, in the order of `forces`.
    pub force_names: Vec<String>,
    /// The types of data exposed.
    pub data_types: Vec<DataType>,
    /// The types of data the reports say were not exposed.
    pub not_exposed: Vec<DataType>,
    /// The best-supported figure of people or records affected.
    pub affected: Option<Affected>,
    /// What caused it.
    pub cause: Cause,
    /// Whether it happened at a supplier, where stated.
    pub third_party: Option<bool>,
    /// The supplier, where named.
    pub supplier: Option<String>,
    /// When it was first reported.
    pub first_reported: DateTime<FixedOffset>,
    /// When its latest dated source was published.
    pub last_reported: DateTime<FixedOffset>,
    /// When the breach happened, as reported: `{"year", "month", "day"}` or null.
    #[serde(default)]
    pub occurred: Option<Occurred>,
    /// How many later developments (fines, arrests...) its timeline has.
    pub developments: usize,
    /// Its sources.
    pub sources: Vec<SourceView>,
}

impl From<&Incident> for IncidentView {
    fn from(incident: &Incident) -> Self {
        IncidentView {
            id: incident.id.clone(),
            title: incident.title.clone(),
            forces: incident.forces.clone(),
            force_names: incident.force_names.clone(),
            data_types: incident.data_types.clone(),
            not_exposed: incident.not_exposed.clone(),
            affected: incident.affected.clone(),
            cause: incident.cause,
            third_party: incident.third_party,
            supplier: incident.supplier.clone(),
            first_reported: incident.first_reported,
            last_reported: incident.last_reported,
            occurred: incident.occurred,
            developments: incident.timeline.len(),
            sources: incident
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
