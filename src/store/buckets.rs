//! A read cache of whole index buckets (see [`super::keys::bucket_of`]), and the store's reads
//! through it: a force's month of
//! incident profiles, a force's 12 days of signatures, a force's late-opening incidents.
//!
//! Merging looks up the same buckets again and again: every breach article reads its
//! force's signatures around its date and its force's incidents in the eight months around
//! it, and the next article on that force reads most of them again. sled 0.34's range
//! iterator costs about a microsecond an entry (it re-finds its place in the node for each
//! one), which made these lookups a third of the writer's time on a large store, growing as
//! the store grows. A bucket is read once and then kept up to date: a write set's entries are
//! applied to the cached buckets they fall in as the set is staged (the reports of one story
//! arrive together, and each writes the very buckets the next one reads).
//!
//! Invariant: a cached bucket equals what [`super::Store`]'s merged (staged over stored) view
//! holds under its prefix. Staging a write set changes that view by exactly its entries, which
//! [`Buckets::write`] applies; committing moves staged entries into sled without changing it.
//! A bucket read while a write to it lands is not kept (the generation check), so a reader
//! on another thread than the writer cannot leave a stale bucket behind.
//!
//! A profile bucket's entries are also kept decoded ([`Buckets::decoded`]), tied to the very
//! entries they were decoded from: a write to the bucket decodes the written profile into them
//! (or drops them, if it does not decode), and profiles decoded
//! while a write landed are not kept (the reader's copy of the entries is no longer the
//! cached one: a write copies entries that a reader still holds).
//!
//! Measured (2026-11-28): the writer's candidate lookups for the last 10k of 100k synthetic
//! articles went from 104-117 ms to 67-71 ms, and from 29-36 ms to 15-16 ms for the first
//! 10k. Doing those reads ahead on the analysis workers, to take sled's page-ins off the
//! writer, was tried and did not shorten a run (it added more worker time than it saved).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, MutexGuard};

use sled::IVec;

use super::profile::LazyProfile;
use super::{Store, StoreError};

/// The entries of one bucket, in key order.
pub type Entries = Arc<Vec<(IVec, IVec)>>;

/// The profiles of an `ifm/` or `ifl/` bucket's entries, decoded, in the same order.
pub type Profiles = Arc<Vec<Arc<LazyProfile>>>;

/// Cached bytes (keys and values) above which the cache starts afresh. Decoded profiles, and
/// the member records they keep, come on top, uncounted: 64 MiB took a long ingest's memory
/// past 200 MiB (see [decisions/bounded-memory](../../docs/decisions/bounded-memory.md)).
const MAX_BYTES: usize = 8 << 20;

/// The cache: whole buckets by bucket key, kept equal to the merged view (see the module
/// docs).
#[derive(Default)]
pub struct Buckets {
    map: HashMap<Vec<u8>, Entries>,
    bytes: usize,
    /// Bumped by every write to a cached index...
    generation: u64,
    /// ...and recorded per bucket written, so a bucket read before a write to it is not kept
    /// (other buckets' writes do not matter).
    written: HashMap<Vec<u8>, u64>,
    /// The generation of the last [`Buckets::clear`]: reads started before it are not kept.
    cleared: u64,
    /// Profile buckets' entries decoded, with the entries they were decoded from: valid while
    /// those are still the cached entries (a write to the bucket replaces them, see
    /// [`Buckets::write`]).
    decoded: HashMap<Vec<u8>, (Entries, Profiles)>,
}

impl Buckets {
    /// A bucket's entries, if cached.
    pub fn get(&self, bucket: &[u8]) -> Option<Entries> {
        self.map.get(bucket).cloned()
    }

    /// The cache's generation: pass it to [`Buckets::insert`] with a bucket read after this.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Keeps a bucket read when the cache was at `generation`, unless it has changed since.
    pub fn insert(&mut self, bucket: Vec<u8>, entries: Entries, generation: u64) {
        let written = self.written.get(&bucket).copied().unwrap_or(0);
        if generation < self.cleared || written > generation {
            return;
        }
        let size: usize = entries.iter().map(|(k, v)| k.len() + v.len()).sum();
        if self.bytes + size > MAX_BYTES {
            self.map.clear();
            self.decoded.clear();
            self.bytes = 0;
        }
        self.decoded.remove(&bucket);
        let name = bucket.len();
        self.bytes += size + name;
        if let Some(old) = self.map.insert(bucket, entries) {
            self.bytes -= old.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>() + name;
        }
    }

    /// Applies a staged write (`None`: deletion) to the cached bucket it falls in, if any.
    pub fn write(&mut self, key: &[u8], value: Option<&[u8]>) {
        let Some(b) = super::keys::bucket_of(key) else {
            return;
        };
        self.generation += 1;
        match self.written.get_mut(b) {
            Some(g) => *g = self.generation,
            None => {
                self.written.insert(b.to_vec(), self.generation);
            }
        }
        let Some(cached) = self.map.get_mut(b) else {
            return;
        };
        // Copied only if a reader still holds the old version.
        let entries = Arc::make_mut(cached);
        let at = entries.binary_search_by(|(k, _)| k.as_ref().cmp(key));
        // The decoded profiles follow the same edit, so only the written profile is decoded
        // (a dense bucket is written by most merges on its force, and decoding all of it again
        // on the next read grew with the bucket). A value that does not decode to a profile
        // with its members drops them: the next read decodes the bucket (see `Store`).
        if let Some((_, profiles)) = self.decoded.get_mut(b) {
            let fresh = |v: &[u8]| {
                super::profile::decode_lazy(v)
                    .filter(|p| p.member_count() > 0)
                    .map(Arc::new)
            };
            let profiles = Arc::make_mut(profiles);
            let kept = match (at, value) {
                (Ok(i), Some(v)) => fresh(v).map(|p| profiles[i] = p).is_some(),
                (Ok(i), None) => {
                    profiles.remove(i);
                    true
                }
                (Err(i), Some(v)) => fresh(v).map(|p| profiles.insert(i, p)).is_some(),
                (Err(_), None) => true,
            };
            if !kept {
                self.decoded.remove(b);
            }
        }
        match (at, value) {
            (Ok(i), Some(v)) => {
                self.bytes = self.bytes + v.len() - entries[i].1.len();
                entries[i].1 = IVec::from(v);
            }
            (Ok(i), None) => {
                let (k, v) = entries.remove(i);
                self.bytes -= k.len() + v.len();
            }
            (Err(i), Some(v)) => {
                self.bytes += key.len() + v.len();
                entries.insert(i, (IVec::from(key), IVec::from(v)));
            }
            (Err(_), None) => {}
        }
        // Tied to the entries as they now are (a copy, if a reader held the old ones).
        if let Some((from, _)) = self.decoded.get_mut(b) {
            *from = cached.clone();
        }
    }

    /// The decoded profiles of a bucket whose cached entries are `entries`, if kept.
    pub fn decoded(&self, bucket: &[u8], entries: &Entries) -> Option<Profiles> {
        self.decoded
            .get(bucket)
            .filter(|(from, _)| Arc::ptr_eq(from, entries))
            .map(|(_, p)| p.clone())
    }

    /// Keeps the profiles decoded from a bucket's `entries` while those are still what the
    /// cache holds for it (not when a write has changed it since, or it is not cached).
    pub fn keep_decoded(&mut self, bucket: &[u8], entries: Entries, profiles: Profiles) {
        if self
            .map
            .get(bucket)
            .is_some_and(|e| Arc::ptr_eq(e, &entries))
        {
            self.decoded.insert(bucket.to_vec(), (entries, profiles));
        }
    }

    /// Drops every cached bucket; a read started before this is not kept.
    pub fn clear(&mut self) {
        self.generation += 1;
        self.cleared = self.generation;
        self.written.clear();
        self.decoded.clear();
        self.map.clear();
        self.bytes = 0;
    }
}

impl Store {
    /// The read cache of index buckets (held).
    pub(super) fn buckets(&self) -> MutexGuard<'_, Buckets> {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A cached-index bucket's entries, read from the merged view if not cached yet.
    pub(super) fn bucket(&self, b: &[u8]) -> Result<Entries, StoreError> {
        if let Some(e) = self.buckets().get(b) {
            return Ok(e);
        }
        let generation = self.buckets().generation();
        let e: Entries = Arc::new(self.raw_prefix(b).collect::<sled::Result<Vec<_>>>()?);
        self.buckets().insert(b.to_vec(), e.clone(), generation);
        Ok(e)
    }

    /// The entries of the cached-index `buckets` (in key order) with keys in `[lo, hi)`, each
    /// bucket read from the merged view once and then served from the cache (what the
    /// writer's lookups see; tests compare it with direct range reads).
    #[cfg(test)]
    fn bucketed_range(
        &self,
        buckets: Vec<Vec<u8>>,
        lo: &[u8],
        hi: &[u8],
    ) -> Result<Vec<(IVec, IVec)>, StoreError> {
        let mut out = Vec::new();
        for b in buckets {
            let entries = self.bucket(&b)?;
            out.extend(
                entries
                    .iter()
                    .filter(|(k, _)| k.as_ref() >= lo && k.as_ref() < hi)
                    .cloned(),
            );
        }
        Ok(out)
    }

    /// The profiles of the profile-valued `buckets` (in key order) with keys in `[lo, hi)`,
    /// once per incident id. A bucket is decoded once and its profiles kept until it changes
    /// (see [`Buckets::decoded`]): neighbouring articles of one force ask for the same months
    /// over and over, and decoding them each time was a third of finding candidates on a
    /// dense store.
    pub(super) fn bucketed_profiles(
        &self,
        buckets: Vec<Vec<u8>>,
        lo: &[u8],
        hi: &[u8],
    ) -> Result<Vec<Arc<LazyProfile>>, StoreError> {
        let mut read = Vec::with_capacity(buckets.len());
        for b in buckets {
            let entries = self.bucket(&b)?;
            let cached = self.buckets().decoded(&b, &entries);
            let profiles = match cached {
                Some(p) => p,
                None => {
                    let p: Profiles = Arc::new(
                        entries
                            .iter()
                            .map(|(k, v)| self.profile_of(k, v).map(Arc::new))
                            .collect::<Result<_, _>>()?,
                    );
                    self.buckets().keep_decoded(&b, entries.clone(), p.clone());
                    p
                }
            };
            read.push((entries, profiles));
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (entries, profiles) in &read {
            for ((k, _), p) in entries.iter().zip(profiles.iter()) {
                if k.as_ref() >= lo && k.as_ref() < hi && seen.insert(p.head.id.as_str()) {
                    out.push(p.clone());
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::inc;
    use super::super::view::Order;
    use super::super::{keys, profile, WriteSet};
    use super::*;
    use crate::model::{Incident, IncidentProfile, Member};

    fn entries(pairs: &[(&str, &str)]) -> Entries {
        Arc::new(
            pairs
                .iter()
                .map(|(k, v)| (IVec::from(k.as_bytes()), IVec::from(v.as_bytes())))
                .collect(),
        )
    }

    fn keys_of(c: &Buckets, b: &[u8]) -> Vec<String> {
        c.get(b)
            .unwrap()
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    String::from_utf8_lossy(k),
                    String::from_utf8_lossy(v)
                )
            })
            .collect()
    }

    #[test]
    fn writes_are_applied_to_their_cached_bucket_only_and_a_stale_read_is_not_kept() {
        let mut c = Buckets::default();
        let g = c.generation();
        c.insert(
            b"ifm/kent/2023-11/".to_vec(),
            entries(&[("ifm/kent/2023-11/a", "1")]),
            g,
        );
        c.insert(
            b"ifm/kent/2023-12/".to_vec(),
            entries(&[("ifm/kent/2023-12/b", "2")]),
            g,
        );
        assert_eq!(c.get(b"ifm/kent/2023-11/").unwrap().len(), 1);

        let held = c.get(b"ifm/kent/2023-11/").unwrap();
        c.write(b"ifm/kent/2023-11/c", Some(b"3"));
        c.write(b"ifm/kent/2023-11/0", Some(b"0"));
        c.write(b"ifm/kent/2023-11/a", Some(b"1b"));
        c.write(b"ifm/kent/2023-11/c", None);
        c.write(b"ifm/kent/2023-11/d", None);
        assert_eq!(
            keys_of(&c, b"ifm/kent/2023-11/"),
            ["ifm/kent/2023-11/0=0", "ifm/kent/2023-11/a=1b"]
        );
        assert_eq!(held.len(), 1, "a reader's copy does not change under it");
        assert_eq!(keys_of(&c, b"ifm/kent/2023-12/"), ["ifm/kent/2023-12/b=2"]);
        let size = |c: &Buckets| -> usize {
            c.map
                .iter()
                .map(|(b, e)| b.len() + e.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>())
                .sum()
        };
        assert_eq!(c.bytes, size(&c));

        // A bucket read before a write to it is stale, so not kept...
        c.write(b"ifm/kent/2024-01/x", Some(b"x"));
        c.insert(b"ifm/kent/2024-01/".to_vec(), entries(&[]), g);
        assert!(c.get(b"ifm/kent/2024-01/").is_none());
        // ...but other buckets' writes do not make it stale.
        c.insert(
            b"ifm/kent/2024-02/".to_vec(),
            entries(&[("ifm/kent/2024-02/y", "y")]),
            g,
        );
        assert!(c.get(b"ifm/kent/2024-02/").is_some());
        // An uncached bucket's write is not cached either.
        c.write(b"sig/kent/40000000655/abc", Some(b"s"));
        assert!(c.get(b"sig/kent/40000000655").is_none());

        // Keys outside the cached indexes change nothing.
        let g = c.generation();
        c.write(b"inc/kent-2023-11-a", Some(b"x"));
        assert_eq!(c.generation(), g);

        c.clear();
        assert!(c.get(b"ifm/kent/2023-12/").is_none());
        assert_eq!(c.bytes, 0);
        // Read before the clear: not kept.
        c.insert(b"ifm/kent/2023-12/".to_vec(), entries(&[]), g);
        assert!(c.get(b"ifm/kent/2023-12/").is_none());
    }

    #[test]
    fn cached_index_buckets_always_read_what_the_store_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let day = 86_400;
        let t0 = 1_700_000_000;
        let (from, to) = (t0 - 200 * day, t0 + 200 * day);
        // Every read through the cache equals the same range read without it.
        let check = |store: &Store, step: usize| {
            for force in ["kent", "kent-x"] {
                let months_range =
                    keys::force_month_range(force, &keys::month_of(from), &keys::month_of(to));
                for (index, buckets, (lo, hi)) in [
                    (
                        "signatures",
                        keys::signature_buckets(force, from, to),
                        keys::signature_range(force, from, to),
                    ),
                    (
                        "force/month",
                        keys::force_month_buckets(force, from, to),
                        months_range,
                    ),
                ] {
                    let cached = store.bucketed_range(buckets, &lo, &hi).unwrap();
                    let direct: Vec<_> = store
                        .raw_range(&lo, Some(&hi), Order::Forward)
                        .collect::<sled::Result<_>>()
                        .unwrap();
                    assert_eq!(cached, direct, "{index} of {force}, step {step}");
                }
            }
        };
        // A deterministic mix of puts, overwrites and deletions around t0, read between
        // every write set, committed now and then, with the derived data cleared once.
        let mut x: u64 = 7;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 33
        };
        for step in 0..300 {
            let mut w = WriteSet::new();
            for _ in 0..3 {
                let force = if next() % 3 == 0 { "kent-x" } else { "kent" };
                let t = t0 + (next() % 300) as i64 * day - 150 * day;
                let id = format!("{force}-{}", next() % 40);
                let value = format!("v{step}").into_bytes();
                let month = keys::month_of(t);
                match next() % 4 {
                    0 => w.delete(keys::force_month(force, &month, &id)),
                    1 => w.delete(keys::signature(force, t - t % day, &id)),
                    2 => w.put(keys::signature(force, t - t % day, &id), value),
                    _ => w.put(keys::force_month(force, &month, &id), value),
                }
            }
            store.apply(w).unwrap();
            check(&store, step);
            if step % 37 == 0 {
                store.commit().unwrap();
                check(&store, step);
            }
            if step == 150 {
                store.clear_derived().unwrap();
                check(&store, step);
            }
        }
    }

    #[test]
    fn decoded_profiles_follow_every_write_to_their_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let day = 86_400;
        let base = 1_704_067_200; // 2024-01-01
        let (from, to) = (base - 30 * day, base + 500 * day);
        // The force's profiles decoded afresh from a range read that no cache serves.
        let direct = |store: &Store| -> Vec<IncidentProfile> {
            let (lo, hi) =
                keys::force_month_range("kent", &keys::month_of(from), &keys::month_of(to));
            let mut seen = HashSet::new();
            store
                .raw_range(&lo, Some(&hi), Order::Forward)
                .map(|e| {
                    profile::decode_lazy(&e.unwrap().1)
                        .unwrap()
                        .profile()
                        .unwrap()
                })
                .filter(|p| seen.insert(p.id.clone()))
                .collect()
        };
        let cached = |store: &Store| -> Vec<IncidentProfile> {
            store
                .incidents_of_force("kent", from, to)
                .unwrap()
                .iter()
                .map(|p| p.profile().unwrap())
                .collect()
        };
        let mut x: u64 = 11;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 33
        };
        // Incidents written, rewritten (removed, then put with other months and members)
        // and removed, as merging does; the force's profiles read between every write set.
        let mut stored: HashMap<String, Incident> = HashMap::new();
        for step in 0..200 {
            let id = format!("kent-{}", next() % 25);
            let mut w = WriteSet::new();
            if let Some(old) = stored.remove(&id) {
                w.remove_incident(&old.profile());
            }
            if next() % 4 != 0 {
                let first = base + (next() % 360) as i64 * day;
                let at = |ts: i64| {
                    chrono::DateTime::from_timestamp(ts, 0)
                        .unwrap()
                        .fixed_offset()
                };
                let mut i = inc(&id, "2024-01-01T00:00:00Z");
                i.first_reported = at(first);
                i.last_reported = at(first + (next() % 90) as i64 * day);
                i.members = (0..1 + next() % 3)
                    .map(|member| Member {
                        article_key: format!("a{step}-{member}"),
                        report: 0,
                        force: "kent".into(),
                        at: first,
                    })
                    .collect();
                w.put_incident(&i);
                stored.insert(id, i);
            }
            store.apply(w).unwrap();
            assert_eq!(cached(&store), direct(&store), "step {step}");
            if step % 23 == 0 {
                store.commit().unwrap();
                assert_eq!(cached(&store), direct(&store), "step {step}, committed");
            }
        }
        assert!(!direct(&store).is_empty());
    }
}
