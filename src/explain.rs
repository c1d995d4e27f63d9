//! `explain`: why the extractor decided what it did about an article, fact by fact.
//!
//! The article is analysed again with the current extractor ([`crate::pipeline::analyse`],
//! pure): for a stored article that is what `reprocess` would now derive, for the articles
//! of a file what `ingest` would. Nothing is stored. Every fact comes with the sentence of
//! the document (title + text) it was read from.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::canon;
use crate::extract::{self, Report};
use crate::ingest::{Format, IngestError, Input, Problem};
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
    pub canonical_url: Option<String>,
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
    /// Where it came from: `feed`, `page`, `text` or `unknown` (see [`publication`]).
    pub published_from: &'static str,
    pub warnings: Vec<String>,
    pub reports: Vec<ReportExplained>,
}

/// One report of an article with the sentence of each fact.
#[derive(Debug, Clone, Serialize)]
pub struct ReportExplained {
    pub forces: Vec<String>,
    /// Canonical names where the gazetteer knows the id.
    pub force_names: Vec<String>,
    /// The sentences that name the forces as the breached body.
    pub force_sentences: Vec<String>,
    pub data_types: Vec<TypeFact>,
    pub not_exposed: Vec<TypeFact>,
    /// The first (best) figure, as `affected` in the incident output.
    pub affected: Option<Affected>,
    /// Every figure stated, best first.
    pub figures: Vec<FigureFact>,
    pub cause: CauseFact,
    pub third_party: Option<bool>,
    pub supplier: Option<String>,
    pub developments: Vec<DevelopmentFact>,
    /// When the breach happened, as the report states it. Always null until the extractor
    /// gives reports an `occurred` date: fill it in [`occurred`].
    pub occurred: serde_json::Value,
}

/// A data type and the sentence it was read from (`None`: no span).
#[derive(Debug, Clone, Serialize)]
pub struct TypeFact {
    pub id: &'static str,
    pub sentence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureFact {
    pub count: u64,
    pub qualifier: Qualifier,
    pub unit: Unit,
    pub sentence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseFact {
    pub id: &'static str,
    /// `None` when the cause was not stated (or has no span).
    pub sentence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DevelopmentFact {
    pub kind: DevelopmentKind,
    pub amount_minor: Option<u64>,
    pub currency: Option<String>,
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
    let (mut a, mut b) = (span.start.min(document.len()), span.end.min(document.len()));
    while !document.is_char_boundary(a) {
        a -= 1;
    }
    while !document.is_char_boundary(b) {
        b += 1;
    }
    document[a..b.max(a)].trim().to_string()
}

/// Explains one analysed article. `from_page`: the item was an HTML page (see
/// [`date_used`]).
pub fn explain(article: &Article, analysis: &Analysis, from_page: bool) -> Explanation {
    let doc = analysis.document.as_str();
    let cut = |s: Span| sentence(doc, s);
    let x = &analysis.extraction;
    let sentences = if x.reports.is_empty() {
        Vec::new()
    } else {
        extract::sentences(doc)
    };
    // A force's evidence is the name as written: shown is the sentence around it.
    let around = |s: Span| {
        sentences
            .iter()
            .find(|t| t.start <= s.start && s.end <= t.end)
            .copied()
            .unwrap_or(s)
    };
    let reports = x
        .reports
        .iter()
        .map(|r| {
            let mut force_sentences: Vec<String> = Vec::new();
            for s in &r.force_evidence {
                let t = cut(around(*s));
                if !force_sentences.contains(&t) {
                    force_sentences.push(t);
                }
            }
            let types = |facts: &[Fact<DataType>]| {
                facts
                    .iter()
                    .map(|f| TypeFact {
                        id: f.value.id(),
                        sentence: f.span.map(cut),
                    })
                    .collect()
            };
            ReportExplained {
                forces: r.forces.clone(),
                force_names: r
                    .forces
                    .iter()
                    .map(|f| extract::force_name(f).unwrap_or(f).to_string())
                    .collect(),
                force_sentences,
                data_types: types(&r.data_types),
                not_exposed: types(&r.not_exposed),
                affected: r.counts.first().map(|c| Affected {
                    count: c.count,
                    qualifier: c.qualifier,
                    unit: c.unit,
                }),
                figures: r
                    .counts
                    .iter()
                    .map(|c| FigureFact {
                        count: c.count,
                        qualifier: c.qualifier,
                        unit: c.unit,
                        sentence: cut(c.span),
                    })
                    .collect(),
                cause: CauseFact {
                    id: r.cause.value.id(),
                    sentence: r.cause.span.map(cut),
                },
                third_party: r.third_party,
                supplier: r.supplier.clone(),
                developments: r
                    .developments
                    .iter()
                    .map(|d| DevelopmentFact {
                        kind: d.kind,
                        amount_minor: d.amount_minor,
                        currency: d.currency.clone(),
                        sentence: cut(d.span),
                    })
                    .collect(),
                occurred: occurred(r),
            }
        })
        .collect();
    let (published, published_from) = date_used(analysis, from_page);
    Explanation {
        url: article.url.clone(),
        canonical_url: article.canonical_url.clone(),
        title: article.title.clone(),
        source: article.source.clone(),
        relevant: x.relevant,
        reason: x.reason.clone(),
        rejected_by: rejected_by(x.relevant, &x.reason),
        published,
        published_from,
        warnings: x.warnings.clone(),
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
pub fn find_stored(store: &Store, url: &str) -> Result<Option<Article>, StoreError> {
    let url = url.trim();
    if let Some(key) = url.strip_prefix("urn:breachwatch:") {
        if let Some(a) = store.article(key)? {
            return Ok(Some(a));
        }
    }
    if canon::canonical_url(url).is_some() {
        let key = canon::article_key(Some(url), "", None, "");
        return store.article(&key);
    }
    for a in store.articles() {
        let a = a?;
        if a.url == url {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

/// Reads a file as `ingest` does (`format` `Auto`: by extension, else by content) and
/// explains every article in it. Stores nothing and needs no database. Skipped inputs (a bad
/// JSONL line...) are pushed to `problems`.
pub fn explain_file(
    path: &Path,
    format: Format,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Explanation>, IngestError> {
    let input = Input::open(path, format)?;
    let from_page = input.format() == Format::Html;
    let mut out = Vec::new();
    input.read(problems, &mut |_| {}, &mut |item| {
        out.push(explain_article(
            &pipeline::article_of(item, None),
            from_page,
        ));
        true
    })?;
    Ok(out)
}

/// Third-party text for a terminal: escape sequences, control characters and bidirectional
/// overrides removed, line breaks made spaces (see [`crate::render::terminal_text`]).
fn plain(s: &str) -> String {
    crate::render::terminal_text(s)
}

fn qualified(count: u64, qualifier: Qualifier, unit: Unit) -> String {
    let q = match qualifier {
        Qualifier::Exact => "",
        Qualifier::Approx => "about ",
        Qualifier::AtLeast => "at least ",
        Qualifier::AtMost => "at most ",
    };
    format!("{q}{count} {}", unit.id())
}

fn quote(out: &mut impl Write, sentence: Option<&str>) -> std::io::Result<()> {
    match sentence {
        Some(s) if !s.trim().is_empty() => writeln!(out, "        \"{}\"", plain(s)),
        _ => writeln!(out, "        (no sentence)"),
    }
}

/// The human layout: per article its URL, decision and reason, date used and where from,
/// then each report with its forces and every fact with its sentence indented below it.
pub fn table(out: &mut impl Write, items: &[Explanation]) -> std::io::Result<()> {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", plain(&e.url))?;
        if !e.title.trim().is_empty() {
            writeln!(out, "  title:     {}", plain(&e.title))?;
        }
        if !e.source.trim().is_empty() {
            writeln!(out, "  source:    {}", plain(&e.source))?;
        }
        match e.rejected_by {
            None => writeln!(out, "  decision:  relevant: {}", plain(&e.reason))?,
            Some(code) => writeln!(out, "  decision:  rejected ({code}): {}", plain(&e.reason))?,
        }
        match e.published {
            Some(d) => writeln!(
                out,
                "  published: {} (from {})",
                d.to_rfc3339(),
                e.published_from
            )?,
            None => writeln!(out, "  published: unknown ({})", e.published_from)?,
        }
        for w in &e.warnings {
            writeln!(out, "  warning:   {}", plain(w))?;
        }
        for (n, r) in e.reports.iter().enumerate() {
            writeln!(
                out,
                "  report {}: {}",
                n + 1,
                r.forces
                    .iter()
                    .zip(&r.force_names)
                    .map(|(id, name)| format!("{id} ({})", plain(name)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
            writeln!(out, "    forces named in:")?;
            for s in &r.force_sentences {
                quote(out, Some(s))?;
            }
            for (label, facts) in [
                ("data type", &r.data_types),
                ("not exposed", &r.not_exposed),
            ] {
                for f in facts {
                    writeln!(out, "    {label}: {}", f.id)?;
                    quote(out, f.sentence.as_deref())?;
                }
            }
            for f in &r.figures {
                writeln!(
                    out,
                    "    figure: {}",
                    qualified(f.count, f.qualifier, f.unit)
                )?;
                quote(out, Some(&f.sentence))?;
            }
            writeln!(out, "    cause: {}", r.cause.id)?;
            if r.cause.sentence.is_some() {
                quote(out, r.cause.sentence.as_deref())?;
            }
            match (r.third_party, &r.supplier) {
                (Some(tp), Some(s)) => {
                    writeln!(out, "    third party: {tp} (supplier: {})", plain(s))?
                }
                (Some(tp), None) => writeln!(out, "    third party: {tp}")?,
                (None, Some(s)) => writeln!(out, "    supplier: {}", plain(s))?,
                (None, None) => {}
            }
            for d in &r.developments {
                let kind = serde_json::to_value(d.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                match (d.amount_minor, &d.currency) {
                    (Some(m), c) => writeln!(
                        out,
                        "    development: {kind} {}.{:02} {}",
                        m / 100,
                        m % 100,
                        c.as_deref().map(plain).unwrap_or_default()
                    )?,
                    (None, _) => writeln!(out, "    development: {kind}")?,
                }
                quote(out, Some(&d.sentence))?;
            }
            match &r.occurred {
                serde_json::Value::Null => writeln!(out, "    occurred: unknown")?,
                v => writeln!(out, "    occurred: {v}")?,
            }
        }
    }
    Ok(())
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

    #[test]
    fn terminal_text_loses_control_characters() {
        assert_eq!(plain("a\u{1b}[2Jb\r\nc\u{202e}d"), "ab cd");
    }
}
