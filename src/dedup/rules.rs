//! The matching rules: when a report may join a forming cluster of reports, and how well it
//! fits ([`ClusterFacts::fit`]). A report joins only a cluster of the same forces, with
//! compatible causes, agreeing artefacts and data, and timing that fits (a report long after
//! the first one must bring a development); a copy of a member joins unless it contradicts
//! the story.
//!
//! In: report records and what a cluster knows of its members ([`ClusterFacts`]). Out: a
//! score or `None`. Pure; [`super::cluster()`] and the candidate filters ([`super::filters`])
//! are built on these rules.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, FixedOffset};

use super::signature::copies;
use crate::model::{
    types_mask, Cause, DevelopmentKind, IncidentProfile, ReportRecord, StoredReport, Types, Unit,
};

/// Whether `r`'s article gave no date, in its metadata or its text: its time is then only
/// when it was fetched, which says nothing of when the story broke. Such a report joins an
/// incident on its facts alone (see `ClusterFacts::fit`): the timing rules do not apply to
/// it, and it does not move an incident's coverage window.
pub fn undated(r: &ReportRecord) -> bool {
    r.source.published.is_none()
}

/// Artefacts named near a loss or theft; disjoint artefacts mean different incidents.
const ARTEFACTS: &[(&str, &[&str])] = &[
    ("laptop", &["laptop", "computer"]),
    (
        "notebook",
        &["notebook", "pocketbook", "pocket book", "notepad", "diary"],
    ),
    ("phone", &["phone", "handset", "mobile device"]),
    (
        "usb",
        &[
            "usb",
            "memory stick",
            "pen drive",
            "flash drive",
            "thumb drive",
        ],
    ),
    (
        "disc",
        &["disc", "disk", "dvd", "cd-rom", " cds", "blu-ray"],
    ),
    ("tape", &["tape", "cassette", "video recording"]),
    (
        "bag",
        &["bag", "briefcase", "rucksack", "backpack", "holdall"],
    ),
    (
        "paper",
        &[
            "paperwork",
            "papers",
            "document",
            "file",
            "folder",
            "dossier",
            "letters",
        ],
    ),
    (
        "camera",
        &["body-worn camera", "body camera", "bodycam", "camera"],
    ),
];

/// The artefacts (see [`ARTEFACTS`]) named in the sentence a loss or theft was read from.
fn artefacts(r: &ReportRecord) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    if r.report.cause.value != Cause::LossOrTheft {
        return out;
    }
    let text = r.sentence(r.report.cause.span.as_ref()).to_lowercase();
    for (name, words) in ARTEFACTS {
        if words.iter().any(|w| text.contains(w)) {
            out.insert(*name);
        }
    }
    out
}

/// Whether two causes may describe one breach (equal, one unknown, or ransomware and a cyber
/// attack).
pub fn causes_compatible(a: Cause, b: Cause) -> bool {
    use Cause::*;
    a == b
        || a == Unknown
        || b == Unknown
        || matches!(
            (a, b),
            (Ransomware, CyberAttack) | (CyberAttack, Ransomware)
        )
}

/// Whether a report brings a development (fine, reprimand, arrest, lawsuit...), the mark of a
/// follow-up that may come long after the incident.
pub fn is_follow_up(r: &StoredReport) -> bool {
    r.developments
        .iter()
        .any(|d| d.kind != DevelopmentKind::Apology)
}

/// How many data types a list (a [`Types`] mask) holds.
pub(super) fn type_count(t: Types) -> usize {
    t.count_ones() as usize
}

/// Whether two lists of exposed data tell of the same data: half of the smaller list is
/// shared, and at least two types when both lists have two.
pub(super) fn same_data(a: Types, b: Types) -> bool {
    let (shared, smaller) = (type_count(a & b), type_count(a).min(type_count(b)));
    smaller > 0 && shared * 2 >= smaller && shared >= smaller.min(2)
}

/// A report later than this after an incident's first report starts a new incident unless
/// it brings a development (fine, reprimand, arrest, lawsuit...).
pub const FRESH_DAYS: i64 = 120;

/// Reports within this many days of an incident's coverage need only compatible facts.
pub const CLOSE_DAYS: i64 = 7;

/// Whether a report naming `b` may join a cluster naming `a`: the same forces, and some.
fn forces_agree(a: &BTreeSet<&str>, b: &BTreeSet<&str>) -> bool {
    !a.is_empty() && a == b
}

/// Two precise figures (not round, at least 100) more than 10% apart.
fn precise_conflict(a: u64, b: u64) -> bool {
    let (lo, hi) = (a.min(b) as f64, a.max(b) as f64);
    !is_round(a) && !is_round(b) && lo >= 100.0 && hi / lo > 1.1
}

/// Whether a figure looks rounded (a multiple of 500, or of 1,000 from 10,000): an estimate.
pub(super) fn is_round(n: u64) -> bool {
    n >= 100 && (n.is_multiple_of(500) || (n >= 10_000 && n.is_multiple_of(1000)))
}

/// The facts of a group of reports that matching compares a report with: what a forming
/// cluster knows of its members, or (see [`ClusterFacts::summary_of`]) what a stored
/// incident's profile tells of them.
pub(super) struct ClusterFacts<'a> {
    /// Every force the members name (a member joins with exactly these, see
    /// [`forces_agree`]; a copy with one of them).
    pub(super) forces: BTreeSet<&'a str>,
    causes: BTreeSet<Cause>,
    types: Types,
    /// Types some member said were not exposed.
    not_exposed: Types,
    /// Each member's own list, so agreement is judged against a real report, not against a
    /// union that grows with every merge.
    member_types: Vec<Types>,
    artefacts: BTreeSet<&'static str>,
    articles: BTreeSet<&'a str>,
    /// Articles the members are near-duplicates of (records without a signature only).
    copies_of: BTreeSet<&'a str>,
    /// The members' signatures, with their times.
    signatures: Vec<(&'a [u32], DateTime<FixedOffset>)>,
    last: DateTime<FixedOffset>,
    first: DateTime<FixedOffset>,
    count: Option<u64>,
    count_unit: Unit,
    follow_up: bool,
    /// `count` is a stored incident's best figure, not the figure of its first report with
    /// one (which is what a forming cluster compares): figures then decide nothing against
    /// a report, and agree when both have one (see [`ClusterFacts::summary_of`]).
    count_loose: bool,
}

impl<'a> ClusterFacts<'a> {
    /// A cluster with no member yet, opened at `at`.
    pub(super) fn empty(at: DateTime<FixedOffset>) -> ClusterFacts<'a> {
        ClusterFacts {
            forces: BTreeSet::new(),
            causes: BTreeSet::new(),
            types: 0,
            not_exposed: 0,
            member_types: Vec::new(),
            artefacts: BTreeSet::new(),
            articles: BTreeSet::new(),
            copies_of: BTreeSet::new(),
            signatures: Vec::new(),
            last: at,
            first: at,
            count: None,
            count_unit: Unit::People,
            follow_up: false,
            count_loose: false,
        }
    }

    /// What a stored incident's profile tells of its members, for the candidate filters
    /// (see [`super::may_join`]): its forces, causes (the most specific one alone for profiles
    /// from before causes were listed), data and member lists, timing, best figure (loose:
    /// see `count_loose`) and whether it had a development. Its artefacts, articles and
    /// signatures are not in the profile, so it has none.
    pub(super) fn summary_of(p: &'a IncidentProfile) -> ClusterFacts<'a> {
        let at = |ts: i64| {
            DateTime::from_timestamp(ts, 0)
                .unwrap_or_default()
                .fixed_offset()
        };
        ClusterFacts {
            forces: p.forces.iter().map(String::as_str).collect(),
            causes: if p.causes.is_empty() {
                [p.cause].into()
            } else {
                p.causes.iter().copied().collect()
            },
            types: types_mask(p.types.iter().copied()),
            not_exposed: 0,
            member_types: p.member_types.clone(),
            artefacts: BTreeSet::new(),
            articles: BTreeSet::new(),
            copies_of: BTreeSet::new(),
            signatures: Vec::new(),
            last: at(p.last),
            first: at(p.first),
            count: p.count,
            count_unit: p.count_unit.unwrap_or(Unit::People),
            follow_up: p.follow_up,
            count_loose: true,
        }
    }

    /// Takes `r` (naming `forces`) in as a member.
    pub(super) fn add(&mut self, r: &'a ReportRecord, forces: BTreeSet<&'a str>) {
        let own = types_mask(r.report.data_types.iter().map(|f| f.value));
        self.forces.extend(forces);
        self.causes.insert(r.report.cause.value);
        self.types |= own;
        self.not_exposed |= types_mask(r.report.not_exposed.iter().map(|f| f.value));
        self.member_types.push(own);
        self.artefacts.extend(artefacts(r));
        self.articles.insert(r.source.article_key.as_str());
        if r.minhash.is_empty() {
            self.copies_of.extend(r.near_duplicate_of.as_deref());
        } else {
            self.signatures.push((&r.minhash, r.when()));
        }
        if !undated(r) {
            self.last = self.last.max(r.when());
        }
        if self.count.is_none() {
            if let Some(c) = r.report.counts.first() {
                self.count = Some(c.count);
                self.count_unit = c.unit;
            }
        }
        self.follow_up |= is_follow_up(&r.report);
    }

    /// Whether `r` states facts no copy of the cluster's story could: an incompatible cause,
    /// exposed data mostly not among the story's, data exposed that the story says was safe (or
    /// the reverse), or a precise figure far from the cluster's precise figure. Similar text alone
    /// does not make a copy: two breaches at one force weeks apart are often told with the same
    /// boilerplate.
    fn contradicts(&self, r: &ReportRecord) -> bool {
        let cause = r.report.cause.value;
        if !self.causes.iter().all(|c| causes_compatible(*c, cause)) {
            return true;
        }
        let types = types_mask(r.report.data_types.iter().map(|f| f.value));
        let negated = types_mask(r.report.not_exposed.iter().map(|f| f.value));
        // Types the story itself both calls exposed and safe (sources disagree) decide nothing.
        let exposed = self.types & !self.not_exposed;
        let safe = self.not_exposed & !self.types;
        // A copy retells the story's data; an edited copy may add a type, but a list mostly of
        // types the story never named is another breach told in the same words.
        let shared = type_count(types & self.types);
        let added = type_count(types) - shared;
        let foreign = shared == 0 || (added > 1 && added * 2 > shared);
        if (types != 0 && self.types != 0 && foreign) || types & safe != 0 || negated & exposed != 0
        {
            return true;
        }
        match (r.report.counts.first(), self.count) {
            (Some(a), Some(b))
                if a.unit == self.count_unit && !self.follow_up && !self.count_loose =>
            {
                precise_conflict(a.count, b)
            }
            _ => false,
        }
    }

    /// Whether `r` comes from an article of the cluster or a copy of one.
    fn is_copy(&self, r: &ReportRecord) -> bool {
        if self.articles.contains(r.source.article_key.as_str()) {
            return true;
        }
        if r.minhash.is_empty() {
            // A record from before signatures were kept: its link to the article it copies.
            return r
                .near_duplicate_of
                .as_deref()
                .is_some_and(|d| self.articles.contains(d))
                || self.copies_of.contains(r.source.article_key.as_str());
        }
        let when = r.when();
        self.signatures
            .iter()
            .any(|(sig, at)| copies(&r.minhash, when, sig, *at))
    }

    /// How well `r` fits the cluster; `None` when it must not join.
    pub(super) fn fit(&self, r: &ReportRecord, forces: &BTreeSet<&str>) -> Option<i32> {
        self.fit_given(r, forces, self.is_copy(r))
    }

    /// [`ClusterFacts::fit`], told whether `r` is a copy of the cluster's story.
    pub(super) fn fit_given(
        &self,
        r: &ReportRecord,
        forces: &BTreeSet<&str>,
        copy: bool,
    ) -> Option<i32> {
        if copy && !self.forces.is_disjoint(forces) && !self.contradicts(r) {
            return Some(100);
        }
        // Never across different forces: a joint report is not a single force's incident.
        if !forces_agree(&self.forces, forces) {
            return None;
        }
        let cause = r.report.cause.value;
        let known: Vec<Cause> = self
            .causes
            .iter()
            .copied()
            .filter(|c| *c != Cause::Unknown)
            .collect();
        if !known.iter().all(|c| causes_compatible(*c, cause)) {
            return None;
        }
        let arts = artefacts(r);
        if !arts.is_empty() && !self.artefacts.is_empty() && arts.is_disjoint(&self.artefacts) {
            return None;
        }
        let when = r.when();
        let undated = undated(r);
        if when - self.first > Duration::days(365 * 6) && !undated {
            return None;
        }
        let gap = if undated {
            Duration::zero()
        } else {
            when - self.last
        };
        let types = types_mask(r.report.data_types.iter().map(|f| f.value));
        let overlap = type_count(types & self.types) as i32;
        // Agreement is judged against real reports, not against a union that grows with every
        // merge (an over-grown union would attract everything).
        let union = [self.types];
        let lists = if self.member_types.is_empty() {
            &union[..]
        } else {
            &self.member_types[..]
        };
        let member_overlap = lists
            .iter()
            .map(|m| type_count(types & m))
            .max()
            .unwrap_or(0) as i32;
        let contained = lists.iter().any(|m| same_data(types, *m));
        // Outside the first week of coverage, a report must agree on more than the force.
        // An undated report is never close: it must agree on its facts.
        let close = !undated
            && when >= self.first - Duration::days(CLOSE_DAYS)
            && when <= self.last + Duration::days(CLOSE_DAYS);
        let same_count = match (r.report.counts.first(), self.count) {
            (Some(_), Some(_)) if self.count_loose => true,
            (Some(a), Some(b)) => (a.count as f64 - b as f64).abs() <= 0.05 * b as f64,
            _ => false,
        };
        // The same week, a list of three or more types that agrees with no list of the story is
        // another breach's, if the story has a list that long: coverage of one breach repeats its
        // list, or part of it. (A story told only in short lists gives no such evidence.)
        if close
            && !is_follow_up(&r.report)
            && type_count(types) >= 3
            && !contained
            && lists.iter().any(|m| type_count(*m) >= 3)
        {
            return None;
        }
        if !close && !is_follow_up(&r.report) {
            // Weeks apart, a report that calls exposed what the story said was safe (or the
            // reverse) is about another breach.
            let negated = types_mask(r.report.not_exposed.iter().map(|f| f.value));
            // Sources disagree on what was exposed (a blog claims data the force denies): an
            // undated retelling that shares most of the story's data is not turned away for it.
            let disputed = types & self.not_exposed != 0 || negated & self.types != 0;
            if disputed && !(undated && contained) {
                return None;
            }
            let agrees = if cause == Cause::Unknown {
                // Weeks apart with no cause stated, data alone is too weak: the figure must agree.
                contained && same_count
            } else if undated {
                // An undated report (a retelling, a page without a date) agrees on its cause,
                // ransomware being a cyber attack, and on its data or figure when it states any.
                let told = types != 0 || !r.report.counts.is_empty();
                !known.is_empty()
                    && known.iter().all(|k| causes_compatible(*k, cause))
                    && (contained || same_count || !told)
            } else {
                known.contains(&cause) && (contained || same_count)
            };
            if !agrees {
                return None;
            }
        }
        // A round-up retelling an old incident matches it on cause and data, not on timing.
        let retold = r.siblings > 1 && known.contains(&cause) && overlap >= 2;
        let follow_up = is_follow_up(&r.report) || retold;
        // Measured from the story's first report, not its latest: counted from the latest, each
        // report weeks after the one before restarted the clock, and look-alike stories at one
        // force chained into one incident spanning many months. An undated report has no
        // distance to measure.
        if when - self.first > Duration::days(FRESH_DAYS) && !follow_up && !undated {
            return None;
        }
        if overlap == 0 && types != 0 && self.types != 0 {
            return None;
        }
        if !follow_up && !self.follow_up && !self.count_loose {
            if let (Some(a), Some(b)) = (r.report.counts.first(), self.count) {
                let (lo, hi) = (a.count.min(b) as f64, a.count.max(b) as f64);
                // Far apart, or two precise figures that disagree: two different breaches.
                if a.unit == self.count_unit
                    && lo > 0.0
                    && (hi / lo > 3.0 || precise_conflict(a.count, b))
                {
                    return None;
                }
            }
        }
        if cause == Cause::Unknown || known.is_empty() {
            // With nothing but the force to go on, demand shared data types.
            if overlap == 0 && types != 0 && self.types != 0 {
                return None;
            }
        }
        let same_cause = known.contains(&cause) as i32;
        let exact_forces = (self.forces == *forces) as i32;
        // Among clusters it may join, a report prefers the one covered the same week and the one
        // with its figure.
        Some(
            10 * same_cause
                + 3 * member_overlap
                + 5 * exact_forces
                + 6 * close as i32
                + 6 * same_count as i32
                - (gap.num_days().abs() / 90) as i32,
        )
    }
}
