//! How values are stored: articles, incidents and source states as JSON; report records in the
//! encoding their first byte names ([`RecordFormat`]). (Incident profiles have a binary layout
//! of their own, in `profile.rs`; the key index, the key filter and the trend counters keep
//! theirs in `keyindex.rs`, `filter.rs` and `trends.rs`.)

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::{Article, ReportRecord};

use super::legacy;
use super::{RecordError, StoreError};

/// A value stored as JSON.
pub(super) fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("stored records always serialise")
}

/// A value stored as JSON under `key` (named in the error if it does not decode).
pub(super) fn from_json<T: DeserializeOwned>(key: &[u8], value: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(value).map_err(|source| StoreError::Decode {
        key: String::from_utf8_lossy(key).into_owned(),
        source,
    })
}

/// An article as it is stored (for [`WriteSet::put_encoded_article`](super::WriteSet::put_encoded_article)).
pub fn encode_article(a: &Article) -> Vec<u8> {
    to_json(a)
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
/// Bincode layouts are read by the store's frozen reader of them (`legacy.rs`) and rewritten
/// as MessagePack when a schema 5 database is opened ([`Store::open`](super::Store::open)).
/// See [`crate::model`] for the rule that keeps byte 3 readable across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RecordFormat {
    /// bincode 1, the layout before `Report::occurred` (schema 5).
    BincodeV1 = 1,
    /// bincode 1, the layout with `Report::occurred` (schema 5).
    BincodeV2 = 2,
    /// MessagePack with structs as maps (schema 6 on).
    MessagePack = 3,
}

/// A report record as it is stored.
pub(super) fn encode_record(r: &ReportRecord) -> Vec<u8> {
    let mut out = vec![RecordFormat::MessagePack as u8];
    rmp_serde::encode::write_named(&mut out, r).expect("report records always serialise");
    out
}

/// A stored report record, in any encoding a build has written (see [`RecordFormat`]).
pub(super) fn decode_record(key: &[u8], v: &[u8]) -> Result<ReportRecord, StoreError> {
    let record_error = |e: RecordError| StoreError::Record {
        key: String::from_utf8_lossy(key).into_owned(),
        source: e,
    };
    match v.first() {
        Some(&b) if b == RecordFormat::MessagePack as u8 => {
            rmp_serde::from_slice(&v[1..]).map_err(|e| record_error(e.into()))
        }
        Some(&b) if b == RecordFormat::BincodeV1 as u8 || b == RecordFormat::BincodeV2 as u8 => {
            legacy::record(b, &v[1..]).map_err(|e| record_error(e.into()))
        }
        _ => from_json(key, v),
    }
}

/// Whether a stored record is in the current encoding.
pub(super) fn record_is_current(v: &[u8]) -> bool {
    v.first() == Some(&(RecordFormat::MessagePack as u8))
}
