//! What happened after a breach, as a sentence states it (fines, reprimands, arrests,
//! lawsuits, apologies, ...), and the name of a supplier the sentence blames.

use std::sync::LazyLock;

use regex::Regex;

use super::SentenceContext;
use crate::extract::forces;
use crate::extract::lexicon::Cue;
use crate::extract::numbers::Money;
use crate::model::DevelopmentKind;

/// A development a sentence states.
#[derive(Debug, Clone)]
pub struct DevelopmentCue {
    /// Byte offset of the cue in the document.
    pub position: usize,
    /// What happened.
    pub kind: DevelopmentKind,
    /// For a fine or compensation: the sentence's first sum of money (minor units, currency).
    pub amount: Option<(u64, &'static str)>,
}

/// The developments the sentence states, one per kind, in cue order. `first_money` is the
/// sentence's first sum of money: a fine word counts only with one.
pub fn developments(ctx: &SentenceContext, first_money: Option<&Money>) -> Vec<DevelopmentCue> {
    let mut found: Vec<DevelopmentCue> = Vec::new();
    let hypothetical = ctx.has(Cue::Hypothetical);
    let fine_money = first_money.is_some();
    for c in ctx.cues {
        let kind = match c.tag {
            Cue::Penalty if !hypothetical => Some(DevelopmentKind::Fine),
            Cue::FineWord if !hypothetical && fine_money => Some(DevelopmentKind::Fine),
            Cue::Reprimand if !hypothetical => Some(DevelopmentKind::Reprimand),
            Cue::Enforcement if !hypothetical => Some(DevelopmentKind::EnforcementNotice),
            Cue::Arrest => Some(DevelopmentKind::Arrest),
            Cue::Charge => Some(DevelopmentKind::Charge),
            Cue::Litigation => Some(DevelopmentKind::Lawsuit),
            Cue::Compensation => Some(DevelopmentKind::Compensation),
            Cue::Revised => Some(DevelopmentKind::RevisedCount),
            Cue::Apology => Some(DevelopmentKind::Apology),
            Cue::Advice => Some(DevelopmentKind::Other),
            _ => None,
        };
        let Some(kind) = kind else { continue };
        if found.iter().any(|d| d.kind == kind) {
            continue;
        }
        let amount = if matches!(kind, DevelopmentKind::Fine | DevelopmentKind::Compensation) {
            first_money.map(|m| (m.minor_units, m.currency))
        } else {
            None
        };
        found.push(DevelopmentCue {
            position: c.start,
            kind,
            amount,
        });
    }
    found
}

/// Where a supplier's name stands: "the supplier, X,", "X, which produces", "contractor X".
static SUPPLIER_NAME: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?-u:\b)(?:supplier|contractor|company|firm|vendor|printer|provider),\s+([A-Z][A-Za-z0-9&.\-]*(?:\s+[A-Z][A-Za-z0-9&.\-]*){0,3}),",
        r"(?-u:\b)([A-Z][A-Za-z0-9&\-]*(?:\s+[A-Z][A-Za-z0-9&\-]*){0,3}),\s+which\s+(?:produces|makes|supplies|provides|prints|runs|manufactures)",
        r"(?-u:\b)(?:supplier|contractor|company|firm|vendor)\s+([A-Z][A-Za-z0-9&\-]+(?:\s+[A-Z][A-Za-z0-9&\-]+){0,2})(?-u:\b)",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

/// First words that show a capitalised run is not a supplier's name.
const NOT_A_SUPPLIER_NAME: &[&str] = &[
    "The", "It", "This", "That", "A", "An", "In", "He", "She", "They", "We", "Digital",
];

/// The supplier's name in a sentence that speaks of a supplier, when it gives one that is not
/// a police body's.
pub fn supplier_name(text: &str) -> Option<String> {
    for re in SUPPLIER_NAME.iter() {
        if let Some(c) = re.captures(text) {
            let name = c
                .get(1)
                .map(|m| m.as_str().trim().to_string())
                .unwrap_or_default();
            let first = name.split_whitespace().next().unwrap_or("");
            if !name.is_empty()
                && !NOT_A_SUPPLIER_NAME.contains(&first)
                && forces::find_mentions(&name).is_empty()
            {
                return Some(name);
            }
        }
    }
    None
}
