//! The only module that touches sled.
//!
//! Three trees with prefixed keys (see [`keys`]): `v1` for indexes, incidents and state,
//! `v1-articles` for the raw texts and `v1-analyses` for the report records, so that index
//! nodes stay small (sled copies a node on every write to it). Writes that belong together
//! (an article, its report records, its near-duplicate index entries and the incidents it
//! changes) go in one
//! [`WriteSet`], applied as one atomic sled batch: an ingest killed at any moment leaves a
//! database that opens, and a re-run completes it with nothing lost and nothing doubled.
//! sled flushes every 500 ms on its own; [`Store::flush`] is called on shutdown.

pub mod keys;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::{Article, Incident, IncidentProfile, ReportRecord, SourceState};

/// The on-disk layout version. Bump it when a stored type changes incompatibly.
pub const SCHEMA_VERSION: u32 = 3;

/// What went wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process has the database open (sled allows one).
    #[error("the database {path} is in use by another breachwatch process (is `breachwatch run` running? stop it first, or pass --db to use another database)")]
    Locked { path: PathBuf },
    /// sled failed.
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    /// A stored record did not decode.
    #[error("corrupt record {key}: {source}")]
    Decode {
        key: String,
        #[source]
        source: serde_json::Error,
    },
    /// The database was written by an incompatible version.
    #[error("database schema version {found} is not supported (this build reads {SCHEMA_VERSION}); re-create it with `export --format jsonl` and `ingest` using the matching version")]
    Schema { found: u32 },
}

/// An open database.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    /// Indexes, incidents, signatures, source state: small values.
    tree: sled::Tree,
    /// `art/` records: large raw texts kept apart so index nodes stay small.
    articles: sled::Tree,
    /// `rep/` report records: derived, self-contained, read when re-clustering.
    analyses: sled::Tree,
}

/// Which of the three trees a key lives in.
#[derive(Clone, Copy)]
enum Part {
    Main = 0,
    Articles = 1,
    Analyses = 2,
}

fn part(key: &[u8]) -> Part {
    if key.starts_with(keys::ARTICLE) || key.starts_with(keys::ARTICLE_KEY) {
        Part::Articles
    } else if key.starts_with(keys::ANALYSIS) || key.starts_with(keys::REPORT) {
        Part::Analyses
    } else {
        Part::Main
    }
}

/// Writes applied together, atomically.
#[derive(Default)]
pub struct WriteSet {
    batches: [sled::Batch; 3],
    used: [bool; 3],
    len: usize,
    /// Changes to the maintained trend counters, applied on top of the stored values.
    deltas: std::collections::BTreeMap<Vec<u8>, [i64; 3]>,
}

/// The trend counters one incident contributes to: per dimension, its first-reported month and
/// each of its keys.
fn aggregate_keys(inc: &Incident) -> Vec<Vec<u8>> {
    let month = inc.first_reported.format("%Y-%m").to_string();
    let mut out: Vec<Vec<u8>> = inc
        .forces
        .iter()
        .map(|f| keys::aggregate("force", &month, f))
        .collect();
    out.extend(
        inc.data_types
            .iter()
            .map(|t| keys::aggregate("data-type", &month, t.id())),
    );
    out.push(keys::aggregate("cause", &month, inc.cause.id()));
    out
}

/// The months an incident is indexed under: every month from its first to its last report.
/// Matching never joins a report more than six years after an incident's first (see
/// [`crate::dedup`]), so the list is bounded.
fn incident_months(inc: &Incident) -> Vec<String> {
    keys::months(
        inc.first_reported.timestamp(),
        inc.last_reported.timestamp(),
        7 * 12 + 1,
    )
}

fn enc<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("stored records always serialise")
}

impl WriteSet {
    pub fn new() -> WriteSet {
        WriteSet::default()
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        let p = part(&key) as usize;
        self.used[p] = true;
        self.batches[p].insert(key, value);
        self.len += 1;
    }
    fn del(&mut self, key: Vec<u8>) {
        let p = part(&key) as usize;
        self.used[p] = true;
        self.batches[p].remove(key);
        self.len += 1;
    }
    /// Stores an article under `seq` (from [`Store::next_seq`]) and indexes its key.
    pub fn put_article(&mut self, a: &Article, seq: u64) {
        self.put(keys::article_key(&a.key), seq.to_be_bytes().to_vec());
        self.put(keys::article(seq), enc(a));
    }
    /// Stores the self-contained record of one report (see [`ReportRecord`]).
    pub fn put_report(&mut self, r: &ReportRecord) {
        self.put(keys::report(&r.source.article_key, r.index), enc(r));
    }
    /// Indexes a breach article's MinHash signature under each force it names and its time
    /// (Unix seconds): copies are looked for among articles on the same force near that time.
    pub fn put_signature<'f>(
        &mut self,
        forces: impl IntoIterator<Item = &'f str>,
        article_key: &str,
        when: i64,
        sig: &[u32],
    ) {
        let v: Vec<u8> = sig.iter().flat_map(|v| v.to_le_bytes()).collect();
        for f in forces {
            self.put(keys::signature(f, when, article_key), v.clone());
        }
    }
    /// Stores an incident with its force/month (and, when it opens late, force/first) index
    /// entries, its time index and its article links.
    pub fn put_incident(&mut self, inc: &Incident) {
        let ts = inc.first_reported.timestamp();
        let profile = enc(&inc.profile());
        for f in &inc.forces {
            for m in incident_months(inc) {
                self.put(keys::force_month(f, &m, &inc.id), profile.clone());
            }
            if inc.opens_late {
                self.put(keys::force_late(f, ts, &inc.id), profile.clone());
            }
        }
        self.put(keys::time(ts, &inc.id), Vec::new());
        for m in &inc.members {
            self.put(keys::article_incident(&m.article_key, &inc.id), Vec::new());
        }
        self.put(keys::incident(&inc.id), enc(inc));
        self.count(inc, 1);
    }
    fn count(&mut self, inc: &Incident, sign: i64) {
        let people = inc.affected.as_ref().map(|a| a.count as i64).unwrap_or(0);
        let without = inc.affected.is_none() as i64;
        for k in aggregate_keys(inc) {
            let d = self.deltas.entry(k).or_default();
            d[0] += sign;
            d[1] += sign * people;
            d[2] += sign * without;
        }
        self.len += 1;
    }
    /// Removes an incident and every index entry [`WriteSet::put_incident`] made for it.
    pub fn remove_incident(&mut self, inc: &Incident) {
        let ts = inc.first_reported.timestamp();
        for f in &inc.forces {
            for m in incident_months(inc) {
                self.del(keys::force_month(f, &m, &inc.id));
            }
            // Written only for incidents that open late; deleting a missing key is harmless.
            self.del(keys::force_late(f, ts, &inc.id));
        }
        self.del(keys::time(ts, &inc.id));
        for m in &inc.members {
            self.del(keys::article_incident(&m.article_key, &inc.id));
        }
        self.del(keys::incident(&inc.id));
        self.count(inc, -1);
    }
    pub fn put_source_state(&mut self, id: &str, s: &SourceState) {
        self.put(keys::source(id), enc(s));
    }
}

fn decode_counts(b: &[u8]) -> [i64; 3] {
    let mut v = [0i64; 3];
    for (i, c) in b.chunks_exact(8).take(3).enumerate() {
        v[i] = i64::from_le_bytes(c.try_into().expect("8 bytes"));
    }
    v
}

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = sled::Config::new()
            .path(path)
            .flush_every_ms(Some(500))
            .open()
            .map_err(|e| match &e {
                sled::Error::Io(io)
                    if io.kind() == std::io::ErrorKind::WouldBlock
                        || io.to_string().contains("lock") =>
                {
                    StoreError::Locked {
                        path: path.to_owned(),
                    }
                }
                _ => StoreError::Sled(e),
            })?;
        let tree = db.open_tree("v1")?;
        let articles = db.open_tree("v1-articles")?;
        let analyses = db.open_tree("v1-analyses")?;
        let store = Store {
            db,
            tree,
            articles,
            analyses,
        };
        match store.tree.get(keys::SCHEMA)? {
            None => {
                store
                    .tree
                    .insert(keys::SCHEMA, SCHEMA_VERSION.to_string().as_bytes())?;
            }
            Some(v) => {
                let found = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                if found != SCHEMA_VERSION {
                    return Err(StoreError::Schema { found });
                }
            }
        }
        Ok(store)
    }

    /// Applies a write set atomically.
    pub fn apply(&self, w: WriteSet) -> Result<(), StoreError> {
        use sled::transaction::{TransactionError, Transactional};
        if w.len == 0 {
            return Ok(());
        }
        let mut w = w;
        // Single writer: counters are read here and written in the same atomic apply.
        for (k, d) in std::mem::take(&mut w.deltas) {
            if d == [0, 0, 0] {
                continue;
            }
            let mut v = self
                .tree
                .get(&k)?
                .map(|b| decode_counts(&b))
                .unwrap_or_default();
            for i in 0..3 {
                v[i] += d[i];
            }
            if v[0] <= 0 {
                w.del(k);
            } else {
                w.put(k, v.iter().flat_map(|x| x.to_le_bytes()).collect());
            }
        }
        if w.used == [true, false, false] {
            self.tree
                .apply_batch(w.batches.into_iter().next().expect("three batches"))?;
            return Ok(());
        }
        let [main, arts, anas] = &w.batches;
        (&self.tree, &self.articles, &self.analyses)
            .transaction(|(t, a, n)| {
                t.apply_batch(main)?;
                a.apply_batch(arts)?;
                n.apply_batch(anas)?;
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Sled(e),
                TransactionError::Abort(()) => unreachable!("the transaction never aborts"),
            })
    }

    /// Flushes to disk; call before exit.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    fn tree_for(&self, key: &[u8]) -> &sled::Tree {
        match part(key) {
            Part::Main => &self.tree,
            Part::Articles => &self.articles,
            Part::Analyses => &self.analyses,
        }
    }

    fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.tree_for(key).get(key)? {
            None => Ok(None),
            Some(v) => serde_json::from_slice(&v)
                .map(Some)
                .map_err(|source| StoreError::Decode {
                    key: String::from_utf8_lossy(key).into_owned(),
                    source,
                }),
        }
    }

    fn scan<T: DeserializeOwned>(
        &self,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.tree_for(prefix).scan_prefix(prefix).map(|r| {
            let (k, v) = r?;
            serde_json::from_slice(&v).map_err(|source| StoreError::Decode {
                key: String::from_utf8_lossy(&k).into_owned(),
                source,
            })
        })
    }

    /// The last segment of every key under `prefix`.
    fn tails(&self, prefix: &[u8]) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for r in self.tree.scan_prefix(prefix).keys() {
            let k = r?;
            out.push(String::from_utf8_lossy(&k[prefix.len()..]).into_owned());
        }
        Ok(out)
    }

    /// Whether an article with this key is stored: one lookup in the small key index, not
    /// in the tree of texts.
    pub fn has_article(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.articles.contains_key(keys::article_key(key))?)
    }
    /// A new sequence number for an article: increasing, so texts are stored in order.
    pub fn next_seq(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()?)
    }
    /// How many articles are stored (counts the key index).
    pub fn article_count(&self) -> usize {
        self.articles.scan_prefix(keys::ARTICLE_KEY).count()
    }
    pub fn article(&self, key: &str) -> Result<Option<Article>, StoreError> {
        let Some(seq) = self.articles.get(keys::article_key(key))? else {
            return Ok(None);
        };
        let seq = seq.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
        self.get(&keys::article(seq))
    }
    pub fn articles(&self) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        self.scan(keys::ARTICLE)
    }
    /// The stored record of report `index` of an article.
    pub fn report(
        &self,
        article_key: &str,
        index: usize,
    ) -> Result<Option<ReportRecord>, StoreError> {
        self.get(&keys::report(article_key, index))
    }
    /// Breach articles naming `force` published in `[from, to]` (Unix seconds), with their
    /// time and MinHash signature. The cost depends on the force's coverage in that window,
    /// not on the size of the store.
    pub fn signatures_near(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, i64, Vec<u32>)>, StoreError> {
        let (lo, hi) = keys::signature_range(force, from, to);
        let mut out = Vec::new();
        for r in self.tree.range(lo..hi) {
            let (k, v) = r?;
            let (when, key) = keys::signature_parts(&k);
            let sig = v
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            out.push((key, when, sig));
        }
        Ok(out)
    }
    pub fn incident(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        self.get(&keys::incident(id))
    }
    pub fn incidents(&self) -> impl Iterator<Item = Result<Incident, StoreError>> + '_ {
        self.scan(keys::INCIDENT)
    }
    pub fn incident_count(&self) -> usize {
        self.tree.scan_prefix(keys::INCIDENT).count()
    }
    /// Profiles of incidents of `force` with a report in some month from `from` to `to`
    /// (Unix seconds; whole months, so a superset), read from the force/month index alone.
    /// The cost depends on how many incidents the force had in those months, not on how many
    /// are stored.
    pub fn incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<IncidentProfile>, StoreError> {
        let (lo, hi) = keys::force_month_range(force, &keys::month_of(from), &keys::month_of(to));
        self.profiles(self.tree.range(lo..hi))
    }
    /// Profiles of incidents of `force` that open late (see [`Incident::opens_late`]), first
    /// reported in `[from, to]`.
    pub fn late_incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<IncidentProfile>, StoreError> {
        let (lo, hi) = keys::force_late_range(force, from, to);
        self.profiles(self.tree.range(lo..hi))
    }
    /// Decodes index entries valued with profiles, once per incident id.
    fn profiles(
        &self,
        entries: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    ) -> Result<Vec<IncidentProfile>, StoreError> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for r in entries {
            let (k, v) = r?;
            if !seen.insert(keys::id_after_time(&k)) {
                continue;
            }
            out.push(
                serde_json::from_slice(&v).map_err(|source| StoreError::Decode {
                    key: String::from_utf8_lossy(&k).into_owned(),
                    source,
                })?,
            );
        }
        Ok(out)
    }
    /// Incident ids newest first, by the time index (no incident is decoded).
    pub fn incident_ids_newest_first(
        &self,
    ) -> impl Iterator<Item = Result<(i64, String), StoreError>> + '_ {
        self.tree.scan_prefix(keys::TIME).rev().map(|r| {
            r.map(|(k, _)| keys::time_and_id(&k))
                .map_err(StoreError::from)
        })
    }
    /// Ids of incidents that contain a report of `article_key`.
    pub fn incidents_of_article(&self, article_key: &str) -> Result<Vec<String>, StoreError> {
        self.tails(&keys::article_incident_prefix(article_key))
    }
    /// Maintained trend counters of a dimension (`force`, `data-type`, `cause`) for months in
    /// `[from, to]` (`yyyy-mm`, inclusive): `(month, key, [incidents, people, without figure])`.
    pub fn aggregates(
        &self,
        dim: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<(String, String, [i64; 3])>, StoreError> {
        let mut out = Vec::new();
        for r in self.tree.scan_prefix(keys::aggregate_prefix(dim)) {
            let (k, v) = r?;
            let (month, key) = keys::aggregate_parts(&k);
            if from.is_some_and(|f| month.as_str() < f) || to.is_some_and(|t| month.as_str() > t) {
                continue;
            }
            out.push((month, key, decode_counts(&v)));
        }
        Ok(out)
    }
    /// Incident ids first reported in `[from, to]` (Unix seconds), by the time index.
    pub fn incident_ids_between(&self, from: i64, to: i64) -> Result<Vec<String>, StoreError> {
        let (lo, hi) = (keys::time(from, ""), keys::time(to.saturating_add(1), ""));
        let mut out = Vec::new();
        for r in self.tree.range(lo..hi).keys() {
            out.push(keys::time_and_id(&r?).1);
        }
        Ok(out)
    }
    pub fn source_state(&self, id: &str) -> Result<Option<SourceState>, StoreError> {
        self.get(&keys::source(id))
    }
    pub fn put_source_state(&self, id: &str, s: &SourceState) -> Result<(), StoreError> {
        self.tree.insert(keys::source(id), enc(s))?;
        Ok(())
    }
    pub fn source_states(&self) -> Result<Vec<(String, SourceState)>, StoreError> {
        let mut out = Vec::new();
        for r in self.tree.scan_prefix(keys::SOURCE) {
            let (k, v) = r?;
            let id = String::from_utf8_lossy(&k[keys::SOURCE.len()..]).into_owned();
            let s = serde_json::from_slice(&v).map_err(|source| StoreError::Decode {
                key: id.clone(),
                source,
            })?;
            out.push((id, s));
        }
        Ok(out)
    }

    /// Removes every derived record (analyses, band index, incidents and their indexes),
    /// keeping articles and source state. Used by `reprocess`.
    pub fn clear_derived(&self) -> Result<(), StoreError> {
        self.analyses.clear()?;
        for prefix in keys::DERIVED {
            let tree = self.tree_for(prefix);
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for k in tree.scan_prefix(prefix).keys() {
                batch.remove(k?);
                n += 1;
                if n == 10_000 {
                    tree.apply_batch(std::mem::take(&mut batch))?;
                    n = 0;
                }
            }
            tree.apply_batch(batch)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_open_is_a_clear_error_and_schema_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let err = Store::open(dir.path())
            .err()
            .expect("second open must fail");
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("another breachwatch process"));
        drop(s);
        // sled's flusher thread lets go of the file lock shortly after the last handle drops.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match Store::open(dir.path()) {
                Ok(_) => break,
                Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("reopen failed: {e}"),
            }
        }
    }
}
