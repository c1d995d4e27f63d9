//! Extraction stage: decides whether an article reports a police data breach and extracts facts.
//!
//! Self-contained: no I/O, and of the crate only [`crate::model`]'s vocabulary. The gazetteer
//! and the lexicons are embedded from `data/` and parsed once.
//!
//! # Layout
//!
//! * `text` splits the document into sentences; `phrases` matches phrase lists word by word;
//!   `lexicon` holds the tag vocabularies of `data/lexicon/` and scans a document once for all
//!   of them.
//! * `forces` finds the police bodies named (gazetteer, descriptive names, the department
//!   rule); `numbers` reads counts and sums of money; [`dates`] and `occurred` read dates.
//! * `sentence` reads one sentence: its facts, the role of each body named, how strongly it
//!   makes a body a breach's victim.
//! * `assembly` walks the sentences, attributes their facts to bodies and builds the reports.

mod assembly;
pub mod dates;
mod forces;
mod lexicon;
mod numbers;
mod occurred;
mod phrases;
mod sentence;
mod text;

use serde::{Deserialize, Serialize};

use crate::model::{
    Cause, CountFact, DataType, DevelopmentFact, Fact, Occurred, Span, StoredReport,
};

/// One article to extract from.
#[derive(Debug, Clone)]
pub struct ArticleInput<'a> {
    /// Where the article was read (not used by extraction itself; kept for callers' records).
    pub url: &'a str,
    /// The headline.
    pub title: &'a str,
    /// Clean plain text, paragraphs separated by '\n'.
    pub text: &'a str,
    /// The outlet's name: a press release names its force only here.
    pub source: &'a str,
    /// When the article was published: no breach date stated in it may be later.
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// The document all spans point into: title + "\n\n" + text.
pub fn document(title: &str, text: &str) -> String {
    let mut s = String::with_capacity(title.len() + text.len() + 2);
    s.push_str(title);
    s.push_str("\n\n");
    s.push_str(text);
    s
}

/// Whether a feed item's title or summary could be about a police data breach: it names a
/// police body of the gazetteer, or uses a breach word ("breach", "leaked", "fined", a data
/// type, a cause). Cheap, and generous: it only decides whether a summary-only item's page is
/// worth fetching; [`extract`] decides relevance.
pub fn could_be_police_breach(title: &str, summary: &str) -> bool {
    let doc = document(title, summary);
    let scan = lexicon::scan(&doc);
    let [any_case, exact_case, _, _] = &scan.forces;
    !any_case.is_empty()
        || !exact_case.is_empty()
        || !scan.types.is_empty()
        || !scan.causes.is_empty()
        || scan.cues.iter().any(|h| {
            matches!(
                h.tag,
                lexicon::Cue::Breach
                    | lexicon::Cue::Exposure
                    | lexicon::Cue::Penalty
                    | lexicon::Cue::SelfReport
            )
        })
}

/// The sentences of a [`document`] as extraction splits it: every fact's span is one of
/// them, and a force's evidence (the name as written) lies inside one.
pub fn sentences(document: &str) -> Vec<Span> {
    text::split(document, 0)
        .into_iter()
        .map(|s| Span {
            start: s.start,
            end: s.end,
        })
        .collect()
}

/// Run extraction. Never fails, never panics, no I/O.
pub fn extract(input: &ArticleInput) -> Extraction {
    let r = std::panic::catch_unwind(|| {
        let mut x = assembly::run(input);
        occurred::fill(input, &mut x);
        x
    });
    match r {
        Ok(x) => x,
        Err(_) => Extraction {
            relevant: false,
            reason: "internal error during extraction".to_string(),
            reports: Vec::new(),
            warnings: vec!["extractor panicked; article treated as not relevant".to_string()],
        },
    }
}

/// Canonical name for a UK force id.
pub fn force_name(id: &str) -> Option<&'static str> {
    forces::force_name(id)
}

/// Every UK police body of the gazetteer's file, (id, canonical name): the bodies a source
/// can be the newsroom of, the NCA included.
pub fn uk_bodies() -> Vec<(&'static str, &'static str)> {
    forces::uk_bodies()
}

/// Canonical name of any UK body of the gazetteer's file (see [`uk_bodies`]).
pub fn body_name(id: &str) -> Option<&'static str> {
    forces::body_name(id)
}

/// Whether a force id can name a body: one of the UK gazetteer's file (see [`uk_bodies`]),
/// or of the form `<country code>-<slug>` that bodies elsewhere take (the contract's ids).
pub fn is_body_id(id: &str) -> bool {
    if body_name(id).is_some() {
        return true;
    }
    let bytes = id.as_bytes();
    bytes.len() > 3
        && bytes[..2].iter().all(u8::is_ascii_lowercase)
        && bytes[2] == b'-'
        && bytes[3..]
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !id.ends_with('-')
}

/// All UK police bodies in the gazetteer: (id, canonical name).
pub fn all_uk_forces() -> Vec<(&'static str, &'static str)> {
    forces::all_uk_forces()
}

/// What extraction made of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The article reports at least one police data breach.
    pub relevant: bool,
    /// Why relevant or not, for humans.
    pub reason: String,
    /// One report per incident the article tells of, in order of first mention.
    pub reports: Vec<Report>,
    /// What the reader should know about how the facts were read.
    pub warnings: Vec<String>,
}

/// One incident reported by the article: the extractor's output. What is stored of it is
/// [`crate::model::StoredReport`] (see `From<Report>` below), so this type may change freely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Force ids, sorted, deduped.
    pub forces: Vec<String>,
    /// Where the forces are named, sorted.
    pub force_evidence: Vec<Span>,
    /// Data types exposed, each with the sentence first stating it.
    pub data_types: Vec<Fact<DataType>>,
    /// Data types the article says were not exposed.
    pub not_exposed: Vec<Fact<DataType>>,
    /// Every main-population figure stated, best first.
    pub counts: Vec<CountFact>,
    /// The cause, or [`Cause::Unknown`] with no span.
    pub cause: Fact<Cause>,
    /// Whether a supplier or contractor was involved; `None` when neither that nor a cause
    /// is stated.
    pub third_party: Option<bool>,
    /// The supplier's name, when the article gives it.
    pub supplier: Option<String>,
    /// What happened since (fines, arrests, apologies, ...), one per kind, in text order.
    pub developments: Vec<DevelopmentFact>,
    /// When the breach itself happened, as the article states it (see `occurred.rs` for what
    /// counts); `None` when it says no date of the breach. Records stored before this field
    /// existed decode with `None` (see `crate::model` for the compatibility rule).
    #[serde(default)]
    pub occurred: Option<Occurred>,
}

impl From<Report> for StoredReport {
    fn from(r: Report) -> StoredReport {
        StoredReport {
            forces: r.forces,
            force_evidence: r.force_evidence,
            data_types: r.data_types,
            not_exposed: r.not_exposed,
            counts: r.counts,
            cause: r.cause,
            third_party: r.third_party,
            supplier: r.supplier,
            developments: r.developments,
            occurred: r.occurred,
        }
    }
}

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod real_text_tests;
#[cfg(test)]
mod tests;
