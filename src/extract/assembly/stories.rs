//! Stories: what an article says about one body's breach, gathered sentence by sentence
//! ([`Story`]), keyed by the body's ids ([`StoryKey`]), and merged once the walk is over
//! ([`merge_stories`]): asides that say no cause rejoin their main story, bodies named
//! together but separately get the facts each, and smaller sets join larger ones that carry
//! facts.

use std::collections::{BTreeMap, BTreeSet};

use crate::extract::numbers::CountCandidate;
use crate::extract::sentence::SentenceFacts;
use crate::model::{Cause, DataType, DevelopmentFact, Span};

/// The ids of the body (or bodies) a story is about; an aside's key also holds its tag (see
/// [`aside_key`]).
pub type StoryKey = BTreeSet<String>;

/// Keys of an aside: another story of the same body told in passing ("It comes after the
/// force apologised for ...", "In a second incident, ..."). The aside's facts are kept under
/// the body's ids plus a tag that no force id can be (it starts with a NUL), so each aside
/// becomes a report of its own and never lends its facts to the main story.
const ASIDE_TAG: char = '\0';

/// The key of the `n`th aside about the body of `ids`.
pub fn aside_key(ids: &StoryKey, n: usize) -> StoryKey {
    let mut key = ids.clone();
    key.insert(format!("{ASIDE_TAG}aside{n}"));
    key
}

/// Whether `id` is an aside's tag rather than a body's id.
pub fn is_aside_tag(id: &str) -> bool {
    id.starts_with(ASIDE_TAG)
}

/// The aside tag of a key, if it is an aside's.
fn aside_tag_of(key: &StoryKey) -> Option<String> {
    key.iter().find(|i| is_aside_tag(i)).cloned()
}

/// A sentence whose facts go to a story: where it is, and what it says of the body.
#[derive(Debug, Clone, Copy)]
pub struct SentenceMark {
    /// The sentence's span: where its facts are stated.
    pub span: Span,
    /// The sentence makes the body a breach's victim.
    pub victim_cue: bool,
    /// The sentence is the headline and strongly makes the body a victim.
    pub headline: bool,
}

/// A count stated in a story.
#[derive(Debug, Clone)]
pub struct StatedCount {
    /// The figure as read.
    pub candidate: CountCandidate,
    /// The sentence stating it.
    pub span: Span,
    /// That sentence makes the body a breach's victim.
    pub with_victim_cue: bool,
}

/// What the article says about one body's breach (or one aside about it).
#[derive(Debug, Default, Clone)]
pub struct Story {
    /// Where the body is named.
    pub force_evidence: Vec<Span>,
    /// Data types exposed, each with the first sentence stating it.
    pub types: BTreeMap<DataType, Span>,
    /// Data types said not to be exposed, each with the first sentence stating it.
    pub not_exposed: BTreeMap<DataType, Span>,
    /// Counts of the affected.
    pub counts: Vec<StatedCount>,
    /// Causes: total weight and the first sentence stating it.
    pub causes: BTreeMap<Cause, (u32, Span)>,
    /// A supplier or contractor is named.
    pub names_supplier: bool,
    /// The supplier's name, when given.
    pub supplier_name: Option<String>,
    /// Developments, with the sentences stating them.
    pub developments: Vec<DevelopmentFact>,
    /// How many sentences make the body a breach's victim.
    pub victim_cues: u32,
    /// A sentence speaking of one person: a count of one when no figure is stated.
    pub one_person: Option<Span>,
    /// How many facts bear on what was exposed and how.
    pub fact_count: u32,
    /// The headline itself tells of the body as a breach's victim.
    pub headline: bool,
    /// Another story of the body, told in passing (see `sentence::aside_start`).
    pub aside: bool,
}

impl Story {
    /// Adds one sentence's facts.
    pub fn add(&mut self, facts: &SentenceFacts, mark: SentenceMark) {
        let span = mark.span;
        if mark.victim_cue {
            self.victim_cues += 1;
            self.headline |= mark.headline;
        }
        self.fact_count += facts.fact_count() as u32;
        for &(_, t) in &facts.types {
            self.types.entry(t).or_insert(span);
        }
        for &(_, t) in &facts.not_exposed {
            self.not_exposed.entry(t).or_insert(span);
        }
        for c in &facts.counts {
            self.counts.push(StatedCount {
                candidate: c.clone(),
                span,
                with_victim_cue: mark.victim_cue,
            });
        }
        for &(_, c, w) in &facts.causes {
            let e = self.causes.entry(c).or_insert((0, span));
            e.0 += w;
        }
        if !facts.supplier_cues.is_empty() {
            self.names_supplier = true;
        }
        if self.supplier_name.is_none() {
            self.supplier_name = facts.supplier_name.clone();
        }
        for d in &facts.developments {
            if self
                .developments
                .iter()
                .any(|o| o.kind == d.kind && o.span == span)
            {
                continue;
            }
            self.developments.push(DevelopmentFact {
                kind: d.kind,
                amount_minor: d.amount.map(|a| a.0),
                currency: d.amount.map(|a| a.1.to_string()),
                span,
            });
        }
        if facts.one_person
            && (mark.victim_cue || !facts.types.is_empty())
            && self.one_person.is_none()
        {
            self.one_person = Some(span);
        }
    }

    /// Takes in another story's facts; first statements stay first.
    pub fn absorb(&mut self, other: Story) {
        self.force_evidence.extend(other.force_evidence);
        for (t, s) in other.types {
            self.types.entry(t).or_insert(s);
        }
        for (t, s) in other.not_exposed {
            self.not_exposed.entry(t).or_insert(s);
        }
        self.counts.extend(other.counts);
        for (c, (w, s)) in other.causes {
            let e = self.causes.entry(c).or_insert((0, s));
            e.0 += w;
        }
        self.names_supplier |= other.names_supplier;
        if self.supplier_name.is_none() {
            self.supplier_name = other.supplier_name;
        }
        self.developments.extend(other.developments);
        self.victim_cues += other.victim_cues;
        if self.one_person.is_none() {
            self.one_person = other.one_person;
        }
        self.fact_count += other.fact_count;
        self.headline |= other.headline;
        self.aside |= other.aside;
    }

    /// Whether the story states a cause.
    fn tells_a_cause(&self) -> bool {
        self.causes.keys().any(|c| *c != Cause::Unknown)
    }
}

/// Which bodies count as one when named together.
pub struct OneBody<'a> {
    /// Id sets one name gave for several forces ("Norfolk and Suffolk Police").
    pub joint_names: &'a BTreeSet<StoryKey>,
    /// Known collaborations of UK forces.
    pub collaborations: &'a [BTreeSet<String>],
}

/// The stories once the walk is over:
/// - an aside whose cause is not stated cannot be told apart from the main story (an earlier
///   phase of the same breach, often): its facts go back to the body's main story;
/// - `excluded` bodies (said not to be involved) are dropped;
/// - bodies named together that are not one body or a known collaboration ("the Met and
///   GMP") each get the facts stated for the set;
/// - a set's story joins a larger set's that carries facts (within one story: an aside's
///   facts stay its own).
pub fn merge_stories(
    mut stories: BTreeMap<StoryKey, Story>,
    excluded: &BTreeSet<String>,
    one_body: OneBody,
) -> BTreeMap<StoryKey, Story> {
    let untold: Vec<StoryKey> = stories
        .iter()
        .filter(|(k, v)| k.iter().any(|i| is_aside_tag(i)) && !v.tells_a_cause())
        .map(|(k, _)| k.clone())
        .collect();
    for key in untold {
        if let Some(mut aside) = stories.remove(&key) {
            // The aside's cue was its marker's, not a sign the main story is a breach.
            aside.victim_cues = 0;
            let main: StoryKey = key.into_iter().filter(|i| !is_aside_tag(i)).collect();
            stories.entry(main).or_default().absorb(aside);
        }
    }
    let mut merged: BTreeMap<StoryKey, Story> = BTreeMap::new();
    for (key, mut story) in stories {
        let tag = aside_tag_of(&key);
        story.aside = tag.is_some();
        let bodies: StoryKey = key
            .into_iter()
            .filter(|i| !excluded.contains(i) && !is_aside_tag(i))
            .collect();
        if bodies.is_empty() {
            continue;
        }
        let tagged = |mut k: StoryKey| {
            k.extend(tag.iter().cloned());
            k
        };
        let joint = bodies.len() == 1
            || one_body.joint_names.contains(&bodies)
            || one_body.collaborations.iter().any(|c| bodies.is_subset(c));
        if joint {
            merged.entry(tagged(bodies)).or_default().absorb(story);
        } else {
            for id in &bodies {
                let single: StoryKey = std::iter::once(id.clone()).collect();
                merged
                    .entry(tagged(single))
                    .or_default()
                    .absorb(story.clone());
            }
        }
    }
    let keys: Vec<StoryKey> = merged.keys().cloned().collect();
    for small in &keys {
        let target = keys
            .iter()
            .filter(|big| big.len() > small.len() && small.is_subset(big))
            .filter(|big| aside_tag_of(big) == aside_tag_of(small))
            .find(|big| merged.get(*big).is_some_and(|s| s.fact_count > 0));
        if let Some(big) = target {
            if let Some(story) = merged.remove(small) {
                if let Some(b) = merged.get_mut(big) {
                    b.absorb(story);
                }
            }
        }
    }
    merged
}
