//! The signature index (`sig/`): each breach article's MinHash signature, under each force it
//! names and its time, where near-duplicate search looks for copies of a story.

use super::{keys, Store, StoreError, WriteSet};

impl WriteSet {
    /// Indexes a breach article's MinHash signature under each force it names and its time
    /// (Unix seconds): copies are looked for among articles on the same force near that time.
    pub fn put_signature<'f>(
        &mut self,
        forces: impl IntoIterator<Item = &'f str>,
        article_key: &str,
        when: i64,
        sig: &[u32],
    ) {
        let value: Vec<u8> = sig.iter().flat_map(|v| v.to_le_bytes()).collect();
        for f in forces {
            self.put(keys::signature(f, when, article_key), value.clone());
        }
    }
}

impl Store {
    /// Visits the signatures of `force`'s breach articles published in `[from, to]` (Unix
    /// seconds), in key order, as (article key, signature as stored: 64 little-endian u32),
    /// from the cached buckets, without copying any: near-duplicate search looks at every
    /// signature on a force in four weeks, and copying each out cost more than comparing it.
    /// The cost depends on the force's coverage in that window, not on the size of the store.
    pub fn visit_signatures_near(
        &self,
        force: &str,
        from: i64,
        to: i64,
        mut visit: impl FnMut(&str, &[u8]),
    ) -> Result<(), StoreError> {
        let (lo, hi) = keys::signature_range(force, from, to);
        for b in keys::signature_buckets(force, from, to) {
            let entries = self.bucket(&b)?;
            for (k, v) in entries.iter() {
                if k.as_ref() >= lo.as_slice() && k.as_ref() < hi.as_slice() {
                    visit(keys::signature_article(k), v);
                }
            }
        }
        Ok(())
    }
}
