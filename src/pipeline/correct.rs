//! Analysts' corrections on the write path: applied after merging wherever incidents are
//! written (an article's merge, `reprocess`), and when a correction is made ([`correct`]).
//!
//! # Two layers
//!
//! Merging reads and writes the incidents *as merging makes them*: the force/month and
//! force/late indexes always hold those, so the candidates it finds, and so the incidents,
//! never depend on what an analyst said (a corrected force list or a dismissal would hide an
//! incident from the reports that would join it). The incidents *as shown* (`inc/`, the time
//! index, the trend counters, `dis/`) are those incidents with the log applied:
//!
//! * an incident none of whose members is in any correction's anchor is shown as merging
//!   made it (without corrections, the two layers are the same incidents);
//! * the others, the **corrected region**, are rebuilt together from their members' records:
//!   [`correction::regroup`] (merges and splits, in log order), [`dedup::build_incident`] for
//!   each group, then [`correction::resolve`] and [`correction::apply`] (facts set, dismissed).
//!
//! The region is rebuilt whenever an update touches it (a written or removed incident holds an
//! anchored member) and whenever a correction is made, in the same write set as the rest. So
//! the incidents shown are a function of the set of stored articles and the log: the merged
//! incidents are (the order invariant), and the region is a function of them and the log.
//! The region's incidents are listed under `meta/corrected`, so the next rebuild removes them
//! first. Corrections are expected to be few (an analyst's, not a machine's), so the rebuild
//! reads every anchored member's incident through the index: no new index is kept for them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::canon;
use crate::correction::{self, Action, Correction, CorrectionError, Field, Value};
use crate::dedup::{self, IncidentUpdate};
use crate::extract;
use crate::model::{Incident, Member, ReportRecord};
use crate::store::{Store, StoreError, WriteSet};

/// A member by what names it: its article's key and the report's index.
type MemberKey = (String, usize);

fn key_of(m: &Member) -> MemberKey {
    (m.article_key.clone(), m.report)
}

/// The corrections log as the write path uses it.
struct Log {
    entries: Vec<Correction>,
    /// Every member of every anchor (the other anchor of a merge too).
    anchored: HashSet<MemberKey>,
}

impl Log {
    fn read(store: &Store) -> Result<Log, StoreError> {
        let entries = if store.has_corrections()? {
            store.corrections()?
        } else {
            Vec::new()
        };
        Ok(Log::of(entries))
    }

    fn of(entries: Vec<Correction>) -> Log {
        let anchored = entries
            .iter()
            .flat_map(anchor_members)
            .map(key_of)
            .collect();
        Log { entries, anchored }
    }

    fn holds(&self, members: &[Member]) -> bool {
        !self.anchored.is_empty()
            && members
                .iter()
                .any(|m| self.anchored.contains(&(m.article_key.clone(), m.report)))
    }
}

fn anchor_members(c: &Correction) -> impl Iterator<Item = &Member> {
    let other: &[Member] = match &c.action {
        Action::Merge { other_anchor, .. } => other_anchor,
        _ => &[],
    };
    c.anchor.iter().chain(other)
}

/// Writes a merge's update into `w` with the corrections applied (see the module doc).
/// `fresh` are the records of the article being merged (not in the store yet). Returns how
/// many incidents merging wrote.
pub(super) fn apply_update(
    store: &Store,
    w: &mut WriteSet,
    update: IncidentUpdate,
    fresh: &[ReportRecord],
) -> Result<usize, StoreError> {
    let written = update.written.len();
    let log = Log::read(store)?;
    if log.entries.is_empty() {
        // Removed first, then written: an incident rewritten under its id is removed and put
        // back.
        for inc in &update.removed {
            w.remove_incident(inc);
        }
        for inc in &update.written {
            w.put_incident(inc);
        }
        return Ok(written);
    }
    let touched = update.removed.iter().any(|p| log.holds(&p.members))
        || update.written.iter().any(|i| log.holds(&i.members));
    // The region's incidents go first: an incident leaving the region is shown as merged
    // under an id the region may have used.
    let old = if touched {
        Some(remove_region(store, w)?)
    } else {
        None
    };
    for p in &update.removed {
        w.remove_incident_index(p);
        if !log.holds(&p.members) {
            w.remove_incident_view(p);
        }
    }
    for inc in &update.written {
        w.put_incident_index(inc);
        if !log.holds(&inc.members) {
            w.put_incident_view(inc);
        }
    }
    if let Some(old) = old {
        write_region(store, w, &log, &update, fresh, &old)?;
    }
    Ok(written)
}

/// Removes the region's incidents as shown (listed under `meta/corrected`); returns their ids.
fn remove_region(store: &Store, w: &mut WriteSet) -> Result<Vec<String>, StoreError> {
    let old = store.corrected_ids()?;
    for id in &old {
        if let Some(inc) = store.incident(id)? {
            w.remove_incident_view(&inc.profile());
        }
        if store.dismissed_incident(id)?.is_some() {
            w.delete_dismissed(id);
        }
        w.delete_applied(id);
    }
    Ok(old)
}

/// The incidents (as merging made them, after `update`) holding an anchored member: by id,
/// their members.
fn region_clusters(
    store: &Store,
    log: &Log,
    update: &IncidentUpdate,
) -> Result<BTreeMap<String, Vec<Member>>, StoreError> {
    let removed: HashSet<&str> = update.removed.iter().map(|p| p.id.as_str()).collect();
    let mut clusters: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    let mut found: HashSet<MemberKey> = HashSet::new();
    let mut wanted: Vec<&Member> = log.entries.iter().flat_map(anchor_members).collect();
    wanted.sort();
    wanted.dedup();
    let mut take = |id: &str, members: Vec<Member>, found: &mut HashSet<MemberKey>| {
        found.extend(members.iter().map(key_of));
        clusters.insert(id.to_string(), members);
    };
    for m in wanted {
        if found.contains(&key_of(m)) {
            continue;
        }
        if let Some(inc) = update.written.iter().find(|i| i.members.contains(m)) {
            take(&inc.id, inc.members.clone(), &mut found);
            continue;
        }
        // The incident's force/month entries cover its dated members; an undated member
        // (placed when fetched) may lie outside them: look wider, within six years.
        let years = 6 * 366 * 86_400;
        for (from, to) in [(m.at, m.at), (m.at - years, m.at + years)] {
            let hit = store
                .incidents_of_force(&m.force, from, to)?
                .into_iter()
                .filter(|p| !removed.contains(p.head.id.as_str()))
                .find_map(|p| {
                    let members = p.members()?;
                    members
                        .iter()
                        .any(|x| x == m)
                        .then(|| (p.head.id.clone(), members))
                });
            if let Some((id, members)) = hit {
                take(&id, members, &mut found);
                break;
            }
        }
    }
    Ok(clusters)
}

/// Rebuilds the region (see the module doc) into `w`, `old` being the ids of its incidents
/// before (already removed by [`remove_region`]). Returns the incidents as shown.
fn write_region(
    store: &Store,
    w: &mut WriteSet,
    log: &Log,
    update: &IncidentUpdate,
    fresh: &[ReportRecord],
    old: &[String],
) -> Result<Vec<Incident>, StoreError> {
    let clusters = region_clusters(store, log, update)?;
    // Incidents shown as merged before a correction reached them: no longer shown so.
    let written: HashSet<&str> = update.written.iter().map(|i| i.id.as_str()).collect();
    for id in clusters.keys() {
        if old.contains(id) || written.contains(id.as_str()) {
            continue;
        }
        if let Some(inc) = store.incident(id)? {
            w.remove_incident_view(&inc.profile());
        }
    }
    let fresh: BTreeMap<MemberKey, &ReportRecord> = fresh
        .iter()
        .map(|r| ((r.source.article_key.clone(), r.index), r))
        .collect();
    let groups = correction::regroup(clusters.into_values().collect(), &log.entries);
    let mut incidents = Vec::new();
    for group in groups {
        let mut records: Vec<Arc<ReportRecord>> = Vec::new();
        for m in &group {
            match fresh.get(&key_of(m)) {
                Some(r) => records.push(Arc::new((*r).clone())),
                None => records.extend(store.report(m)?),
            }
        }
        if records.is_empty() {
            continue;
        }
        records.sort_by(|a, b| canonical(a).cmp(&canonical(b)));
        let inputs: Vec<&ReportRecord> = records.iter().map(|r| &**r).collect();
        let all: Vec<usize> = (0..inputs.len()).collect();
        incidents.push(dedup::build_incident(&inputs, &all, |id| {
            extract::force_name(id).map(str::to_owned)
        }));
    }
    let refs: Vec<&Incident> = incidents.iter().collect();
    let by_incident = correction::resolve(&log.entries, &refs);
    let mut shown = Vec::new();
    for (i, mut inc) in incidents.into_iter().enumerate() {
        let list = by_incident.get(&i).cloned().unwrap_or_default();
        let outcome = correction::apply(&mut inc, &list);
        if outcome.dismissed {
            w.put_dismissed(&inc);
        } else {
            w.put_incident_view(&inc);
        }
        if !outcome.applied.is_empty() {
            w.put_applied(&inc.id, &outcome.applied);
        }
        shown.push(inc);
    }
    let ids: Vec<String> = shown.iter().map(|i| i.id.clone()).collect();
    w.put_corrected_ids(&ids);
    Ok(shown)
}

/// Clustering's canonical order (publication time, article key, report index; undated last).
fn canonical(r: &ReportRecord) -> (i64, &str, usize) {
    let at = if dedup::undated(r) {
        i64::MAX
    } else {
        r.when().timestamp()
    };
    (at, r.source.article_key.as_str(), r.index)
}

/// What an analyst asks for (the CLI's commands, the API's bodies).
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Sets facts of an incident.
    Set {
        /// The incident's id.
        id: String,
        /// The facts and their values, each logged as an entry of its own.
        set: Vec<(Field, Value)>,
    },
    /// Makes one incident of two.
    Merge {
        /// The two incidents' ids.
        ids: [String; 2],
    },
    /// Takes an article out of an incident into an incident of its own.
    Split {
        /// The incident's id.
        id: String,
        /// The article's URL (as listed, or its canonical form).
        article: String,
    },
    /// Not a police data breach: out of lists, trends and exports.
    Dismiss {
        /// The incident's id.
        id: String,
    },
    /// Undoes a dismissal.
    Restore {
        /// The incident's id.
        id: String,
    },
}

/// Why a correction was refused; nothing is written then.
#[derive(Debug, thiserror::Error)]
pub enum CorrectError {
    /// No incident (shown or dismissed) has this id.
    #[error("no incident {0:?}")]
    UnknownIncident(String),
    /// The article is not a source of the incident.
    #[error("{url:?} is not a source of incident {id:?}")]
    NotASource {
        /// The incident's id.
        id: String,
        /// The URL given.
        url: String,
    },
    /// The article is the incident's only source.
    #[error("{url:?} is the only source of incident {id:?}: nothing to split")]
    NothingToSplit {
        /// The incident's id.
        id: String,
        /// The URL given.
        url: String,
    },
    /// Both ids name one incident.
    #[error("cannot merge incident {0:?} with itself")]
    SameIncident(String),
    /// Nothing to set.
    #[error("nothing to set: give at least one FIELD=VALUE")]
    NothingToSet,
    /// A field or value that does not read.
    #[error(transparent)]
    Invalid(#[from] CorrectionError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CorrectError {
    /// A short stable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            CorrectError::UnknownIncident(_) => "unknown_incident",
            CorrectError::NotASource { .. } => "not_a_source",
            CorrectError::NothingToSplit { .. } => "nothing_to_split",
            CorrectError::SameIncident(_) => "same_incident",
            CorrectError::NothingToSet => "nothing_to_set",
            CorrectError::Invalid(e) => e.code(),
            CorrectError::Store(_) => "store_error",
        }
    }
}

/// The incident shown or dismissed under `id`.
fn find(store: &Store, id: &str) -> Result<Incident, CorrectError> {
    match store.incident(id)? {
        Some(inc) => Ok(inc),
        None => store
            .dismissed_incident(id)?
            .ok_or_else(|| CorrectError::UnknownIncident(id.to_string())),
    }
}

/// Makes a correction now: logs it (one entry per fact set), rebuilds the corrected region in
/// the same write set, and commits. `reason` is the analyst's words (may be empty but for a
/// dismissal, which the CLI and API require a reason for). Returns the ids of the incidents
/// the correction leaves (two for a split), in order.
///
/// # Errors
///
/// An unknown id, an article not in the incident, a merge of an incident with itself, a
/// value that does not read: nothing is written. Or the store fails.
pub fn correct(
    store: &Store,
    request: Request,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<Vec<String>, CorrectError> {
    let _writer = store.writer();
    let mut seq = store.next_correction_seq()?;
    let mut entry = |inc: &Incident, action: Action| {
        let c = Correction {
            seq,
            at,
            incident: inc.id.clone(),
            anchor: inc.members.clone(),
            action,
            reason: reason.trim().to_string(),
        };
        seq += 1;
        c
    };
    let mut entries = Vec::new();
    match request {
        Request::Set { id, set } => {
            let inc = find(store, &id)?;
            if set.is_empty() {
                return Err(CorrectError::NothingToSet);
            }
            for (field, value) in set {
                let replaced = Value::of(field, &inc).to_json();
                let action = Action::Set {
                    field,
                    value: value.to_json(),
                    replaced,
                };
                entries.push(entry(&inc, action));
            }
        }
        Request::Merge { ids: [a, b] } => {
            let (one, other) = (find(store, &a)?, find(store, &b)?);
            if one.id == other.id {
                return Err(CorrectError::SameIncident(one.id));
            }
            let action = Action::Merge {
                other: other.id.clone(),
                other_anchor: other.members.clone(),
            };
            entries.push(entry(&one, action));
        }
        Request::Split { id, article } => {
            let inc = find(store, &id)?;
            let wanted = canon::canonical_url(&article);
            let source = inc.sources.iter().find(|s| {
                s.url == article.trim()
                    || s.canonical_url.as_deref() == Some(article.trim())
                    || (wanted.is_some()
                        && (canon::canonical_url(&s.url) == wanted || s.canonical_url == wanted))
            });
            let Some(source) = source else {
                return Err(CorrectError::NotASource { id, url: article });
            };
            if inc
                .members
                .iter()
                .all(|m| m.article_key == source.article_key)
            {
                return Err(CorrectError::NothingToSplit { id, url: article });
            }
            let action = Action::Split {
                article_key: source.article_key.clone(),
                url: source.url.clone(),
            };
            entries.push(entry(&inc, action));
        }
        Request::Dismiss { id } => {
            let inc = find(store, &id)?;
            entries.push(entry(&inc, Action::Dismiss));
        }
        Request::Restore { id } => {
            let inc = find(store, &id)?;
            entries.push(entry(&inc, Action::Restore));
        }
    }
    let mut w = WriteSet::new();
    for e in &entries {
        w.put_correction(e.seq, e);
    }
    let mut log: Vec<Correction> = store.corrections()?;
    log.extend(entries.iter().cloned());
    let log = Log::of(log);
    let old = remove_region(store, &mut w)?;
    let shown = write_region(store, &mut w, &log, &IncidentUpdate::default(), &[], &old)?;
    store.apply(w)?;
    store.commit()?;
    Ok(left_by(&entries, &shown))
}

/// The incidents a correction leaves: for a split, every incident holding some of its anchor;
/// else the one holding most of it.
fn left_by(entries: &[Correction], shown: &[Incident]) -> Vec<String> {
    let Some(c) = entries.last() else {
        return Vec::new();
    };
    let anchor: BTreeSet<MemberKey> = c.anchor.iter().map(key_of).collect();
    let held = |inc: &Incident| {
        inc.members
            .iter()
            .filter(|m| anchor.contains(&key_of(m)))
            .count()
    };
    if matches!(c.action, Action::Split { .. }) {
        return shown
            .iter()
            .filter(|i| held(i) > 0)
            .map(|i| i.id.clone())
            .collect();
    }
    let refs: Vec<&Incident> = shown.iter().collect();
    let by = correction::resolve(std::slice::from_ref(c), &refs);
    by.keys().map(|i| shown[*i].id.clone()).collect()
}
