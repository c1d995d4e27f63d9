//! Incidents: one breach merged from every report of it, and the index profile that
//! candidate matching reads instead of the whole incident.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::record::Member;
use super::vocab::{Cause, DataType, DevelopmentKind, Occurred, Qualifier, Unit};

/// The best-supported affected figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    /// The number affected.
    pub count: u64,
    /// How exact the number is ("more than", "about"...).
    pub qualifier: Qualifier,
    /// What is counted: people, records or files.
    pub unit: Unit,
}

/// An article that reports an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Exactly as the feed or input gave it.
    pub url: String,
    /// The canonical form of `url`, when it differs.
    pub canonical_url: Option<String>,
    /// The headline, as displayed.
    pub title: String,
    /// The date the article counts from; `None` for an undated article.
    pub published: Option<DateTime<FixedOffset>>,
    /// The outlet that published it.
    pub outlet: String,
    /// The stored article's key (see [`crate::canon::article_key`]).
    pub article_key: String,
}

/// An incident at another force that is related to this one: one supplier's breach that hit
/// both, told as two incidents because the forces differ (and often the dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    /// The related incident's id.
    pub id: String,
    /// Its forces.
    pub forces: Vec<String>,
    /// When it was first reported.
    pub first_reported: DateTime<FixedOffset>,
    /// Why, in words: "same supplier: X", or "reported together, both at a supplier".
    pub why: String,
}

/// One figure some source claimed, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The number claimed.
    pub count: u64,
    /// How exact the source says it is.
    pub qualifier: Qualifier,
    /// What is counted.
    pub unit: Unit,
    /// The article that claimed it.
    pub url: String,
    /// When that article was published, if known.
    pub published: Option<DateTime<FixedOffset>>,
    /// The sentence the figure was read from.
    pub sentence: String,
    /// Why this figure ranks where it does (official, regulator, estimate...).
    pub weight: i32,
}

/// Why the tool believes a fact: the field, the value and the sentence it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `data_type`, `not_exposed`, `cause`, `force`.
    pub field: String,
    /// The fact, as its id (`home_address`, `ransomware`, a force id...).
    pub value: String,
    /// The article it came from.
    pub url: String,
    /// The sentence it was read from.
    pub sentence: String,
}

/// A later development: fine, reprimand, arrest, lawsuit, revised count...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Development {
    /// When the development was reported (the reporting article's date), if known.
    pub date: Option<DateTime<FixedOffset>>,
    /// What happened.
    pub kind: DevelopmentKind,
    /// Money in minor units (pence, cents), where stated.
    pub amount_minor: Option<u64>,
    /// ISO 4217 code of `amount_minor`, where stated.
    pub currency: Option<String>,
    /// The article that reported it.
    pub url: String,
    /// The sentence it was read from.
    pub sentence: String,
}

/// One breach, merged from every report of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id: `<first force>-<yyyy-mm>-<hash of the earliest report>` (see [`crate::dedup::incident_id`]).
    pub id: String,
    /// The headline of the earliest source.
    pub title: String,
    /// Force ids, sorted.
    pub forces: Vec<String>,
    /// The forces' names, in the order of `forces`.
    pub force_names: Vec<String>,
    /// What was exposed, by the weight of its sources.
    pub data_types: Vec<DataType>,
    /// What sources said was *not* exposed.
    pub not_exposed: Vec<DataType>,
    /// The best-supported figure (see `figures` for every claim).
    pub affected: Option<Affected>,
    /// The most specific cause its sources give.
    pub cause: Cause,
    /// Whether a third party (a supplier, a contractor) held the data, where a source says.
    pub third_party: Option<bool>,
    /// The supplier named, if any.
    pub supplier: Option<String>,
    /// When the first source was published (or read, if none is dated).
    pub first_reported: DateTime<FixedOffset>,
    /// When the latest source was published.
    pub last_reported: DateTime<FixedOffset>,
    /// When the breach itself happened, as its reports state it (see
    /// [`crate::dedup::build_incident`]); `None` when none says.
    #[serde(default)]
    pub occurred: Option<Occurred>,
    /// Oldest first.
    pub sources: Vec<SourceRef>,
    /// Every claimed figure, best first.
    pub figures: Vec<Figure>,
    /// Why each fact is believed: the sentence it came from.
    pub evidence: Vec<Evidence>,
    /// Oldest first.
    pub timeline: Vec<Development>,
    /// Where sources disagree, in words.
    pub conflicts: Vec<String>,
    /// The reports that make up the incident; what merging re-clusters.
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
    /// The distinct lists of exposed data its members gave, as [`crate::model::Types`] masks.
    pub member_types: Vec<u32>,
}

/// The few facts of an incident that candidate matching, re-clustering and removal need, kept
/// as the value of the force/month index (see [`crate::store`]'s binary encoding) so merging
/// decodes no full incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentProfile {
    /// The incident's id.
    pub id: String,
    /// Its forces, sorted.
    pub forces: Vec<String>,
    /// Its most specific cause.
    pub cause: Cause,
    /// The data it says were exposed.
    pub types: Vec<DataType>,
    /// Unix seconds.
    pub first: i64,
    /// Unix seconds of its latest report.
    pub last: i64,
    /// The best figure, for telling apart two breaches at one force.
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    /// What `count` counts.
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
