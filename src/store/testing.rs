//! What the store's tests share: opening a database again, and incidents and articles made by
//! hand.

use std::path::Path;

use crate::model::{Article, Cause, Incident};

use super::{Store, StoreError};

/// Opens the database at `dir` again, once sled's flusher thread lets go of the file lock
/// (shortly after the last handle drops).
pub(super) fn reopen(dir: &Path) -> Store {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match Store::open(dir) {
            Ok(s) => return s,
            Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            Err(e) => panic!("reopen failed: {e}"),
        }
    }
}

/// An incident of Kent Police with no facts, first and last reported at `first` (RFC 3339).
pub(super) fn inc(id: &str, first: &str) -> Incident {
    let at = chrono::DateTime::parse_from_rfc3339(first).unwrap();
    Incident {
        id: id.into(),
        title: id.into(),
        forces: vec!["kent".into()],
        force_names: vec!["Kent Police".into()],
        data_types: Vec::new(),
        not_exposed: Vec::new(),
        affected: None,
        cause: Cause::Unknown,
        third_party: None,
        supplier: None,
        first_reported: at,
        last_reported: at,
        occurred: None,
        sources: Vec::new(),
        figures: Vec::new(),
        evidence: Vec::new(),
        timeline: Vec::new(),
        conflicts: Vec::new(),
        members: Vec::new(),
        related: Vec::new(),
        opens_late: false,
        member_causes: Vec::new(),
        member_types: Vec::new(),
    }
}

/// The ids of the stored incidents, newest first.
pub(super) fn incident_ids(store: &Store) -> Vec<String> {
    store
        .incident_ids_newest_first()
        .map(|r| r.unwrap().1)
        .collect()
}

/// An article stored only by its key (title and URL named after it).
pub(super) fn keyed_article(key: &str) -> Article {
    Article {
        key: key.into(),
        url: format!("https://news.example/{key}"),
        canonical_url: None,
        title: key.into(),
        published: None,
        source: "News".into(),
        source_id: None,
        text: "text".into(),
        fetched_at: chrono::Utc::now(),
    }
}
