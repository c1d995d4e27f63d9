//! Incidents: one breach merged from every report of it, and the index profile that
//! candidate matching reads instead of the whole incident.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::record::Member;
use super::vocab::{Cause, DataType, DevelopmentKind, Occurred, Qualifier, Unit};

/// The best-supported affected figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    pub count: u64,
    pub qualifier: Qualifier,
    pub unit: Unit,
}

/// An article that reports an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Exactly as the feed or input gave it.
    pub url: String,
    pub canonical_url: Option<String>,
    pub title: String,
    pub published: Option<DateTime<FixedOffset>>,
    pub outlet: String,
    pub article_key: String,
}

/// An incident at another force that is related to this one: one supplier's breach that hit
/// both, told as two incidents because the forces differ (and often the dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub id: String,
    pub forces: Vec<String>,
    pub first_reported: DateTime<FixedOffset>,
    /// Why, in words: "same supplier: X", or "reported together, both at a supplier".
    pub why: String,
}

/// One figure some source claimed, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub count: u64,
    pub qualifier: Qualifier,
    pub unit: Unit,
    pub url: String,
    pub published: Option<DateTime<FixedOffset>>,
    pub sentence: String,
    /// Why this figure ranks where it does (official, regulator, estimate...).
    pub weight: i32,
}

/// Why the tool believes a fact: the field, the value and the sentence it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `data_type`, `not_exposed`, `cause`, `force`.
    pub field: String,
    pub value: String,
    pub url: String,
    pub sentence: String,
}

/// A later development: fine, reprimand, arrest, lawsuit, revised count...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Development {
    pub date: Option<DateTime<FixedOffset>>,
    pub kind: DevelopmentKind,
    /// Money in minor units (pence, cents), where stated.
    pub amount_minor: Option<u64>,
    pub currency: Option<String>,
    pub url: String,
    pub sentence: String,
}

/// One breach, merged from every report of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    /// The headline of the earliest source.
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
    /// When the breach itself happened, as its reports state it (see
    /// [`crate::dedup::build_incident`]); `None` when none says.
    #[serde(default)]
    pub occurred: Option<Occurred>,
    /// Oldest first.
    pub sources: Vec<SourceRef>,
    /// Every claimed figure, best first.
    pub figures: Vec<Figure>,
    pub evidence: Vec<Evidence>,
    /// Oldest first.
    pub timeline: Vec<Development>,
    /// Where sources disagree, in words.
    pub conflicts: Vec<String>,
    pub members: Vec<Member>,
    /// Incidents at other forces that look like the same attack or failure hitting them too
    /// (see [`crate::query::related`]). Worked out when the incident is read, never stored:
    /// it depends on other incidents, which change on their own.
    #[serde(default)]
    pub related: Vec<Related>,
    /// Whether the earliest member may join a report much older than itself (it brings a
    /// development, or comes from a round-up): such incidents are also indexed by first
    /// report, so an older report ingested later still finds them. Set by
    /// [`crate::dedup::build_incident`]; not stored.
    #[serde(skip)]
    pub opens_late: bool,
    /// Every member's cause, and the distinct lists of exposed data its members gave (as
    /// [`crate::model::Types`] masks): what candidate matching compares. Set by
    /// [`crate::dedup::build_incident`] for the index profile; not stored.
    #[serde(skip)]
    pub member_causes: Vec<Cause>,
    #[serde(skip)]
    pub member_types: Vec<u32>,
}

/// The few facts of an incident that candidate matching, re-clustering and removal need, kept
/// as the value of the force/month index (see [`crate::store`]'s binary encoding) so merging
/// decodes no full incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentProfile {
    pub id: String,
    pub forces: Vec<String>,
    pub cause: Cause,
    pub types: Vec<DataType>,
    /// Unix seconds.
    pub first: i64,
    pub last: i64,
    /// The best figure, for telling apart two breaches at one force.
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub count_unit: Option<Unit>,
    /// Whether any report brought a development (fine, reprimand...).
    #[serde(default)]
    pub follow_up: bool,
    /// Every member's cause (`cause` is only the most specific).
    #[serde(default)]
    pub causes: Vec<Cause>,
    /// The distinct lists of exposed data the members gave, as [`crate::model::Types`] masks.
    #[serde(default)]
    pub member_types: Vec<u32>,
    /// The reports that make up the incident (empty in schema 4 profiles).
    #[serde(default)]
    pub members: Vec<Member>,
    /// The UTC offset of the first report's time, in seconds: its month (in its own time
    /// zone) is the incident's month in the trend counters.
    #[serde(default)]
    pub first_offset: i32,
}

impl IncidentProfile {
    /// The month the incident counts under in the trend counters: that of its first report,
    /// in that report's time zone (`yyyy-mm`).
    pub fn month(&self) -> String {
        let offset = chrono::FixedOffset::east_opt(self.first_offset)
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
        DateTime::from_timestamp(self.first, 0)
            .unwrap_or_default()
            .with_timezone(&offset)
            .format("%Y-%m")
            .to_string()
    }
}

impl Incident {
    /// The index profile of this incident.
    pub fn profile(&self) -> IncidentProfile {
        IncidentProfile {
            id: self.id.clone(),
            forces: self.forces.clone(),
            cause: self.cause,
            types: self.data_types.clone(),
            first: self.first_reported.timestamp(),
            last: self.last_reported.timestamp(),
            count: self.affected.as_ref().map(|a| a.count),
            count_unit: self.affected.as_ref().map(|a| a.unit),
            // An undated member, like a development, may join a story from any distance
            // (see `dedup::undated`): the candidate filters must not rule it out by time.
            follow_up: self
                .timeline
                .iter()
                .any(|d| d.kind != DevelopmentKind::Apology)
                || self.sources.iter().any(|s| s.published.is_none()),
            causes: self.member_causes.clone(),
            member_types: self.member_types.clone(),
            members: self.members.clone(),
            first_offset: self.first_reported.offset().local_minus_utc(),
        }
    }
}
