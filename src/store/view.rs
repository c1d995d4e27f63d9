//! The staged-over-stored view every read goes through: write sets applied but not yet
//! committed (see `write.rs`) over what sled holds. Staged values win and staged deletions
//! hide stored entries, so the pipeline reads its own writes before they are committed.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::de::DeserializeOwned;
use sled::IVec;

use super::encoding::from_json;
use super::{Store, StoreError};

/// The latest change per key: its new value, or `None` for a deletion.
pub(super) type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// One staged change: the key and its new value (`None`: deleted).
type Change = (Vec<u8>, Option<Vec<u8>>);

/// The order a range is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// Key order.
    Forward,
    /// Reverse key order.
    Reverse,
}

/// The first key after every key starting with `prefix` (`None`: no such key).
pub(super) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// A sled range merged with the staged changes in the same range (staged values win; staged
/// deletions hide stored entries), both read in the same [`Order`].
struct MergedRange<I: Iterator<Item = sled::Result<(IVec, IVec)>>> {
    stored: std::iter::Peekable<I>,
    staged: std::iter::Peekable<std::vec::IntoIter<Change>>,
    order: Order,
}

impl<I: Iterator<Item = sled::Result<(IVec, IVec)>>> Iterator for MergedRange<I> {
    type Item = sled::Result<(IVec, IVec)>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let take_staged = match (self.stored.peek(), self.staged.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) | (Some(_), None) => return self.stored.next(),
                (None, Some(_)) => true,
                (Some(Ok((k, _))), Some((sk, _))) => {
                    let ord = k.as_ref().cmp(sk.as_slice());
                    let ord = match self.order {
                        Order::Forward => ord,
                        Order::Reverse => ord.reverse(),
                    };
                    match ord {
                        std::cmp::Ordering::Less => return self.stored.next(),
                        std::cmp::Ordering::Equal => {
                            self.stored.next();
                            true
                        }
                        std::cmp::Ordering::Greater => true,
                    }
                }
            };
            debug_assert!(take_staged);
            let (k, v) = self.staged.next().expect("peeked");
            if let Some(v) = v {
                return Some(Ok((IVec::from(k), IVec::from(v))));
            }
        }
    }
}

impl Store {
    /// The value of `key`, staged or stored.
    pub(super) fn raw_get(&self, key: &[u8]) -> Result<Option<IVec>, StoreError> {
        if let Some(v) = self.staged().changes.get(key) {
            return Ok(v.as_deref().map(IVec::from));
        }
        Ok(self.tree.get(key)?)
    }

    /// Entries with keys in `[lo, hi)` (`hi = None`: to the end), staged or stored, in
    /// `order`.
    pub(super) fn raw_range(
        &self,
        lo: &[u8],
        hi: Option<&[u8]>,
        order: Order,
    ) -> impl Iterator<Item = sled::Result<(IVec, IVec)>> + '_ {
        // An empty range (BTreeMap::range panics on one whose start is past its end).
        let hi = match hi {
            Some(h) if h <= lo => Some(lo),
            h => h,
        };
        let upper = hi.map_or(Bound::Unbounded, |h| Bound::Excluded(h.to_vec()));
        let bounds = (Bound::Included(lo.to_vec()), upper);
        let mut staged: Vec<Change> = self
            .staged()
            .changes
            .range::<Vec<u8>, _>(bounds.clone())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let stored: Box<dyn Iterator<Item = sled::Result<(IVec, IVec)>>> = match order {
            Order::Forward => Box::new(self.tree.range(bounds)),
            Order::Reverse => {
                staged.reverse();
                Box::new(self.tree.range(bounds).rev())
            }
        };
        MergedRange {
            stored: stored.peekable(),
            staged: staged.into_iter().peekable(),
            order,
        }
    }

    /// Entries whose keys start with `prefix`, staged or stored, in key order.
    pub(super) fn raw_prefix(
        &self,
        prefix: &[u8],
    ) -> impl Iterator<Item = sled::Result<(IVec, IVec)>> + '_ {
        let end = prefix_end(prefix);
        self.raw_range(prefix, end.as_deref(), Order::Forward)
    }

    /// The JSON value of `key`, staged or stored, decoded.
    pub(super) fn get_json<T: DeserializeOwned>(
        &self,
        key: &[u8],
    ) -> Result<Option<T>, StoreError> {
        match self.raw_get(key)? {
            None => Ok(None),
            Some(v) => from_json(key, &v).map(Some),
        }
    }

    /// The JSON values of the keys starting with `prefix`, staged or stored, decoded, in key
    /// order.
    pub(super) fn scan_json<T: DeserializeOwned>(
        &self,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.raw_prefix(prefix).map(|r| {
            let (k, v) = r?;
            from_json(&k, &v)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inc, incident_ids, reopen};
    use super::super::{keys, WriteSet};
    use super::*;

    #[test]
    fn merged_ranges_interleave_hide_deletions_and_run_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for k in ["src/a", "src/c", "src/e"] {
            store.tree.insert(k, b"stored".to_vec()).unwrap();
        }
        {
            let mut st = store.staged();
            st.changes
                .insert(b"src/b".to_vec(), Some(b"staged".to_vec()));
            st.changes.insert(b"src/c".to_vec(), Some(b"new".to_vec()));
            st.changes.insert(b"src/e".to_vec(), None);
            st.changes
                .insert(b"src/f".to_vec(), Some(b"staged".to_vec()));
            st.sets = 1;
        }
        let read = |order: Order| -> Vec<(String, String)> {
            let end = prefix_end(b"src/");
            store
                .raw_range(b"src/", end.as_deref(), order)
                .map(|r| {
                    let (k, v) = r.unwrap();
                    (
                        String::from_utf8_lossy(&k).into_owned(),
                        String::from_utf8_lossy(&v).into_owned(),
                    )
                })
                .collect()
        };
        let want = [
            ("src/a", "stored"),
            ("src/b", "staged"),
            ("src/c", "new"),
            ("src/f", "staged"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(read(Order::Forward), want);
        let mut back = want.to_vec();
        back.reverse();
        assert_eq!(read(Order::Reverse), back);
        // A range whose end is before its start is empty, not a panic (`--since` after
        // `--until` while something is staged).
        assert_eq!(
            store
                .raw_range(b"src/f", Some(b"src/a"), Order::Forward)
                .count(),
            0
        );
        assert_eq!(prefix_end(b"ab\xff"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(b"\xff\xff"), None);
    }

    #[test]
    fn staged_writes_are_read_back_merged_with_stored_ones_until_committed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut w = WriteSet::new();
        w.put_incident(&inc("a", "2024-01-01T00:00:00Z"));
        w.put_incident(&inc("c", "2024-03-01T00:00:00Z"));
        store.apply(w).unwrap();
        store.commit().unwrap();
        assert!(store.tree.get(keys::incident("a")).unwrap().is_some());

        // Staged: b added between the stored a and c, a removed.
        let mut w = WriteSet::new();
        w.put_incident(&inc("b", "2024-02-01T00:00:00Z"));
        w.remove_incident(&inc("a", "2024-01-01T00:00:00Z").profile());
        store.apply(w).unwrap();
        assert_eq!(incident_ids(&store), ["c", "b"], "newest first, a hidden");
        assert!(store.incident("a").unwrap().is_none());
        assert_eq!(store.incident("b").unwrap().unwrap().id, "b");
        assert_eq!(store.incident_count(), 2);
        let month = chrono::DateTime::parse_from_rfc3339("2024-02-10T00:00:00Z")
            .unwrap()
            .timestamp();
        let found: Vec<String> = store
            .incidents_of_force("kent", month - 90 * 86_400, month)
            .unwrap()
            .into_iter()
            .map(|p| p.head.id.clone())
            .collect();
        assert_eq!(found, ["b"], "a (January) is staged for deletion");
        // The trend counters include staged changes.
        let counts = store.aggregates("force", None, None).unwrap();
        let months: Vec<&str> = counts.iter().map(|(m, _, _)| m.as_str()).collect();
        assert_eq!(months, ["2024-02", "2024-03"]);
        // Nothing of it is in sled yet.
        assert!(store.tree.get(keys::incident("a")).unwrap().is_some());
        assert!(store.tree.get(keys::incident("b")).unwrap().is_none());

        store.flush().unwrap();
        drop(store);
        let store = reopen(dir.path());
        assert_eq!(incident_ids(&store), ["c", "b"], "committed and durable");
        assert_eq!(store.aggregates("force", None, None).unwrap().len(), 2);
    }
}
