//! Lexicons for data types, negation, causes and relevance cues: the tag types, the loader of
//! the vocabulary tables in `data/lexicon/*.toml` (embedded at build time, parsed once, when
//! [`LEXICON`] is first used) and the one-pass [`scan`] of a document.
//!
//! Every table entry is a phrase with its tag as stable string ids; an unknown id or field
//! panics naming the file and the entry, and `every_table_entry_maps` makes `cargo test` fail
//! first. The negation table lists small word lists from which families of phrases are
//! generated here (see `neg_pairs_from` and the header of `negations.toml`).

use std::sync::LazyLock;

use serde::Deserialize;

use super::forces::ForceTag;
use super::phrases::{Hit, PhraseMatcher};
use crate::model::{Cause, DataType};

/// A data-type phrase: the type it names and how sure the name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeTag {
    /// The data type the phrase names.
    pub data_type: DataType,
    /// Weak terms count only in a list of other data terms.
    pub weak: bool,
    /// "address(es)": resolved by context (email vs home).
    pub address: bool,
}

/// Negation cues, by which way their scope runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NegationCue {
    /// The cue precedes what it negates ("did not include names"): its scope runs forward to
    /// the clause end.
    Preceding,
    /// The cue follows what it negates ("names were not part of it"): its scope runs backward
    /// to the clause start.
    Following,
}

/// Cause cues. Combination cues (every kind but `Direct`) are resolved per sentence in
/// `sentence::causes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CauseCue {
    /// A phrase naming a cause outright, with its weight (1 to 3).
    Direct(Cause, u8),
    /// "in error", "mistakenly".
    ErrorWord,
    /// "disclosed", "published".
    DisclosureWord,
    /// A laptop, a notebook, paper files.
    PhysicalObject,
    /// "lost", "mislaid".
    LossVerb,
    /// Data deleted under a retention policy: not a loss.
    Retention,
    /// "stolen".
    StolenWord,
}

/// Sentence cues for relevance, roles and developments; their phrases are in
/// `data/lexicon/cues.toml`, under the ids of [`Cue::IDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// A penalty imposed: "fined", "monetary penalty".
    Penalty,
    /// "apologised".
    Apology,
    /// The body reported itself: "referred itself", "self-referred".
    SelfReport,
    /// A breach noun: "breach", "data breach", "leak".
    Breach,
    /// An exposure verb: "leaked", "hacked", "exposed", "stolen".
    Exposure,
    /// The body's people as the data's subjects: "officers and staff".
    Personnel,
    /// The body's own things: "its systems", "its network".
    PolicePossessive,
    /// Investigating something: "investigating", "inquiries into".
    Investigator,
    /// "arrested", "detained", "charges".
    Arrest,
    /// An agency that investigates others: "National Crime Agency", "FBI", "Information Commissioner".
    OtherAgency,
    /// The body looking into itself: "its own", "internal investigation".
    SelfMarker,
    /// "not involved", "no police systems".
    NotInvolved,
    /// General statements, not one breach: "range from", "typically".
    Generic,
    /// Statistics over many breaches: "data breaches since".
    StatsNoun,
    /// "supplier", "contractor".
    Supplier,
    /// "legal action", "class action", "lawsuit".
    Litigation,
    /// "compensation", "damages", "payout".
    Compensation,
    /// "reprimand", "reprimanded".
    Reprimand,
    /// "enforcement notice".
    Enforcement,
    /// "charged with".
    Charge,
    /// A figure revised: "revised", "later found", "taking the total to".
    Revised,
    /// What might have been: "could have faced", "would have been".
    Hypothetical,
    /// "affected", "impacted".
    Affected,
    /// A comparison with another breach: "far larger", "much bigger".
    Comparison,
    /// Where data was sent: "posted to", "meant for".
    Recipient,
    /// A body named as a place: "force area", "policing area".
    AreaWord,
    /// "email", "BCC": an address is an email address.
    EmailContext,
    /// "no further action".
    Advice,
    /// "officers", "staff", "workforce".
    Officers,
    /// "fine", "fines": a penalty only with a sum of money.
    FineWord,
    /// One person: "woman", "man", "victim".
    Person,
}

// ---- the vocabulary tables: data/lexicon/*.toml, embedded at build time, parsed once (in LEXICON)

const DATA_TYPES_FILE: &str = "data/lexicon/data_types.toml";
const NEGATIONS_FILE: &str = "data/lexicon/negations.toml";
const CAUSES_FILE: &str = "data/lexicon/causes.toml";
const CUES_FILE: &str = "data/lexicon/cues.toml";
static DATA_TYPES_RAW: &str = include_str!("../../data/lexicon/data_types.toml");
static NEGATIONS_RAW: &str = include_str!("../../data/lexicon/negations.toml");
static CAUSES_RAW: &str = include_str!("../../data/lexicon/causes.toml");
static CUES_RAW: &str = include_str!("../../data/lexicon/cues.toml");

/// A table file: `entries = [ { phrase = ..., <tag fields> }, ... ]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table<E> {
    entries: Vec<E>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeEntry {
    phrase: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    weak: bool,
    #[serde(default)]
    address: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CauseEntry {
    phrase: String,
    cause: Option<String>,
    weight: Option<u8>,
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueEntry {
    phrase: String,
    cue: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegFile {
    pre_auxiliaries: Vec<String>,
    pre_verbs: Vec<String>,
    pre: Vec<String>,
    post: Vec<String>,
    post_contractions: Vec<(String, String)>,
}

/// Parses an embedded table; a malformed file (bad syntax, unknown field) panics naming it.
fn parse<T: serde::de::DeserializeOwned>(file: &str, raw: &str) -> T {
    toml::from_str(raw).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Panics naming the file and the entry: the tables are embedded at build time and every
/// entry is checked by a unit test, so this cannot happen in a tested build.
fn bad_entry<T>(file: &str, i: usize, phrase: &str, what: String) -> T {
    panic!("{file}: entry {} (phrase {phrase:?}): {what}", i + 1)
}

fn type_pairs() -> Vec<(String, TypeTag)> {
    type_pairs_from(DATA_TYPES_RAW)
}

fn type_pairs_from(raw: &str) -> Vec<(String, TypeTag)> {
    let t: Table<TypeEntry> = parse(DATA_TYPES_FILE, raw);
    t.entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let data_type = DataType::from_id(&e.ty).unwrap_or_else(|| {
                bad_entry(
                    DATA_TYPES_FILE,
                    i,
                    &e.phrase,
                    format!("unknown data type {:?}", e.ty),
                )
            });
            if e.address && data_type != DataType::HomeAddress {
                bad_entry::<()>(
                    DATA_TYPES_FILE,
                    i,
                    &e.phrase,
                    "address = true needs type = \"home_address\"".to_string(),
                );
            }
            let tag = TypeTag {
                data_type,
                weak: e.weak,
                address: e.address,
            };
            (e.phrase, tag)
        })
        .collect()
}

fn neg_pairs() -> Vec<(String, NegationCue)> {
    neg_pairs_from(NEGATIONS_RAW)
}

fn neg_pairs_from(raw: &str) -> Vec<(String, NegationCue)> {
    let n: NegFile = parse(NEGATIONS_FILE, raw);
    let mut pairs: Vec<(String, NegationCue)> = Vec::new();
    for aux in &n.pre_auxiliaries {
        for v in &n.pre_verbs {
            pairs.push((format!("{aux} {v}"), NegationCue::Preceding));
        }
    }
    pairs.extend(n.pre.into_iter().map(|p| (p, NegationCue::Preceding)));
    for p in n.post {
        // the contracted form: "wasn't part of", "haven't been"
        let contracted: Vec<String> = n
            .post_contractions
            .iter()
            .filter_map(|(full, short)| {
                p.strip_prefix(full.as_str()).map(|r| format!("{short}{r}"))
            })
            .collect();
        pairs.push((p, NegationCue::Following));
        for c in contracted {
            if !pairs.iter().any(|(q, _)| *q == c) {
                pairs.push((c, NegationCue::Following));
            }
        }
    }
    pairs
}

impl CauseCue {
    /// The `kind` ids of the combination cues in causes.toml.
    const KINDS: [(&'static str, CauseCue); 6] = [
        ("error_word", CauseCue::ErrorWord),
        ("disclosure_word", CauseCue::DisclosureWord),
        ("physical_object", CauseCue::PhysicalObject),
        ("loss_verb", CauseCue::LossVerb),
        ("retention", CauseCue::Retention),
        ("stolen_word", CauseCue::StolenWord),
    ];
}

fn cause_pairs() -> Vec<(String, CauseCue)> {
    cause_pairs_from(CAUSES_RAW)
}

fn cause_pairs_from(raw: &str) -> Vec<(String, CauseCue)> {
    let t: Table<CauseEntry> = parse(CAUSES_FILE, raw);
    t.entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let tag = match (&e.cause, e.weight, &e.kind) {
                (Some(c), Some(w), None) => {
                    let c = Cause::from_id(c)
                        .filter(|c| *c != Cause::Unknown)
                        .unwrap_or_else(|| {
                            bad_entry(CAUSES_FILE, i, &e.phrase, format!("unknown cause {c:?}"))
                        });
                    if !(1..=3).contains(&w) {
                        bad_entry::<()>(
                            CAUSES_FILE,
                            i,
                            &e.phrase,
                            format!("weight {w} is not 1, 2 or 3"),
                        );
                    }
                    CauseCue::Direct(c, w)
                }
                (None, None, Some(k)) => CauseCue::KINDS
                    .iter()
                    .find(|(id, _)| id == k)
                    .map(|(_, c)| *c)
                    .unwrap_or_else(|| {
                        bad_entry(CAUSES_FILE, i, &e.phrase, format!("unknown kind {k:?}"))
                    }),
                _ => bad_entry(
                    CAUSES_FILE,
                    i,
                    &e.phrase,
                    "needs either cause and weight, or kind".to_string(),
                ),
            };
            (e.phrase, tag)
        })
        .collect()
}

impl Cue {
    /// The `cue` ids of cues.toml.
    const IDS: [(&'static str, Cue); 31] = [
        ("penalty", Cue::Penalty),
        ("apology", Cue::Apology),
        ("self_report", Cue::SelfReport),
        ("breach", Cue::Breach),
        ("exposure", Cue::Exposure),
        ("personnel", Cue::Personnel),
        ("police_possessive", Cue::PolicePossessive),
        ("investigator", Cue::Investigator),
        ("arrest", Cue::Arrest),
        ("other_agency", Cue::OtherAgency),
        ("self_marker", Cue::SelfMarker),
        ("not_involved", Cue::NotInvolved),
        ("generic", Cue::Generic),
        ("stats_noun", Cue::StatsNoun),
        ("supplier", Cue::Supplier),
        ("litigation", Cue::Litigation),
        ("compensation", Cue::Compensation),
        ("reprimand", Cue::Reprimand),
        ("enforcement", Cue::Enforcement),
        ("charge", Cue::Charge),
        ("revised", Cue::Revised),
        ("hypothetical", Cue::Hypothetical),
        ("affected", Cue::Affected),
        ("comparison", Cue::Comparison),
        ("recipient", Cue::Recipient),
        ("area_word", Cue::AreaWord),
        ("email_ctx", Cue::EmailContext),
        ("advice", Cue::Advice),
        ("officers", Cue::Officers),
        ("fine_word", Cue::FineWord),
        ("person", Cue::Person),
    ];
}

fn cue_pairs() -> Vec<(String, Cue)> {
    cue_pairs_from(CUES_RAW)
}

fn cue_pairs_from(raw: &str) -> Vec<(String, Cue)> {
    let t: Table<CueEntry> = parse(CUES_FILE, raw);
    t.entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let tag = Cue::IDS
                .iter()
                .find(|(id, _)| *id == e.cue)
                .map(|(_, c)| *c)
                .unwrap_or_else(|| {
                    bad_entry(CUES_FILE, i, &e.phrase, format!("unknown cue {:?}", e.cue))
                });
            (e.phrase, tag)
        })
        .collect()
}

/// Any lexicon tag; all lexicons share one matcher and one pass over the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AnyTag {
    DataType(TypeTag),
    Negation(NegationCue),
    Cause(CauseCue),
    Cue(Cue),
    Force(ForceTag),
}

impl AnyTag {
    /// The class whose hits are selected leftmost-longest together: one per lexicon, four for
    /// the forces (see [`ForceTag::hit_class`]).
    fn hit_class(&self) -> usize {
        match self {
            AnyTag::DataType(_) => 0,
            AnyTag::Negation(_) => 1,
            AnyTag::Cause(_) => 2,
            AnyTag::Cue(_) => 3,
            AnyTag::Force(f) => 4 + f.hit_class(),
        }
    }
}

/// Every lexicon and the gazetteer's phrases in one matcher, built on first use.
static LEXICON: LazyLock<PhraseMatcher<AnyTag>> = LazyLock::new(|| {
    let mut pairs: Vec<(String, AnyTag)> = Vec::new();
    pairs.extend(
        type_pairs()
            .into_iter()
            .map(|(p, t)| (p, AnyTag::DataType(t))),
    );
    pairs.extend(
        neg_pairs()
            .into_iter()
            .map(|(p, t)| (p, AnyTag::Negation(t))),
    );
    pairs.extend(
        cause_pairs()
            .into_iter()
            .map(|(p, t)| (p, AnyTag::Cause(t))),
    );
    pairs.extend(cue_pairs().into_iter().map(|(p, t)| (p, AnyTag::Cue(t))));
    let mut matcher = PhraseMatcher::from_pairs(pairs, true);
    // force phrases carry their own apostrophe variants
    matcher.extend(
        super::forces::gazetteer()
            .phrases
            .iter()
            .map(|(p, t)| (p.clone(), AnyTag::Force(*t))),
    );
    matcher
});

/// Per-lexicon hits of one document, each list leftmost-longest and in document order.
pub struct Scan {
    /// Data-type phrases.
    pub types: Vec<Hit<TypeTag>>,
    /// Negation phrases.
    pub negations: Vec<Hit<NegationCue>>,
    /// Cause phrases.
    pub causes: Vec<Hit<CauseCue>>,
    /// Relevance, role and development cues.
    pub cues: Vec<Hit<Cue>>,
    /// Gazetteer phrases, by [`ForceTag::hit_class`].
    pub forces: [Vec<Hit<ForceTag>>; 4],
}

/// Finds every lexicon's phrases in `doc` in one pass.
pub fn scan(doc: &str) -> Scan {
    let [types, negations, causes, cues, any_case, exact_case, places, context] =
        LEXICON.find_classes::<8>(doc, AnyTag::hit_class);
    /// The hits whose tag `narrow` accepts, with the narrowed tag.
    fn narrowed<T: Copy>(
        hits: Vec<Hit<AnyTag>>,
        narrow: impl Fn(AnyTag) -> Option<T>,
    ) -> Vec<Hit<T>> {
        hits.into_iter()
            .filter_map(|h| {
                narrow(h.tag).map(|tag| Hit {
                    start: h.start,
                    end: h.end,
                    tag,
                })
            })
            .collect()
    }
    Scan {
        types: narrowed(types, |t| match t {
            AnyTag::DataType(x) => Some(x),
            _ => None,
        }),
        negations: narrowed(negations, |t| match t {
            AnyTag::Negation(x) => Some(x),
            _ => None,
        }),
        causes: narrowed(causes, |t| match t {
            AnyTag::Cause(x) => Some(x),
            _ => None,
        }),
        cues: narrowed(cues, |t| match t {
            AnyTag::Cue(x) => Some(x),
            _ => None,
        }),
        forces: [any_case, exact_case, places, context].map(|hits| {
            narrowed(hits, |t| match t {
                AnyTag::Force(x) => Some(x),
                _ => None,
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every entry of every table parses and maps to a tag (the loaders panic otherwise), so
    // an unknown id or field in data/lexicon/ fails `cargo test`, never a release.
    #[test]
    fn every_table_entry_maps() {
        assert!(type_pairs().len() > 400);
        assert!(neg_pairs().len() > 300);
        assert!(cause_pairs().len() > 300);
        assert!(cue_pairs().len() > 300);
        let phrases: Vec<String> = [
            type_pairs().into_iter().map(|(p, _)| p).collect::<Vec<_>>(),
            neg_pairs().into_iter().map(|(p, _)| p).collect(),
            cause_pairs().into_iter().map(|(p, _)| p).collect(),
            cue_pairs().into_iter().map(|(p, _)| p).collect(),
        ]
        .concat();
        assert!(phrases.iter().all(|p| !p.trim().is_empty()), "empty phrase");
        let _ = &*LEXICON;
    }

    #[test]
    fn cue_ids_are_distinct() {
        for (i, (id, cue)) in Cue::IDS.iter().enumerate() {
            for (id2, cue2) in &Cue::IDS[i + 1..] {
                assert!(id != id2 && cue != cue2, "{id} / {id2}");
            }
        }
    }

    #[test]
    #[should_panic(
        expected = "data/lexicon/cues.toml: entry 2 (phrase \"sued\"): unknown cue \"lawsuit\""
    )]
    fn unknown_cue_names_file_and_entry() {
        cue_pairs_from(
            "entries = [{ phrase = \"fined\", cue = \"penalty\" }, { phrase = \"sued\", cue = \"lawsuit\" }]",
        );
    }

    #[test]
    #[should_panic(
        expected = "data/lexicon/data_types.toml: entry 1 (phrase \"pay\"): unknown data type \"salary\""
    )]
    fn unknown_type_names_file_and_entry() {
        type_pairs_from("entries = [{ phrase = \"pay\", type = \"salary\" }]");
    }

    #[test]
    #[should_panic(
        expected = "data/lexicon/causes.toml: entry 1 (phrase \"hacked\"): unknown cause"
    )]
    fn unknown_cause_names_file_and_entry() {
        cause_pairs_from("entries = [{ phrase = \"hacked\", cause = \"hacking\", weight = 2 }]");
    }

    #[test]
    #[should_panic(expected = "data/lexicon/causes.toml")]
    fn unknown_field_names_file() {
        cause_pairs_from(
            "entries = [{ phrase = \"hacked\", cause = \"cyber_attack\", weigth = 2 }]",
        );
    }

    #[test]
    fn negation_families_are_generated() {
        let n = neg_pairs();
        let has = |p: &str, t: NegationCue| n.iter().any(|(q, u)| q == p && *u == t);
        assert!(has("did not include", NegationCue::Preceding));
        assert!(has("never have access to", NegationCue::Preceding));
        assert!(has("wasn't part", NegationCue::Following));
        assert!(has("haven't been", NegationCue::Following));
    }
}
