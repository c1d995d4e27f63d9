//! The shared path of `ingest`, `poll` and `reprocess`: a [`RawItem`] is keyed, stored with
//! its raw text, classified and extracted, checked for near-duplicates, and merged into
//! incidents, and all of it is written in one [`WriteSet`], committed atomically (with other
//! articles' sets, see [`crate::store`]).

use std::collections::BTreeSet;
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

mod correct;

pub use correct::{correct, CorrectError, Request};

/// What the pipeline derives from one article. Not stored as such (see
/// `crate::pipeline::process`); `reprocess` derives it again from the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The article's key (see [`canon::article_key`]).
    pub article_key: String,
    /// `extract::document(title, clean text)`: the string every span points into; the
    /// report records cut their sentences from it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
    /// What extraction found: whether the article tells of a breach, and its reports.
    pub extraction: Extraction,
    /// MinHash signature of the article's shingles, for near-duplicate detection; empty for
    /// an article without breach reports (nothing reads it).
    pub minhash: Vec<u32>,
    /// The earlier-keyed article this one is a syndicated or spun copy of, if any.
    pub near_duplicate_of: Option<String>,
    /// The publication date the article counts from (see [`DateSource`]); `None`: unknown.
    #[serde(default)]
    pub published: Option<DateTime<FixedOffset>>,
    /// Where `published` came from: the item, the page's text, or nowhere.
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

/// What happened to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Already stored: nothing changed.
    Unchanged,
    /// Stored, and its reports merged into incidents.
    New {
        /// Whether the article tells of a breach (and has reports to merge).
        relevant: bool,
        /// How many incident reports extraction found in it.
        reports: usize,
        /// How many incidents were written, new or rebuilt.
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
    // Only breach reports are merged, and so only their articles' signatures are ever read:
    // most articles are not about a breach, and the signature was about 5% of their analysis.
    let minhash = if has_breach_reports(&extraction) {
        dedup::minhash(&document)
    } else {
        Vec::new()
    };
    Analysis {
        article_key: article.key.clone(),
        minhash,
        document,
        extraction,
        near_duplicate_of: None,
        published,
        published_from,
    }
}

/// Whether extraction found the article to report a breach, with reports to merge: only such
/// articles are merged, and only their signatures are read.
fn has_breach_reports(extraction: &Extraction) -> bool {
    extraction.relevant && !extraction.reports.is_empty()
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

impl Prepared {
    /// About how many bytes it holds (what the queue to the writer counts, see
    /// [`ingest_items`]): its texts, its encoded form, and a guess for each report's facts
    /// (which point into the document rather than copy it).
    pub fn weight(&self) -> usize {
        let a = &self.article;
        let article = a.text.len() + a.title.len() + a.url.len() + a.key.len() + a.source.len();
        let analysis = self.done.as_ref().map_or(0, |(analysis, encoded)| {
            encoded.len()
                + analysis.document.len()
                + analysis.minhash.len() * 4
                + analysis.extraction.reports.len() * 1024
        });
        std::mem::size_of::<Prepared>() + article + analysis
    }
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
/// [`ingest_item`] on each in turn gives. Analysed articles waiting for the writer hold at
/// most about [`ordered::QUEUE_BYTES`] (by [`Prepared::weight`]).
pub fn ingest_items<E: From<StoreError> + Send>(
    store: &(impl store::Target + ?Sized),
    source_id: Option<&str>,
    produce: impl FnOnce(&mut dyn FnMut(RawItem) -> bool) -> Result<(), E>,
    mut outcome: impl FnMut(Outcome) + Send,
) -> Result<(), E> {
    ordered::run_weighed(
        ordered::default_workers(),
        ordered::QUEUE_BYTES,
        Prepared::weight,
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
    let relevant = has_breach_reports(&analysis.extraction);
    let reports = analysis.extraction.reports.len();
    let incidents = if relevant {
        merge_reports(store, article, &mut analysis, w)?
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

/// Records a breach article's signature and reports in `w` and merges the reports into the
/// stored incidents (see [`dedup::Merge`]), applying the update to `w`. Returns how many
/// incidents were written.
fn merge_reports(
    store: &Store,
    article: &Article,
    analysis: &mut Analysis,
    w: &mut WriteSet,
) -> Result<usize, StoreError> {
    let index = StoreIndex { store };
    let mut merge = dedup::Merge::new(&index);
    // Only breach reports are indexed, so only they are looked up. Merging asks the same of
    // each report; one naming all the article's forces (most do) finds the answer here.
    let when = analysis.when(article).timestamp();
    let forces = report_forces(analysis);
    let copy_of = merge
        .similar_articles(&article.key, &analysis.minhash, &forces, when)?
        .first()
        .cloned();
    w.put_signature(forces, &article.key, when, &analysis.minhash);
    analysis.near_duplicate_of = copy_of;
    let stored: Vec<StoredReport> = std::mem::take(&mut analysis.extraction.reports)
        .into_iter()
        .map(StoredReport::from)
        .collect();
    let records = dedup::AnalysedArticle {
        article,
        published: analysis.published,
        document: &analysis.document,
        near_duplicate_of: analysis.near_duplicate_of.as_deref(),
        minhash: &analysis.minhash,
    }
    .records(stored);
    for r in &records {
        w.put_report(r);
    }
    let update = merge.merge(&records, |id| extract::force_name(id).map(str::to_owned))?;
    // The update goes in with the analysts' corrections applied (see `correct`).
    correct::apply_update(store, w, update, &records)
}

/// The store as merging reads it (see [`dedup::MergeSource`]): incidents from the force/month
/// and force/late indexes, member records and signatures, all through the store's caches. It
/// sees what is committed and staged, not the write set of the article being merged: merging
/// is given that article's reports, and stored incidents change only when its update is
/// applied.
struct StoreIndex<'a> {
    store: &'a Store,
}

impl dedup::MergeSource for StoreIndex<'_> {
    type Error = StoreError;
    type Entry = Arc<LazyProfile>;

    fn incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Arc<LazyProfile>>, StoreError> {
        self.store.incidents_of_force(force, from, to)
    }

    fn late_incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Arc<LazyProfile>>, StoreError> {
        self.store.late_incidents_of_force(force, from, to)
    }

    fn records_of(
        &self,
        incident: &Arc<LazyProfile>,
    ) -> Result<Vec<Arc<ReportRecord>>, StoreError> {
        self.store.records_of(incident)
    }

    fn visit_signatures_near(
        &self,
        force: &str,
        from: i64,
        to: i64,
        visit: impl FnMut(&str, &[u8]),
    ) -> Result<(), StoreError> {
        self.store.visit_signatures_near(force, from, to, visit)
    }

    fn now(&self) -> i64 {
        Utc::now().timestamp()
    }
}

/// A profile from the store's index, its members decoded only when asked for.
impl dedup::IndexedIncident for LazyProfile {
    fn head(&self) -> &IncidentProfile {
        &self.head
    }
    fn any_member_article(&self, hit: impl Fn(&str) -> bool) -> bool {
        LazyProfile::any_member_article(self, hit)
    }
    fn member_times(&self) -> Vec<i64> {
        LazyProfile::member_times(self)
    }
    fn profile(&self) -> Option<IncidentProfile> {
        LazyProfile::profile(self)
    }
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

/// Re-runs extraction and merging over every stored article, as a fresh ingest would.
/// Articles go in canonical order (publication time, key) so the result is the same. The
/// analysts' corrections log is kept and applied again as the incidents are rebuilt.
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
