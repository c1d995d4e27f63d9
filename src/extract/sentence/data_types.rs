//! The data types a sentence names, and which of them it says were not exposed: a negation
//! cue before a type ("did not include names") or after it ("names were not part of it")
//! negates it unless a strong clause boundary ("but", ";", "however") comes between.

use std::sync::LazyLock;

use regex::Regex;

use super::{DataTypesAt, SentenceContext};
use crate::extract::lexicon::{Cue, NegationCue, TypeTag};
use crate::extract::phrases::Hit;
use crate::model::DataType;

/// "no operational data", "no other personal information": a negation cue before a list of types.
static NO_DATA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:no|none of the|not any|nor any)\s+(?:[a-z-]+\s+){0,2}?(?:data|information|details|records|particulars|info)(?-u:\b)").unwrap()
});

/// Clause boundaries a negation's scope does not cross.
const STRONG_BOUNDARIES: &[&str] = &[
    ";",
    " but ",
    " however",
    " although",
    " though ",
    " whereas",
    " while ",
    " yet ",
    "—",
    " – but",
];

/// Whether `segment` holds a clause boundary a negation's scope does not cross.
fn crosses_boundary(segment: &str) -> bool {
    STRONG_BOUNDARIES.iter().any(|b| segment.contains(b))
}

/// The data types the sentence says were exposed, and those it says were not: (offset, type)
/// each. Phrases inside a body's name (`mention_spans`) are skipped.
pub fn data_types(
    ctx: &SentenceContext,
    mention_spans: &[(usize, usize)],
) -> (DataTypesAt, DataTypesAt) {
    let (mut exposed, mut not_exposed) = (Vec::new(), Vec::new());
    let s = ctx.sentence;
    let no_data: Vec<(usize, usize)> = if ctx.types.is_empty() {
        Vec::new()
    } else {
        NO_DATA
            .find_iter(ctx.lower())
            .map(|m| (s.start + m.start(), s.start + m.end()))
            .collect()
    };
    for (i, h) in ctx.types.iter().enumerate() {
        if mention_spans.iter().any(|&(a, b)| h.start < b && a < h.end) {
            continue;
        }
        let Some(data_type) = data_type_here(ctx, i, h) else {
            continue;
        };
        if is_negated(ctx, h, &no_data) {
            not_exposed.push((h.start, data_type));
        } else {
            exposed.push((h.start, data_type));
        }
    }
    (exposed, not_exposed)
}

/// The data type the `i`th type phrase names here, or `None` when its context makes it no data
/// type: a weak term alone, `at <address>`, "fall victim of", "rank and file", "name and
/// shame". An address in an email context is an email address.
fn data_type_here(ctx: &SentenceContext, i: usize, h: &Hit<TypeTag>) -> Option<DataType> {
    let (s, ldoc) = (ctx.sentence, ctx.lower_doc);
    let mut data_type = h.tag.data_type;
    let phrase = &ldoc[h.start..h.end];
    if h.tag.weak {
        let near = ctx.types.iter().enumerate().any(|(j, o)| {
            j != i && !(o.tag.weak && o.tag.data_type == data_type) && {
                let gap = o
                    .start
                    .saturating_sub(h.end)
                    .max(h.start.saturating_sub(o.end));
                gap <= 40
            }
        });
        if !near {
            return None;
        }
    }
    if h.tag.address {
        let before = &ldoc[s.start..h.start];
        let bt = before.trim_end();
        if bt.ends_with(" at")
            || bt.ends_with(" at an")
            || bt.ends_with(" at their")
            || bt.ends_with("detained at")
        {
            return None;
        }
        if ctx.has(Cue::EmailContext) {
            data_type = DataType::EmailAddress;
        }
    }
    if data_type == DataType::VictimDetails {
        let before = &ldoc[s.start..h.start];
        let after = &ldoc[h.end..s.end];
        if before.trim_end().ends_with("fall")
            || before.trim_end().ends_with("fallen")
            || before.trim_end().ends_with("fell")
            || before.trim_end().ends_with("falls")
            || after.starts_with(" of the breach")
            || after.starts_with(" of a cyber")
            || after.starts_with(" of the attack")
            || after.starts_with(" of a scam")
            || after.starts_with(" of fraud")
            || after.starts_with(" to a cyber")
        {
            return None;
        }
    }
    if data_type == DataType::Rank && phrase == "rank" {
        let after = &ldoc[h.end..s.end];
        if after.starts_with("-and-file")
            || after.starts_with(" and file")
            || after.starts_with(" and-file")
        {
            return None;
        }
    }
    if data_type == DataType::Name && (phrase == "name" || phrase == "the name") {
        let after = &ldoc[h.end..s.end];
        if after.starts_with(" and shame") || after.starts_with(" of the") {
            return None;
        }
    }
    Some(data_type)
}

/// Whether the type phrase `h` lies in a negation's scope: after a "no ... data" phrase or a
/// preceding cue, or before a following cue with no exposure verb between, with no strong
/// boundary in between; or right after "no", "not", "nor" or "without".
fn is_negated(ctx: &SentenceContext, h: &Hit<TypeTag>, no_data: &[(usize, usize)]) -> bool {
    let ldoc = ctx.lower_doc;
    let mut negated = no_data
        .iter()
        .any(|&(_, ne)| ne <= h.start && !crosses_boundary(&ldoc[ne..h.start]));
    for n in ctx.negations {
        match n.tag {
            NegationCue::Preceding => {
                if n.end <= h.start && !crosses_boundary(&ldoc[n.end..h.start]) {
                    negated = true;
                }
            }
            NegationCue::Following => {
                if n.start >= h.end && !crosses_boundary(&ldoc[h.end..n.start]) {
                    // an exposure verb between the type and the cue ends the scope
                    let between_exposure = ctx.cues.iter().any(|c| {
                        c.start >= h.end && c.end <= n.start && matches!(c.tag, Cue::Exposure) && {
                            let w = &ldoc[c.start..c.end];
                            w != "included" && w != "held"
                        }
                    });
                    if !between_exposure {
                        negated = true;
                    }
                }
            }
        }
    }
    if !negated {
        let before = &ldoc[ctx.sentence.start..h.start];
        let bt = before.trim_end();
        let bt = bt.strip_suffix(" any").unwrap_or(bt).trim_end();
        if bt.ends_with(" no")
            || bt.ends_with(" not")
            || bt.ends_with(" nor")
            || bt.ends_with(" without")
            || bt == "no"
        {
            negated = true;
        }
    }
    negated
}
