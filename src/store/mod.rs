//! The only module that touches sled.
//!
//! One tree, `v1`, with prefixed keys (see [`keys`]). Keys sort by prefix, so the raw texts,
//! report records and indexes sit in leaves of their own. (Schema 4 kept texts and report
//! records in trees of their own; committing to three trees needs a sled transaction, which
//! reads the old value of every key it writes, while one tree's batch is atomic by itself.
//! [`Store::open`] moves a schema 4 database into one tree.)
//!
//! Writes that belong together (an article, its report records, its signature entries and the
//! incidents it changes) form one [`WriteSet`]. [`Store::apply`] stages a whole write set;
//! staged sets are committed together, as one atomic sled batch, every
//! [`GROUP_SETS`] sets (or [`GROUP_BYTES`]), when a source's state is saved, and by
//! [`Store::commit`] / [`Store::flush`], which every entry point calls before it returns.
//! Reads see staged writes, so the pipeline reads its own writes. sled 0.34 writes and syncs
//! its log buffer twice for every atomic batch; one commit per group instead of one per
//! article took ingest from about 4.4 s to about 2.9 s per 10k synthetic articles (see the
//! README). A run killed at any moment leaves a database that opens; it loses at most the
//! uncommitted group, whose articles are not marked stored, so a re-run stores them.

mod buckets;
mod filter;
#[cfg(test)]
mod golden;
mod keyindex;
pub mod keys;
mod legacy;
pub mod profile;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use sled::IVec;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::{Article, Incident, IncidentProfile, Member, ReportRecord, SourceState};

/// The on-disk layout version. Bump it when a stored type changes in a way the tolerant
/// encodings cannot absorb (see [`crate::model`]), and migrate in [`Store::open`].
/// 6: report records in MessagePack ([`RecordFormat`]).
pub const SCHEMA_VERSION: u32 = 6;

/// The schema whose report records are bincode; [`Store::open`] rewrites them.
const SCHEMA_BINCODE: u32 = 5;

/// The schema [`Store::open`] migrates from: the same keys in three trees.
const SCHEMA_THREE_TREES: u32 = 4;
const OLD_TREES: [&str; 2] = ["v1-articles", "v1-analyses"];

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
    /// A stored report record did not decode.
    #[error("corrupt report record {key}: {source}")]
    Record {
        key: String,
        #[source]
        source: RecordError,
    },
    /// An [`Opening`] store failed to open (its error was returned to the first to wait).
    #[error("the database could not be opened (see the error above)")]
    NotOpen,
    /// A stored index entry did not decode.
    #[error("corrupt index record {key}")]
    BadIndex { key: String },
    /// The database was written by an incompatible version.
    #[error("database schema version {found} is not supported (this build reads {SCHEMA_VERSION}); re-create it with `export --format jsonl` and `ingest` using the matching version")]
    Schema { found: u32 },
}

/// Where an ingest stores what it reads: an open [`Store`], or an [`Opening`] one.
pub trait Target: Sync {
    /// The store, if it is open (never waits).
    fn ready(&self) -> Option<&Store>;
    /// The store, once it is open.
    fn wait(&self) -> Result<&Store, StoreError>;
}

impl Target for Store {
    fn ready(&self) -> Option<&Store> {
        Some(self)
    }
    fn wait(&self) -> Result<&Store, StoreError> {
        Ok(self)
    }
}

/// A store opening on another thread, so that the work that needs none (reading the input,
/// analysing articles) starts at once. Opening replays the log sled wrote since the database
/// was last opened, and after a large ingest that is tens of milliseconds (about 75 ms after
/// 10k articles into a 90k-article store) in which nothing else could otherwise run.
pub struct Opening {
    store: std::sync::OnceLock<Store>,
    thread: Mutex<Option<std::thread::JoinHandle<Result<Store, StoreError>>>>,
}

impl Opening {
    /// Starts opening the database at `path` (see [`Store::open`]).
    pub fn start(path: &Path) -> Opening {
        let path = path.to_owned();
        Opening {
            store: std::sync::OnceLock::new(),
            thread: Mutex::new(Some(std::thread::spawn(move || Store::open(&path)))),
        }
    }

    /// The open store, or the error opening it gave.
    pub fn into_store(self) -> Result<Store, StoreError> {
        self.wait()?;
        self.store.into_inner().ok_or(StoreError::NotOpen)
    }
}

impl Target for Opening {
    fn ready(&self) -> Option<&Store> {
        self.store.get()
    }
    /// The first caller to wait after a failed open gets its error; later ones
    /// [`StoreError::NotOpen`].
    fn wait(&self) -> Result<&Store, StoreError> {
        if let Some(s) = self.store.get() {
            return Ok(s);
        }
        let mut thread = self.thread.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = thread.take() {
            let opened = t.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
            let _ = self.store.set(opened);
        }
        self.store.get().ok_or(StoreError::NotOpen)
    }
}

/// An open database.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    /// Everything, under the prefixes of [`keys`].
    tree: sled::Tree,
    /// Write sets applied but not yet committed.
    staged: Arc<Mutex<Staged>>,
    /// Which article keys may be stored (staged ones included).
    filter: Arc<Mutex<filter::KeyFilter>>,
    /// Held by the one writer at a time (see [`Store::writer`]).
    writer: Arc<Mutex<()>>,
    /// Report records decoded lately. A record never changes once written (only `reprocess`
    /// rewrites them, after [`Store::clear_derived`] empties this), and merging reads the
    /// same incident's members again for each of its reports arriving together.
    records: Arc<Mutex<std::collections::HashMap<Vec<u8>, Arc<ReportRecord>>>>,
    /// Whole index buckets read lately (see [`buckets`]).
    buckets: Arc<Mutex<buckets::Buckets>>,
}

/// How many decoded report records [`Store::report`] keeps (then it starts afresh).
const RECORD_CACHE: usize = 16_384;

/// Staged write sets are committed together once there are this many...
pub const GROUP_SETS: usize = 1000;
/// ...or once their values add up to this many bytes.
pub const GROUP_BYTES: usize = 32 << 20;

/// Write sets applied but not committed: the latest value (or deletion) per key, and the
/// summed counter changes.
#[derive(Default)]
struct Staged {
    entries: Entries,
    /// Article keys stored in this group, with their sequence numbers: merged into the
    /// key-index buckets at commit (see [`keyindex`]).
    new_keys: std::collections::HashMap<String, u64>,
    deltas: BTreeMap<Vec<u8>, [i64; 3]>,
    sets: usize,
    bytes: usize,
}

impl Staged {
    fn absorb(&mut self, w: WriteSet) {
        for (k, v) in w.entries {
            self.bytes += k.len() + v.as_ref().map_or(0, Vec::len);
            self.entries.insert(k, v);
        }
        for (k, seq) in w.new_keys {
            self.bytes += k.len() + 8;
            self.new_keys.insert(k, seq);
        }
        for (k, d) in w.deltas {
            add_counts(self.deltas.entry(k).or_default(), &d);
        }
        self.sets += 1;
    }
    fn is_empty(&self) -> bool {
        self.sets == 0 && self.entries.is_empty() && self.new_keys.is_empty()
    }
}

/// Writes that belong together: committed atomically, never in part.
#[derive(Default)]
pub struct WriteSet {
    /// The latest value (`None`: deletion) per key.
    entries: Entries,
    /// Article keys stored, with their sequence numbers (see [`keyindex`]).
    new_keys: Vec<(String, u64)>,
    /// Empty-valued entries deleted because a stored incident had them.
    removed: std::collections::BTreeSet<Vec<u8>>,
    len: usize,
    /// Changes to the maintained trend counters, applied on top of the stored values.
    deltas: BTreeMap<Vec<u8>, [i64; 3]>,
}

/// The trend counters one incident contributes to: per dimension, its first-reported month and
/// each of its keys.
fn aggregate_keys(inc: &IncidentProfile) -> Vec<Vec<u8>> {
    let month = inc.month();
    let mut out: Vec<Vec<u8>> = inc
        .forces
        .iter()
        .map(|f| keys::aggregate("force", &month, f))
        .collect();
    out.extend(
        inc.types
            .iter()
            .map(|t| keys::aggregate("data-type", &month, t.id())),
    );
    out.push(keys::aggregate("cause", &month, inc.cause.id()));
    out
}

/// The months an incident is indexed under: every month from its first to its last report.
/// Matching never joins a report more than six years after an incident's first (see
/// [`crate::dedup`]), so the list is bounded.
fn incident_months(inc: &IncidentProfile) -> Vec<String> {
    keys::months(inc.first, inc.last, 7 * 12 + 1)
}

fn enc<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("stored records always serialise")
}

/// The first byte of a stored report record: which encoding follows.
///
/// Merging decodes the records of every candidate incident's members, the most frequent
/// decode in the store. As JSON a record (1.8 KB, most of it its sentences and signature)
/// took about 22 µs; MessagePack with named fields keeps JSON's tolerance (fields by name,
/// enum variants by their string ids) at a fraction of its size and cost.
///
/// | first byte | encoding | written by |
/// |---|---|---|
/// | `{` | JSON | schema 4 and earlier |
/// | 1 | bincode 1, layout before `Report::occurred` | schema 5 |
/// | 2 | bincode 1, layout with `occurred` | schema 5 |
/// | 3 | MessagePack, structs as maps (`rmp_serde::to_vec_named`) | schema 6 on |
///
/// Bincode layouts are read by [`legacy`] and rewritten as MessagePack when a schema 5
/// database is opened ([`Store::open`]). See [`crate::model`] for the rule that keeps byte 3
/// readable across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RecordFormat {
    BincodeV1 = 1,
    BincodeV2 = 2,
    MessagePack = 3,
}

/// A report record as it is stored.
fn encode_record(r: &ReportRecord) -> Vec<u8> {
    let mut out = vec![RecordFormat::MessagePack as u8];
    rmp_serde::encode::write_named(&mut out, r).expect("report records always serialise");
    out
}

/// Why a stored report record did not decode.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    MessagePack(#[from] rmp_serde::decode::Error),
    #[error(transparent)]
    Legacy(#[from] legacy::LegacyError),
}

/// A stored report record, in any encoding a build has written (see [`RecordFormat`]).
fn decode_record(key: &[u8], v: &[u8]) -> Result<ReportRecord, StoreError> {
    let key = || String::from_utf8_lossy(key).into_owned();
    let record = |e: RecordError| StoreError::Record {
        key: key(),
        source: e,
    };
    match v.first() {
        Some(&b) if b == RecordFormat::MessagePack as u8 => {
            rmp_serde::from_slice(&v[1..]).map_err(|e| record(e.into()))
        }
        Some(&b) if b == RecordFormat::BincodeV1 as u8 || b == RecordFormat::BincodeV2 as u8 => {
            legacy::record(b, &v[1..]).map_err(|e| record(e.into()))
        }
        _ => serde_json::from_slice(v).map_err(|source| StoreError::Decode { key: key(), source }),
    }
}

/// Whether a stored record is in the current encoding.
fn record_is_current(v: &[u8]) -> bool {
    v.first() == Some(&(RecordFormat::MessagePack as u8))
}

/// An article as it is stored (for [`WriteSet::put_encoded_article`]).
pub fn encode_article(a: &Article) -> Vec<u8> {
    enc(a)
}

impl WriteSet {
    pub fn new() -> WriteSet {
        WriteSet::default()
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        let part = &mut self.entries;
        // An empty-valued index entry deleted earlier in this set (an incident removed, then
        // written again) is stored already: only stored entries are deleted with an empty
        // value in mind, so putting it back is dropped instead of rewritten.
        if value.is_empty() && part.get(&key) == Some(&None) && self.removed.contains(&key) {
            part.remove(&key);
            return;
        }
        part.insert(key, Some(value));
        self.len += 1;
    }
    /// Deletes an empty-valued entry known to be stored (see [`WriteSet::put`]).
    fn del_stored(&mut self, key: Vec<u8>) {
        self.removed.insert(key.clone());
        self.del(key);
    }
    fn del(&mut self, key: Vec<u8>) {
        self.entries.insert(key, None);
        self.len += 1;
    }
    /// Stores an article under `seq` (from [`Store::next_seq`]) and indexes its key.
    pub fn put_article(&mut self, a: &Article, seq: u64) {
        self.put_encoded_article(&a.key, encode_article(a), seq);
    }
    /// [`WriteSet::put_article`] with the article encoded already (by [`encode_article`], off
    /// the writer's thread).
    pub fn put_encoded_article(&mut self, key: &str, encoded: Vec<u8>, seq: u64) {
        self.new_keys.push((key.to_owned(), seq));
        self.len += 1;
        self.put(keys::article(seq), encoded);
    }
    /// Stores the self-contained record of one report (see [`ReportRecord`]).
    pub fn put_report(&mut self, r: &ReportRecord) {
        self.put(
            keys::report(
                r.filing_force(),
                r.when().timestamp(),
                &r.source.article_key,
                r.index,
            ),
            encode_record(r),
        );
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
    /// entries and its time index entry.
    pub fn put_incident(&mut self, inc: &Incident) {
        let p = inc.profile();
        let ts = p.first;
        let value = profile::encode(&p);
        for f in &p.forces {
            for m in incident_months(&p) {
                self.put(keys::force_month(f, &m, &p.id), value.clone());
            }
            if inc.opens_late {
                self.put(keys::force_late(f, ts, &p.id), value.clone());
            }
        }
        self.put(keys::time(ts, &p.id), Vec::new());
        self.put(keys::incident(&p.id), enc(inc));
        self.count(&p, 1);
    }
    fn count(&mut self, inc: &IncidentProfile, sign: i64) {
        let people = inc.count.map_or(0, |c| c as i64);
        let without = inc.count.is_none() as i64;
        for k in aggregate_keys(inc) {
            let d = self.deltas.entry(k).or_default();
            d[0] += sign;
            d[1] += sign * people;
            d[2] += sign * without;
        }
        self.len += 1;
    }
    /// Removes an incident and every index entry [`WriteSet::put_incident`] made for it. Its
    /// profile (from the index, or [`Incident::profile`]) has all that takes.
    pub fn remove_incident(&mut self, inc: &IncidentProfile) {
        let ts = inc.first;
        for f in &inc.forces {
            for m in incident_months(inc) {
                self.del(keys::force_month(f, &m, &inc.id));
            }
            // Written only for incidents that open late; deleting a missing key is harmless.
            self.del(keys::force_late(f, ts, &inc.id));
        }
        self.del_stored(keys::time(ts, &inc.id));
        self.del(keys::incident(&inc.id));
        self.count(inc, -1);
    }
    pub fn put_source_state(&mut self, id: &str, s: &SourceState) {
        self.put(keys::source(id), enc(s));
    }
}

/// Adds a counter change to counters (incidents, people, without figure).
fn add_counts(to: &mut [i64; 3], d: &[i64; 3]) {
    for (t, d) in to.iter_mut().zip(d) {
        *t += d;
    }
}

fn decode_counts(b: &[u8]) -> [i64; 3] {
    let mut v = [0i64; 3];
    for (i, c) in b.chunks_exact(8).take(3).enumerate() {
        v[i] = i64::from_le_bytes(c.try_into().expect("8 bytes"));
    }
    v
}

impl Drop for Store {
    /// The last handle commits what is still staged (every entry point commits before it
    /// returns; this covers early returns on errors).
    fn drop(&mut self) {
        if Arc::strong_count(&self.staged) == 1 {
            if let Err(e) = self.commit() {
                tracing::error!(error = %e, "could not commit staged writes on close");
            }
        }
    }
}

/// The first key after every key starting with `prefix` (`None`: no such key).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// The latest value (`None`: deletion) per key, one map per tree.
/// The latest value (`None`: deletion) per key.
type Entries = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A staged write: the key and its new value (`None`: deleted).
type StagedEntry = (Vec<u8>, Option<Vec<u8>>);

/// A sled range merged with the staged writes in the same range (staged values win; staged
/// deletions hide stored entries), in key order or reverse key order.
struct Merged<I: Iterator<Item = sled::Result<(IVec, IVec)>>> {
    stored: std::iter::Peekable<I>,
    staged: std::iter::Peekable<std::vec::IntoIter<StagedEntry>>,
    rev: bool,
}

impl<I: Iterator<Item = sled::Result<(IVec, IVec)>>> Iterator for Merged<I> {
    type Item = sled::Result<(IVec, IVec)>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let take_staged = match (self.stored.peek(), self.staged.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) | (Some(_), None) => return self.stored.next(),
                (None, Some(_)) => true,
                (Some(Ok((k, _))), Some((sk, _))) => {
                    let ord = k.as_ref().cmp(sk.as_slice());
                    match if self.rev { ord.reverse() } else { ord } {
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
        let store = Store {
            db,
            tree,
            staged: Arc::default(),
            filter: Arc::default(),
            writer: Arc::default(),
            records: Arc::default(),
            buckets: Arc::default(),
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
                if found == SCHEMA_THREE_TREES {
                    store.move_into_one_tree()?;
                    store.rewrite_records()?;
                } else if found == SCHEMA_BINCODE {
                    store.rewrite_records()?;
                } else if found != SCHEMA_VERSION {
                    return Err(StoreError::Schema { found });
                }
            }
        }
        // Left behind when a migration was stopped between its last two steps.
        for name in OLD_TREES {
            if store.db.tree_names().iter().any(|n| n == name.as_bytes()) {
                store.db.drop_tree(name)?;
            }
        }
        *store.filter() = store.load_filter()?;
        Ok(store)
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
            let mut n = 0;
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
                n += 1;
                if n == 10_000 {
                    self.tree.apply_batch(std::mem::take(&mut batch))?;
                    n = 0;
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
        let (mut n, mut total, mut bad) = (0, 0, 0);
        for r in self.tree.scan_prefix(keys::REPORT) {
            let (k, v) = r?;
            if record_is_current(&v) {
                continue;
            }
            match decode_record(&k, &v) {
                Ok(record) => {
                    batch.insert(k, encode_record(&record));
                    n += 1;
                    total += 1;
                }
                Err(e) => {
                    tracing::warn!("{e}; left as it is");
                    bad += 1;
                }
            }
            if n == 10_000 {
                self.tree.apply_batch(std::mem::take(&mut batch))?;
                n = 0;
            }
        }
        self.tree.apply_batch(batch)?;
        self.tree
            .insert(keys::SCHEMA, SCHEMA_VERSION.to_string().as_bytes())?;
        self.db.flush()?;
        tracing::info!(
            "upgraded the database to schema {SCHEMA_VERSION}: {total} report record(s) rewritten, {bad} unreadable"
        );
        Ok(())
    }

    /// The stored key filter; rebuilt from the key index when missing or unreadable (it is
    /// then written with the next commit).
    fn load_filter(&self) -> Result<filter::KeyFilter, StoreError> {
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

    /// The writer's lock: whoever reads incidents to decide what to write (the pipeline)
    /// holds it until the write set is applied, so two sources polled at once never merge
    /// against the same stale incident, and the trend counters have a single writer.
    pub fn writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn filter(&self) -> MutexGuard<'_, filter::KeyFilter> {
        self.filter.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn buckets(&self) -> MutexGuard<'_, buckets::Buckets> {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A cached-index bucket's entries, read from the merged view if not cached yet.
    fn bucket(&self, b: &[u8]) -> Result<buckets::Entries, StoreError> {
        if let Some(e) = self.buckets().get(b) {
            return Ok(e);
        }
        let generation = self.buckets().generation();
        let e: buckets::Entries = Arc::new(self.raw_prefix(b).collect::<sled::Result<Vec<_>>>()?);
        self.buckets().insert(b.to_vec(), e.clone(), generation);
        Ok(e)
    }

    /// The entries of the cached-index `buckets` (in key order) with keys in `[lo, hi)`, each
    /// bucket read from the merged view once and then served from [`buckets`] (what the
    /// writer's lookups see; tests compare it with direct range reads).
    #[cfg(test)]
    fn bucketed_range(
        &self,
        buckets: Vec<Vec<u8>>,
        lo: &[u8],
        hi: &[u8],
    ) -> Result<Vec<(IVec, IVec)>, StoreError> {
        let mut out = Vec::new();
        for b in buckets {
            let entries = self.bucket(&b)?;
            out.extend(
                entries
                    .iter()
                    .filter(|(k, _)| k.as_ref() >= lo && k.as_ref() < hi)
                    .cloned(),
            );
        }
        Ok(out)
    }

    /// The profiles of the profile-valued `buckets` (in key order) with keys in `[lo, hi)`,
    /// once per incident id. A bucket is decoded once and its profiles kept until it changes
    /// (see [`buckets::Buckets::decoded`]): neighbouring articles of one force ask for the
    /// same months over and over, and decoding them each time was a third of finding
    /// candidates on a dense store.
    fn bucketed_profiles(
        &self,
        buckets: Vec<Vec<u8>>,
        lo: &[u8],
        hi: &[u8],
    ) -> Result<Vec<Arc<profile::LazyProfile>>, StoreError> {
        let mut read = Vec::with_capacity(buckets.len());
        for b in buckets {
            let entries = self.bucket(&b)?;
            let cached = self.buckets().decoded(&b, &entries);
            let profiles = match cached {
                Some(p) => p,
                None => {
                    let p: buckets::Profiles = Arc::new(
                        entries
                            .iter()
                            .map(|(k, v)| self.profile_of(k, v).map(Arc::new))
                            .collect::<Result<_, _>>()?,
                    );
                    self.buckets().keep_decoded(&b, entries.clone(), p.clone());
                    p
                }
            };
            read.push((entries, profiles));
        }
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (entries, profiles) in &read {
            for ((k, _), p) in entries.iter().zip(profiles.iter()) {
                if k.as_ref() >= lo && k.as_ref() < hi && seen.insert(p.head.id.as_str()) {
                    out.push(p.clone());
                }
            }
        }
        Ok(out)
    }

    fn staged(&self) -> MutexGuard<'_, Staged> {
        // A panic while staging leaves whole write sets only (absorb does not fail midway).
        self.staged.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stages a write set; commits the group when it is full (see the module docs).
    pub fn apply(&self, w: WriteSet) -> Result<(), StoreError> {
        if w.len == 0 {
            return Ok(());
        }
        {
            let mut f = self.filter();
            for (k, _) in &w.new_keys {
                f.insert(&keys::article_key(k));
            }
        }
        let full = {
            let mut st = self.staged();
            {
                let mut b = self.buckets();
                for (k, v) in &w.entries {
                    b.write(k, v.as_deref());
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
        for (k, v) in &st.entries {
            match v {
                Some(v) => batch.insert(k.as_slice(), v.as_slice()),
                None => batch.remove(k.as_slice()),
            }
        }
        let mut buckets: BTreeMap<Vec<u8>, Vec<(&str, u64)>> = BTreeMap::new();
        for (k, seq) in &st.new_keys {
            buckets
                .entry(keyindex::bucket(k))
                .or_default()
                .push((k.as_str(), *seq));
        }
        for (b, added) in buckets {
            let old = self.tree.get(&b)?;
            batch.insert(b, keyindex::merge(old.as_deref(), added));
        }
        // Single writer: counters are read here and written in the same batch.
        for (k, d) in &st.deltas {
            if *d == [0, 0, 0] {
                continue;
            }
            let mut v = self
                .tree
                .get(k)?
                .map(|b| decode_counts(&b))
                .unwrap_or_default();
            add_counts(&mut v, d);
            if v[0] <= 0 {
                batch.remove(k.as_slice());
            } else {
                batch.insert(
                    k.as_slice(),
                    v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>(),
                );
            }
        }
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

    /// The value of `key`, staged or stored.
    fn raw_get(&self, key: &[u8]) -> Result<Option<IVec>, StoreError> {
        if let Some(v) = self.staged().entries.get(key) {
            return Ok(v.as_deref().map(IVec::from));
        }
        Ok(self.tree.get(key)?)
    }

    /// Entries with keys in `[lo, hi)` (`hi = None`: to the end), staged or
    /// stored, in key order (`rev`: reverse key order).
    fn raw_range(
        &self,
        lo: &[u8],
        hi: Option<&[u8]>,
        rev: bool,
    ) -> impl Iterator<Item = sled::Result<(IVec, IVec)>> + '_ {
        // An empty range (BTreeMap::range panics on one whose start is past its end).
        let hi = match hi {
            Some(h) if h <= lo => Some(lo),
            h => h,
        };
        let upper = hi.map_or(Bound::Unbounded, |h| Bound::Excluded(h.to_vec()));
        let bounds = (Bound::Included(lo.to_vec()), upper);
        let mut staged: Vec<StagedEntry> = self
            .staged()
            .entries
            .range::<Vec<u8>, _>(bounds.clone())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let stored: Box<dyn Iterator<Item = sled::Result<(IVec, IVec)>>> = if rev {
            staged.reverse();
            Box::new(self.tree.range(bounds).rev())
        } else {
            Box::new(self.tree.range(bounds))
        };
        Merged {
            stored: stored.peekable(),
            staged: staged.into_iter().peekable(),
            rev,
        }
    }

    fn raw_prefix(&self, prefix: &[u8]) -> impl Iterator<Item = sled::Result<(IVec, IVec)>> + '_ {
        let end = prefix_end(prefix);
        self.raw_range(prefix, end.as_deref(), false)
    }

    fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.raw_get(key)? {
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
        self.raw_prefix(prefix).map(|r| {
            let (k, v) = r?;
            serde_json::from_slice(&v).map_err(|source| StoreError::Decode {
                key: String::from_utf8_lossy(&k).into_owned(),
                source,
            })
        })
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
    pub fn article(&self, key: &str) -> Result<Option<Article>, StoreError> {
        match self.article_seq(key)? {
            Some(seq) => self.get(&keys::article(seq)),
            None => Ok(None),
        }
    }
    pub fn articles(&self) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        self.scan(keys::ARTICLE)
    }
    /// The report records of a profile's members (those stored; in member order), read once
    /// per profile: re-clustering reads the members of the same candidate incidents for
    /// article after article on a force, and looking each up again cost more than the
    /// clustering.
    pub fn records_of(
        &self,
        p: &profile::LazyProfile,
    ) -> Result<Vec<Arc<ReportRecord>>, StoreError> {
        if let Some(r) = p.records.get() {
            return Ok(r.clone());
        }
        let mut out = Vec::new();
        for m in p.members().unwrap_or_default() {
            out.extend(self.report(&m)?);
        }
        Ok(p.records.get_or_init(|| out).clone())
    }
    /// The stored record of an incident's member.
    pub fn report(&self, m: &Member) -> Result<Option<Arc<ReportRecord>>, StoreError> {
        let key = keys::report(&m.force, m.at, &m.article_key, m.report);
        let cache = || self.records.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cache().get(&key) {
            return Ok(Some(Arc::clone(r)));
        }
        let r = match self.raw_get(&key)? {
            Some(v) => Some(Arc::new(decode_record(&key, &v)?)),
            None => None,
        };
        if let Some(r) = &r {
            let mut c = cache();
            if c.len() >= RECORD_CACHE {
                c.clear();
            }
            c.insert(key, r.clone());
        }
        Ok(r)
    }
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
    pub fn incident(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        self.get(&keys::incident(id))
    }
    pub fn incidents(&self) -> impl Iterator<Item = Result<Incident, StoreError>> + '_ {
        self.scan(keys::INCIDENT)
    }
    /// How many incidents are stored (counts the small time index, decodes no incident).
    pub fn incident_count(&self) -> usize {
        self.raw_prefix(keys::TIME).count()
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
    ) -> Result<Vec<Arc<profile::LazyProfile>>, StoreError> {
        let (lo, hi) = keys::force_month_range(force, &keys::month_of(from), &keys::month_of(to));
        self.bucketed_profiles(keys::force_month_buckets(force, from, to), &lo, &hi)
    }
    /// Profiles of incidents of `force` that open late (see [`Incident::opens_late`]), first
    /// reported in `[from, to]`.
    pub fn late_incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Arc<profile::LazyProfile>>, StoreError> {
        let (lo, hi) = keys::force_late_range(force, from, to);
        self.bucketed_profiles(vec![keys::force_late_bucket(force)], &lo, &hi)
    }
    /// Decodes an index entry valued with a profile; its members are left encoded (see
    /// [`profile::LazyProfile`]).
    fn profile_of(&self, k: &[u8], v: &[u8]) -> Result<profile::LazyProfile, StoreError> {
        let mut p = profile::decode_lazy(v).ok_or_else(|| StoreError::BadIndex {
            key: String::from_utf8_lossy(k).into_owned(),
        })?;
        if p.member_count() == 0 {
            // Written by schema 4, without members: the incident has them.
            if let Some(inc) = self.incident(&p.head.id)? {
                p = profile::LazyProfile::decoded(inc.profile());
            }
        }
        Ok(p)
    }
    /// Incident ids newest first, by the time index (no incident is decoded).
    pub fn incident_ids_newest_first(
        &self,
    ) -> impl Iterator<Item = Result<(i64, String), StoreError>> + '_ {
        let end = prefix_end(keys::TIME);
        self.raw_range(keys::TIME, end.as_deref(), true).map(|r| {
            r.map(|(k, _)| keys::time_and_id(&k))
                .map_err(StoreError::from)
        })
    }
    /// Maintained trend counters of a dimension (`force`, `data-type`, `cause`) for months in
    /// `[from, to]` (`yyyy-mm`, inclusive): `(month, key, [incidents, people, without figure])`.
    /// Staged changes are included.
    pub fn aggregates(
        &self,
        dim: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<(String, String, [i64; 3])>, StoreError> {
        let prefix = keys::aggregate_prefix(dim);
        let mut all: BTreeMap<Vec<u8>, [i64; 3]> = BTreeMap::new();
        // Held across both reads: a commit in between would count its group twice or not at all.
        let st = self.staged();
        for r in self.tree.scan_prefix(&prefix) {
            let (k, v) = r?;
            all.insert(k.to_vec(), decode_counts(&v));
        }
        for (k, d) in st.deltas.iter() {
            if k.starts_with(&prefix) {
                add_counts(all.entry(k.clone()).or_default(), d);
            }
        }
        let mut out = Vec::new();
        for (k, v) in all {
            let (month, key) = keys::aggregate_parts(&k);
            if v[0] <= 0
                || from.is_some_and(|f| month.as_str() < f)
                || to.is_some_and(|t| month.as_str() > t)
            {
                continue;
            }
            out.push((month, key, v));
        }
        Ok(out)
    }
    /// Incident ids first reported in `[from, to]` (Unix seconds), by the time index.
    pub fn incident_ids_between(&self, from: i64, to: i64) -> Result<Vec<String>, StoreError> {
        let (lo, hi) = (keys::time(from, ""), keys::time(to.saturating_add(1), ""));
        let mut out = Vec::new();
        for r in self.raw_range(&lo, Some(&hi), false) {
            out.push(keys::time_and_id(&r?.0).1);
        }
        Ok(out)
    }
    pub fn source_state(&self, id: &str) -> Result<Option<SourceState>, StoreError> {
        self.get(&keys::source(id))
    }
    /// Saves a source's state and commits it together with everything staged (the items
    /// read from that source): its validators are never saved without its items.
    pub fn put_source_state(&self, id: &str, s: &SourceState) -> Result<(), StoreError> {
        let mut w = WriteSet::new();
        w.put_source_state(id, s);
        self.staged().absorb(w);
        self.commit()
    }
    pub fn source_states(&self) -> Result<Vec<(String, SourceState)>, StoreError> {
        let mut out = Vec::new();
        for r in self.raw_prefix(keys::SOURCE) {
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

    /// Removes every derived record (analyses, signature index, incidents and their indexes),
    /// keeping articles and source state. Used by `reprocess`.
    pub fn clear_derived(&self) -> Result<(), StoreError> {
        self.commit()?;
        self.buckets().clear();
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        for prefix in keys::DERIVED {
            let tree = &self.tree;
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
        // Again: a bucket read while the entries were going would be stale.
        self.buckets().clear();
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
        reopen(dir.path());
    }

    #[test]
    fn an_opening_store_hands_over_the_store_or_its_error() {
        let dir = tempfile::tempdir().unwrap();
        let held = Store::open(dir.path()).unwrap();
        let opening = Opening::start(dir.path());
        let err = opening.wait().err().expect("the database is held");
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(matches!(opening.wait(), Err(StoreError::NotOpen)));
        assert!(opening.ready().is_none());
        drop(held);

        // sled's flusher thread lets go of the file lock shortly after the last handle drops.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let opening = loop {
            let opening = Opening::start(dir.path());
            match opening.wait() {
                Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                _ => break opening,
            }
        };
        let mut w = WriteSet::new();
        w.put_incident(&inc("a", "2024-01-01T00:00:00Z"));
        opening.wait().unwrap().apply(w).unwrap();
        assert!(opening.ready().is_some());
        let store = opening.into_store().unwrap();
        assert_eq!(ids(&store), ["a"], "the store the writes went to");
        store.close_for_exit().unwrap();
        // The let-go store keeps its lock until the process exits: read a copy of its files.
        let copy = tempfile::tempdir().unwrap();
        fn copy_dir(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    copy_dir(&e.path(), &to.join(e.file_name()));
                } else {
                    std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
                }
            }
        }
        copy_dir(dir.path(), copy.path());
        assert_eq!(
            ids(&reopen(copy.path())),
            ["a"],
            "flushed before it was let go"
        );
    }

    fn inc(id: &str, first: &str) -> Incident {
        let at = chrono::DateTime::parse_from_rfc3339(first).unwrap();
        Incident {
            id: id.into(),
            title: id.into(),
            forces: vec!["kent".into()],
            force_names: vec!["Kent Police".into()],
            data_types: Vec::new(),
            not_exposed: Vec::new(),
            affected: None,
            cause: crate::model::Cause::Unknown,
            third_party: None,
            supplier: None,
            first_reported: at,
            last_reported: at,
            occurred: None,
            sources: Vec::new(),
            figures: Vec::new(),
            evidence: Vec::new(),
            timeline: Vec::new(),
            conflicts: Vec::new(),
            members: Vec::new(),
            related: Vec::new(),
            opens_late: false,
            member_causes: Vec::new(),
            member_types: Vec::new(),
        }
    }

    fn ids(store: &Store) -> Vec<String> {
        store
            .incident_ids_newest_first()
            .map(|r| r.unwrap().1)
            .collect()
    }

    #[test]
    fn cached_index_buckets_always_read_what_the_store_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let day = 86_400;
        let t0 = 1_700_000_000;
        let (from, to) = (t0 - 200 * day, t0 + 200 * day);
        // Every read through the cache equals the same range read without it.
        let check = |store: &Store, step: usize| {
            for force in ["kent", "kent-x"] {
                let months_range =
                    keys::force_month_range(force, &keys::month_of(from), &keys::month_of(to));
                for (index, buckets, (lo, hi)) in [
                    (
                        "signatures",
                        keys::signature_buckets(force, from, to),
                        keys::signature_range(force, from, to),
                    ),
                    (
                        "force/month",
                        keys::force_month_buckets(force, from, to),
                        months_range,
                    ),
                ] {
                    let cached = store.bucketed_range(buckets, &lo, &hi).unwrap();
                    let direct: Vec<_> = store
                        .raw_range(&lo, Some(&hi), false)
                        .collect::<sled::Result<_>>()
                        .unwrap();
                    assert_eq!(cached, direct, "{index} of {force}, step {step}");
                }
            }
        };
        // A deterministic mix of puts, overwrites and deletions around t0, read between
        // every write set, committed now and then, with the derived data cleared once.
        let mut x: u64 = 7;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 33
        };
        for step in 0..300 {
            let mut w = WriteSet::new();
            for _ in 0..3 {
                let force = if next() % 3 == 0 { "kent-x" } else { "kent" };
                let t = t0 + (next() % 300) as i64 * day - 150 * day;
                let id = format!("{force}-{}", next() % 40);
                let value = format!("v{step}").into_bytes();
                let month = keys::month_of(t);
                match next() % 4 {
                    0 => w.del(keys::force_month(force, &month, &id)),
                    1 => w.del(keys::signature(force, t - t % day, &id)),
                    2 => w.put(keys::signature(force, t - t % day, &id), value),
                    _ => w.put(keys::force_month(force, &month, &id), value),
                }
            }
            store.apply(w).unwrap();
            check(&store, step);
            if step % 37 == 0 {
                store.commit().unwrap();
                check(&store, step);
            }
            if step == 150 {
                store.clear_derived().unwrap();
                check(&store, step);
            }
        }
    }

    #[test]
    fn decoded_profiles_follow_every_write_to_their_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let day = 86_400;
        let base = 1_704_067_200; // 2024-01-01
        let (from, to) = (base - 30 * day, base + 500 * day);
        // The force's profiles decoded afresh from a range read that no cache serves.
        let direct = |store: &Store| -> Vec<IncidentProfile> {
            let (lo, hi) =
                keys::force_month_range("kent", &keys::month_of(from), &keys::month_of(to));
            let mut seen = std::collections::HashSet::new();
            store
                .raw_range(&lo, Some(&hi), false)
                .map(|e| {
                    profile::decode_lazy(&e.unwrap().1)
                        .unwrap()
                        .profile()
                        .unwrap()
                })
                .filter(|p| seen.insert(p.id.clone()))
                .collect()
        };
        let cached = |store: &Store| -> Vec<IncidentProfile> {
            store
                .incidents_of_force("kent", from, to)
                .unwrap()
                .iter()
                .map(|p| p.profile().unwrap())
                .collect()
        };
        let mut x: u64 = 11;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 33
        };
        // Incidents written, rewritten (removed, then put with other months and members)
        // and removed, as merging does; the force's profiles read between every write set.
        let mut stored: std::collections::HashMap<String, Incident> = Default::default();
        for step in 0..200 {
            let id = format!("kent-{}", next() % 25);
            let mut w = WriteSet::new();
            if let Some(old) = stored.remove(&id) {
                w.remove_incident(&old.profile());
            }
            if next() % 4 != 0 {
                let first = base + (next() % 360) as i64 * day;
                let at = |ts: i64| {
                    chrono::DateTime::from_timestamp(ts, 0)
                        .unwrap()
                        .fixed_offset()
                };
                let mut i = inc(&id, "2024-01-01T00:00:00Z");
                i.first_reported = at(first);
                i.last_reported = at(first + (next() % 90) as i64 * day);
                i.members = (0..1 + next() % 3)
                    .map(|n| Member {
                        article_key: format!("a{step}-{n}"),
                        report: 0,
                        force: "kent".into(),
                        at: first,
                    })
                    .collect();
                w.put_incident(&i);
                stored.insert(id, i);
            }
            store.apply(w).unwrap();
            assert_eq!(cached(&store), direct(&store), "step {step}");
            if step % 23 == 0 {
                store.commit().unwrap();
                assert_eq!(cached(&store), direct(&store), "step {step}, committed");
            }
        }
        assert!(!direct(&store).is_empty());
    }

    #[test]
    fn report_records_are_stored_as_messagepack_and_every_earlier_encoding_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let article = crate::pipeline::article_of(
            crate::parse::RawItem {
                url: Some("https://news.example/kent-laptop".into()),
                title: "Kent Police laptop stolen".into(),
                published: chrono::DateTime::parse_from_rfc3339("2024-03-01T10:00:00Z").ok(),
                source: "news.example".into(),
                text: "Kent Police said a laptop holding the names and home addresses of 1,200 \
                       officers was stolen from a car. Bank details were not on the laptop."
                    .into(),
            },
            None,
        );
        let analysis = crate::pipeline::analyse(&article);
        let records = crate::dedup::records(
            &article,
            analysis.published,
            &analysis.document,
            &analysis
                .extraction
                .reports
                .iter()
                .cloned()
                .map(crate::model::StoredReport::from)
                .collect::<Vec<_>>(),
            None,
            &analysis.minhash,
        );
        let r = records.first().expect("a breach report").clone();
        assert!(!r.sentences.is_empty() && !r.minhash.is_empty());
        let member = |r: &ReportRecord| Member {
            article_key: r.source.article_key.clone(),
            report: r.index,
            force: r.filing_force().to_owned(),
            at: r.when().timestamp(),
        };
        let mut w = WriteSet::new();
        w.put_report(&r);
        store.apply(w).unwrap();
        store.commit().unwrap();
        let key = keys::report(
            r.filing_force(),
            r.when().timestamp(),
            &r.source.article_key,
            0,
        );
        let raw = store.tree.get(&key).unwrap().unwrap();
        assert_eq!(raw[0], RecordFormat::MessagePack as u8);
        assert!(raw.len() < enc(&r).len(), "smaller than its JSON");
        assert_eq!(*store.report(&member(&r)).unwrap().unwrap(), r);

        // A record an earlier build wrote as JSON.
        let mut old = r.clone();
        old.source.article_key = "written-as-json".into();
        let old_key = keys::report(
            old.filing_force(),
            old.when().timestamp(),
            "written-as-json",
            0,
        );
        store.tree.insert(&old_key, enc(&old)).unwrap();
        assert_eq!(*store.report(&member(&old)).unwrap().unwrap(), old);

        // A record an earlier build wrote in bincode layout 1 (before `occurred`, bytes from
        // the golden fixture): it decodes, with no date.
        let v1 = std::fs::read(golden::dir().join("report-layout1.bin")).unwrap();
        let want = golden::record();
        let v1_key = keys::report(
            want.filing_force(),
            want.when().timestamp(),
            &want.source.article_key,
            want.index,
        );
        store.tree.insert(&v1_key, v1).unwrap();
        let back = store.report(&member(&want)).unwrap().unwrap();
        assert_eq!(back.report.occurred, None);
        assert_eq!(
            *back,
            ReportRecord {
                report: crate::model::StoredReport {
                    occurred: None,
                    ..want.report.clone()
                },
                ..want.clone()
            }
        );
        assert_eq!(decode_record(b"k", &encode_record(&want)).unwrap(), want);

        // A profile's members' records, read once and then kept with it (in member order); a
        // profile with them read equals one without.
        let mut p = crate::dedup::build_incident(&[&r], &[0], |_| None).profile();
        p.members = vec![member(&r), member(&old)];
        let lazy = profile::LazyProfile::decoded(p);
        let unread = lazy.clone();
        let read: Vec<ReportRecord> = store
            .records_of(&lazy)
            .unwrap()
            .iter()
            .map(|x| (**x).clone())
            .collect();
        assert_eq!(read, [r.clone(), old.clone()]);
        assert_eq!(lazy.records.get().map(Vec::len), Some(2));
        assert_eq!(lazy, unread);

        // A corrupt one is an error that names it, not a panic.
        let bad_key = keys::report("kent", 1, "broken", 0);
        store
            .tree
            .insert(&bad_key, &[RecordFormat::MessagePack as u8, 0xff, 0xff][..])
            .unwrap();
        let bad = Member {
            article_key: "broken".into(),
            report: 0,
            force: "kent".into(),
            at: 1,
        };
        let err = store.report(&bad).unwrap_err().to_string();
        assert!(
            err.contains("corrupt report record") && err.contains("broken"),
            "{err}"
        );
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
        assert_eq!(ids(&store), ["c", "b"], "newest first, a hidden");
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
        assert_eq!(ids(&store), ["c", "b"], "committed and durable");
        assert_eq!(store.aggregates("force", None, None).unwrap().len(), 2);
    }

    #[test]
    fn rewriting_an_incident_keeps_its_unchanged_index_entries_without_rewriting_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let old = inc("a", "2024-01-01T00:00:00Z");
        let mut w = WriteSet::new();
        w.put_incident(&old);
        store.apply(w).unwrap();
        store.commit().unwrap();
        let mut new = old.clone();
        new.title = "updated".into();
        let mut w = WriteSet::new();
        w.remove_incident(&old.profile());
        w.put_incident(&new);
        let tim = keys::time(old.first_reported.timestamp(), "a");
        assert!(
            !w.entries.contains_key(&tim),
            "the time entry is neither deleted nor rewritten"
        );
        store.apply(w).unwrap();
        store.commit().unwrap();
        assert!(store.tree.get(&tim).unwrap().is_some());
        assert_eq!(store.incident("a").unwrap().unwrap().title, "updated");
        assert_eq!(store.aggregates("force", None, None).unwrap()[0].2[0], 1);
    }

    fn reopen(dir: &Path) -> Store {
        // sled's flusher thread lets go of the file lock shortly after the last handle drops.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match Store::open(dir) {
                Ok(s) => return s,
                Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("reopen failed: {e}"),
            }
        }
    }

    /// An article stored only by its key (title and URL named after it).
    fn keyed_article(key: &str) -> Article {
        Article {
            key: key.into(),
            url: format!("https://news.example/{key}"),
            canonical_url: None,
            title: key.into(),
            published: None,
            source: "News".into(),
            source_id: None,
            text: "text".into(),
            fetched_at: chrono::Utc::now(),
        }
    }

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

    /// A schema 4 database (texts and report records in trees of their own) opens as the
    /// current schema with everything in one tree, and its old trees are gone. Its unreadable
    /// report record is kept as it was (the records upgrade leaves what it cannot read).
    #[test]
    fn schema_four_is_moved_move_into_one_tree() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = sled::open(dir.path()).unwrap();
            let main = db.open_tree("v1").unwrap();
            main.insert(keys::SCHEMA, b"4".to_vec()).unwrap();
            main.insert(b"src/feed", b"{}".to_vec()).unwrap();
            let arts = db.open_tree(OLD_TREES[0]).unwrap();
            let a = Article {
                key: "k1".into(),
                url: "https://example.org/a".into(),
                canonical_url: None,
                title: "t".into(),
                published: None,
                source: "s".into(),
                source_id: None,
                text: "x".into(),
                fetched_at: chrono::Utc::now(),
            };
            arts.insert(keys::article_key("k1"), 7u64.to_be_bytes().to_vec())
                .unwrap();
            arts.insert(keys::article(7), enc(&a)).unwrap();
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

    #[test]
    fn merged_ranges_interleave_hide_deletions_and_run_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for k in ["src/a", "src/c", "src/e"] {
            store.tree.insert(k, b"stored".to_vec()).unwrap();
        }
        {
            let mut st = store.staged();
            st.entries
                .insert(b"src/b".to_vec(), Some(b"staged".to_vec()));
            st.entries.insert(b"src/c".to_vec(), Some(b"new".to_vec()));
            st.entries.insert(b"src/e".to_vec(), None);
            st.entries
                .insert(b"src/f".to_vec(), Some(b"staged".to_vec()));
            st.sets = 1;
        }
        let read = |rev: bool| -> Vec<(String, String)> {
            let end = prefix_end(b"src/");
            store
                .raw_range(b"src/", end.as_deref(), rev)
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
        assert_eq!(read(false), want);
        let mut back = want.to_vec();
        back.reverse();
        assert_eq!(read(true), back);
        // A range whose end is before its start is empty, not a panic (`--since` after
        // `--until` while something is staged).
        assert_eq!(store.raw_range(b"src/f", Some(b"src/a"), false).count(), 0);
        assert_eq!(prefix_end(b"ab\xff"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(b"\xff\xff"), None);
    }
}
