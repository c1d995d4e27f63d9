//! Report records for the tests of matching, the candidate filters and merging: a report on
//! Kent on a given day ([`report_at`]), and the reports of random small sets, each drawn as a
//! [`ReportSpec`] (mixed causes, lists of up to six types, figures, four texts so that some
//! are copies of others, round-ups and joint mentions).

use chrono::DateTime;

use super::MINHASH_LEN;
use crate::model::{
    Cause, CountFact, DataType, DevelopmentFact, DevelopmentKind, Fact, Qualifier, ReportRecord,
    SourceRef, Span, StoredReport, Unit,
};

/// The causes a random report has, one of them.
pub(super) const CAUSES: [Cause; 5] = [
    Cause::Unknown,
    Cause::Ransomware,
    Cause::CyberAttack,
    Cause::DataLoss,
    Cause::LossOrTheft,
];

/// The forces a random report is on, one of them (a joint mention adds the next).
pub(super) const FORCES: [&str; 3] = ["kent", "essex", "surrey"];

/// The figures a random report states, one of them (or none).
pub(super) const FIGURES: [Option<u64>; 4] = [None, Some(120), Some(450), Some(5_000)];

/// How many different texts random reports are told in: reports told in one text within
/// [`super::COPY_DAYS`] are copies.
pub(super) const TEXTS: usize = 4;

/// The signature of random text `text` (below [`TEXTS`]): equal for one text, disjoint
/// between texts.
pub(super) fn text_signature(text: usize) -> Vec<u32> {
    (0..MINHASH_LEN as u32)
        .map(|i| i * 7 + text as u32 * 1000)
        .collect()
}

/// A report on Kent, `day` days after 14 November 2023, for matching tests.
pub(super) fn report_at(
    key: &str,
    day: i64,
    cause: Cause,
    types: &[DataType],
    count: Option<u64>,
    minhash: Vec<u32>,
) -> ReportRecord {
    let when = DateTime::from_timestamp(1_700_000_000 + day * 86_400, 0)
        .unwrap()
        .fixed_offset();
    let fact = |value| Fact { value, span: None };
    ReportRecord {
        source: SourceRef {
            url: format!("https://news.example/{key}"),
            canonical_url: None,
            title: key.to_string(),
            published: Some(when),
            outlet: "news.example".into(),
            article_key: key.to_string(),
        },
        when,
        index: 0,
        siblings: 1,
        near_duplicate_of: None,
        minhash,
        report: StoredReport {
            forces: vec!["kent".into()],
            force_evidence: Vec::new(),
            data_types: types.iter().map(|t| fact(*t)).collect(),
            not_exposed: Vec::new(),
            counts: count
                .map(|count| CountFact {
                    count,
                    qualifier: Qualifier::Exact,
                    unit: Unit::People,
                    span: Span { start: 0, end: 0 },
                })
                .into_iter()
                .collect(),
            cause: Fact {
                value: cause,
                span: None,
            },
            third_party: None,
            supplier: None,
            developments: Vec::new(),
            occurred: None,
        },
        sentences: Vec::new(),
    }
}

/// One report of a random set, as drawn.
#[derive(Debug, Clone)]
pub(super) struct ReportSpec {
    /// Which of the [`FORCES`] it is on.
    pub(super) force: usize,
    /// Days after 14 November 2023.
    pub(super) day: i64,
    pub(super) cause: Cause,
    /// Drawn from the first six data types.
    pub(super) types: Vec<DataType>,
    pub(super) figure: Option<u64>,
    /// Which of the [`TEXTS`] it is told in.
    pub(super) text: usize,
    /// Whether its article is a round-up (two stories), which may retell an old incident.
    pub(super) round_up: bool,
    /// Whether it is a joint mention: its force and the next of the [`FORCES`] in one
    /// report.
    pub(super) joint: bool,
    /// Whether it brings a development (a fine), so that it may follow the story by years.
    pub(super) development: bool,
    /// Whether its article gave no date: its time is then when it was fetched, `day` seconds
    /// into [`FETCHED_DAY`].
    pub(super) undated: bool,
}

/// The day (after 14 November 2023) undated articles were fetched on.
pub(super) const FETCHED_DAY: i64 = 799;

impl ReportSpec {
    /// The report's record, its article keyed `key`.
    pub(super) fn record(&self, key: &str) -> ReportRecord {
        let mut r = report_at(
            key,
            self.day,
            self.cause,
            &self.types,
            self.figure,
            text_signature(self.text),
        );
        r.report.forces = vec![FORCES[self.force].into()];
        r.siblings = 1 + self.round_up as usize;
        if self.joint {
            r.report
                .forces
                .push(FORCES[(self.force + 1) % FORCES.len()].into());
        }
        if self.undated {
            r.source.published = None;
            r.when = DateTime::from_timestamp(1_700_000_000 + FETCHED_DAY * 86_400 + self.day, 0)
                .unwrap()
                .fixed_offset();
        }
        if self.development {
            r.report.developments.push(DevelopmentFact {
                kind: DevelopmentKind::Fine,
                amount_minor: Some(1_000_000),
                currency: Some("GBP".into()),
                span: Span { start: 0, end: 0 },
            });
        }
        r
    }
}
