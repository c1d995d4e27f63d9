//! Bytes and markup into [`RawItem`]s: feeds through feed-rs, HTML pages through scraper,
//! JSONL lines through serde. Parsing does no I/O.

pub mod feed;
pub mod html;
pub mod jsonl;
/// Property tests of the readers; their generators (JSONL lines) serve other modules' tests.
#[cfg(test)]
pub(crate) mod prop_tests;

use chrono::{DateTime, FixedOffset};

/// One article as a source gave it, before classification.
#[derive(Debug, Clone, PartialEq)]
pub struct RawItem {
    /// The link exactly as the source gave it; `None` when the item had neither link nor a
    /// URL-like guid.
    pub url: Option<String>,
    /// The headline (may be empty: RSS allows items without one).
    pub title: String,
    /// When the source says the item was published.
    pub published: Option<DateTime<FixedOffset>>,
    /// The outlet's name.
    pub source: String,
    /// The article body: plain text or HTML, as received.
    pub text: String,
}

/// Why a document could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// feed-rs rejected the document (it has no recovery mode for malformed XML).
    #[error("not a readable RSS, Atom or JSON feed: {0}")]
    Feed(String),
    /// A JSONL line is not a valid article.
    #[error("{0}")]
    Jsonl(String),
}

/// Parses a date as RFC 3339, RFC 2822, or a bare `YYYY-MM-DD` (taken as midnight UTC).
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(d.and_utc().fixed_offset());
    }
    let day = s.get(..10).unwrap_or(s);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(s, "%d %B %Y").ok())
        .or_else(|| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_shapes() {
        for s in [
            "2023-08-08T10:00:00+01:00",
            "Tue, 08 Aug 2023 10:00:00 +0100",
            "2023-08-08T09:00:00",
            "2023-08-08",
            "8 August 2023",
            "08/08/2023",
        ] {
            let d = parse_date(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.format("%Y-%m-%d").to_string(), "2023-08-08", "{s}");
        }
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("").is_none());
    }
}
