//! A story turned into a [`Report`]: data types less those said not exposed, counts ranked
//! (the main affected population first), one cause, whether a third party was involved, and
//! developments one per kind.

use super::stories::Story;
use crate::extract::numbers::CountCandidate;
use crate::extract::Report;
use crate::model::{Cause, CountFact, DataType, DevelopmentFact, Fact, Qualifier, Span, Unit};

/// Rank of a count candidate: the main affected population is usually a people figure, often the
/// largest stated, often a stated total; exact figures beat rounded ones, and figures in the
/// headline or in a sentence that makes the body a victim count a little more.
fn count_score(c: &CountCandidate, title: bool, with_victim_cue: bool) -> i32 {
    let mut s = match c.unit {
        Unit::People => 30,
        Unit::Records => 25,
        Unit::Files => 25,
    };
    s += (3.0 * (c.value.max(1) as f64).log10()).round() as i32;
    if c.summed {
        s += 25;
    } else if c.total {
        s += 15;
    }
    if c.subset {
        s -= 25;
    }
    if c.qualifier == Qualifier::Exact {
        s += 3;
    }
    if title {
        s += 3;
    }
    if with_victim_cue {
        s += 3;
    }
    s
}

/// The report of one story about the bodies `forces`; `title_end` is where the headline ends.
pub fn build_report(forces: Vec<String>, story: Story, title_end: usize) -> Report {
    let mut evidence = story.force_evidence.clone();
    evidence.sort();
    evidence.dedup();
    let not_exposed: Vec<Fact<DataType>> = story
        .not_exposed
        .iter()
        .map(|(t, s)| Fact {
            value: *t,
            span: Some(*s),
        })
        .collect();
    let data_types: Vec<Fact<DataType>> = story
        .types
        .iter()
        .filter(|(t, _)| !story.not_exposed.contains_key(t))
        .map(|(t, s)| Fact {
            value: *t,
            span: Some(*s),
        })
        .collect();
    // counts
    let mut scored: Vec<(i32, usize, CountFact)> = story
        .counts
        .iter()
        .map(|stated| {
            let c = &stated.candidate;
            let title = stated.span.end <= title_end;
            (
                count_score(c, title, stated.with_victim_cue),
                c.start,
                CountFact {
                    count: c.value,
                    qualifier: c.qualifier,
                    unit: c.unit,
                    span: stated.span,
                },
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut counts: Vec<CountFact> = Vec::new();
    for (_, _, c) in scored {
        if counts
            .iter()
            .any(|o| o.count == c.count && o.unit == c.unit)
        {
            continue;
        }
        counts.push(c);
    }
    if counts.is_empty() {
        if let Some(sp) = story.one_person {
            counts.push(CountFact {
                count: 1,
                qualifier: Qualifier::Exact,
                unit: Unit::People,
                span: sp,
            });
        }
    }
    let cause = main_cause(&story);
    let third_party = if story.names_supplier {
        Some(true)
    } else if cause.value != Cause::Unknown {
        Some(false)
    } else {
        None
    };
    // One development per kind: the first stated, or the first with a sum of money.
    let mut developments: Vec<DevelopmentFact> = Vec::new();
    for d in story.developments {
        match developments.iter_mut().find(|x| x.kind == d.kind) {
            Some(x) => {
                if x.amount_minor.is_none() && d.amount_minor.is_some() {
                    *x = d;
                }
            }
            None => developments.push(d),
        }
    }
    developments.sort_by_key(|d| (d.span.start, d.kind));
    Report {
        forces,
        force_evidence: evidence,
        data_types,
        not_exposed,
        counts,
        cause,
        third_party,
        supplier: if story.names_supplier {
            story.supplier_name
        } else {
            None
        },
        developments,
        occurred: None,
    }
}

/// The story's cause: ransomware when stated strongly; else the heaviest, ties going to the
/// more specific cause (a misdirected email before a cyber attack); else unknown.
fn main_cause(story: &Story) -> Fact<Cause> {
    /// Causes from most to least specific.
    const PREFERENCE: [Cause; 8] = [
        Cause::MisdirectedCommunication,
        Cause::UnlawfulProcessing,
        Cause::InsiderMisuse,
        Cause::LossOrTheft,
        Cause::DataLoss,
        Cause::AccidentalDisclosure,
        Cause::CyberAttack,
        Cause::Ransomware,
    ];
    if let Some((_, s)) = story
        .causes
        .get(&Cause::Ransomware)
        .filter(|(w, _)| *w >= 2)
    {
        return Fact {
            value: Cause::Ransomware,
            span: Some(*s),
        };
    }
    // (weight, preference rank, cause, first span)
    let mut best: Option<(u32, usize, Cause, Span)> = None;
    for (c, (w, s)) in &story.causes {
        let rank = PREFERENCE.iter().position(|p| p == c).unwrap_or(9);
        let better = match &best {
            None => true,
            Some((bw, br, _, _)) => *w > *bw || (*w == *bw && rank < *br),
        };
        if better {
            best = Some((*w, rank, *c, *s));
        }
    }
    match best {
        Some((_, _, c, s)) => Fact {
            value: c,
            span: Some(s),
        },
        None => Fact {
            value: Cause::Unknown,
            span: None,
        },
    }
}
