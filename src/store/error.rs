//! What can go wrong with the database, and with one stored report record.

use std::path::PathBuf;

use super::legacy::LegacyError;
use super::SCHEMA_VERSION;

/// What went wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process has the database open (sled allows one).
    #[error("the database {path} is in use by another breachwatch process (is `breachwatch run` running? stop it first, or pass --db to use another database)")]
    Locked {
        /// The database's directory.
        path: PathBuf,
    },
    /// sled failed.
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    /// A stored record did not decode.
    #[error("corrupt record {key}: {source}")]
    Decode {
        /// The record's key (for a source state: its source id).
        key: String,
        /// Why its JSON did not decode.
        #[source]
        source: serde_json::Error,
    },
    /// A stored report record did not decode.
    #[error("corrupt report record {key}: {source}")]
    Record {
        /// The record's key.
        key: String,
        /// Why it did not decode.
        #[source]
        source: RecordError,
    },
    /// An [`Opening`](super::Opening) store failed to open (its error was returned to the
    /// first to wait).
    #[error("the database could not be opened (see the error above)")]
    NotOpen,
    /// A stored index entry did not decode.
    #[error("corrupt index record {key}")]
    BadIndex {
        /// The entry's key.
        key: String,
    },
    /// The database was written by an incompatible version.
    #[error("database schema version {found} is not supported (this build reads {SCHEMA_VERSION}); re-create it with `export --format jsonl` and `ingest` using the matching version")]
    Schema {
        /// The schema version the database holds.
        found: u32,
    },
}

/// Why a stored report record did not decode (see [`RecordFormat`](super::RecordFormat)).
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A MessagePack record (schema 6 on) did not decode.
    #[error(transparent)]
    MessagePack(#[from] rmp_serde::decode::Error),
    /// A record in one of the bincode layouts of schema 5 did not decode.
    #[error(transparent)]
    Legacy(#[from] LegacyError),
}
