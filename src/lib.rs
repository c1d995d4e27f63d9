//! breachwatch: police data breaches from the news, as a queryable record of incidents.
//!
//! Modules in pipeline order (ARCHITECTURE.md has the whole map, what each must not know,
//! and the invariants):
//!
//! * [`model`] — the vocabulary and the stored records, under everything else.
//! * [`config`] — `feeds.toml`, validated once; source templates expanded.
//! * [`poll`] — one pass (or, with `run`, a schedule) over the sources.
//! * [`fetch`] — HTTP: limits, conditional GET, body cap, challenge pages, robots.txt,
//!   character sets.
//! * [`parse`] — feeds (feed-rs), HTML pages (scraper) and JSONL lines into `RawItem`s.
//! * [`canon`] — canonical URLs and stable article keys.
//! * [`extract`] — pure: is it a police breach; forces, data types, counts, cause, developments.
//! * [`dedup`] — pure: near-duplicates, the matching rules, clustering, and the incremental
//!   merge of reports into incidents (against [`dedup::MergeSource`]).
//! * [`pipeline`] — ties parse → extract → dedup → store for one item, atomically; analysis
//!   runs on worker threads ahead of the one writer ([`ordered`]), which stores in input order.
//! * [`store`] — sled. The only module that knows sled.
//! * [`query`] — filters and views over the store.
//! * [`export`], [`chart`], [`opml`] — CSV/JSON/VERIS/JSONL exports, SVG charts, OPML lists.
//! * [`correction`], [`alert`] — analyst corrections and webhook alerts (their pure parts).
//! * [`notify`] — webhook alerts delivered: events noticed, recorded, POSTed once.
//! * [`serve`] — the service: schedule, HTTP API, dashboard, Atom feeds.
//! * [`explain`] — why an article was or was not taken as a breach, fact by fact.
//! * [`cli`], [`render`] — the command line (one file per command, the demo among them) and
//!   its terminal tables.

#![warn(missing_docs)]

pub mod alert;
pub mod canon;
pub mod chart;
pub mod cli;
pub mod config;
pub mod correction;
pub mod dedup;
pub mod explain;
pub mod export;
pub mod extract;
pub mod fetch;
pub mod ingest;
pub mod model;
pub mod notify;
pub mod opml;
pub mod ordered;
pub mod parse;
pub mod pipeline;
pub mod poll;
pub mod query;
pub mod render;
pub mod serve;
pub mod store;
pub mod telemetry;
