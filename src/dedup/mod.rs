//! Pure: near-duplicate detection and the merging of reports into incidents. No I/O: what
//! merging reads of the stored incidents comes through [`MergeSource`], and what it changes
//! goes back as an [`IncidentUpdate`]. Imports only [`crate::model`].
//!
//! # The matching model
//!
//! * Records: each report of a breach article becomes a self-contained
//!   [`ReportRecord`](crate::model::ReportRecord) ([`AnalysedArticle::records`]): its facts,
//!   the sentences they came from, its article's metadata and signature. Clustering and
//!   incident building read nothing else.
//! * Near duplicates: word 3-shingles of the normalised text and a 64-value MinHash signature
//!   ([`minhash`]). Two articles are copies of one story when their signatures are similar
//!   and they were published within [`COPY_DAYS`] of each other ([`copies`]): a symmetric
//!   relation, so it does not matter which was stored first. Each report record carries its
//!   article's signature, and clustering compares it with the members'; stored articles are
//!   searched only among breach articles on the same force within [`COPY_DAYS`] (blocking by
//!   force and time, [`Merge::similar_articles`]), never the whole store. Syndicated copies
//!   score ~0.8 Jaccard; spun (synonym-garbled) copies ~0.3.
//! * Matching: a report joins a cluster only when the forces agree (never different forces),
//!   the causes are compatible ([`causes_compatible`]), the artefacts agree (a stolen laptop
//!   is not a lost notebook), the data agree, and the timing fits: a report more than
//!   [`FRESH_DAYS`] after the first one must bring a development (a fine, a reprimand, an
//!   arrest...: [`is_follow_up`]) or retell the story in a round-up, and one weeks after the
//!   coverage must agree on its cause and data or figure. An [`undated`] report joins on its
//!   facts alone. A copy of a member joins unless it contradicts the story.
//! * Clustering ([`cluster()`]) takes the reports in a canonical order (publication time,
//!   article key, report index; undated ones last), each joining the cluster it fits best or
//!   opening its own. [`build_incident`] then votes a cluster's facts; an incident's id
//!   derives from its earliest member ([`incident_id`]).
//! * Merging ([`Merge`]) puts a new article's reports into the stored incidents: it
//!   re-clusters them with only the stored incidents they could meet, found by loose
//!   pre-filters over the incidents' profiles ([`may_join`] one way, [`may_join_before`] and
//!   [`may_meet`] the other), and widens that set while re-clustering moves stored reports.
//!
//! # Invariants
//!
//! * The incidents are a function of the set of reports: clustering does not depend on the
//!   order of its inputs, and ids on nothing but the earliest member.
//! * Merging reports one at a time, in any order, gives what clustering them all at once
//!   gives. It rests on the candidate filters passing every stored incident a new report
//!   could end up in one incident with (tested on random sets of reports with the filters),
//!   and on the widening; the property tests of the merge check the whole of it against an
//!   in-memory [`MergeSource`] (with the limits they state).
//! * Never across forces: a report joins only a cluster naming exactly its forces, or, as a
//!   copy of a member, one sharing a force.
//!
//! # Layout
//!
//! `signature` (MinHash, similarity, copies), `rules` (the matching rules), `filters` (the
//! candidate pre-filters), `cluster` (clustering), `incident` (building an incident),
//! `records` (report records of an article), `merge` (the incremental merge).

mod cluster;
mod filters;
mod incident;
mod merge;
mod records;
mod rules;
mod signature;

#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod test_reports;

pub use cluster::cluster;
pub use filters::{may_join, may_join_before, may_meet};
pub use incident::{build_incident, incident_id};
pub use merge::{IncidentUpdate, IndexedIncident, Merge, MergeSource, MAX_WIDENINGS};
pub use records::{display_title, AnalysedArticle};
pub use rules::{causes_compatible, is_follow_up, undated, CLOSE_DAYS, FRESH_DAYS};
pub use signature::{
    copies, copy_keys, minhash, similarity, similarity_stored, COPY_DAYS, MINHASH_LEN,
    NEAR_DUP_THRESHOLD,
};
