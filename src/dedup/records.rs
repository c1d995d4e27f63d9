//! Report records: the self-contained record of each report of an analysed article (its
//! article's metadata, signature and the sentences its facts came from), which is all that
//! clustering and incident building read.
//!
//! In: an article, what analysis found ([`AnalysedArticle`]) and its reports. Out:
//! [`ReportRecord`]s. Pure.

use chrono::{DateTime, FixedOffset};

use crate::model::{Article, DataType, ReportRecord, SourceRef, Span, StoredReport};

/// An analysed article, as its report records carry it: what [`AnalysedArticle::records`]
/// needs besides the reports.
#[derive(Debug, Clone, Copy)]
pub struct AnalysedArticle<'a> {
    /// The article as stored.
    pub article: &'a Article,
    /// The date the article counts from (the item's, or its text's, see
    /// [`crate::pipeline::publication`]); `None` makes its reports [`undated`](super::undated).
    pub published: Option<DateTime<FixedOffset>>,
    /// The text every span points into (`extract::document` of its title and clean text):
    /// the records' sentences are cut from it.
    pub document: &'a str,
    /// The stored article this one is a copy of (the most similar), if any.
    pub near_duplicate_of: Option<&'a str>,
    /// The article's MinHash signature (see [`super::minhash`]).
    pub minhash: &'a [u32],
}

impl AnalysedArticle<'_> {
    /// The report records of the article's `reports` (in extraction order): each report with
    /// its article's metadata and the sentences its facts came from.
    pub fn records(&self, reports: Vec<StoredReport>) -> Vec<ReportRecord> {
        let article = self.article;
        let source = SourceRef {
            url: article.url.clone(),
            canonical_url: article.canonical_url.clone(),
            title: display_title(&article.title, self.document),
            published: self.published,
            outlet: article.source.clone(),
            article_key: article.key.clone(),
        };
        let siblings = story_count(&reports);
        reports
            .into_iter()
            .enumerate()
            .map(|(index, report)| {
                let mut spans: Vec<Span> = Vec::new();
                spans.extend(report.force_evidence.iter().take(1).copied());
                spans.extend(report.data_types.iter().filter_map(|f| f.span));
                spans.extend(report.not_exposed.iter().filter_map(|f| f.span));
                spans.extend(report.cause.span);
                spans.extend(report.counts.iter().map(|c| c.span));
                spans.extend(report.developments.iter().map(|d| d.span));
                spans.sort();
                spans.dedup();
                ReportRecord {
                    source: source.clone(),
                    when: self
                        .published
                        .unwrap_or_else(|| article.fetched_at.fixed_offset()),
                    index,
                    siblings,
                    near_duplicate_of: self.near_duplicate_of.map(str::to_owned),
                    minhash: self.minhash.to_vec(),
                    report,
                    sentences: spans
                        .into_iter()
                        .map(|s| (s, sentence_at(self.document, s)))
                        .collect(),
                }
            })
            .collect()
    }
}

/// How many different stories an article's reports tell.
fn story_count(reports: &[StoredReport]) -> usize {
    // A round-up tells several stories; a joint mention ("a breach at X Police and Y
    // Police...") is one story split into a report per force, with the same facts. The facts
    // are compared by value, not by where they were read: the headline may name one of the
    // forces and give the cause, the lead the other.
    fn story(r: &StoredReport) -> impl PartialEq + '_ {
        let mut types: Vec<DataType> = r.data_types.iter().map(|f| f.value).collect();
        let mut safe: Vec<DataType> = r.not_exposed.iter().map(|f| f.value).collect();
        types.sort();
        safe.sort();
        (
            r.cause.value,
            types,
            safe,
            r.counts
                .iter()
                .map(|c| (c.count, c.unit))
                .collect::<Vec<_>>(),
            r.developments
                .iter()
                .map(|d| (d.kind, d.amount_minor))
                .collect::<Vec<_>>(),
        )
    }
    let mut stories = Vec::new();
    for r in reports {
        let s = story(r);
        if !stories.contains(&s) {
            stories.push(s);
        }
    }
    stories.len()
}

/// The title an article is listed under: its own, or, for an item without one (RSS allows
/// it), the first line of its text, cut at its first sentence when that line is long.
pub fn display_title(title: &str, document: &str) -> String {
    const MAX: usize = 160;
    let title = title.trim();
    if !title.is_empty() {
        return title.to_string();
    }
    let line = document
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut end = line.len();
    if end > MAX {
        end = line
            .match_indices(". ")
            .map(|(i, _)| i + 1)
            .find(|&i| i >= 20)
            .unwrap_or(end);
    }
    if end > MAX {
        end = MAX;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let cut = line[..end].rfind(' ').unwrap_or(end);
        return format!("{}…", &line[..cut]);
    }
    line[..end].to_string()
}

/// The sentence at `span` in `document`: its text, trimmed and capped at 400 bytes.
fn sentence_at(document: &str, span: Span) -> String {
    let (mut start, mut end) = (span.start.min(document.len()), span.end.min(document.len()));
    while !document.is_char_boundary(start) {
        start -= 1;
    }
    while !document.is_char_boundary(end) {
        end += 1;
    }
    let text = document[start..end.max(start)].trim();
    if text.len() > 400 {
        let mut cut = 400;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &text[..cut])
    } else {
        text.to_string()
    }
}
