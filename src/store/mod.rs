//! The only module that touches sled.
//!
//! One tree, `v1`, with prefixed keys (see [`keys`]): each prefix is a keyspace. Keys sort by
//! prefix, so the raw texts, report records and indexes sit in leaves of their own. (Schema 4
//! kept texts and report records in trees of their own; committing to three trees needs a sled
//! transaction, which reads the old value of every key it writes, while one tree's batch is
//! atomic by itself. [`Store::open`] moves a schema 4 database into one tree.) Values are
//! JSON, but for report records ([`RecordFormat`]), incident profiles ([`profile`]) and the
//! binary indexes and counters; [`SCHEMA_VERSION`] names the layout, and opening a database an
//! earlier build wrote migrates it (`migrate.rs`).
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
//!
//! # Files
//!
//! One file per concern. A keyspace's file holds both what writes it (methods of
//! [`WriteSet`]) and what reads it (methods of [`Store`]):
//!
//! | file | holds |
//! |---|---|
//! | `mod.rs` | [`Store`] and opening it ([`Target`], [`Opening`]) |
//! | `error.rs` | [`StoreError`], [`RecordError`] |
//! | `write.rs` | group commit: [`WriteSet`], staging, [`Store::apply`], [`Store::commit`] |
//! | `view.rs` | the staged-over-stored view every read goes through |
//! | `migrate.rs` | schema versions and the migrations [`Store::open`] runs |
//! | `encoding.rs` | how values are stored: JSON, and [`RecordFormat`] for report records |
//! | `articles.rs` | articles `art/`, the key index `key/` and its filter `meta/keyfilter/` |
//! | `reports.rs` | report records `rep/` and their cache |
//! | `signatures.rs` | the signature index `sig/` |
//! | `incidents.rs` | incidents `inc/` and their indexes `ifm/`, `ifl/`, `tim/` |
//! | `sources.rs` | source state `src/` |
//! | `trends.rs` | the trend counters `agg/` |
//! | `corrections.rs` | the corrections log `cor/`, and what applying it leaves: `cap/`, `dis/`, `meta/corrected` |
//! | `alerts.rs` | the alert worker's records `alr/`, written apart from the write sets |
//! | `recent.rs` | articles newest first, for the review queue |
//! | `buckets.rs` | the read cache of whole index buckets, and the reads through it |
//! | [`keys`] | the key layout of every keyspace |
//! | `keyindex.rs`, `filter.rs` | the article-key index's buckets, and its Bloom filter |
//! | [`profile`] | the stored layout of an incident profile |
//! | `legacy.rs` | the reader of the bincode-era report records |

mod alerts;
mod articles;
mod buckets;
mod corrections;
mod encoding;
mod error;
mod filter;
#[cfg(test)]
mod golden;
mod incidents;
mod keyindex;
pub mod keys;
mod legacy;
mod migrate;
pub mod profile;
mod recent;
mod reports;
mod signatures;
mod sources;
#[cfg(test)]
mod testing;
mod trends;
mod view;
mod write;

use std::path::Path;
use std::sync::{Arc, Mutex};

pub use alerts::AlertBatch;
pub use encoding::{encode_article, RecordFormat};
pub use error::{RecordError, StoreError};
pub use migrate::SCHEMA_VERSION;
pub use write::{WriteSet, GROUP_BYTES, GROUP_SETS};

// What `golden.rs` reads records with.
#[cfg(test)]
use encoding::{decode_record, encode_record};

/// The name of the one tree.
const TREE_NAME: &str = "v1";

/// How many entries a sled batch takes when a migration or `reprocess` rewrites or clears a
/// whole keyspace.
const BATCH_ENTRIES: usize = 10_000;

/// sled's page cache, in bytes, unless [`set_cache_bytes`] says otherwise. sled's own default
/// (1 GiB) let a long ingest or a day of polling grow to 400 MiB; see
/// [decisions/bounded-memory](../../docs/decisions/bounded-memory.md) for this figure.
pub const DEFAULT_CACHE_BYTES: u64 = 16 << 20;

/// The page cache of stores opened from now on (see [`set_cache_bytes`]).
static CACHE_BYTES: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_CACHE_BYTES);

/// Sets sled's page cache for every store this process opens from now on (the configuration's
/// `settings.db_cache_bytes`; the CLI sets it once, before opening anything).
pub fn set_cache_bytes(bytes: u64) {
    CACHE_BYTES.store(bytes.max(1), std::sync::atomic::Ordering::Relaxed);
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
    /// Write sets applied but not yet committed (see `write.rs`).
    staged: Arc<Mutex<write::Staged>>,
    /// Which article keys may be stored (staged ones included).
    filter: Arc<Mutex<filter::KeyFilter>>,
    /// Held by the one writer at a time (see [`Store::writer`]).
    writer: Arc<Mutex<()>>,
    /// Report records decoded lately (see `reports.rs`).
    records: Arc<Mutex<reports::RecordCache>>,
    /// Whole index buckets read lately (see `buckets.rs`).
    buckets: Arc<Mutex<buckets::Buckets>>,
}

impl Store {
    /// Opens (or creates) the database at `path`, migrating one an earlier build wrote (see
    /// [`SCHEMA_VERSION`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = sled::Config::new()
            .path(path)
            .flush_every_ms(Some(500))
            .cache_capacity(CACHE_BYTES.load(std::sync::atomic::Ordering::Relaxed))
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
        let tree = db.open_tree(TREE_NAME)?;
        let store = Store {
            db,
            tree,
            staged: Arc::default(),
            filter: Arc::default(),
            writer: Arc::default(),
            records: Arc::default(),
            buckets: Arc::default(),
        };
        store.upgrade_schema()?;
        *store.filter() = store.load_filter()?;
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{inc, incident_ids, reopen};
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
        assert_eq!(incident_ids(&store), ["a"], "the store the writes went to");
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
            incident_ids(&reopen(copy.path())),
            ["a"],
            "flushed before it was let go"
        );
    }
}
