//! Alert state (`alr/`): what the alert worker has seen of the incidents, what it owes each
//! webhook and what it has delivered (the records themselves are the worker's, see
//! `crate::notify`; the store keeps them as JSON under keys the worker names).
//!
//! Not derived: `reprocess` keeps it (it is not in [`keys::DERIVED`]), so rebuilding the
//! incidents never makes an event delivered before be sent again.
//!
//! Alert writes go straight to sled as one atomic batch and are flushed to disk before
//! [`Store::alert_write`] returns, apart from the pipeline's staged write sets (no key of
//! theirs is under `alr/`): the worker records a delivery as pending, durably, before it
//! sends it, and as delivered right after.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::encoding::{from_json, to_json};
use super::{keys, Store, StoreError};

/// Writes to the alert keyspace that belong together, applied by [`Store::alert_write`].
#[derive(Debug, Default)]
pub struct AlertBatch {
    changes: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

impl AlertBatch {
    /// An empty batch.
    pub fn new() -> AlertBatch {
        AlertBatch::default()
    }

    /// Stores `value` as JSON under `alr/<key>`.
    pub fn put<T: Serialize>(&mut self, key: &str, value: &T) {
        self.changes.push((keys::alert(key), Some(to_json(value))));
    }

    /// Deletes `alr/<key>`.
    pub fn delete(&mut self, key: &str) {
        self.changes.push((keys::alert(key), None));
    }

    /// Whether nothing was written to it.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl Store {
    /// The value under `alr/<key>`, if any.
    pub fn alert_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let k = keys::alert(key);
        match self.tree.get(&k)? {
            Some(v) => Ok(Some(from_json(&k, &v)?)),
            None => Ok(None),
        }
    }

    /// Every value under `alr/<prefix>`, in key order, with its key (without `alr/`).
    pub fn alert_scan<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, T)>, StoreError> {
        let mut out = Vec::new();
        for r in self.tree.scan_prefix(keys::alert(prefix)) {
            let (k, v) = r?;
            let key = String::from_utf8_lossy(&k[keys::ALERT.len()..]).into_owned();
            out.push((key, from_json(&k, &v)?));
        }
        Ok(out)
    }

    /// Applies `batch` atomically and flushes it to disk.
    pub fn alert_write(&self, batch: AlertBatch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut b = sled::Batch::default();
        for (k, v) in batch.changes {
            match v {
                Some(v) => b.insert(k, v),
                None => b.remove(k),
            }
        }
        self.tree.apply_batch(b)?;
        self.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_records_survive_reopening_and_reprocess() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut b = AlertBatch::new();
            b.put("out/0001", &serde_json::json!({"state": "pending"}));
            b.put("out/0002", &serde_json::json!({"state": "delivered"}));
            b.put("seen/x", &1);
            store.alert_write(b).unwrap();
            let mut b = AlertBatch::new();
            b.delete("seen/x");
            store.alert_write(b).unwrap();
            store.clear_derived().unwrap();
        }
        let store = super::super::testing::reopen(dir.path());
        let out: Vec<(String, serde_json::Value)> = store.alert_scan("out/").unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].0, "out/0001");
        assert_eq!(out[1].1["state"], "delivered");
        assert_eq!(store.alert_get::<u32>("seen/x").unwrap(), None);
    }
}
