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
    pub canonical_url: Option<String>,
    pub title: String,
    pub published: Option<DateTime<FixedOffset>>,
    /// The outlet.
    pub source: String,
    /// The configured source it came from, if it was polled.
    pub source_id: Option<String>,
    /// Plain text or HTML, as received.
    pub text: String,
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
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    /// When validators were last ignored for an unconditional fetch.
    pub last_full_refresh: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub last_error: Option<String>,
    pub next_due: Option<DateTime<Utc>>,
    pub items_seen: u64,
    pub articles_new: u64,
}
