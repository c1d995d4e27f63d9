//! The causes a sentence states: phrases naming a cause outright ("ransomware attack",
//! "sent to the wrong address"), unless negated or a retention policy explains a loss, and
//! causes read from combinations of words (an error word with a disclosure word, a loss verb
//! with a physical object, data put online with no attacker named).

use std::sync::LazyLock;

use regex::Regex;

use super::SentenceContext;
use crate::extract::lexicon::{CauseCue, Cue, NegationCue};
use crate::model::Cause;

/// Data put where anyone can read it: "published online", "revealed ... on its website".
static PUT_ONLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:published|posted|uploaded|revealed|made\s+available|put|placed|visible|viewable|accessible)(?-u:\b)[^.;]{0,80}?(?-u:\b)(?:online|on\s+(?:its|the|a)\s+(?:[a-z]+\s+)?website|on\s+the\s+internet)(?-u:\b)").unwrap()
});

/// Words that make a loss with no physical object a loss of stored data.
const STORAGE_WORDS: [&str; 10] = [
    "system", "server", "storage", "drive", "database", "cloud", "backup", "data", "footage",
    "archive",
];

/// The causes the sentence states: (offset, cause, weight), direct ones first.
pub fn causes(ctx: &SentenceContext) -> Vec<(usize, Cause, u32)> {
    let mut found = Vec::new();
    let retention = ctx.causes.iter().any(|c| c.tag == CauseCue::Retention);
    let mut error_word = None;
    let mut disclosure_word = None;
    let mut physical_object = false;
    let mut loss_verb = None;
    let mut stolen_word = None;
    let mut cyber_word = false;
    for c in ctx.causes {
        // negated cause ("no evidence of a cyber attack")
        let negated = ctx
            .negations
            .iter()
            .any(|n| n.tag == NegationCue::Preceding && n.end <= c.start && c.start - n.end <= 30);
        match c.tag {
            CauseCue::Direct(cause, weight) => {
                if negated {
                    continue;
                }
                if cause == Cause::DataLoss && retention {
                    continue;
                }
                if matches!(cause, Cause::CyberAttack | Cause::Ransomware) {
                    cyber_word = true;
                }
                found.push((c.start, cause, weight as u32));
            }
            CauseCue::ErrorWord => error_word = error_word.or(Some(c.start)),
            CauseCue::DisclosureWord => disclosure_word = disclosure_word.or(Some(c.start)),
            CauseCue::PhysicalObject => physical_object = true,
            CauseCue::LossVerb => loss_verb = loss_verb.or(Some(c.start)),
            CauseCue::StolenWord => stolen_word = stolen_word.or(Some(c.start)),
            CauseCue::Retention => {}
        }
    }
    let lower = ctx.lower();
    // "were published online", "revealed ... on its website": personal data put where anyone
    // can read it, with no attacker named, is a disclosure (weakly: an error word, a hack
    // or a leak by a person says more).
    if error_word.is_none() && !cyber_word {
        if let Some(d) = disclosure_word {
            if PUT_ONLINE.is_match(lower) {
                found.push((d, Cause::AccidentalDisclosure, 1));
            }
        }
    }
    if let (Some(e), Some(d)) = (error_word, disclosure_word) {
        if !(lower.contains("human error") && ctx.has(Cue::EmailContext)) {
            found.push((e.min(d), Cause::AccidentalDisclosure, 2));
        }
    }
    if let Some(l) = loss_verb {
        if physical_object {
            found.push((l, Cause::LossOrTheft, 2));
        } else if !retention && STORAGE_WORDS.iter().any(|w| lower.contains(w)) {
            found.push((l, Cause::DataLoss, 1));
        }
    }
    if let Some(st) = stolen_word {
        if physical_object && !cyber_word {
            found.push((st, Cause::LossOrTheft, 2));
        }
    }
    found
}
