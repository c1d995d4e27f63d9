//! Analysts' corrections: the append-only log (`cor/`), and what applying it leaves beside
//! the incidents as shown: the corrections applied to each (`cap/`), the dismissed incidents
//! (`dis/`), and the list of incidents corrections made or changed (`meta/corrected`).
//!
//! The log is the one derived-looking keyspace `reprocess` keeps: it is what the analysts
//! said, not what was read from the articles. The store knows nothing of what a correction
//! means (that is `crate::correction`, applied by the pipeline): it keeps log entries and
//! applied lists as JSON of any serde type.
//!
//! Merging reads the force/month and force/late indexes, which always hold the incidents as
//! merging made them; `inc/`, `tim/` and `agg/` hold the incidents as shown, with the
//! corrections applied (see [`WriteSet::put_incident_view`]). Without corrections the two are
//! the same incidents.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::Incident;

use super::encoding::to_json;
use super::{keys, Store, StoreError, WriteSet};

fn correction_key(seq: u64) -> Vec<u8> {
    [keys::CORRECTION, format!("{seq:016x}").as_bytes()].concat()
}

fn applied_key(id: &str) -> Vec<u8> {
    [keys::APPLIED, id.as_bytes()].concat()
}

fn dismissed_key(id: &str) -> Vec<u8> {
    [keys::DISMISSED, id.as_bytes()].concat()
}

impl WriteSet {
    /// Appends an entry to the corrections log under its sequence number (see
    /// [`Store::next_correction_seq`]).
    pub fn put_correction<T: Serialize>(&mut self, seq: u64, entry: &T) {
        self.put(correction_key(seq), to_json(entry));
    }

    /// Records the corrections applied to the incident `id` as shown.
    pub fn put_applied<T: Serialize>(&mut self, id: &str, applied: &T) {
        self.put(applied_key(id), to_json(applied));
    }

    /// Forgets the corrections applied to the incident `id`.
    pub fn delete_applied(&mut self, id: &str) {
        self.delete(applied_key(id));
    }

    /// Stores a dismissed incident: kept for `show` and `incidents --dismissed`, out of the
    /// lists, the trend counters and the exports.
    pub fn put_dismissed(&mut self, inc: &Incident) {
        self.put(dismissed_key(&inc.id), to_json(inc));
    }

    /// Removes a dismissed incident.
    pub fn delete_dismissed(&mut self, id: &str) {
        self.delete(dismissed_key(id));
    }

    /// Records the ids of the incidents corrections made or changed.
    pub fn put_corrected_ids(&mut self, ids: &[String]) {
        self.put(keys::CORRECTED.to_vec(), to_json(&ids));
    }
}

impl Store {
    /// The corrections log, oldest first.
    ///
    /// # Errors
    ///
    /// When it cannot be read or an entry does not decode as `T`.
    pub fn corrections<T: DeserializeOwned>(&self) -> Result<Vec<T>, StoreError> {
        self.scan_json(keys::CORRECTION).collect()
    }

    /// Whether the log has any entry (reads one key at most).
    pub fn has_corrections(&self) -> Result<bool, StoreError> {
        Ok(self
            .raw_prefix(keys::CORRECTION)
            .next()
            .transpose()?
            .is_some())
    }

    /// The sequence number the next log entry takes: one past the last, from 1.
    pub fn next_correction_seq(&self) -> Result<u64, StoreError> {
        let end = super::view::prefix_end(keys::CORRECTION);
        let last = self
            .raw_range(
                keys::CORRECTION,
                end.as_deref(),
                super::view::Order::Reverse,
            )
            .next()
            .transpose()?;
        Ok(last
            .and_then(|(k, _)| {
                let hex = std::str::from_utf8(&k[keys::CORRECTION.len()..]).ok()?;
                u64::from_str_radix(hex, 16).ok()
            })
            .unwrap_or(0)
            + 1)
    }

    /// The corrections applied to the incident `id` as shown (none: `None`).
    pub fn applied<T: DeserializeOwned>(&self, id: &str) -> Result<Option<T>, StoreError> {
        self.get_json(&applied_key(id))
    }

    /// The dismissed incident with this id, if any.
    pub fn dismissed_incident(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        self.get_json(&dismissed_key(id))
    }

    /// Every dismissed incident, in id order.
    pub fn dismissed_incidents(&self) -> impl Iterator<Item = Result<Incident, StoreError>> + '_ {
        self.scan_json(keys::DISMISSED)
    }

    /// The ids of the incidents corrections made or changed (see [`WriteSet::put_corrected_ids`]).
    pub fn corrected_ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.get_json(keys::CORRECTED)?.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inc, reopen};
    use super::*;

    #[test]
    fn the_log_is_appended_to_and_survives_reprocess_clearing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(!store.has_corrections().unwrap());
        assert_eq!(store.next_correction_seq().unwrap(), 1);
        let mut w = WriteSet::new();
        w.put_correction(1, &serde_json::json!({"seq": 1, "reason": "a"}));
        w.put_correction(2, &serde_json::json!({"seq": 2, "reason": "b"}));
        w.put_applied("x", &vec!["applied"]);
        w.put_dismissed(&inc("x", "2024-01-01T00:00:00Z"));
        w.put_corrected_ids(&["x".to_string()]);
        store.apply(w).unwrap();
        assert_eq!(store.next_correction_seq().unwrap(), 3);
        store.commit().unwrap();
        drop(store);
        let store = reopen(dir.path());
        assert_eq!(store.dismissed_incident("x").unwrap().unwrap().id, "x");
        assert_eq!(store.corrected_ids().unwrap(), ["x"]);
        store.clear_derived().unwrap();
        let log: Vec<serde_json::Value> = store.corrections().unwrap();
        assert_eq!(log.len(), 2, "reprocess keeps the log");
        assert_eq!(log[1]["reason"], "b");
        assert!(store.dismissed_incident("x").unwrap().is_none());
        assert!(store.applied::<Vec<String>>("x").unwrap().is_none());
        assert!(store.corrected_ids().unwrap().is_empty());
    }
}
