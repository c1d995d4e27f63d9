//! Report records: one incident report of one article, as stored and as merging reads it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::incident::SourceRef;
use super::vocab::{Cause, CountFact, DataType, DevelopmentFact, Fact, Occurred, Span};

/// One incident report of one article, self-contained: what matching and incident building
/// need, with the sentence of every fact already cut from the document. Written once, when
/// the article is processed; merging reads these and never loads an article or analysis, so
/// the cost of re-clustering a candidate incident does not grow with the size of its texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    /// The article, as incidents list it.
    pub source: SourceRef,
    /// [`crate::model::Article::when`].
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
    /// The report's facts.
    pub report: StoredReport,
    /// The sentence of every span in `report`, sorted by span.
    pub sentences: Vec<(Span, String)>,
}

/// The facts of one report as stored in its record: the extractor's
/// [`crate::extract::Report`] as it was when written, in a type of its own so that a change to
/// the extractor's output never changes what is stored without a change here.
///
/// A field added here must be an `Option` or carry `#[serde(default)]`, so that records
/// written before it still read (the compatibility rule is in [`crate::model`]'s module doc;
/// `store::golden` tests hold it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    /// Force ids, sorted, deduped.
    pub forces: Vec<String>,
    /// Where each force is named (the name as written).
    pub force_evidence: Vec<Span>,
    /// What was exposed.
    pub data_types: Vec<Fact<DataType>>,
    /// What the report says was *not* exposed.
    pub not_exposed: Vec<Fact<DataType>>,
    /// Every main-population figure stated, best first.
    pub counts: Vec<CountFact>,
    /// Why it happened.
    pub cause: Fact<Cause>,
    /// Whether a third party (a supplier, a contractor) held the data.
    pub third_party: Option<bool>,
    /// The supplier named, if any.
    pub supplier: Option<String>,
    /// Fines, arrests, revised figures... the report tells of.
    pub developments: Vec<DevelopmentFact>,
    /// When the breach itself happened, as the article states it. Records stored before
    /// this field existed decode with `None`.
    #[serde(default)]
    pub occurred: Option<Occurred>,
}

impl ReportRecord {
    /// The time the report counts from (its article's publication, else when it was read).
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

impl ReportRecord {
    /// The force its record is filed under: its first force (`-` when it names none).
    pub fn filing_force(&self) -> &str {
        self.report.forces.first().map_or("-", String::as_str)
    }
}

/// A report of one article that belongs to an incident.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Member {
    /// The article's key.
    pub article_key: String,
    /// The report's position in its article's extraction.
    pub report: usize,
    /// The report's first force and its article's time (Unix seconds): where its record is
    /// stored (see [`crate::store::keys::report`]).
    pub force: String,
    /// Unix seconds of the report's time; with `force`, where its record is filed.
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
