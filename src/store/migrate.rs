//! Schema versions, and what [`Store::open`] does with a database an earlier build wrote.
//!
//! | schema | layout | on open |
//! |---|---|---|
//! | 4 | texts and report records in trees of their own (`v1-articles`, `v1-analyses`); one key-index entry per article; report records JSON | [`Store::move_into_one_tree`], then as schema 5 |
//! | 5 | one tree, article keys in buckets; report records bincode | [`Store::rewrite_records`] |
//! | 6 | report records MessagePack ([`RecordFormat`](super::RecordFormat)) | current |
//!
//! Any other version is refused ([`StoreError::Schema`]). Each step is idempotent and marks
//! the database with its schema only when done, so a migration stopped midway is run again by
//! the next open.

use std::collections::BTreeMap;

use super::encoding::{decode_record, encode_record, record_is_current};
use super::{keyindex, keys, Store, StoreError, BATCH_ENTRIES};

/// The on-disk layout version. Bump it when a stored type changes in a way the tolerant
/// encodings cannot absorb (see [`crate::model`]), and migrate in [`Store::open`].
/// 6: report records in MessagePack ([`RecordFormat`](super::RecordFormat)).
pub const SCHEMA_VERSION: u32 = 6;

/// The schema whose report records are bincode; [`Store::open`] rewrites them.
const SCHEMA_BINCODE: u32 = 5;

/// The schema [`Store::open`] migrates from: the same keys in three trees.
const SCHEMA_THREE_TREES: u32 = 4;

/// The trees of schema 4 besides the main one.
pub(super) const OLD_TREES: [&str; 2] = ["v1-articles", "v1-analyses"];

impl Store {
    /// Marks a new database with [`SCHEMA_VERSION`], or brings an older one to it (see the
    /// table above); fails on a schema this build cannot read.
    pub(super) fn upgrade_schema(&self) -> Result<(), StoreError> {
        match self.tree.get(keys::SCHEMA)? {
            None => {
                self.tree
                    .insert(keys::SCHEMA, SCHEMA_VERSION.to_string().as_bytes())?;
            }
            Some(v) => {
                let found = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                if found == SCHEMA_THREE_TREES {
                    self.move_into_one_tree()?;
                    self.rewrite_records()?;
                } else if found == SCHEMA_BINCODE {
                    self.rewrite_records()?;
                } else if found != SCHEMA_VERSION {
                    return Err(StoreError::Schema { found });
                }
            }
        }
        // Left behind when a migration was stopped between its last two steps.
        for name in OLD_TREES {
            if self.db.tree_names().iter().any(|n| n == name.as_bytes()) {
                self.db.drop_tree(name)?;
            }
        }
        Ok(())
    }

    /// Moves a schema 4 database (texts and report records in trees of their own) into the
    /// one tree, then marks it schema 5 (whose records [`Store::rewrite_records`] then
    /// rewrites) and drops the old trees. Copying is idempotent, so a
    /// migration stopped midway is simply run again by the next open.
    fn move_into_one_tree(&self) -> Result<(), StoreError> {
        tracing::info!("moving a schema {SCHEMA_THREE_TREES} database into one tree");
        let mut buckets: BTreeMap<Vec<u8>, Vec<(String, u64)>> = BTreeMap::new();
        for name in OLD_TREES {
            let old = self.db.open_tree(name)?;
            let mut batch = sled::Batch::default();
            let mut in_batch = 0;
            for r in old.iter() {
                let (k, v) = r?;
                if let Some(key) = k.strip_prefix(keys::ARTICLE_KEY) {
                    // One entry per article then; buckets now.
                    let key = String::from_utf8_lossy(key).into_owned();
                    let seq = v.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
                    buckets
                        .entry(keyindex::bucket(&key))
                        .or_default()
                        .push((key, seq));
                    continue;
                }
                batch.insert(k, v);
                in_batch += 1;
                if in_batch == BATCH_ENTRIES {
                    self.tree.apply_batch(std::mem::take(&mut batch))?;
                    in_batch = 0;
                }
            }
            self.tree.apply_batch(batch)?;
        }
        let mut batch = sled::Batch::default();
        for (b, added) in &buckets {
            let old = self.tree.get(b)?;
            let added = added.iter().map(|(k, s)| (k.as_str(), *s));
            batch.insert(b.as_slice(), keyindex::merge(old.as_deref(), added));
        }
        self.tree.apply_batch(batch)?;
        // The filter is over the key index, which changed form: rebuilt by `load_filter`.
        for k in self.tree.scan_prefix(keys::KEY_FILTER).keys() {
            self.tree.remove(k?)?;
        }
        self.tree
            .insert(keys::SCHEMA, SCHEMA_BINCODE.to_string().as_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    /// Rewrites every report record not in the current encoding (bincode, or JSON from
    /// schema 4) as MessagePack, then marks the database schema 6. Rewriting is idempotent, so
    /// a migration stopped midway is run again by the next open. A record that does not decode
    /// is left as it is (and reported): reading it fails as it did before.
    fn rewrite_records(&self) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        let (mut in_batch, mut rewritten, mut unreadable) = (0, 0, 0);
        for r in self.tree.scan_prefix(keys::REPORT) {
            let (k, v) = r?;
            if record_is_current(&v) {
                continue;
            }
            match decode_record(&k, &v) {
                Ok(record) => {
                    batch.insert(k, encode_record(&record));
                    in_batch += 1;
                    rewritten += 1;
                }
                Err(e) => {
                    tracing::warn!("{e}; left as it is");
                    unreadable += 1;
                }
            }
            if in_batch == BATCH_ENTRIES {
                self.tree.apply_batch(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
        }
        self.tree.apply_batch(batch)?;
        self.tree
            .insert(keys::SCHEMA, SCHEMA_VERSION.to_string().as_bytes())?;
        self.db.flush()?;
        tracing::info!(
            "upgraded the database to schema {SCHEMA_VERSION}: {rewritten} report record(s) rewritten, {unreadable} unreadable"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::encoding::to_json;
    use super::super::testing::{keyed_article, reopen};
    use super::super::TREE_NAME;
    use super::*;

    /// A schema 4 database (texts and report records in trees of their own) opens as the
    /// current schema with everything in one tree, and its old trees are gone. Its unreadable
    /// report record is kept as it was (the records upgrade leaves what it cannot read).
    #[test]
    fn schema_four_is_moved_into_one_tree() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = sled::open(dir.path()).unwrap();
            let main = db.open_tree(TREE_NAME).unwrap();
            main.insert(keys::SCHEMA, b"4".to_vec()).unwrap();
            main.insert(b"src/feed", b"{}".to_vec()).unwrap();
            let arts = db.open_tree(OLD_TREES[0]).unwrap();
            let a = crate::model::Article {
                url: "https://example.org/a".into(),
                ..keyed_article("k1")
            };
            arts.insert(keys::article_key("k1"), 7u64.to_be_bytes().to_vec())
                .unwrap();
            arts.insert(keys::article(7), to_json(&a)).unwrap();
            let reps = db.open_tree(OLD_TREES[1]).unwrap();
            reps.insert(b"rep/x", b"r".to_vec()).unwrap();
            db.flush().unwrap();
        }
        let store = reopen(dir.path());
        assert_eq!(
            store.article("k1").unwrap().unwrap().url,
            "https://example.org/a"
        );
        assert!(store.has_article("k1").unwrap());
        assert_eq!(
            store.tree.get(b"rep/x").unwrap().as_deref(),
            Some(&b"r"[..])
        );
        assert_eq!(
            store.tree.get(keys::SCHEMA).unwrap().as_deref(),
            Some(SCHEMA_VERSION.to_string().as_bytes())
        );
        let names = store.db.tree_names();
        assert!(OLD_TREES
            .iter()
            .all(|t| !names.iter().any(|n| n == t.as_bytes())));
        drop(store);
        reopen(dir.path());
    }
}
