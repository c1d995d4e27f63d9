//! Articles (`art/`, by sequence number), the article-key index (`key/`, see `keyindex.rs`)
//! and the Bloom filter over it (`meta/keyfilter/`, see `filter.rs`): "is this article
//! stored?" is the question every ingested item asks first.

use std::collections::{BTreeMap, HashMap};
use std::sync::MutexGuard;

use crate::model::Article;

use super::encoding::encode_article;
use super::{filter, keyindex, keys, Store, StoreError, WriteSet};

impl WriteSet {
    /// Stores an article under `seq` (from [`Store::next_seq`]) and indexes its key.
    pub fn put_article(&mut self, a: &Article, seq: u64) {
        self.put_encoded_article(&a.key, encode_article(a), seq);
    }

    /// [`WriteSet::put_article`] with the article encoded already (by
    /// [`encode_article`], off the writer's thread).
    pub fn put_encoded_article(&mut self, key: &str, encoded: Vec<u8>, seq: u64) {
        self.new_keys.push((key.to_owned(), seq));
        self.len += 1;
        self.put(keys::article(seq), encoded);
    }
}

impl Store {
    /// The key filter (held, nobody else can insert or ask).
    pub(super) fn filter(&self) -> MutexGuard<'_, filter::KeyFilter> {
        self.filter.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The stored key filter; rebuilt from the key index when missing or unreadable (it is
    /// then saved at once).
    pub(super) fn load_filter(&self) -> Result<filter::KeyFilter, StoreError> {
        let mut stored = Vec::new();
        for r in self.tree.scan_prefix(keys::KEY_FILTER) {
            stored.push(r?.1);
        }
        if let Some(f) = filter::KeyFilter::decode(stored.iter().map(|v| v.as_ref())) {
            if !stored.is_empty() || self.tree.scan_prefix(keys::ARTICLE_KEY).next().is_none() {
                return Ok(f);
            }
        }
        tracing::warn!("rebuilding the article key filter from the key index");
        let mut f = filter::KeyFilter::default();
        for r in self.tree.scan_prefix(keys::ARTICLE_KEY) {
            let (_, v) = r?;
            for (key, _) in keyindex::entries(&v) {
                f.insert(&keys::article_key(key));
            }
        }
        // Saved at once (replacing whatever was there), so the next open need not rebuild.
        let mut batch = sled::Batch::default();
        for k in self.tree.scan_prefix(keys::KEY_FILTER).keys() {
            batch.remove(k?);
        }
        for (g, bits) in f.take_dirty() {
            batch.insert(keys::key_filter(g), bits);
        }
        self.tree.apply_batch(batch)?;
        Ok(f)
    }

    /// Merges the article keys a commit group stored into their key-index buckets, into the
    /// commit's `batch`.
    pub(super) fn index_article_keys(
        &self,
        batch: &mut sled::Batch,
        new_keys: &HashMap<String, u64>,
    ) -> Result<(), StoreError> {
        let mut buckets: BTreeMap<Vec<u8>, Vec<(&str, u64)>> = BTreeMap::new();
        for (k, seq) in new_keys {
            buckets
                .entry(keyindex::bucket(k))
                .or_default()
                .push((k.as_str(), *seq));
        }
        for (b, added) in buckets {
            let old = self.tree.get(&b)?;
            batch.insert(b, keyindex::merge(old.as_deref(), added));
        }
        Ok(())
    }

    /// Whether an article with this key is stored: the key filter answers "no" for nearly
    /// every new article; otherwise one lookup in the small key index, not in the texts.
    pub fn has_article(&self, key: &str) -> Result<bool, StoreError> {
        if !self.filter().may_contain(&keys::article_key(key)) {
            return Ok(false);
        }
        Ok(self.article_seq(key)?.is_some())
    }

    /// [`Store::has_article`] for work done ahead of the writer, which checks again: it
    /// never waits for a commit. A commit holds the staged group for as long as sled takes
    /// to write it (tens of milliseconds on a large store); the key filter sends 1-3% of new
    /// articles on to the staged keys, so analysis threads asking the exact question sat
    /// blocked through nearly every commit, and a core stood idle. While a commit is
    /// writing, a key the filter does not rule out is answered "not stored" (the article is
    /// analysed, as it is while the store opens), which is never wrong for the writer.
    pub fn seems_stored(&self, key: &str) -> Result<bool, StoreError> {
        if !self.filter().may_contain(&keys::article_key(key)) {
            return Ok(false);
        }
        let staged = match self.staged.try_lock() {
            Ok(st) => st,
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(false),
        };
        if staged.new_keys.contains_key(key) {
            return Ok(true);
        }
        drop(staged);
        Ok(self.committed_seq(key)?.is_some())
    }

    /// The sequence number an article is stored under, staged or committed.
    fn article_seq(&self, key: &str) -> Result<Option<u64>, StoreError> {
        if let Some(seq) = self.staged().new_keys.get(key) {
            return Ok(Some(*seq));
        }
        self.committed_seq(key)
    }

    /// The sequence number an article is stored under in the key index (committed only).
    fn committed_seq(&self, key: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .tree
            .get(keyindex::bucket(key))?
            .and_then(|v| keyindex::find(&v, key)))
    }

    /// A new sequence number for an article: increasing, so texts are stored in order.
    pub fn next_seq(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()?)
    }

    /// How many articles are stored (counts the key index).
    pub fn article_count(&self) -> usize {
        let staged = self.staged().new_keys.len();
        let stored: usize = self
            .tree
            .scan_prefix(keys::ARTICLE_KEY)
            .values()
            .filter_map(Result::ok)
            .map(|v| keyindex::entries(&v).count())
            .sum();
        staged + stored
    }

    /// The article stored under `key`, if any.
    pub fn article(&self, key: &str) -> Result<Option<Article>, StoreError> {
        match self.article_seq(key)? {
            Some(seq) => self.get_json(&keys::article(seq)),
            None => Ok(None),
        }
    }

    /// Every stored article, in the order they were stored.
    pub fn articles(&self) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        self.scan_json(keys::ARTICLE)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{keyed_article, reopen};
    use super::*;

    #[test]
    fn stored_article_keys_are_found_through_the_filter_and_it_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for i in 0..20_000 {
            let mut w = WriteSet::new();
            w.put_article(&keyed_article(&format!("k{i}")), store.next_seq().unwrap());
            store.apply(w).unwrap();
        }
        assert!(store.has_article("k19999").unwrap(), "staged");
        assert!(!store.has_article("nope").unwrap());
        store.flush().unwrap();
        drop(store);

        let store = reopen(dir.path());
        assert!((0..20_000).all(|i| store.has_article(&format!("k{i}")).unwrap()));
        assert_eq!(store.article("k7").unwrap().unwrap().title, "k7");
        let missing = (20_000..40_000)
            .filter(|i| store.has_article(&format!("k{i}")).unwrap())
            .count();
        assert_eq!(
            missing, 0,
            "the filter's false positives fall back to the index"
        );
        // A lost filter is rebuilt from the key index.
        for k in store.tree.scan_prefix(keys::KEY_FILTER).keys() {
            store.tree.remove(k.unwrap()).unwrap();
        }
        store.flush().unwrap();
        drop(store);
        let store = reopen(dir.path());
        assert!(store.has_article("k12345").unwrap());
        assert!(!store.has_article("k20001").unwrap());
        assert_eq!(
            store.tree.scan_prefix(keys::KEY_FILTER).count(),
            2,
            "the rebuilt filter is saved at once (two generations for 20k keys)"
        );
    }

    #[test]
    fn the_hint_ahead_of_the_writer_never_waits_for_a_commit_and_never_claims_an_unstored_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let store_one = |key: &str| {
            let mut w = WriteSet::new();
            w.put_article(&keyed_article(key), store.next_seq().unwrap());
            store.apply(w).unwrap();
        };
        for i in 0..3000 {
            store_one(&format!("c{i}"));
        }
        store.commit().unwrap();
        store_one("staged");
        let hint = |k: &str| store.seems_stored(k).unwrap();
        assert!(hint("staged") && hint("c17") && hint("c2999"));
        let unstored: Vec<String> = (0..3000).map(|i| format!("n{i}")).collect();
        assert!(unstored.iter().all(|k| !hint(k)));
        // A commit in progress holds the staged group: the hint answers at once, and "not
        // stored" for whatever the filter does not rule out (the writer checks again).
        let committing = store.staged();
        assert!(!hint("staged"));
        assert!(unstored.iter().all(|k| !hint(k)));
        drop(committing);
        assert!(hint("staged"));
        for k in ["staged", "c5", "n5"] {
            assert_eq!(hint(k), store.has_article(k).unwrap(), "{k}");
        }
    }
}
