//! `explain`: why the extractor decided what it did about an article, fact by fact.
//!
//! The article is analysed again with the current extractor ([`crate::pipeline::analyse`],
//! pure): for a stored article that is what `reprocess` would now derive, for the articles
//! of a file what `ingest` would. Nothing is stored. Every fact comes with the sentence of
//! the document (title + text) it was read from.
//!
//! In: an [`Article`] (the command line reads files or finds the stored one, see
//! [`find_stored`]). Out: an [`Explanation`], which `explain --format json` prints and
//! [`crate::render::explanation_table`] lays out for a person. No I/O but the store read.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::canon;
use crate::extract::{self, Report};
use crate::model::{Affected, Article, DateSource};
use crate::model::{DataType, DevelopmentKind, Fact, Qualifier, Span, Unit};
use crate::pipeline;
use crate::pipeline::Analysis;
use crate::store::{Store, StoreError};

/// One article explained: what `explain --format json` prints, one per article.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Exactly as the feed or input gave it.
    pub url: String,
    /// Its canonical form, when it differs.
    pub canonical_url: Option<String>,
    /// The headline.
    pub title: String,
    /// The outlet.
    pub source: String,
    /// Whether it reports a police data breach.
    pub relevant: bool,
    /// The extractor's reason; for a rejected article, the test that turned it down.
    pub reason: String,
    /// A short code for that test (see [`rejected_by`]); `None` when relevant.
    pub rejected_by: Option<&'static str>,
    /// The publication date used, if any.
    pub published: Option<DateTime<FixedOffset>>,
    /// Where it came from: `feed`, `page`, `text` or `unknown` (see
    /// [`crate::pipeline::publication`]).
    pub published_from: &'static str,
    /// What the extractor found odd (an unreadable figure...), in words.
    pub warnings: Vec<String>,
    /// What it reports, one per force or story; empty when it is not relevant.
    pub reports: Vec<ReportExplained>,
}

/// One report of an article with the sentence of each fact.
#[derive(Debug, Clone, Serialize)]
pub struct ReportExplained {
    /// The ids of the forces breached.
    pub forces: Vec<String>,
    /// Canonical names where the gazetteer knows the id.
    pub force_names: Vec<String>,
    /// The sentences that name the forces as the breached body.
    pub force_sentences: Vec<String>,
    /// The types of data exposed.
    pub data_types: Vec<TypeFact>,
    /// The types of data it says were not exposed.
    pub not_exposed: Vec<TypeFact>,
    /// The first (best) figure, as `affected` in the incident output.
    pub affected: Option<Affected>,
    /// Every figure stated, best first.
    pub figures: Vec<FigureFact>,
    /// What caused the breach.
    pub cause: CauseFact,
    /// Whether it happened at a supplier, where stated.
    pub third_party: Option<bool>,
    /// The supplier, where named.
    pub supplier: Option<String>,
    /// Later developments: fines, arrests, lawsuits...
    pub developments: Vec<DevelopmentFact>,
    /// When the breach happened, as the report states it: `{"year", "month", "day"}` or
    /// null.
    pub occurred: serde_json::Value,
}

/// A data type and the sentence it was read from (`None`: no span).
#[derive(Debug, Clone, Serialize)]
pub struct TypeFact {
    /// The data type's id.
    pub id: &'static str,
    /// The sentence it was read from.
    pub sentence: Option<String>,
}

/// A figure of people or records affected and the sentence it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct FigureFact {
    /// How many.
    pub count: u64,
    /// Exactly, about, at least or at most.
    pub qualifier: Qualifier,
    /// Of what: people, records, files...
    pub unit: Unit,
    /// The sentence it was read from.
    pub sentence: String,
}

/// The cause and the sentence it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct CauseFact {
    /// The cause's id.
    pub id: &'static str,
    /// `None` when the cause was not stated (or has no span).
    pub sentence: Option<String>,
}

/// A later development and the sentence it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct DevelopmentFact {
    /// A fine, an arrest, a lawsuit...
    pub kind: DevelopmentKind,
    /// The amount of a fine or payout, in minor units (pence, cents).
    pub amount_minor: Option<u64>,
    /// The amount's currency, `GBP`...
    pub currency: Option<String>,
    /// The sentence it was read from.
    pub sentence: String,
}

/// The publication date the analysis used (see [`crate::pipeline::publication`]) and where it
/// came from: `"feed"` (the item carried it), `"page"` (the same, for an HTML page, whose
/// date can only have come from the page itself), `"text"` (read from the text: a
/// "Published:" line or a dateline) or `"unknown"`.
fn date_used(
    analysis: &Analysis,
    from_page: bool,
) -> (Option<DateTime<FixedOffset>>, &'static str) {
    match analysis.published_from {
        DateSource::Feed if from_page => (analysis.published, "page"),
        from => (analysis.published, from.id()),
    }
}

/// When the breach happened, for the `occurred` field of a report, as the incident output
/// writes it: `{"year", "month", "day"}` or null.
fn occurred(report: &Report) -> serde_json::Value {
    serde_json::to_value(report.occurred).unwrap_or(serde_json::Value::Null)
}

/// A short code for the test that turned an article down, from its reason; `None` when it
/// is relevant. Unrecognised reasons are `"other"` (the reason itself is always printed).
pub fn rejected_by(relevant: bool, reason: &str) -> Option<&'static str> {
    if relevant {
        return None;
    }
    Some(if reason.starts_with("no police force named") {
        "no_force"
    } else if reason.starts_with("police named only as") {
        "force_not_victim"
    } else if reason.starts_with("no police-victim breach facts") {
        if reason.contains("(bare mention)") {
            "no_breach_facts"
        } else {
            "no_victim_cue"
        }
    } else if reason.starts_with("internal error") {
        "internal_error"
    } else {
        "other"
    })
}

/// The text of `span` in `document`, trimmed (spans that do not fall on character
/// boundaries are widened to them).
pub fn sentence(document: &str, span: Span) -> String {
    let mut start = span.start.min(document.len());
    let mut end = span.end.min(document.len());
    while !document.is_char_boundary(start) {
        start -= 1;
    }
    while !document.is_char_boundary(end) {
        end += 1;
    }
    document[start..end.max(start)].trim().to_string()
}

/// Explains one analysed article. `from_page`: the item was an HTML page, so a date that
/// came with it came from the page (`published_from` is then `page`, not `feed`).
pub fn explain(article: &Article, analysis: &Analysis, from_page: bool) -> Explanation {
    let document = analysis.document.as_str();
    let sentence_at = |span: Span| sentence(document, span);
    let extraction = &analysis.extraction;
    let sentences = if extraction.reports.is_empty() {
        Vec::new()
    } else {
        extract::sentences(document)
    };
    // A force's evidence is the name as written: shown is the sentence around it.
    let sentence_around = |span: Span| {
        sentences
            .iter()
            .find(|s| s.start <= span.start && span.end <= s.end)
            .copied()
            .unwrap_or(span)
    };
    let reports = extraction
        .reports
        .iter()
        .map(|report| {
            let mut force_sentences: Vec<String> = Vec::new();
            for span in &report.force_evidence {
                let text = sentence_at(sentence_around(*span));
                if !force_sentences.contains(&text) {
                    force_sentences.push(text);
                }
            }
            let types = |facts: &[Fact<DataType>]| {
                facts
                    .iter()
                    .map(|fact| TypeFact {
                        id: fact.value.id(),
                        sentence: fact.span.map(sentence_at),
                    })
                    .collect()
            };
            ReportExplained {
                forces: report.forces.clone(),
                force_names: report
                    .forces
                    .iter()
                    .map(|f| extract::force_name(f).unwrap_or(f).to_string())
                    .collect(),
                force_sentences,
                data_types: types(&report.data_types),
                not_exposed: types(&report.not_exposed),
                affected: report.counts.first().map(|c| Affected {
                    count: c.count,
                    qualifier: c.qualifier,
                    unit: c.unit,
                }),
                figures: report
                    .counts
                    .iter()
                    .map(|c| FigureFact {
                        count: c.count,
                        qualifier: c.qualifier,
                        unit: c.unit,
                        sentence: sentence_at(c.span),
                    })
                    .collect(),
                cause: CauseFact {
                    id: report.cause.value.id(),
                    sentence: report.cause.span.map(sentence_at),
                },
                third_party: report.third_party,
                supplier: report.supplier.clone(),
                developments: report
                    .developments
                    .iter()
                    .map(|d| DevelopmentFact {
                        kind: d.kind,
                        amount_minor: d.amount_minor,
                        currency: d.currency.clone(),
                        sentence: sentence_at(d.span),
                    })
                    .collect(),
                occurred: occurred(report),
            }
        })
        .collect();
    let (published, published_from) = date_used(analysis, from_page);
    Explanation {
        url: article.url.clone(),
        canonical_url: article.canonical_url.clone(),
        title: article.title.clone(),
        source: article.source.clone(),
        relevant: extraction.relevant,
        reason: extraction.reason.clone(),
        rejected_by: rejected_by(extraction.relevant, &extraction.reason),
        published,
        published_from,
        warnings: extraction.warnings.clone(),
        reports,
    }
}

/// Analyses and explains one article.
pub fn explain_article(article: &Article, from_page: bool) -> Explanation {
    explain(article, &pipeline::analyse(article), from_page)
}

/// The stored article with this URL: as given, else by its canonical form. An http(s) URL is
/// found through the article key (the key is a hash of the canonical URL, so both forms
/// lead to it); any other (`file:` URLs of ingested pages, whose key comes from the
/// content) by looking through the stored articles. `urn:breachwatch:KEY` names a key.
///
/// # Errors
///
/// When the store cannot be read.
pub fn find_stored(store: &Store, url: &str) -> Result<Option<Article>, StoreError> {
    let url = url.trim();
    if let Some(key) = url.strip_prefix("urn:breachwatch:") {
        if let Some(article) = store.article(key)? {
            return Ok(Some(article));
        }
    }
    if canon::canonical_url(url).is_some() {
        let key = canon::article_key(Some(url), "", None, "");
        return store.article(&key);
    }
    for article in store.articles() {
        let article = article?;
        if article.url == url {
            return Ok(Some(article));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_get_the_code_of_their_test() {
        assert_eq!(
            rejected_by(true, "police body as breach victim: kent"),
            None
        );
        for (reason, code) in [
            ("no police force named", "no_force"),
            (
                "police named only as investigator, partner or location",
                "force_not_victim",
            ),
            (
                "no police-victim breach facts: kent (no victim cue)",
                "no_victim_cue",
            ),
            (
                "no police-victim breach facts: kent (bare mention)",
                "no_breach_facts",
            ),
            ("internal error during extraction", "internal_error"),
            ("something new", "other"),
        ] {
            assert_eq!(rejected_by(false, reason), Some(code), "{reason}");
        }
    }

    #[test]
    fn sentences_are_trimmed_and_cut_on_char_boundaries() {
        let doc = "Tïtle\n\n  Ünïcode here. ";
        assert_eq!(sentence(doc, Span { start: 7, end: 30 }), "Ünïcode here.");
        // Inside a two-byte character: widened to it.
        assert_eq!(sentence(doc, Span { start: 2, end: 3 }), "ï");
    }
}
