//! The review queue: what most needs a person's eye, each with a one-line reason and the
//! `explain` command that shows the sentences behind it. Read-only, and pure over the
//! incidents and the rejected articles it is given ([`select`]); [`collect`] reads them.
//!
//! What goes in, most urgent first:
//!
//! 1. **Exposure conflicts** — one source says a type of data was exposed, another that it
//!    was not.
//! 2. **Figure conflicts** — sources give figures more than 5% apart (the incident's
//!    conflicts, as merging records them).
//! 3. **Headline only** — an incident from a single report whose facts all come from its
//!    headline (or that has none): a news-search item with little text.
//! 4. **Low confidence** — a single report taken on a figure alone (no data, no cause), or a
//!    rejected article that names a police body as a breach's victim only in passing.
//! 5. **Near misses** — rejected articles that name a police body in a sentence with breach
//!    words (the body read as investigator, or no victim cue found).

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::model::{Article, Cause, Incident};
use crate::store::{Store, StoreError};

/// Why an item is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// Sources disagree on whether a type of data was exposed.
    ExposureConflict,
    /// Sources disagree on the figure.
    FigureConflict,
    /// A single report, all from its headline.
    HeadlineOnly,
    /// A decision on thin evidence, either way.
    LowConfidence,
    /// A rejected article naming a police body next to breach words.
    NearMiss,
}

impl Concern {
    /// The id in JSON and the table.
    pub fn id(self) -> &'static str {
        match self {
            Concern::ExposureConflict => "exposure_conflict",
            Concern::FigureConflict => "figure_conflict",
            Concern::HeadlineOnly => "headline_only",
            Concern::LowConfidence => "low_confidence",
            Concern::NearMiss => "near_miss",
        }
    }
}

/// One thing to review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Why it is here.
    pub concern: Concern,
    /// The incident, for incidents; `None` for a rejected article.
    pub incident: Option<String>,
    /// The headline.
    pub title: String,
    /// The article to explain (the incident's first source).
    pub url: String,
    /// When it was (first) reported, where known.
    pub published: Option<DateTime<FixedOffset>>,
    /// Why, in one line.
    pub reason: String,
    /// The command that shows the sentences behind it.
    pub explain: String,
}

/// A stored article extraction turned down, as `explain` judges it now.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// As the feed gave it.
    pub url: String,
    /// The headline.
    pub title: String,
    /// The text (plain or HTML, as stored).
    pub text: String,
    /// When it was published, where known.
    pub published: Option<DateTime<FixedOffset>>,
    /// The extractor's reason.
    pub reason: String,
    /// The code of the test that turned it down (see `explain::rejected_by`).
    pub rejected_by: Option<String>,
}

/// The `explain` command for an article.
pub fn explain_command(url: &str) -> String {
    format!("breachwatch explain '{}'", url.replace('\'', "'\\''"))
}

/// The queue for these incidents and rejected articles, most urgent first, then newest.
pub fn select(incidents: &[Incident], rejected: &[Rejected]) -> Vec<ReviewItem> {
    let mut items: Vec<ReviewItem> = incidents.iter().flat_map(incident_items).collect();
    items.extend(rejected.iter().filter_map(rejected_item));
    items.sort_by(|a, b| {
        a.concern
            .cmp(&b.concern)
            .then(b.published.cmp(&a.published))
            .then(a.url.cmp(&b.url))
    });
    items
}

/// What an incident needs reviewed: at most one item per concern.
pub fn incident_items(incident: &Incident) -> Vec<ReviewItem> {
    let item = |concern: Concern, reason: String| {
        let url = incident
            .sources
            .first()
            .map(|s| s.url.clone())
            .unwrap_or_default();
        ReviewItem {
            concern,
            incident: Some(incident.id.clone()),
            title: incident.title.clone(),
            explain: explain_command(&url),
            url,
            published: Some(incident.first_reported),
            reason,
        }
    };
    let mut out = Vec::new();
    let exposure: Vec<&String> = incident
        .conflicts
        .iter()
        .filter(|c| c.contains("say exposed") && c.contains("say not exposed"))
        .collect();
    if !exposure.is_empty() {
        let joined: Vec<&str> = exposure.iter().map(|c| c.as_str()).collect();
        out.push(item(
            Concern::ExposureConflict,
            format!(
                "sources disagree on what was exposed: {}",
                joined.join("; ")
            ),
        ));
    }
    if let Some(c) = incident
        .conflicts
        .iter()
        .find(|c| c.starts_with("affected:"))
    {
        let detail = c.trim_start_matches("affected:").trim();
        out.push(item(
            Concern::FigureConflict,
            format!("sources disagree on the figure: {detail}"),
        ));
    }
    if incident.sources.len() == 1 {
        let title = incident.title.trim();
        let sentences = incident
            .evidence
            .iter()
            .map(|e| e.sentence.as_str())
            .chain(incident.figures.iter().map(|f| f.sentence.as_str()))
            .chain(incident.timeline.iter().map(|d| d.sentence.as_str()));
        let from_headline = sentences
            .map(str::trim)
            .all(|s| s.is_empty() || s == title || title.contains(s));
        let no_data = incident.data_types.is_empty() && incident.cause == Cause::Unknown;
        if from_headline {
            out.push(item(
                Concern::HeadlineOnly,
                "one report, every fact from its headline: check the article says more".to_string(),
            ));
        } else if no_data && incident.affected.is_some() {
            out.push(item(
                Concern::LowConfidence,
                "one report taken on a figure alone: no data exposed or cause stated".to_string(),
            ));
        }
    }
    out
}

/// The item for a rejected article, if it needs one.
pub fn rejected_item(article: &Rejected) -> Option<ReviewItem> {
    let (concern, reason) = match article.rejected_by.as_deref()? {
        "no_breach_facts" => (
            Concern::LowConfidence,
            format!(
                "rejected, but it names a police body as a breach's victim in passing ({})",
                article.reason
            ),
        ),
        "force_not_victim" | "no_victim_cue" => {
            let sentence = police_breach_sentence(&article.title, &article.text)?;
            (
                Concern::NearMiss,
                format!(
                    "rejected ({}), yet it says: \"{}\"",
                    article.reason,
                    shorten(&sentence, 140)
                ),
            )
        }
        _ => return None,
    };
    Some(ReviewItem {
        concern,
        incident: None,
        title: article.title.clone(),
        explain: explain_command(&article.url),
        url: article.url.clone(),
        published: article.published,
        reason,
    })
}

const POLICE_WORDS: [&str; 5] = [
    "police",
    "constabulary",
    "crime agency",
    "sheriff",
    "gardaí",
];
const BREACH_WORDS: [&str; 16] = [
    "breach",
    "leak",
    "hack",
    "cyber",
    "ransomware",
    "exposed",
    "stolen",
    "compromised",
    "personal data",
    "personal details",
    "personal information",
    "data protection",
    "information commissioner",
    "ico ",
    "reprimand",
    "sent in error",
];

/// The first sentence of the headline or text that names a police body and uses a breach
/// word, if any.
pub fn police_breach_sentence(title: &str, text: &str) -> Option<String> {
    std::iter::once(title)
        .chain(text.split(['.', '!', '?', '\n']))
        .map(str::trim)
        .find(|s| {
            let lower = s.to_lowercase();
            POLICE_WORDS.iter().any(|w| lower.contains(w))
                && BREACH_WORDS.iter().any(|w| lower.contains(w))
        })
        .map(str::to_string)
}

fn shorten(text: &str, max: usize) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// How far back [`collect`] looks at rejected articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The most recently stored articles looked at for near misses.
    pub recent_articles: usize,
}

impl Default for Window {
    fn default() -> Window {
        Window {
            recent_articles: 1000,
        }
    }
}

/// Reads the queue: every listed incident, and the most recently stored articles that are
/// no incident's source, each judged by `judge` (the caller re-runs extraction: `explain`)
/// into a [`Rejected`] when extraction turns it down.
///
/// # Errors
///
/// When the store cannot be read.
pub fn collect(
    store: &Store,
    window: Window,
    judge: impl Fn(&Article) -> Option<Rejected>,
) -> Result<Vec<ReviewItem>, StoreError> {
    let incidents = super::incidents(store, &super::Filter::default())?;
    let members: HashSet<&str> = incidents
        .iter()
        .flat_map(|i| i.sources.iter().map(|s| s.article_key.as_str()))
        .collect();
    let mut rejected = Vec::new();
    for article in store.articles_newest_first().take(window.recent_articles) {
        let article = article?;
        if members.contains(article.key.as_str()) {
            continue;
        }
        if let Some(r) = judge(&article) {
            rejected.push(r);
        }
    }
    Ok(select(&incidents, &rejected))
}

#[cfg(test)]
mod tests;
