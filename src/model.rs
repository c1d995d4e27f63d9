//! The records the pipeline stores and the queries return.
//!
//! Every type here that derives serde is a compatibility boundary: it is what sled holds
//! and what `--format json` prints. Articles, incidents and source states are stored as JSON,
//! report records as MessagePack with named fields (see `crate::store::RecordFormat`), and
//! profiles in a layout of their own (`crate::store::profile`).
//!
//! # The compatibility rule
//!
//! A database written by any release since schema 5 opens in every later build and answers
//! the same (`tests/it/golden.rs` holds each build to the databases in `tests/golden/`). The
//! stored encodings name every field and every enum variant, so that:
//!
//! - **A field may be added** to a stored type (here or in `crate::extract::Report` and what it
//!   holds) if records without it still decode: an `Option`, or `#[serde(default)]`. Old
//!   records read with the default; old builds ignore the new field.
//! - **An enum variant may be added** anywhere in the declaration: variants are stored by
//!   their serde names (`snake_case` ids) in JSON and MessagePack, and by explicit stable
//!   codes (`DataType::code` and the like) in profiles and type masks. Never change or reuse
//!   a code, and never rename a variant's id.
//! - **Renaming or removing a field, changing its type, or changing an id** breaks old
//!   records: keep the old name with `#[serde(alias)]`, or bump
//!   [`crate::store::SCHEMA_VERSION`] and migrate in `crate::store::Store::open`.
//! - After any such change, run `scripts/golden.sh` with the new build to add a fixture for
//!   the new schema (never regenerate an old one).

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::extract::{
    Cause, DataType, DevelopmentKind, Extraction, Occurred, Qualifier, Report, Span, Unit,
};

/// An article as received, with its raw text kept so later stages can be re-run from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Our stable key (see [`crate::canon::article_key`]).
    pub key: String,
    /// The link exactly as the source gave it (a `urn:breachwatch:` id when it had none).
    pub url: String,
    pub canonical_url: Option<String>,
    pub title: String,
    pub published: Option<DateTime<FixedOffset>>,
    /// The outlet.
    pub source: String,
    /// The configured source it came from, if it was polled.
    pub source_id: Option<String>,
    /// Plain text or HTML, as received.
    pub text: String,
    pub fetched_at: DateTime<Utc>,
}

impl Article {
    /// The time the article counts from: its publication, else when we first saw it.
    pub fn when(&self) -> DateTime<FixedOffset> {
        self.published
            .unwrap_or_else(|| self.fetched_at.fixed_offset())
    }
}

/// What the pipeline derives from one article. Not stored as such (see
/// `crate::pipeline::process`); `reprocess` derives it again from the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub article_key: String,
    /// `extract::document(title, clean text)`: the string every span points into; the
    /// report records cut their sentences from it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
    pub extraction: Extraction,
    /// MinHash signature of the article's shingles, for near-duplicate detection.
    pub minhash: Vec<u32>,
    /// The earlier-keyed article this one is a syndicated or spun copy of, if any.
    pub near_duplicate_of: Option<String>,
    /// The publication date the article counts from (see [`DateSource`]); `None`: unknown.
    #[serde(default)]
    pub published: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub published_from: DateSource,
}

impl Analysis {
    /// The time the article counts from: its publication date, from the item or its text,
    /// else when it was fetched (an undated article, see [`crate::dedup::undated`]).
    pub fn when(&self, article: &Article) -> DateTime<FixedOffset> {
        self.published
            .unwrap_or_else(|| article.fetched_at.fixed_offset())
    }
}

/// Where an article's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The item carried it: a feed entry's date, JSONL `published`, a page's metadata.
    Feed,
    /// Read from the text: a labelled date ("Published: 14:05 09/08/2023") or a dateline.
    Text,
    /// Neither: the article is undated.
    #[default]
    Unknown,
}

impl DateSource {
    pub fn id(&self) -> &'static str {
        match self {
            DateSource::Feed => "feed",
            DateSource::Text => "text",
            DateSource::Unknown => "unknown",
        }
    }
}

/// One incident report of one article, self-contained: what matching and incident building
/// need, with the sentence of every fact already cut from the document. Written once, when
/// the article is processed; merging reads these and never loads an article or analysis, so
/// the cost of re-clustering a candidate incident does not grow with the size of its texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    /// The article, as incidents list it.
    pub source: SourceRef,
    /// [`Article::when`].
    pub when: DateTime<FixedOffset>,
    /// Position of the report in its article's extraction.
    pub index: usize,
    /// How many different stories the article's reports tell (a joint mention of two forces
    /// is one story): a round-up often retells old incidents.
    pub siblings: usize,
    /// The most similar article stored before this one, if it is a syndicated or spun copy of
    /// it. Depends on what was stored first, so matching uses it only for records written
    /// before `minhash` was kept.
    pub near_duplicate_of: Option<String>,
    /// The article's MinHash signature (see [`crate::dedup::minhash`]): matching compares it
    /// with the members' to tell copies of one story, the same way whichever came first.
    /// Empty in records written before it was kept (`reprocess` fills it in).
    #[serde(default, with = "hex_signature")]
    pub minhash: Vec<u32>,
    pub report: Report,
    /// The sentence of every span in `report`, sorted by span.
    pub sentences: Vec<(Span, String)>,
}

impl ReportRecord {
    pub fn when(&self) -> DateTime<FixedOffset> {
        self.when
    }
    /// The sentence a fact came from; empty when it has no span.
    pub fn sentence(&self, span: Option<&Span>) -> String {
        span.and_then(|s| {
            self.sentences
                .binary_search_by(|(k, _)| k.cmp(s))
                .ok()
                .map(|i| self.sentences[i].1.clone())
        })
        .unwrap_or_default()
    }
}

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

/// A report of one article that belongs to an incident.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Member {
    pub article_key: String,
    pub report: usize,
    /// The report's first force and its article's time (Unix seconds): where its record is
    /// stored (see [`crate::store::keys::report`]).
    pub force: String,
    pub at: i64,
}

/// A signature as one hex string (8 digits a value): a third of the JSON of a number list,
/// and faster to read back.
mod hex_signature {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use std::fmt::Write;

    pub fn serialize<S: Serializer>(sig: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(sig.len() * 8);
        for v in sig {
            write!(out, "{v:08x}").expect("writing to a string");
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse(&text).ok_or_else(|| D::Error::custom("a signature is 8 hex digits a value"))
    }

    /// A signature from its stored text (also read by the store's bincode-era reader).
    pub fn parse(text: &str) -> Option<Vec<u32>> {
        if !text.len().is_multiple_of(8) || !text.is_ascii() {
            return None;
        }
        (0..text.len())
            .step_by(8)
            .map(|i| u32::from_str_radix(&text[i..i + 8], 16).ok())
            .collect()
    }
}

/// A MinHash signature from its stored text (8 hex digits a value), if it is one.
pub(crate) fn parse_signature(text: &str) -> Option<Vec<u32>> {
    hex_signature::parse(text)
}

impl ReportRecord {
    /// The force its record is filed under: its first force (`-` when it names none).
    pub fn filing_force(&self) -> &str {
        self.report.forces.first().map_or("-", String::as_str)
    }
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
    /// [`crate::dedup::Types`] masks): what candidate matching compares. Set by
    /// [`crate::dedup::build_incident`] for the index profile; not stored.
    #[serde(skip)]
    pub member_causes: Vec<Cause>,
    #[serde(skip)]
    pub member_types: Vec<u32>,
}

/// Per-source polling state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    /// When validators were last ignored for an unconditional fetch.
    pub last_full_refresh: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub last_error: Option<String>,
    pub next_due: Option<DateTime<Utc>>,
    pub items_seen: u64,
    pub articles_new: u64,
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
    /// The distinct lists of exposed data the members gave, as [`crate::dedup::Types`] masks.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_signature_is_stored_as_hex_and_read_back() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct S {
            #[serde(default, with = "hex_signature")]
            sig: Vec<u32>,
        }
        let s = S {
            sig: vec![0, 1, 0xdead_beef, u32::MAX],
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"sig":"0000000000000001deadbeefffffffff"}"#);
        assert_eq!(serde_json::from_str::<S>(&json).unwrap(), s);
        // Records written before signatures were kept have none.
        assert_eq!(
            serde_json::from_str::<S>("{}").unwrap().sig,
            Vec::<u32>::new()
        );
        for bad in [
            r#"{"sig":"123"}"#,
            r#"{"sig":"0000000g"}"#,
            r#"{"sig":"ééééé\u00e9é"}"#,
        ] {
            assert!(serde_json::from_str::<S>(bad).is_err(), "{bad}");
        }
    }
}
