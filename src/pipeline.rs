//! The shared path of `ingest`, `poll` and `reprocess`: a [`RawItem`] is keyed, stored with
//! its raw text, classified and extracted, checked for near-duplicates, and merged into
//! incidents, and all of it is written in one [`WriteSet`], committed atomically (with other
//! articles' sets, see [`crate::store`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::Utc;

use crate::canon;
use crate::dedup;
use crate::extract::Extraction;
use crate::extract::{self, ArticleInput};
use crate::model::{Article, DateSource, IncidentProfile, ReportRecord, StoredReport};
use crate::ordered;
use crate::parse::html;
use crate::parse::RawItem;
use crate::store::profile::LazyProfile;
use crate::store::{self, Store, StoreError, WriteSet};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// What happened to one item.
/// What the pipeline derives from one article. Not stored as such (see
/// `crate::pipeline::process`); `reprocess` derives it again from the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub article_key: String,
    /// `extract::document(title, clean text)`: the string every span points into; the
    /// report records cut their sentences from it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
    pub extraction: Extraction,
    /// MinHash signature of the article's shingles, for near-duplicate detection.
    pub minhash: Vec<u32>,
    /// The earlier-keyed article this one is a syndicated or spun copy of, if any.
    pub near_duplicate_of: Option<String>,
    /// The publication date the article counts from (see [`DateSource`]); `None`: unknown.
    #[serde(default)]
    pub published: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub published_from: DateSource,
}

impl Analysis {
    /// The time the article counts from: its publication date, from the item or its text,
    /// else when it was fetched (an undated article, see [`crate::dedup::undated`]).
    pub fn when(&self, article: &Article) -> DateTime<FixedOffset> {
        self.published
            .unwrap_or_else(|| article.fetched_at.fixed_offset())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Already stored: nothing changed.
    Unchanged,
    /// Stored; `reports` incidents found in it, `incidents` incidents written.
    New {
        relevant: bool,
        reports: usize,
        incidents: usize,
    },
}

/// Builds the article record for an item.
pub fn article_of(item: RawItem, source_id: Option<&str>) -> Article {
    let published = item.published.map(|p| p.to_rfc3339());
    let key = canon::article_key(
        item.url.as_deref(),
        &item.title,
        published.as_deref(),
        &item.text,
    );
    let url = item
        .url
        .clone()
        .unwrap_or_else(|| format!("urn:breachwatch:{key}"));
    Article {
        canonical_url: item.url.as_deref().and_then(canon::canonical_url),
        key,
        url,
        title: item.title,
        published: item.published,
        source: item.source,
        source_id: source_id.map(str::to_owned),
        text: item.text,
        fetched_at: Utc::now(),
    }
}

/// Runs the pure stages over an article.
pub fn analyse(article: &Article) -> Analysis {
    let clean = html::clean_text(&article.text);
    let title = if html::looks_like_html(&article.title) {
        html::clean_text(&article.title)
    } else {
        article.title.trim().to_string()
    };
    let extraction = extract::extract(&ArticleInput {
        url: &article.url,
        title: &title,
        text: &clean,
        source: &article.source,
        published: article.published,
    });
    let document = extract::document(&title, &clean);
    let (published, published_from) = publication(article, &title, &clean);
    Analysis {
        article_key: article.key.clone(),
        minhash: dedup::minhash(&document),
        document,
        extraction,
        near_duplicate_of: None,
        published,
        published_from,
    }
}

/// The publication date an article counts from: the item's own, else one the page states in
/// its text (a "Published:" line, a dateline: [`extract::dates::publication_in_text`], never
/// a date of the events it tells), else none (undated: it joins incidents on its facts, see
/// [`dedup::undated`]). A date read from the text is never later than when the article was
/// fetched.
pub fn publication(
    article: &Article,
    title: &str,
    clean: &str,
) -> (Option<chrono::DateTime<chrono::FixedOffset>>, DateSource) {
    if let Some(d) = article.published {
        return (Some(d), DateSource::Feed);
    }
    match extract::dates::publication_in_text(title, clean) {
        Some(d) if d <= article.fetched_at.fixed_offset() => (Some(d), DateSource::Text),
        _ => (None, DateSource::Unknown),
    }
}

/// An article analysed ahead of the writer (see [`prepare`]).
pub struct Prepared {
    article: Article,
    /// The analysis and the encoded article; `None`: the article was already stored when it
    /// was checked.
    done: Option<(Analysis, Vec<u8>)>,
}

/// Builds and analyses an article, off the writer: pure CPU work that any thread may do.
/// An article already stored is not analysed (this check is repeated under the writer lock,
/// so a copy stored meanwhile is still caught there; it does not wait for a commit, see
/// [`Store::seems_stored`]).
///
/// `store` is `None` while the store is still opening (see [`store::Opening`]): then the
/// article is analysed whether stored or not.
pub fn prepare(
    store: Option<&Store>,
    item: RawItem,
    source_id: Option<&str>,
) -> Result<Prepared, StoreError> {
    let article = article_of(item, source_id);
    let stored = match store {
        Some(s) => s.seems_stored(&article.key)?,
        None => false,
    };
    let done = if stored {
        None
    } else {
        Some((analyse(&article), store::encode_article(&article)))
    };
    Ok(Prepared { article, done })
}

/// Stores a prepared article unless its key is already stored, merging its reports.
pub fn store_prepared(store: &Store, p: Prepared) -> Result<Outcome, StoreError> {
    let _writer = store.writer();
    if store.has_article(&p.article.key)? {
        return Ok(Outcome::Unchanged);
    }
    let (analysis, encoded) = p
        .done
        .unwrap_or_else(|| (analyse(&p.article), store::encode_article(&p.article)));
    let mut w = WriteSet::new();
    w.put_encoded_article(&p.article.key, encoded, store.next_seq()?);
    let outcome = process(store, &p.article, analysis, &mut w)?;
    store.apply(w)?;
    Ok(outcome)
}

/// Stores one item unless its key is already stored.
pub fn ingest_item(
    store: &Store,
    item: RawItem,
    source_id: Option<&str>,
) -> Result<Outcome, StoreError> {
    store_prepared(store, prepare(Some(store), item, source_id)?)
}

/// Stores the items `produce` feeds, in feeding order, analysing them on
/// [`ordered::default_workers`] threads while this one's writer merges and stores (see
/// [`ordered`]); `outcome` is told each item's outcome in order. The result is what
/// [`ingest_item`] on each in turn gives.
pub fn ingest_items<E: From<StoreError> + Send>(
    store: &(impl store::Target + ?Sized),
    source_id: Option<&str>,
    produce: impl FnOnce(&mut dyn FnMut(RawItem) -> bool) -> Result<(), E>,
    mut outcome: impl FnMut(Outcome) + Send,
) -> Result<(), E> {
    ordered::run(
        ordered::default_workers(),
        produce,
        |item| Ok(prepare(store.ready(), item, source_id)?),
        |p| {
            outcome(store_prepared(store.wait()?, p)?);
            Ok(())
        },
    )
}

/// Merges the reports of an article already recorded in `w` (or the store), given its
/// [`analyse`]d form. The caller holds [`Store::writer`] until `w` is applied.
fn process(
    store: &Store,
    article: &Article,
    mut analysis: Analysis,
    w: &mut WriteSet,
) -> Result<Outcome, StoreError> {
    let relevant = analysis.extraction.relevant && !analysis.extraction.reports.is_empty();
    let mut copies = Copies::new();
    if relevant {
        // Only breach reports are indexed, so only they are looked up.
        let when = analysis.when(article).timestamp();
        let forces = report_forces(&analysis);
        let found = similar_articles(
            store,
            &article.key,
            &analysis.minhash,
            forces.iter().copied(),
            when,
        )?;
        let copy_of = found.first().cloned();
        // Merging asks the same of each report; one naming all the article's forces (most
        // do) finds the answer here.
        let key = (
            article.key.clone(),
            forces.iter().map(|f| f.to_string()).collect(),
        );
        copies.insert(key, found);
        w.put_signature(forces, &article.key, when, &analysis.minhash);
        analysis.near_duplicate_of = copy_of;
    }
    let reports = analysis.extraction.reports.len();
    let incidents = if relevant {
        let stored: Vec<StoredReport> = std::mem::take(&mut analysis.extraction.reports)
            .into_iter()
            .map(StoredReport::from)
            .collect();
        let records = dedup::records(
            article,
            analysis.published,
            &analysis.document,
            &stored,
            analysis.near_duplicate_of.as_deref(),
            &analysis.minhash,
        );
        for r in &records {
            w.put_report(r);
        }
        merge(store, records, &mut copies, w)?
    } else {
        0
    };
    // The analysis itself is not stored: its reports live on as report records (with the
    // sentences evidence needs) and its signature in the near-duplicate index, and
    // `reprocess` rebuilds everything from the article. An article without reports thus
    // costs one write.
    Ok(Outcome::New {
        relevant,
        reports,
        incidents,
    })
}

/// The stored breach articles `minhash`'s article is a copy of (see [`dedup::copies`]): they
/// name one of the same forces, were published within [`dedup::COPY_DAYS`] of `when`, and
/// their text is similar. Most similar first (then by key). Blocking by force and time keeps
/// the comparisons to that force's coverage in those weeks.
fn similar_articles<'f>(
    store: &Store,
    own_key: &str,
    minhash: &[u32],
    forces: impl IntoIterator<Item = &'f str>,
    when: i64,
) -> Result<Vec<String>, StoreError> {
    let span = dedup::COPY_DAYS * 86_400;
    let mut found: Vec<(f64, String)> = Vec::new();
    for force in forces {
        store.visit_signatures_near(force, when - span, when + span, |key, sig| {
            if key == own_key {
                return;
            }
            let sim = dedup::similarity_stored(minhash, sig);
            if sim >= dedup::NEAR_DUP_THRESHOLD && !found.iter().any(|(_, k)| k == key) {
                found.push((sim, key.to_owned()));
            }
        })?;
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(found.into_iter().map(|(_, k)| k).collect())
}

/// The stored articles an article is a copy of (see [`similar_articles`]), by article key
/// and the forces searched (sorted): each is looked up once a merge.
type Copies = BTreeMap<(String, Vec<String>), Vec<String>>;

/// The stored incidents the new reports might join. A report joins an incident whose
/// coverage it falls near, or any within six years when it brings a development or retells
/// old news in a round-up; an older report can also open an incident whose first member is
/// such a late report. Candidates come from the force/month index, whose profiles list their
/// members, so no incident is loaded. Incidents in `known` are left out. Among the incidents
/// found around the new reports, those one of `stories` could meet (see
/// [`dedup::may_meet`]) are taken too: the stories the new reports joined.
fn candidates<'r>(
    store: &Store,
    new: impl IntoIterator<Item = &'r ReportRecord>,
    stories: &[Vec<&ReportRecord>],
    known: &BTreeSet<String>,
    copies: &mut Copies,
    around: &mut Around,
) -> Result<Vec<(IncidentProfile, Arc<LazyProfile>)>, StoreError> {
    let mut candidates: BTreeMap<String, Arc<LazyProfile>> = BTreeMap::new();
    for r in new {
        let t = r.when().timestamp();
        let mut forces = r.report.forces.clone();
        forces.sort();
        let key = (r.source.article_key.clone(), forces);
        if !copies.contains_key(&key) {
            let found = if r.minhash.is_empty() {
                Vec::new()
            } else {
                similar_articles(
                    store,
                    &key.0,
                    &r.minhash,
                    key.1.iter().map(String::as_str),
                    t,
                )?
            };
            copies.insert(key.clone(), found);
        }
        let copy_keys = dedup::copy_keys(r, &copies[&key]);
        let at = (r.source.article_key.clone(), r.index);
        if !around.contains_key(&at) {
            around.insert(at.clone(), incidents_around(store, r)?);
        }
        for p in &around[&at] {
            if candidates.contains_key(&p.head.id) || known.contains(&p.head.id) {
                continue;
            }
            let copy = p.any_member_article(|k| copy_keys.contains(k));
            let meets = || {
                let times = p.member_times();
                dedup::may_join_before(&p.head, &times, r, copy)
                    || dedup::may_meet(&p.head, &times, &[r], copy)
                    || stories
                        .iter()
                        .any(|story| dedup::may_meet(&p.head, &times, story, true))
            };
            if dedup::may_join(&p.head, r, copy) || meets() {
                candidates.insert(p.head.id.clone(), p.clone());
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

/// The stored incidents of `r`'s forces that [`candidates`] looks at for it: those covered
/// near its time, or within six years when it brings a development or retells old news in
/// a round-up, and those opening late after it. Each once.
fn incidents_around(store: &Store, r: &ReportRecord) -> Result<Vec<Arc<LazyProfile>>, StoreError> {
    let years = 6 * 365 * 86_400;
    let near = (dedup::FRESH_DAYS + dedup::CLOSE_DAYS) * 86_400;
    let t = r.when().timestamp();
    let back = if dedup::undated(r) {
        // Joins on its facts at any distance (see `dedup::fit`): every incident of its
        // forces since 1990 is a candidate.
        (t - 631_152_000).max(0)
    } else if dedup::is_follow_up(&r.report) || r.siblings > 1 {
        years
    } else {
        near
    };
    let now = Utc::now().timestamp() + 86_400;
    let recent = now - 400 * 86_400;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for force in &r.report.forces {
        let found = store
            .incidents_of_force(force, t - back, t + near)?
            .into_iter()
            .chain(store.late_incidents_of_force(force, t, t + years)?)
            // Late openers include incidents first told by an undated article, placed at the
            // time it was fetched, which may be any distance after the story: those fetched
            // in the last year are looked at too (a wider window would make every merge of
            // an archive read a decade of late openers).
            .chain(store.late_incidents_of_force(force, recent.max(t + years), now)?);
        for p in found {
            if seen.insert(p.head.id.clone()) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// What [`candidates`] looked up around each report (by article key and report index), kept
/// for one merge: its rounds ask around the same reports again, and the store does not change
/// until the merge is written.
type Around = std::collections::HashMap<(String, usize), Vec<Arc<LazyProfile>>>;

/// The report records of the candidates' members, but for the new article's own reports
/// (`fresh`: they are merged from the new analysis), in key order (force, time, article).
fn member_records(
    store: &Store,
    old: &[Arc<LazyProfile>],
    fresh: &BTreeSet<&str>,
) -> Result<Vec<Arc<ReportRecord>>, StoreError> {
    let mut out = Vec::new();
    for p in old {
        out.extend(
            store
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

/// The reports (indexes into `inputs`) of every group that does not hold exactly one stored
/// incident's members (plus new reports): groups that split a stored incident, merge two, or
/// took members from one.
fn moved_reports(
    inputs: &[&ReportRecord],
    groups: &[Vec<usize>],
    old: &[IncidentProfile],
) -> Vec<usize> {
    let mut incident_of: std::collections::HashMap<(&str, usize), usize> =
        std::collections::HashMap::new();
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

/// What [`merge`] clusters: the stored members' records, then the new ones.
fn inputs_of<'a>(
    stored: &'a [Arc<ReportRecord>],
    new: &'a [ReportRecord],
) -> Vec<&'a ReportRecord> {
    stored.iter().map(|r| &**r).chain(new).collect()
}

/// Every force the analysis's reports name.
fn report_forces(analysis: &Analysis) -> BTreeSet<&str> {
    analysis
        .extraction
        .reports
        .iter()
        .flat_map(|r| r.forces.iter().map(String::as_str))
        .collect()
}

/// How many times [`merge`] widens its re-clustering (see there), after its first look at
/// the new reports' stories, before it settles for what it has.
const MAX_WIDENINGS: usize = 8;

/// Re-clusters the new article's reports with every stored incident they might join (see
/// [`candidates`]); only [`ReportRecord`]s are read, no incident, article or analysis.
///
/// Order independence: when the new reports only join stored incidents (or open their own),
/// the stored incidents around them stay as they are. When they make stored incidents split,
/// merge or trade members (a report ingested after later ones changes how those later ones
/// group), the reports of every incident so changed are looked up again, and the incidents
/// they might join are re-clustered with them, until no new candidate turns up (at most
/// [`MAX_WIDENINGS`] times): a stored incident that a moved report would now join is
/// re-clustered too, as a fresh ingest in publication order would have grouped them.
fn merge(
    store: &Store,
    new: Vec<ReportRecord>,
    copies: &mut Copies,
    w: &mut WriteSet,
) -> Result<usize, StoreError> {
    let mut around = Around::new();
    let (mut old, lazy): (Vec<IncidentProfile>, Vec<Arc<LazyProfile>>) =
        candidates(store, &new, &[], &BTreeSet::new(), copies, &mut around)?
            .into_iter()
            .unzip();
    let fresh: BTreeSet<&str> = new.iter().map(|r| r.source.article_key.as_str()).collect();
    // Shared, not copied: stored records come from the store's cache of decoded records.
    let mut stored = member_records(store, &lazy, &fresh)?;
    let mut groups = dedup::cluster(&inputs_of(&stored, &new));
    // Round 0 asks again around the new reports, of the stories they joined: a later
    // incident may join a story through another member's cause or list of data. The widening
    // rounds ask around the reports re-clustering moved, and of their stories.
    for round in 0..=MAX_WIDENINGS {
        let inputs = inputs_of(&stored, &new);
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
        let (more, more_lazy): (Vec<IncidentProfile>, Vec<Arc<LazyProfile>>) = candidates(
            store,
            asked.iter().map(|i| inputs[*i]),
            &stories,
            &known,
            copies,
            &mut around,
        )?
        .into_iter()
        .unzip();
        if more.is_empty() {
            if round == 0 {
                continue;
            }
            break;
        }
        tracing::debug!(round, incidents = more.len(), "re-clustering wider");
        stored.extend(member_records(store, &more_lazy, &fresh)?);
        old.extend(more);
        groups = dedup::cluster(&inputs_of(&stored, &new));
    }
    let inputs = inputs_of(&stored, &new);
    // A candidate whose members come out of clustering unchanged is left as stored: only the
    // incidents the new reports join, split or merge are rewritten.
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
    for (inc, set) in old.iter().zip(&old_sets) {
        if !new_sets.contains(set) {
            w.remove_incident(inc);
        }
    }
    let name = |id: &str| extract::force_name(id).map(str::to_owned);
    let mut written = 0;
    for (g, set) in groups.iter().zip(&new_sets) {
        if !old_sets.contains(set) {
            w.put_incident(&dedup::build_incident(&inputs, g, name));
            written += 1;
        }
    }
    Ok(written)
}

/// Re-runs extraction and merging over every stored article, as a fresh ingest would.
/// Articles go in canonical order (publication time, key) so the result is the same.
pub fn reprocess(store: &Store) -> Result<(usize, usize), StoreError> {
    let _writer = store.writer();
    store.clear_derived()?;
    let mut order: Vec<(i64, String)> = Vec::new();
    for a in store.articles() {
        let a = a?;
        order.push((a.when().timestamp(), a.key));
    }
    order.sort();
    // Analysis on worker threads, merging here in canonical order (see [`ordered`]).
    let mut n = 0;
    ordered::run(
        ordered::default_workers(),
        |feed: &mut dyn FnMut(Article) -> bool| {
            for (_, key) in &order {
                if let Some(article) = store.article(key)? {
                    if !feed(article) {
                        break;
                    }
                }
            }
            Ok(())
        },
        |article| {
            let analysis = analyse(&article);
            Ok::<_, StoreError>((article, analysis))
        },
        |(article, analysis)| {
            let mut w = WriteSet::new();
            process(store, &article, analysis, &mut w)?;
            store.apply(w)?;
            n += 1;
            Ok(())
        },
    )?;
    store.commit()?;
    Ok((n, store.incident_count()))
}
