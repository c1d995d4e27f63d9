//! Per-sentence analysis: the facts a sentence states ([`sentence_facts`]: data types and what
//! was not exposed, counts, causes, a supplier, developments), the role each body named in it
//! plays (`roles`), how strongly it makes a body a breach's victim (`victim`), and whether it
//! speaks of other stories than one breach (`other_stories`).
//!
//! Every function here reads one sentence through a [`SentenceContext`]; attributing the facts
//! to bodies across sentences is `super::assembly`'s work.

mod causes;
mod data_types;
mod developments;
mod other_stories;
mod roles;
mod victim;

pub use developments::DevelopmentCue;
pub use other_stories::{aside_start, is_statistics};
pub use roles::{group_mentions, MentionGroup, SentenceMentions};
pub use victim::{victim_cue, VictimCue};

use super::lexicon::{CauseCue, Cue, NegationCue, Scan, TypeTag};
use super::numbers::{self, CountCandidate};
use super::phrases::Hit;
use super::text::Sentence;
use crate::model::{Cause, DataType};

/// One sentence and the lexicon's hits inside it.
pub struct SentenceContext<'a> {
    /// The whole document.
    pub doc: &'a str,
    /// The document ASCII-lower-cased (same byte offsets).
    pub lower_doc: &'a str,
    /// The sentence.
    pub sentence: &'a Sentence,
    /// Data-type phrases in the sentence.
    pub types: &'a [Hit<TypeTag>],
    /// Negation phrases in the sentence.
    pub negations: &'a [Hit<NegationCue>],
    /// Cause phrases in the sentence.
    pub causes: &'a [Hit<CauseCue>],
    /// Cues in the sentence.
    pub cues: &'a [Hit<Cue>],
}

impl<'a> SentenceContext<'a> {
    /// The context of `sentence`, with the document's hits narrowed to it.
    pub fn new(doc: &'a str, lower_doc: &'a str, sentence: &'a Sentence, scan: &'a Scan) -> Self {
        let (start, end) = (sentence.start, sentence.end);
        SentenceContext {
            doc,
            lower_doc,
            sentence,
            types: hits_within(&scan.types, start, end),
            negations: hits_within(&scan.negations, start, end),
            causes: hits_within(&scan.causes, start, end),
            cues: hits_within(&scan.cues, start, end),
        }
    }

    /// The sentence as written.
    pub fn text(&self) -> &'a str {
        &self.doc[self.sentence.start..self.sentence.end]
    }

    /// The sentence ASCII-lower-cased.
    pub fn lower(&self) -> &'a str {
        &self.lower_doc[self.sentence.start..self.sentence.end]
    }

    /// Whether the sentence holds cue `cue`.
    pub fn has(&self, cue: Cue) -> bool {
        has_cue(self.cues, cue)
    }
}

/// The hits (sorted by start) that lie wholly within `start..end`.
fn hits_within<T: Copy>(hits: &[Hit<T>], start: usize, end: usize) -> &[Hit<T>] {
    let a = hits.partition_point(|h| h.start < start);
    let b = hits.partition_point(|h| h.start < end);
    let slice = &hits[a..b];
    // drop hits running over the end
    let inside = slice.iter().take_while(|h| h.end <= end).count();
    &slice[..inside]
}

/// Whether `cues` holds cue `cue`.
fn has_cue(cues: &[Hit<Cue>], cue: Cue) -> bool {
    cues.iter().any(|h| h.tag == cue)
}

/// Whether `text` contains one of `words`: a cheap test before a regex that needs one of
/// them (most sentences have none, and a regex of alternatives scans every byte).
pub fn any_of(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Data types, each with the byte offset of the phrase naming it.
pub type DataTypesAt = Vec<(usize, DataType)>;

/// Facts found in one sentence, each with its byte offset in the document for attribution to
/// the body named before it.
#[derive(Debug, Default, Clone)]
pub struct SentenceFacts {
    /// Data types exposed.
    pub types: DataTypesAt,
    /// Data types said not to be exposed.
    pub not_exposed: DataTypesAt,
    /// Counts of the affected.
    pub counts: Vec<CountCandidate>,
    /// Causes: (offset, cause, weight).
    pub causes: Vec<(usize, Cause, u32)>,
    /// Offsets of words naming a supplier or contractor.
    pub supplier_cues: Vec<usize>,
    /// The supplier's name, when the sentence gives it.
    pub supplier_name: Option<String>,
    /// Developments (fines, arrests, apologies, ...).
    pub developments: Vec<DevelopmentCue>,
    /// The sentence speaks of one person ("a woman", "one victim"): a count of one when no
    /// figure is stated.
    pub one_person: bool,
    /// The sentence states a sum of money.
    pub has_money: bool,
}

impl SentenceFacts {
    /// How many facts bear on what was exposed and how: data types, counts and causes.
    pub fn fact_count(&self) -> usize {
        self.types.len() + self.not_exposed.len() + self.counts.len() + self.causes.len()
    }

    /// Splits the facts at `pos`: those before stay with the main story, those after go to an
    /// aside (which gets none of the sentence-wide facts).
    pub fn split_at(&self, pos: usize) -> (SentenceFacts, SentenceFacts) {
        /// The facts of `v` before `pos`, and those at or after it.
        fn part<T: Clone>(v: &[T], at: impl Fn(&T) -> usize, pos: usize) -> (Vec<T>, Vec<T>) {
            v.iter().cloned().partition(|x| at(x) < pos)
        }
        let (types, types_after) = part(&self.types, |x| x.0, pos);
        let (not_exposed, not_exposed_after) = part(&self.not_exposed, |x| x.0, pos);
        let (counts, counts_after) = part(&self.counts, |c| c.start, pos);
        let (causes, causes_after) = part(&self.causes, |x| x.0, pos);
        let (supplier_cues, supplier_cues_after) = part(&self.supplier_cues, |p| *p, pos);
        let (developments, developments_after) = part(&self.developments, |d| d.position, pos);
        let before = SentenceFacts {
            types,
            not_exposed,
            counts,
            causes,
            supplier_cues,
            developments,
            one_person: self.one_person,
            has_money: self.has_money,
            supplier_name: self.supplier_name.clone(),
        };
        let after = SentenceFacts {
            types: types_after,
            not_exposed: not_exposed_after,
            counts: counts_after,
            causes: causes_after,
            supplier_cues: supplier_cues_after,
            developments: developments_after,
            ..SentenceFacts::default()
        };
        (before, after)
    }
}

/// "a woman", "one victim", "a detective constable's": one person.
static ONE_PERSON: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?-u:\b)(?:a|an|one)\s+(?:[a-z-]+\s+){0,2}?(?:woman|man|girl|boy|victim|complainant|witness|child|teenager|detective constable|pensioner|mother|father|resident|member of the public)(?:['’]s)?(?-u:\b)").unwrap()
});

/// The facts one sentence states. Data-type phrases inside a body's name (`mention_spans`)
/// are not facts.
pub fn sentence_facts(ctx: &SentenceContext, mention_spans: &[(usize, usize)]) -> SentenceFacts {
    let mut facts = SentenceFacts::default();
    let s = ctx.sentence;
    let text = ctx.text();
    let (types, not_exposed) = data_types::data_types(ctx, mention_spans);
    facts.types = types;
    facts.not_exposed = not_exposed;
    // ---- counts
    let litigation = ctx.has(Cue::Litigation);
    let affected = ctx
        .cues
        .iter()
        .any(|c| matches!(c.tag, Cue::Affected | Cue::Exposure | Cue::Breach));
    let money = if text.contains(['£', '$', '€'])
        || text.contains("GBP")
        || text.contains("USD")
        || text.contains("EUR")
    {
        numbers::money_in(text)
    } else {
        Vec::new()
    };
    facts.has_money = !money.is_empty();
    if !litigation && affected {
        for c in numbers::counts_in(text, s.start) {
            if money
                .iter()
                .any(|m| c.start < s.start + m.end && s.start + m.start < c.end)
            {
                continue;
            }
            facts.counts.push(c);
        }
    }
    if ctx.has(Cue::Person) && ONE_PERSON.is_match(text) {
        facts.one_person = true;
    }
    facts.causes = causes::causes(ctx);
    // ---- supplier
    facts.supplier_cues = ctx
        .cues
        .iter()
        .filter(|c| c.tag == Cue::Supplier)
        .map(|c| c.start)
        .collect();
    if !facts.supplier_cues.is_empty() {
        facts.supplier_name = developments::supplier_name(text);
    }
    facts.developments = developments::developments(ctx, money.first());
    facts
}
