//! Group commit: write sets are staged as they are applied and committed together, in one
//! atomic sled batch (see the [module docs](super)).
//!
//! A [`WriteSet`] is built by its keyspaces' methods (`put_article` in `articles.rs`,
//! `put_incident` in `incidents.rs` and so on) from the primitives here: a put, a deletion,
//! an article key to index, a change to the trend counters.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::MutexGuard;

use super::trends::{add_counts, Counts};
use super::view::Changes;
use super::{keys, Store, StoreError, BATCH_ENTRIES};

/// Staged write sets are committed together once there are this many...
pub const GROUP_SETS: usize = 1000;
/// ...or once their values add up to this many bytes. (Was 32 MiB: committing copies the group
/// into a sled batch and sled's log, so a group costs about three times its size at commit.)
pub const GROUP_BYTES: usize = 8 << 20;

/// Writes that belong together: committed atomically, never in part.
#[derive(Default)]
pub struct WriteSet {
    /// The latest value (`None`: deletion) per key.
    pub(super) changes: Changes,
    /// Article keys stored, with their sequence numbers (see `keyindex.rs`).
    pub(super) new_keys: Vec<(String, u64)>,
    /// Empty-valued entries deleted because a stored incident had them.
    removed: BTreeSet<Vec<u8>>,
    /// How many writes were made (puts, deletions, article keys, counter changes): none means
    /// there is nothing to apply.
    pub(super) len: usize,
    /// Changes to the maintained trend counters, applied on top of the stored values.
    pub(super) counter_changes: BTreeMap<Vec<u8>, Counts>,
}

impl WriteSet {
    /// An empty write set.
    pub fn new() -> WriteSet {
        WriteSet::default()
    }

    /// Whether nothing was written to it.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Writes `value` under `key`.
    pub(super) fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        let changes = &mut self.changes;
        // An empty-valued index entry deleted earlier in this set (an incident removed, then
        // written again) is stored already: only stored entries are deleted with an empty
        // value in mind, so putting it back is dropped instead of rewritten.
        if value.is_empty() && changes.get(&key) == Some(&None) && self.removed.contains(&key) {
            changes.remove(&key);
            return;
        }
        changes.insert(key, Some(value));
        self.len += 1;
    }

    /// Deletes an empty-valued entry known to be stored (see [`WriteSet::put`]).
    pub(super) fn delete_stored(&mut self, key: Vec<u8>) {
        self.removed.insert(key.clone());
        self.delete(key);
    }

    /// Deletes `key` (whether it is stored or not).
    pub(super) fn delete(&mut self, key: Vec<u8>) {
        self.changes.insert(key, None);
        self.len += 1;
    }
}

/// Write sets applied but not committed: the latest value (or deletion) per key, and the
/// summed counter changes.
#[derive(Default)]
pub(super) struct Staged {
    /// The latest value (`None`: deletion) per key, over all its write sets.
    pub(super) changes: Changes,
    /// Article keys stored in this group, with their sequence numbers: merged into the
    /// key-index buckets at commit (see `keyindex.rs`).
    pub(super) new_keys: HashMap<String, u64>,
    /// Its write sets' changes to the trend counters, summed.
    pub(super) counter_changes: BTreeMap<Vec<u8>, Counts>,
    /// How many write sets were absorbed.
    pub(super) sets: usize,
    /// How many bytes of keys and values they staged.
    bytes: usize,
}

impl Staged {
    /// Takes in a write set: its changes replace earlier ones to the same keys, and its counter
    /// changes are summed with theirs.
    pub(super) fn absorb(&mut self, w: WriteSet) {
        for (k, v) in w.changes {
            self.bytes += k.len() + v.as_ref().map_or(0, Vec::len);
            self.changes.insert(k, v);
        }
        for (k, seq) in w.new_keys {
            self.bytes += k.len() + 8;
            self.new_keys.insert(k, seq);
        }
        for (k, d) in w.counter_changes {
            add_counts(self.counter_changes.entry(k).or_default(), &d);
        }
        self.sets += 1;
    }

    /// Whether there is nothing to commit.
    pub(super) fn is_empty(&self) -> bool {
        self.sets == 0 && self.changes.is_empty() && self.new_keys.is_empty()
    }
}

impl Store {
    /// The writer's lock: whoever reads incidents to decide what to write (the pipeline)
    /// holds it until the write set is applied, so two sources polled at once never merge
    /// against the same stale incident, and the trend counters have a single writer.
    pub fn writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is staged (held, a commit cannot start).
    pub(super) fn staged(&self) -> MutexGuard<'_, Staged> {
        // A panic while staging leaves whole write sets only (absorb does not fail midway).
        self.staged.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stages a write set; commits the group when it is full (see the module docs).
    pub fn apply(&self, w: WriteSet) -> Result<(), StoreError> {
        if w.len == 0 {
            return Ok(());
        }
        {
            let mut filter = self.filter();
            for (k, _) in &w.new_keys {
                filter.insert(&keys::article_key(k));
            }
        }
        let full = {
            let mut st = self.staged();
            {
                let mut buckets = self.buckets();
                for (k, v) in &w.changes {
                    buckets.write(k, v.as_deref());
                }
            }
            st.absorb(w);
            st.sets >= GROUP_SETS || st.bytes >= GROUP_BYTES
        };
        if full {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits every staged write set in one atomic batch. On failure the error is returned
    /// and the sets stay staged (others may already have merged against them), so the next
    /// commit tries again; what was committed before stays.
    pub fn commit(&self) -> Result<(), StoreError> {
        // Held throughout, so readers see either the staged or the committed state.
        let mut st = self.staged();
        if st.is_empty() {
            return Ok(());
        }
        // The key filter's changed generations go with the keys they add.
        let dirty = self.filter().take_dirty();
        let result = self.write_batch(&st, &dirty);
        match result {
            Ok(()) => *st = Staged::default(),
            Err(_) => self.filter().mark_dirty(dirty.into_iter().map(|d| d.0)),
        }
        result
    }

    /// Writes the staged group (read in place, so a failed write leaves it staged) and the
    /// changed filter generations as one sled batch.
    fn write_batch(&self, st: &Staged, dirty: &[(usize, Vec<u8>)]) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for (g, bits) in dirty {
            batch.insert(keys::key_filter(*g), bits.as_slice());
        }
        for (k, v) in &st.changes {
            match v {
                Some(v) => batch.insert(k.as_slice(), v.as_slice()),
                None => batch.remove(k.as_slice()),
            }
        }
        self.index_article_keys(&mut batch, &st.new_keys)?;
        self.add_counter_changes(&mut batch, &st.counter_changes)?;
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    /// Commits what is staged and flushes to disk; call before exit.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.commit()?;
        self.db.flush()?;
        Ok(())
    }

    /// Flushes (see [`Store::flush`]) and lets the store go without tearing down its caches
    /// and sled's page cache, for a command about to exit: the operating system reclaims the
    /// memory at once, while dropping it walks every cached node and record on the exiting
    /// thread (measured: about 35 ms after ingesting 10k articles into a 90k-article store,
    /// nothing on an empty one). Nothing is lost: everything was flushed, and sled keeps no
    /// shutdown record (it recovers from its log, and writes its snapshot, when next opened).
    pub fn close_for_exit(self) -> Result<(), StoreError> {
        self.flush()?;
        std::mem::forget(self);
        Ok(())
    }

    /// Removes every derived record (analyses, signature index, incidents and their indexes),
    /// keeping articles and source state. Used by `reprocess`.
    pub fn clear_derived(&self) -> Result<(), StoreError> {
        self.commit()?;
        self.buckets().clear();
        self.record_cache().clear();
        for prefix in keys::DERIVED {
            let tree = &self.tree;
            let mut batch = sled::Batch::default();
            let mut in_batch = 0;
            for k in tree.scan_prefix(prefix).keys() {
                batch.remove(k?);
                in_batch += 1;
                if in_batch == BATCH_ENTRIES {
                    tree.apply_batch(std::mem::take(&mut batch))?;
                    in_batch = 0;
                }
            }
            tree.apply_batch(batch)?;
        }
        // Again: a bucket read while the entries were going would be stale.
        self.buckets().clear();
        Ok(())
    }
}

impl Drop for Store {
    /// The last handle commits what is still staged (every entry point commits before it
    /// returns; this covers early returns on errors).
    fn drop(&mut self) {
        if std::sync::Arc::strong_count(&self.staged) == 1 {
            if let Err(e) = self.commit() {
                tracing::error!(error = %e, "could not commit staged writes on close");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::inc;
    use super::*;
    use crate::model::SourceState;

    #[test]
    fn a_full_group_commits_itself_and_source_state_commits_what_is_staged() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for i in 0..GROUP_SETS {
            let mut w = WriteSet::new();
            w.put_incident(&inc(&format!("i{i:04}"), "2024-01-01T00:00:00Z"));
            store.apply(w).unwrap();
        }
        assert!(store.staged().is_empty(), "the group was committed");
        assert!(store.tree.get(keys::incident("i0000")).unwrap().is_some());

        let mut w = WriteSet::new();
        w.put_incident(&inc("late", "2024-05-01T00:00:00Z"));
        store.apply(w).unwrap();
        assert!(store.tree.get(keys::incident("late")).unwrap().is_none());
        store
            .put_source_state("feed", &SourceState::default())
            .unwrap();
        assert!(store.tree.get(keys::incident("late")).unwrap().is_some());
        assert!(store.tree.get(keys::source("feed")).unwrap().is_some());
    }
}
