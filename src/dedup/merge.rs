//! The incremental merge: one article's reports into the stored incidents, re-clustering only
//! the incidents they could meet, with the answer [`cluster()`](super::cluster()) would give over every report
//! at once.
//!
//! In: the article's report records, and a [`MergeSource`]: what merging reads of the stored
//! incidents (their profiles by force and time, their members' records) and of the stored
//! articles' signatures (for copies). Out: an [`IncidentUpdate`], the incidents to remove
//! and to write, which the caller applies (the pipeline, to the store's write set). No I/O
//! here: the source does the reading.
//!
//! Order independence: when the new reports only join stored incidents (or open their own),
//! the stored incidents around them stay as they are. When they make stored incidents split,
//! merge or trade members (a report ingested after later ones changes how those later ones
//! group), the reports of every incident so changed are looked up again, and the incidents
//! they might join are re-clustered with them, until no new candidate turns up (at most
//! [`MAX_WIDENINGS`] times): a stored incident that a moved report would now join is
//! re-clustered too, as a fresh ingest in publication order would have grouped them. The
//! property tests (`merge_tests`) merge random reports one at a time in random orders and
//! compare with clustering them all at once.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::filters::{may_join, may_join_before, may_meet};
use super::rules::{is_follow_up, undated, CLOSE_DAYS, FRESH_DAYS};
use super::signature::{copy_keys, similarity_stored, COPY_DAYS, NEAR_DUP_THRESHOLD};
use super::{build_incident, cluster};
use crate::model::{Incident, IncidentProfile, ReportRecord};

/// A stored incident as the index gives it: its profile, with its members perhaps not decoded
/// yet (the store keeps them encoded until asked, see `crate::store::profile::LazyProfile`).
/// Merging turns most candidates down on the profile alone, asking of the members only
/// whether an article is among them and when they were published.
pub trait IndexedIncident {
    /// The profile but for its members, which may be left out (empty).
    fn head(&self) -> &IncidentProfile;
    /// Whether a member report comes from an article whose key passes `hit`.
    fn any_member_article(&self, hit: impl Fn(&str) -> bool) -> bool;
    /// The times of the member reports (Unix seconds), in member order.
    fn member_times(&self) -> Vec<i64>;
    /// The whole profile, members included; `None` when they cannot be read.
    fn profile(&self) -> Option<IncidentProfile>;
}

impl<T: IndexedIncident + ?Sized> IndexedIncident for Arc<T> {
    fn head(&self) -> &IncidentProfile {
        (**self).head()
    }
    fn any_member_article(&self, hit: impl Fn(&str) -> bool) -> bool {
        (**self).any_member_article(hit)
    }
    fn member_times(&self) -> Vec<i64> {
        (**self).member_times()
    }
    fn profile(&self) -> Option<IncidentProfile> {
        (**self).profile()
    }
}

/// What merging reads: the stored incidents of a force by time (from an index of their
/// profiles), their members' report records, and the signatures of the stored breach articles
/// on a force by time. The store implements it over its indexes (see `crate::pipeline`); the
/// property tests over a map in memory. A merge asks it nothing else, and writes nothing to
/// it: it returns an [`IncidentUpdate`].
pub trait MergeSource {
    /// Why a lookup failed.
    type Error;
    /// A stored incident as the index gives it, shared: merging keeps the candidates it found
    /// around each report for the rest of the merge.
    type Entry: IndexedIncident + Clone;

    /// The incidents of `force` with a report in `[from, to]` (Unix seconds). A superset will
    /// do (the store reads whole months): the candidate filters decide.
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    fn incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Self::Entry>, Self::Error>;

    /// The incidents of `force` that open late (see [`Incident::opens_late`]), first reported
    /// in `[from, to]` (Unix seconds).
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    fn late_incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Self::Entry>, Self::Error>;

    /// The report records of an incident's members (those stored), in member order.
    ///
    /// # Errors
    ///
    /// When a record cannot be read.
    fn records_of(&self, incident: &Self::Entry) -> Result<Vec<Arc<ReportRecord>>, Self::Error>;

    /// Visits the signatures of `force`'s breach articles published in `[from, to]` (Unix
    /// seconds), as (article key, signature as stored: little-endian `u32`s, see
    /// [`super::similarity_stored`]).
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    fn visit_signatures_near(
        &self,
        force: &str,
        from: i64,
        to: i64,
        visit: impl FnMut(&str, &[u8]),
    ) -> Result<(), Self::Error>;

    /// The time now (Unix seconds). An incident first told by an undated article is placed
    /// when that article was fetched, so incidents opening late up to now are looked at.
    fn now(&self) -> i64;
}

/// What a merge changes: the stored incidents whose members changed go, and the incidents
/// the new reports formed, joined, split or merged are written (under the same id when their
/// earliest member is the same). Incidents whose members came out of re-clustering unchanged
/// are in neither list. Apply `removed` before `written`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentUpdate {
    /// The profiles of the stored incidents to remove: a profile has all that removing an
    /// incident and its index entries takes.
    pub removed: Vec<IncidentProfile>,
    /// The incidents to write, built from their members' records.
    pub written: Vec<Incident>,
}

/// How many times [`Merge::merge`] widens its re-clustering (see the module doc), after its
/// first look at the new reports' stories, before it settles for what it has.
pub const MAX_WIDENINGS: usize = 8;

/// The stored articles a report's article is a copy of (see [`Merge::similar_articles`]), by
/// article key and the forces searched (sorted): each is looked up once a merge.
type Copies = BTreeMap<(String, Vec<String>), Vec<String>>;

/// What [`Merge::candidates`] looked up around each report (by article key and report index),
/// kept for one merge: its rounds ask around the same reports again, and the stored
/// incidents do not change until the merge is applied.
type Around<E> = HashMap<(String, usize), Vec<E>>;

/// One article's merge into the stored incidents of a [`MergeSource`]: first (optionally)
/// [`Merge::similar_articles`] for the article, then [`Merge::merge`] of its report records.
/// Lookups are remembered for the length of the merge.
pub struct Merge<'s, S: MergeSource> {
    source: &'s S,
    copies: Copies,
    around: Around<S::Entry>,
}

impl<'s, S: MergeSource> Merge<'s, S> {
    /// A merge reading `source`.
    pub fn new(source: &'s S) -> Self {
        Merge {
            source,
            copies: Copies::new(),
            around: Around::new(),
        }
    }

    /// The stored breach articles the article keyed `article_key` (signed `minhash`,
    /// published at `when`, Unix seconds) is a copy of (see [`super::copies`]): they name one
    /// of `forces`, were published within [`COPY_DAYS`] of `when`, and their text is similar.
    /// Most similar first (then by key). Blocking by force and time keeps the comparisons to
    /// those forces' coverage in those weeks. Remembered for the article's reports that name
    /// the same forces (most do), which the merge then does not look up again.
    ///
    /// # Errors
    ///
    /// When the source cannot be read.
    pub fn similar_articles(
        &mut self,
        article_key: &str,
        minhash: &[u32],
        forces: &BTreeSet<&str>,
        when: i64,
    ) -> Result<&[String], S::Error> {
        let found = self.look_up_similar(article_key, minhash, forces.iter().copied(), when)?;
        let key = (
            article_key.to_owned(),
            forces.iter().map(|f| f.to_string()).collect(),
        );
        let slot = self.copies.entry(key).or_default();
        *slot = found;
        Ok(slot)
    }

    /// [`Merge::similar_articles`], not remembered.
    fn look_up_similar<'f>(
        &self,
        own_key: &str,
        minhash: &[u32],
        forces: impl IntoIterator<Item = &'f str>,
        when: i64,
    ) -> Result<Vec<String>, S::Error> {
        let span = COPY_DAYS * 86_400;
        let mut found: Vec<(f64, String)> = Vec::new();
        for force in forces {
            self.source
                .visit_signatures_near(force, when - span, when + span, |key, sig| {
                    if key == own_key {
                        return;
                    }
                    let sim = similarity_stored(minhash, sig);
                    if sim >= NEAR_DUP_THRESHOLD && !found.iter().any(|(_, k)| k == key) {
                        found.push((sim, key.to_owned()));
                    }
                })?;
        }
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(found.into_iter().map(|(_, k)| k).collect())
    }

    /// Re-clusters the new article's reports (`new`, all of one article) with every stored
    /// incident they might meet (those the candidate filters pass: [`may_join`],
    /// [`may_join_before`], [`may_meet`]), widening as re-clustering moves stored reports (see
    /// the module doc); only report records are read, no incident, article or analysis.
    /// `force_name` names the incidents' forces (see [`build_incident`]).
    ///
    /// # Errors
    ///
    /// When the source cannot be read.
    pub fn merge(
        mut self,
        new: &[ReportRecord],
        force_name: impl Fn(&str) -> Option<String>,
    ) -> Result<IncidentUpdate, S::Error> {
        let (mut old, entries): (Vec<IncidentProfile>, Vec<S::Entry>) = self
            .candidates(new, &[], &BTreeSet::new())?
            .into_iter()
            .unzip();
        let fresh: BTreeSet<&str> = new.iter().map(|r| r.source.article_key.as_str()).collect();
        // Shared, not copied: stored records come from the source (the store's cache of
        // decoded records).
        let mut stored = self.member_records(&entries, &fresh)?;
        let mut groups = cluster(&inputs_of(&stored, new));
        // Round 0 asks again around the new reports, of the stories they joined: a later
        // incident may join a story through another member's cause or list of data. The
        // widening rounds ask around the reports re-clustering moved, and of their stories.
        for round in 0..=MAX_WIDENINGS {
            let inputs = inputs_of(&stored, new);
            let asked: Vec<usize> = if round == 0 {
                (stored.len()..inputs.len()).collect()
            } else {
                moved_reports(&inputs, &groups, &old)
            };
            if asked.is_empty() {
                break;
            }
            let asked_set: BTreeSet<usize> = asked.iter().copied().collect();
            let stories: Vec<Vec<&ReportRecord>> = groups
                .iter()
                .filter(|g| g.len() > 1 && g.iter().any(|i| asked_set.contains(i)))
                .map(|g| g.iter().map(|i| inputs[*i]).collect())
                .collect();
            if round == 0 && stories.is_empty() {
                continue;
            }
            let known: BTreeSet<String> = old.iter().map(|inc| inc.id.clone()).collect();
            let (more, more_entries): (Vec<IncidentProfile>, Vec<S::Entry>) = self
                .candidates(asked.iter().map(|i| inputs[*i]), &stories, &known)?
                .into_iter()
                .unzip();
            if more.is_empty() {
                if round == 0 {
                    continue;
                }
                break;
            }
            tracing::debug!(round, incidents = more.len(), "re-clustering wider");
            stored.extend(self.member_records(&more_entries, &fresh)?);
            old.extend(more);
            groups = cluster(&inputs_of(&stored, new));
        }
        let inputs = inputs_of(&stored, new);
        // A candidate whose members come out of clustering unchanged is left as stored: only
        // the incidents the new reports join, split or merge are rewritten.
        let member_set = |g: &Vec<usize>| -> BTreeSet<(&str, usize)> {
            g.iter()
                .map(|i| (inputs[*i].source.article_key.as_str(), inputs[*i].index))
                .collect()
        };
        let old_sets: Vec<BTreeSet<(&str, usize)>> = old
            .iter()
            .map(|inc| {
                inc.members
                    .iter()
                    .map(|m| (m.article_key.as_str(), m.report))
                    .collect()
            })
            .collect();
        let new_sets: Vec<BTreeSet<(&str, usize)>> = groups.iter().map(member_set).collect();
        let gone: Vec<bool> = old_sets.iter().map(|set| !new_sets.contains(set)).collect();
        let written = groups
            .iter()
            .zip(&new_sets)
            .filter(|(_, set)| !old_sets.contains(set))
            .map(|(g, _)| build_incident(&inputs, g, &force_name))
            .collect();
        let removed = old
            .into_iter()
            .zip(gone)
            .filter_map(|(inc, gone)| gone.then_some(inc))
            .collect();
        Ok(IncidentUpdate { removed, written })
    }

    /// The stored incidents the new reports might join. A report joins an incident whose
    /// coverage it falls near, or any within six years when it brings a development or
    /// retells old news in a round-up; an older report can also open an incident whose first
    /// member is such a late report. Candidates come from the force/month index, whose
    /// profiles list their members, so no incident is loaded. Incidents in `known` are left
    /// out. Among the incidents found around the new reports, those one of `stories` could
    /// meet (see [`may_meet`]) are taken too: the stories the new reports joined. Returns each
    /// candidate's whole profile with its index entry.
    fn candidates<'r>(
        &mut self,
        new: impl IntoIterator<Item = &'r ReportRecord>,
        stories: &[Vec<&ReportRecord>],
        known: &BTreeSet<String>,
    ) -> Result<Vec<(IncidentProfile, S::Entry)>, S::Error> {
        let mut candidates: BTreeMap<String, S::Entry> = BTreeMap::new();
        for r in new {
            let t = r.when().timestamp();
            let mut forces = r.report.forces.clone();
            forces.sort();
            let key = (r.source.article_key.clone(), forces);
            if !self.copies.contains_key(&key) {
                let found = if r.minhash.is_empty() {
                    Vec::new()
                } else {
                    self.look_up_similar(&key.0, &r.minhash, key.1.iter().map(String::as_str), t)?
                };
                self.copies.insert(key.clone(), found);
            }
            let keys_of_copies = copy_keys(r, &self.copies[&key]);
            let at = (r.source.article_key.clone(), r.index);
            if !self.around.contains_key(&at) {
                let found = incidents_around(self.source, r)?;
                self.around.insert(at.clone(), found);
            }
            for p in &self.around[&at] {
                let head = p.head();
                if candidates.contains_key(&head.id) || known.contains(&head.id) {
                    continue;
                }
                let copy = p.any_member_article(|k| keys_of_copies.contains(k));
                let meets = || {
                    let times = p.member_times();
                    may_join_before(head, &times, r, copy)
                        || may_meet(head, &times, &[r], copy)
                        || stories
                            .iter()
                            .any(|story| may_meet(head, &times, story, true))
                };
                if may_join(head, r, copy) || meets() {
                    candidates.insert(head.id.clone(), p.clone());
                }
            }
        }
        // A copy's incidents need no lookup of their own: a copy names one of the same forces
        // within COPY_DAYS, so they are among these candidates (and a copy cannot join an
        // incident of other forces).
        Ok(candidates
            .into_values()
            .filter_map(|p| Some((p.profile()?, p)))
            .collect())
    }

    /// The report records of the candidates' members, but for the new article's own reports
    /// (`fresh`: they are merged from the new analysis), in key order (force, time, article).
    fn member_records(
        &self,
        old: &[S::Entry],
        fresh: &BTreeSet<&str>,
    ) -> Result<Vec<Arc<ReportRecord>>, S::Error> {
        let mut out = Vec::new();
        for p in old {
            out.extend(
                self.source
                    .records_of(p)?
                    .into_iter()
                    .filter(|r| !fresh.contains(r.source.article_key.as_str())),
            );
        }
        fn key(r: &ReportRecord) -> (&str, i64, &str, usize) {
            (
                r.filing_force(),
                r.when().timestamp(),
                r.source.article_key.as_str(),
                r.index,
            )
        }
        out.sort_by(|a, b| key(a).cmp(&key(b)));
        out.dedup_by(|a, b| key(a) == key(b));
        Ok(out)
    }
}

/// The stored incidents of `r`'s forces that [`Merge::candidates`] looks at for it: those
/// covered near its time, or within six years when it brings a development or retells old
/// news in a round-up, and those opening late after it. Each once.
fn incidents_around<S: MergeSource>(
    source: &S,
    r: &ReportRecord,
) -> Result<Vec<S::Entry>, S::Error> {
    let years = 6 * 365 * 86_400;
    let near = (FRESH_DAYS + CLOSE_DAYS) * 86_400;
    let t = r.when().timestamp();
    let back = if undated(r) {
        // Joins on its facts at any distance (see the matching rules): every incident of its
        // forces since 1990 is a candidate.
        (t - 631_152_000).max(0)
    } else if is_follow_up(&r.report) || r.siblings > 1 {
        years
    } else {
        near
    };
    let now = source.now() + 86_400;
    let recent = now - 400 * 86_400;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for force in &r.report.forces {
        let found = source
            .incidents_of_force(force, t - back, t + near)?
            .into_iter()
            .chain(source.late_incidents_of_force(force, t, t + years)?)
            // Late openers include incidents first told by an undated article, placed at the
            // time it was fetched, which may be any distance after the story: those fetched
            // in the last year are looked at too (a wider window would make every merge of
            // an archive read a decade of late openers).
            .chain(source.late_incidents_of_force(force, recent.max(t + years), now)?);
        for p in found {
            if seen.insert(p.head().id.clone()) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// The reports (indexes into `inputs`) of every group that does not hold exactly one stored
/// incident's members (plus new reports): groups that split a stored incident, merge two, or
/// took members from one.
fn moved_reports(
    inputs: &[&ReportRecord],
    groups: &[Vec<usize>],
    old: &[IncidentProfile],
) -> Vec<usize> {
    let mut incident_of: HashMap<(&str, usize), usize> = HashMap::new();
    for (n, inc) in old.iter().enumerate() {
        for m in &inc.members {
            incident_of.insert((m.article_key.as_str(), m.report), n);
        }
    }
    let of = |i: &usize| {
        incident_of
            .get(&(inputs[*i].source.article_key.as_str(), inputs[*i].index))
            .copied()
    };
    // The group each stored incident's members went to; `usize::MAX`: more than one.
    let mut went: Vec<Option<usize>> = vec![None; old.len()];
    let mut mixed = vec![false; groups.len()];
    for (g, members) in groups.iter().enumerate() {
        let mut from: Option<usize> = None;
        for n in members.iter().filter_map(of) {
            if from.is_some_and(|f| f != n) {
                mixed[g] = true;
            }
            from = Some(n);
            match went[n] {
                Some(h) if h != g => {
                    went[n] = Some(usize::MAX);
                }
                None => went[n] = Some(g),
                _ => {}
            }
        }
    }
    let split: BTreeSet<usize> = went
        .iter()
        .enumerate()
        .filter(|(_, w)| **w == Some(usize::MAX))
        .map(|(n, _)| n)
        .collect();
    groups
        .iter()
        .enumerate()
        .filter(|(g, members)| {
            mixed[*g] || members.iter().filter_map(of).any(|n| split.contains(&n))
        })
        .flat_map(|(_, members)| members.iter().copied())
        .collect()
}

/// What [`Merge::merge`] clusters: the stored members' records, then the new ones.
fn inputs_of<'a>(
    stored: &'a [Arc<ReportRecord>],
    new: &'a [ReportRecord],
) -> Vec<&'a ReportRecord> {
    stored.iter().map(|r| &**r).chain(new).collect()
}
