//! Lexicons for data types, negation, causes and relevance cues: the tag types, the loader of
//! the vocabulary tables in `data/lexicon/*.toml` (embedded at build time, parsed once, when
//! [`ALL`] is first used) and the one-pass [`scan`] of a document.
//!
//! Every table entry is a phrase with its tag as stable string ids; an unknown id or field
//! panics naming the file and the entry, and `every_table_entry_maps` makes `cargo test` fail
//! first. The negation table lists small word lists from which families of phrases are
//! generated here (see `neg_pairs_from` and the header of `negations.toml`).

use std::sync::LazyLock;

use serde::Deserialize;

use super::forces::FTag;
use super::lexicon::{Hit, Lex};
use crate::model::{Cause, DataType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeTag {
    pub ty: DataType,
    /// weak terms count only in a list of other data terms
    pub weak: bool,
    /// "address(es)" – resolved by context (email vs home)
    pub address: bool,
}

/// Negation cues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neg {
    /// scope runs forward to the clause end
    Pre,
    /// scope runs backward to the clause start
    Post,
}

/// Cause cues: (cause, weight). Combination cues are resolved in `causes_in`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CauseCue {
    Direct(Cause, u8),
    ErrorWord,
    DisclosureWord,
    PhysicalObject,
    LossVerb,
    Retention,
    StolenWord,
}

/// Miscellaneous sentence cues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    Penalty,
    Apology,
    SelfReport,
    Breach,
    Exposure,
    Personnel,
    PolicePossessive,
    Investigator,
    Arrest,
    OtherAgency,
    SelfMarker,
    NotInvolved,
    Generic,
    StatsNoun,
    Supplier,
    Litigation,
    Compensation,
    Reprimand,
    Enforcement,
    Charge,
    Revised,
    Hypothetical,
    Affected,
    Comparison,
    Recipient,
    AreaWord,
    EmailCtx,
    Advice,
    Officers,
    FineWord,
    Person,
}

// ---- the vocabulary tables: data/lexicon/*.toml, embedded at build time, parsed once (in ALL)

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
            let ty = DataType::from_id(&e.ty).unwrap_or_else(|| {
                bad_entry(
                    DATA_TYPES_FILE,
                    i,
                    &e.phrase,
                    format!("unknown data type {:?}", e.ty),
                )
            });
            if e.address && ty != DataType::HomeAddress {
                bad_entry::<()>(
                    DATA_TYPES_FILE,
                    i,
                    &e.phrase,
                    "address = true needs type = \"home_address\"".to_string(),
                );
            }
            let tag = TypeTag {
                ty,
                weak: e.weak,
                address: e.address,
            };
            (e.phrase, tag)
        })
        .collect()
}

fn neg_pairs() -> Vec<(String, Neg)> {
    neg_pairs_from(NEGATIONS_RAW)
}

fn neg_pairs_from(raw: &str) -> Vec<(String, Neg)> {
    let n: NegFile = parse(NEGATIONS_FILE, raw);
    let mut pairs: Vec<(String, Neg)> = Vec::new();
    for aux in &n.pre_auxiliaries {
        for v in &n.pre_verbs {
            pairs.push((format!("{aux} {v}"), Neg::Pre));
        }
    }
    pairs.extend(n.pre.into_iter().map(|p| (p, Neg::Pre)));
    for p in n.post {
        // the contracted form: "wasn't part of", "haven't been"
        let contracted: Vec<String> = n
            .post_contractions
            .iter()
            .filter_map(|(full, short)| {
                p.strip_prefix(full.as_str()).map(|r| format!("{short}{r}"))
            })
            .collect();
        pairs.push((p, Neg::Post));
        for c in contracted {
            if !pairs.iter().any(|(q, _)| *q == c) {
                pairs.push((c, Neg::Post));
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
        ("email_ctx", Cue::EmailCtx),
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

/// Any lexicon tag; all lexicons share one automaton and one pass over the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyTag {
    Ty(TypeTag),
    Neg(Neg),
    Cause(CauseCue),
    Cue(Cue),
    Force(FTag),
}

impl AnyTag {
    pub fn class(&self) -> usize {
        match self {
            AnyTag::Ty(_) => 0,
            AnyTag::Neg(_) => 1,
            AnyTag::Cause(_) => 2,
            AnyTag::Cue(_) => 3,
            AnyTag::Force(f) => 4 + f.class(),
        }
    }
}

pub static ALL: LazyLock<Lex<AnyTag>> = LazyLock::new(|| {
    let mut pairs: Vec<(String, AnyTag)> = Vec::new();
    pairs.extend(type_pairs().into_iter().map(|(p, t)| (p, AnyTag::Ty(t))));
    pairs.extend(neg_pairs().into_iter().map(|(p, t)| (p, AnyTag::Neg(t))));
    pairs.extend(
        cause_pairs()
            .into_iter()
            .map(|(p, t)| (p, AnyTag::Cause(t))),
    );
    pairs.extend(cue_pairs().into_iter().map(|(p, t)| (p, AnyTag::Cue(t))));
    let mut lex = Lex::from_pairs(pairs, true);
    // force patterns carry their own apostrophe variants
    lex.extend(
        super::forces::gazetteer()
            .pairs
            .iter()
            .map(|(p, t)| (p.clone(), AnyTag::Force(*t))),
    );
    lex
});

/// Per-lexicon hits of one document.
pub struct Scan {
    pub types: Vec<Hit<TypeTag>>,
    pub negs: Vec<Hit<Neg>>,
    pub causes: Vec<Hit<CauseCue>>,
    pub cues: Vec<Hit<Cue>>,
    pub forces: [Vec<Hit<FTag>>; 4],
}

pub fn scan(doc: &str) -> Scan {
    let [a, b, c, d, f0, f1, f2, f3] = ALL.find_classes::<8>(doc, |t| t.class());
    fn conv<T: Copy>(v: Vec<Hit<AnyTag>>, f: impl Fn(AnyTag) -> Option<T>) -> Vec<Hit<T>> {
        v.into_iter()
            .filter_map(|h| {
                f(h.tag).map(|tag| Hit {
                    start: h.start,
                    end: h.end,
                    tag,
                })
            })
            .collect()
    }
    Scan {
        types: conv(a, |t| if let AnyTag::Ty(x) = t { Some(x) } else { None }),
        negs: conv(b, |t| {
            if let AnyTag::Neg(x) = t {
                Some(x)
            } else {
                None
            }
        }),
        causes: conv(c, |t| {
            if let AnyTag::Cause(x) = t {
                Some(x)
            } else {
                None
            }
        }),
        cues: conv(d, |t| {
            if let AnyTag::Cue(x) = t {
                Some(x)
            } else {
                None
            }
        }),
        forces: [f0, f1, f2, f3].map(|v| {
            conv(v, |t| {
                if let AnyTag::Force(x) = t {
                    Some(x)
                } else {
                    None
                }
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
        let _ = &*ALL;
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
        let has = |p: &str, t: Neg| n.iter().any(|(q, u)| q == p && *u == t);
        assert!(has("did not include", Neg::Pre));
        assert!(has("never have access to", Neg::Pre));
        assert!(has("wasn't part", Neg::Post));
        assert!(has("haven't been", Neg::Post));
    }
}
