//! A read cache of whole index buckets (see [`super::keys::bucket_of`]): a force's month of
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

use std::collections::HashMap;
use std::sync::Arc;

use sled::IVec;

use super::profile::LazyProfile;

/// The entries of one bucket, in key order.
pub type Entries = Arc<Vec<(IVec, IVec)>>;

/// The profiles of an `ifm/` or `ifl/` bucket's entries, decoded, in the same order.
pub type Profiles = Arc<Vec<Arc<LazyProfile>>>;

/// Cached bytes (keys and values) above which the cache starts afresh.
const MAX_BYTES: usize = 64 << 20;

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
    pub fn get(&self, bucket: &[u8]) -> Option<Entries> {
        self.map.get(bucket).cloned()
    }

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

    pub fn clear(&mut self) {
        self.generation += 1;
        self.cleared = self.generation;
        self.written.clear();
        self.decoded.clear();
        self.map.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
