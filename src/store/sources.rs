//! Source state (`src/`): what polling a source remembers between runs (its HTTP validators,
//! its last attempt and success, when it is next due), saved together with the items read
//! from it.

use crate::model::SourceState;

use super::encoding::{from_json, to_json};
use super::{keys, Store, StoreError, WriteSet};

impl WriteSet {
    /// Saves a source's state (see [`Store::put_source_state`], which commits it at once).
    pub fn put_source_state(&mut self, id: &str, s: &SourceState) {
        self.put(keys::source(id), to_json(s));
    }
}

impl Store {
    /// The saved state of the source `id`, if any.
    pub fn source_state(&self, id: &str) -> Result<Option<SourceState>, StoreError> {
        self.get_json(&keys::source(id))
    }

    /// Saves a source's state and commits it together with everything staged (the items
    /// read from that source): its validators are never saved without its items.
    pub fn put_source_state(&self, id: &str, s: &SourceState) -> Result<(), StoreError> {
        let mut w = WriteSet::new();
        w.put_source_state(id, s);
        self.staged().absorb(w);
        self.commit()
    }

    /// Every saved source state, by source id (in id order).
    pub fn source_states(&self) -> Result<Vec<(String, SourceState)>, StoreError> {
        let mut out = Vec::new();
        for r in self.raw_prefix(keys::SOURCE) {
            let (k, v) = r?;
            let id = String::from_utf8_lossy(&k[keys::SOURCE.len()..]).into_owned();
            // Named by its id in the error, not by its key.
            let s = from_json(id.as_bytes(), &v)?;
            out.push((id, s));
        }
        Ok(out)
    }
}
