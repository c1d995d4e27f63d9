//! Bytes and markup into [`RawItem`]s: feeds through feed-rs, HTML pages through scraper,
//! JSONL lines through serde. Parsing does no I/O.

pub mod feed;
pub mod html;
pub mod jsonl;
/// Property tests of the readers; their generators (JSONL lines) serve other modules' tests.
#[cfg(test)]
pub(crate) mod prop_tests;
pub mod stream;

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

/// Parses a date as RFC 3339, RFC 2822, or a bare `YYYY-MM-DD` (taken as midnight UTC); also
/// the shapes UK newsrooms print: `15 August 2023`, `15th August 2023`, `August 15, 2023`,
/// `15/08/2023` (day first, the UK way) and `Published: 09:30 15/08/2023` (UK local time:
/// British Summer Time when it applies).
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
    let s = strip_label(s);
    for shape in ["%H:%M %d/%m/%Y", "%H:%M, %d/%m/%Y", "%d/%m/%Y %H:%M"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, shape) {
            return Some(uk_local(d));
        }
    }
    let day = s.get(..10).unwrap_or(s);
    let words = without_ordinals(s);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            ["%d %B %Y", "%d %b %Y", "%B %d, %Y", "%B %d %Y", "%b %d, %Y"]
                .iter()
                .find_map(|shape| chrono::NaiveDate::parse_from_str(&words, shape).ok())
        })
        .or_else(|| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().fixed_offset())
}

/// `s` without a leading "Published:", "Posted:", "Updated:" or "Date:" label.
fn strip_label(s: &str) -> &str {
    for label in ["published", "posted", "updated", "date"] {
        let Some(head) = s.get(..label.len()) else {
            continue;
        };
        if head.eq_ignore_ascii_case(label) {
            let rest = &s[label.len()..];
            if rest.starts_with([':', ' ']) {
                return rest.trim_start_matches([' ', ':']).trim();
            }
        }
    }
    s
}

/// "15th August 2023" as "15 August 2023": a day's ordinal suffix dropped.
fn without_ordinals(s: &str) -> String {
    static ORDINAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)\b").expect("regex compiles")
    });
    ORDINAL.replace_all(s, "$1").into_owned()
}

/// The last Sunday of `month` (March or October) of `year`, at 01:00 UTC: when British Summer
/// Time starts (March) or ends (October).
fn last_sunday_1am_utc(year: i32, month: u32) -> Option<chrono::NaiveDateTime> {
    use chrono::Datelike;
    let last = chrono::NaiveDate::from_ymd_opt(year, month, 31)?;
    let back = last.weekday().num_days_from_sunday();
    (last - chrono::Duration::days(i64::from(back))).and_hms_opt(1, 0, 0)
}

/// A wall-clock time in the UK (Europe/London) with its offset: +01:00 during British Summer
/// Time (last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC), else +00:00.
pub fn uk_local(local: chrono::NaiveDateTime) -> DateTime<FixedOffset> {
    use chrono::Datelike;
    let year = local.year();
    let as_bst_utc = local - chrono::Duration::hours(1);
    let bst = match (last_sunday_1am_utc(year, 3), last_sunday_1am_utc(year, 10)) {
        (Some(start), Some(end)) => as_bst_utc >= start && as_bst_utc < end,
        _ => false,
    };
    let offset = FixedOffset::east_opt(if bst { 3600 } else { 0 }).expect("valid offset");
    local
        .and_local_timezone(offset)
        .single()
        .expect("a fixed offset is never ambiguous")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_times_are_uk_local_time() {
        // Summer: BST, +01:00.
        let d = parse_date("Published: 09:30 15/08/2023").unwrap();
        assert_eq!(d.to_rfc3339(), "2023-08-15T09:30:00+01:00");
        // Winter: GMT.
        let d = parse_date("Published: 14:05 05/01/2024").unwrap();
        assert_eq!(d.to_rfc3339(), "2024-01-05T14:05:00+00:00");
        // 2023: BST from 26 March 01:00 UTC to 29 October 01:00 UTC.
        for (local, want) in [
            ("00:30 26/03/2023", "2023-03-26T00:30:00+00:00"),
            ("02:30 26/03/2023", "2023-03-26T02:30:00+01:00"),
            ("02:30 29/10/2023", "2023-10-29T02:30:00+00:00"),
            ("23:00 28/10/2023", "2023-10-28T23:00:00+01:00"),
        ] {
            assert_eq!(parse_date(local).unwrap().to_rfc3339(), want, "{local}");
        }
    }

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
        for s in [
            "8th August 2023",
            "August 8, 2023",
            "8 Aug 2023",
            "Published: 8 August 2023",
        ] {
            let d = parse_date(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.format("%Y-%m-%d").to_string(), "2023-08-08", "{s}");
        }
        // Day first, the UK way.
        let d = parse_date("03/04/2023").unwrap();
        assert_eq!(d.format("%Y-%m-%d").to_string(), "2023-04-03");
        assert!(parse_date("").is_none());
    }
}
