//! Report records (`rep/`): one per incident report of an article, filed by its first force and
//! time so that the members of one incident lie together, and read back by merging for every
//! candidate incident's members (encoded as [`RecordFormat`](super::RecordFormat) says).

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

use crate::model::{Member, ReportRecord};

use super::encoding::{decode_record, encode_record};
use super::profile::LazyProfile;
use super::{keys, Store, StoreError, WriteSet};

/// Report records decoded lately, by key. A record never changes once written (only
/// `reprocess` rewrites them, after [`Store::clear_derived`] empties this), and merging reads
/// the same incident's members again for each of its reports arriving together.
pub(super) type RecordCache = HashMap<Vec<u8>, Arc<ReportRecord>>;

/// How many decoded report records [`Store::report`] keeps (then it starts afresh); was
/// 16,384, lowered for bounded memory (see `buckets.rs`).
const RECORD_CACHE_SIZE: usize = 2_048;

impl WriteSet {
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
}

impl Store {
    /// The cache of decoded report records (held).
    pub(super) fn record_cache(&self) -> MutexGuard<'_, RecordCache> {
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The report records of a profile's members (those stored; in member order), read once
    /// per profile: re-clustering reads the members of the same candidate incidents for
    /// article after article on a force, and looking each up again cost more than the
    /// clustering.
    pub fn records_of(&self, p: &LazyProfile) -> Result<Vec<Arc<ReportRecord>>, StoreError> {
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
        if let Some(r) = self.record_cache().get(&key) {
            return Ok(Some(Arc::clone(r)));
        }
        let r = match self.raw_get(&key)? {
            Some(v) => Some(Arc::new(decode_record(&key, &v)?)),
            None => None,
        };
        if let Some(r) = &r {
            let mut cache = self.record_cache();
            if cache.len() >= RECORD_CACHE_SIZE {
                cache.clear();
            }
            cache.insert(key, r.clone());
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::super::encoding::to_json;
    use super::super::testing::inc;
    use super::super::{golden, RecordFormat};
    use super::*;
    use crate::model::{
        Cause, CountFact, DataType, Fact, Qualifier, SourceRef, Span, StoredReport, Unit,
    };

    /// The record of a breach report as the pipeline writes one (every field a fresh build
    /// fills in, with its sentences and signature), made by hand.
    fn kent_laptop_record() -> ReportRecord {
        let at = chrono::DateTime::parse_from_rfc3339("2024-03-01T10:00:00Z").unwrap();
        let span = |start, end| Span { start, end };
        ReportRecord {
            source: SourceRef {
                url: "https://news.example/kent-laptop".into(),
                canonical_url: None,
                title: "Kent Police laptop stolen".into(),
                published: Some(at),
                outlet: "news.example".into(),
                article_key: "0f1e2d3c4b5a69788796a5b4".into(),
            },
            when: at,
            index: 0,
            siblings: 1,
            near_duplicate_of: None,
            minhash: (0..64u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect(),
            report: StoredReport {
                forces: vec!["kent".into()],
                force_evidence: vec![span(0, 11)],
                data_types: vec![
                    Fact {
                        value: DataType::Name,
                        span: Some(span(0, 113)),
                    },
                    Fact {
                        value: DataType::HomeAddress,
                        span: Some(span(0, 113)),
                    },
                ],
                not_exposed: vec![Fact {
                    value: DataType::Financial,
                    span: Some(span(114, 152)),
                }],
                counts: vec![CountFact {
                    count: 1200,
                    qualifier: Qualifier::Exact,
                    unit: Unit::People,
                    span: span(65, 70),
                }],
                cause: Fact {
                    value: Cause::LossOrTheft,
                    span: Some(span(0, 113)),
                },
                third_party: None,
                supplier: None,
                developments: Vec::new(),
                occurred: None,
            },
            sentences: vec![
                (
                    span(0, 113),
                    "Kent Police said a laptop holding the names and home addresses of 1,200 \
                     officers was stolen from a car."
                        .into(),
                ),
                (
                    span(114, 152),
                    "Bank details were not on the laptop.".into(),
                ),
            ],
        }
    }

    fn member(r: &ReportRecord) -> Member {
        Member {
            article_key: r.source.article_key.clone(),
            report: r.index,
            force: r.filing_force().to_owned(),
            at: r.when().timestamp(),
        }
    }

    #[test]
    fn report_records_are_stored_as_messagepack_and_every_earlier_encoding_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let r = kent_laptop_record();
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
        assert!(raw.len() < to_json(&r).len(), "smaller than its JSON");
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
        store.tree.insert(&old_key, to_json(&old)).unwrap();
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
                report: StoredReport {
                    occurred: None,
                    ..want.report.clone()
                },
                ..want.clone()
            }
        );
        assert_eq!(decode_record(b"k", &encode_record(&want)).unwrap(), want);

        // A profile's members' records, read once and then kept with it (in member order); a
        // profile with them read equals one without.
        let mut p = inc("kent-2024-03-laptop", "2024-03-01T10:00:00Z").profile();
        p.members = vec![member(&r), member(&old)];
        let lazy = LazyProfile::decoded(p);
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
}
