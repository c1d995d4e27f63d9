//! The records the pipeline stores and the queries return.
//!
//! Every type here that derives serde is a compatibility boundary: it is what sled holds
//! and what `--format json` prints. Articles, incidents and source states are stored as JSON,
//! report records as MessagePack with named fields (see `crate::store::RecordFormat`), and
//! profiles in a layout of their own (`crate::store::profile`).
//!
//! # The compatibility rule
//!
//! A database written by any release since schema 5 opens in every later build and answers
//! the same (`tests/it/golden.rs` holds each build to the databases in `tests/golden/`). The
//! stored encodings name every field and every enum variant, so that:
//!
//! - **A field may be added** to a stored type (here or in `crate::extract::Report` and what it
//!   holds) if records without it still decode: an `Option`, or `#[serde(default)]`. Old
//!   records read with the default; old builds ignore the new field.
//! - **An enum variant may be added** anywhere in the declaration: variants are stored by
//!   their serde names (`snake_case` ids) in JSON and MessagePack, and by explicit stable
//!   codes (`DataType::code` and the like) in profiles and type masks. Never change or reuse
//!   a code, and never rename a variant's id.
//! - **Renaming or removing a field, changing its type, or changing an id** breaks old
//!   records: keep the old name with `#[serde(alias)]`, or bump
//!   [`crate::store::SCHEMA_VERSION`] and migrate in `crate::store::Store::open`.
//! - After any such change, run `scripts/golden.sh` with the new build to add a fixture for
//!   the new schema (never regenerate an old one).

mod article;
mod incident;
mod record;
mod vocab;

pub use article::{Article, DateSource, SourceState};
pub use incident::{
    Affected, Development, Evidence, Figure, Incident, IncidentProfile, Related, SourceRef,
};
pub(crate) use record::parse_signature;
pub use record::{Member, ReportRecord, StoredReport};
pub use vocab::{
    types_mask, Cause, CountFact, DataType, DevelopmentFact, DevelopmentKind, Fact, Occurred,
    Qualifier, Span, Types, Unit,
};
