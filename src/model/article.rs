//! Articles as received and the polling state of the sources they came from.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// An article as received, with its raw text kept so later stages can be re-run from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Our stable key (see [`crate::canon::article_key`]).
    pub key: String,
    /// The link exactly as the source gave it (a `urn:breachwatch:` id when it had none).
    pub url: String,
    /// The canonical form of `url` (see [`crate::canon`]), when it differs.
    pub canonical_url: Option<String>,
    /// The headline (for an item without one, the first line of its text).
    pub title: String,
    /// When the item says it was published, if it says.
    pub published: Option<DateTime<FixedOffset>>,
    /// The outlet.
    pub source: String,
    /// The configured source it came from, if it was polled.
    pub source_id: Option<String>,
    /// Plain text or HTML, as received.
    pub text: String,
    /// When breachwatch first read it.
    pub fetched_at: DateTime<Utc>,
}

impl Article {
    /// The time the article counts from: its publication, else when we first saw it.
    pub fn when(&self) -> DateTime<FixedOffset> {
        self.published
            .unwrap_or_else(|| self.fetched_at.fixed_offset())
    }
}

/// Where an article's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The item carried it: a feed entry's date, JSONL `published`, a page's metadata.
    Feed,
    /// Read from the text: a labelled date ("Published: 14:05 09/08/2023") or a dateline.
    Text,
    /// Neither: the article is undated.
    #[default]
    Unknown,
}

impl DateSource {
    /// The id used in JSON and `explain` (`feed`, `text`, `unknown`).
    pub fn id(&self) -> &'static str {
        match self {
            DateSource::Feed => "feed",
            DateSource::Text => "text",
            DateSource::Unknown => "unknown",
        }
    }
}

/// Per-source polling state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceState {
    /// The `ETag` of the last successful response, for a conditional GET.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last successful response, for a conditional GET.
    pub last_modified: Option<String>,
    /// When the source was last asked.
    pub last_attempt: Option<DateTime<Utc>>,
    /// When the source last answered with something usable.
    pub last_success: Option<DateTime<Utc>>,
    /// When validators were last ignored for an unconditional fetch.
    pub last_full_refresh: Option<DateTime<Utc>>,
    /// Failures since the last success (drives the backoff).
    pub consecutive_failures: u32,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// When the source is next due to be polled.
    pub next_due: Option<DateTime<Utc>>,
    /// Items listed by the source, over all polls.
    pub items_seen: u64,
    /// Articles from this source that were new when stored.
    pub articles_new: u64,
}
