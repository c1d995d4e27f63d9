//! The maintained trend counters (`agg/`): per dimension (`force`, `data-type`, `cause`),
//! month and key, how many incidents were first reported, how many people they affected and
//! how many had no figure. Writing or removing an incident changes its counters
//! ([`WriteSet::count_incident`]); the changes are summed while staged and added to the stored
//! values at commit, by the single writer.
//!
//! Value: the three counts as little-endian `i64`s; a counter that drops to no incidents is
//! deleted.

use std::collections::BTreeMap;

use crate::model::IncidentProfile;

use super::{keys, Store, StoreError, WriteSet};

/// Counts of one counter key, or changes to them: incidents, people affected, incidents
/// without a figure.
pub(super) type Counts = [i64; 3];

/// The trend counters one incident contributes to: per dimension, its first-reported month and
/// each of its keys.
fn counter_keys(inc: &IncidentProfile) -> Vec<Vec<u8>> {
    let month = inc.month();
    let mut out: Vec<Vec<u8>> = inc
        .forces
        .iter()
        .map(|f| keys::aggregate("force", &month, f))
        .collect();
    out.extend(
        inc.types
            .iter()
            .map(|t| keys::aggregate("data-type", &month, t.id())),
    );
    out.push(keys::aggregate("cause", &month, inc.cause.id()));
    out
}

/// Adds a counter change to counters.
pub(super) fn add_counts(to: &mut Counts, change: &Counts) {
    for (t, d) in to.iter_mut().zip(change) {
        *t += d;
    }
}

fn decode_counts(b: &[u8]) -> Counts {
    let mut v = [0i64; 3];
    for (i, c) in b.chunks_exact(8).take(3).enumerate() {
        v[i] = i64::from_le_bytes(c.try_into().expect("8 bytes"));
    }
    v
}

fn encode_counts(counts: &Counts) -> Vec<u8> {
    counts.iter().flat_map(|x| x.to_le_bytes()).collect()
}

impl WriteSet {
    /// Counts an incident in (`sign` 1) or out of (`sign` -1) its trend counters.
    pub(super) fn count_incident(&mut self, inc: &IncidentProfile, sign: i64) {
        let people = inc.count.map_or(0, |c| c as i64);
        let without = inc.count.is_none() as i64;
        for k in counter_keys(inc) {
            let d = self.counter_changes.entry(k).or_default();
            d[0] += sign;
            d[1] += sign * people;
            d[2] += sign * without;
        }
        self.len += 1;
    }
}

impl Store {
    /// Maintained trend counters of a dimension (`force`, `data-type`, `cause`) for months in
    /// `[from, to]` (`yyyy-mm`, inclusive): `(month, key, [incidents, people, without figure])`.
    /// Staged changes are included.
    pub fn aggregates(
        &self,
        dim: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<(String, String, [i64; 3])>, StoreError> {
        let prefix = keys::aggregate_prefix(dim);
        let mut all: BTreeMap<Vec<u8>, Counts> = BTreeMap::new();
        // Held across both reads: a commit in between would count its group twice or not at all.
        let st = self.staged();
        for r in self.tree.scan_prefix(&prefix) {
            let (k, v) = r?;
            all.insert(k.to_vec(), decode_counts(&v));
        }
        for (k, d) in st.counter_changes.iter() {
            if k.starts_with(&prefix) {
                add_counts(all.entry(k.clone()).or_default(), d);
            }
        }
        let mut out = Vec::new();
        for (k, v) in all {
            let (month, key) = keys::aggregate_parts(&k);
            if v[0] <= 0
                || from.is_some_and(|f| month.as_str() < f)
                || to.is_some_and(|t| month.as_str() > t)
            {
                continue;
            }
            out.push((month, key, v));
        }
        Ok(out)
    }

    /// Adds the staged counter changes to the stored counters, into the commit's `batch`.
    /// Only the single writer commits, so the counters are read here and written in the same
    /// batch.
    pub(super) fn add_counter_changes(
        &self,
        batch: &mut sled::Batch,
        changes: &BTreeMap<Vec<u8>, Counts>,
    ) -> Result<(), StoreError> {
        for (k, d) in changes {
            if *d == [0, 0, 0] {
                continue;
            }
            let mut v = self
                .tree
                .get(k)?
                .map(|b| decode_counts(&b))
                .unwrap_or_default();
            add_counts(&mut v, d);
            if v[0] <= 0 {
                batch.remove(k.as_slice());
            } else {
                batch.insert(k.as_slice(), encode_counts(&v));
            }
        }
        Ok(())
    }
}
