//! Sentences that speak of other stories than one breach of the body in focus: statistics
//! over many breaches, losses or punished staff ([`is_statistics`]), and asides to an earlier
//! or other breach of the same body ([`aside_start`]).

use std::sync::LazyLock;

use regex::Regex;

use super::{any_of, SentenceContext};

/// Counts of breaches or incidents ("1,400 data breaches"): statistics over many cases.
static BREACH_COUNTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)\d[\d,]*\+?\s+(?:data\s+|information\s+|security\s+|data\s+protection\s+|personal\s+data\s+)?(?:breaches|incidents|breach\s+reports)(?-u:\b)").unwrap()
});

/// Tallies of staff caught or punished ("hundreds of officers caught accessing records",
/// "84 officers have been disciplined", "figures show"): statistics over many cases, not one
/// breach. Ten or more: one breach may involve a few officers.
static OFFENDER_TALLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?:hundreds|dozens|scores|thousands|\d{2,}[\d,]*)\s+(?:of\s+)?(?:serving\s+)?(?:police\s+)?(?:officers|staff|employees|workers|personnel|officials)(?:\s+and\s+(?:support\s+|police\s+)?staff)?\s+(?:in\s+[^,.;]{0,50}?\s+)?(?:have\s+been\s+|had\s+been\s+|were\s+|being\s+|was\s+)?(?:caught|disciplined|sacked|dismissed|investigated|punished|reprimanded|found)|(?:figures|statistics)\s+(?:show|shows|reveal|reveals|obtained|released)(?-u:\b))").unwrap()
});

/// A word one of which every [`OFFENDER_TALLY`] match holds.
const OFFENDER_WORDS: &[&str] = &[
    "caught",
    "disciplined",
    "sacked",
    "dismissed",
    "investigated",
    "punished",
    "reprimanded",
    "found",
    "figures",
    "statistics",
];

/// Tallies of lost kit ("forces lost 328 laptops and phones", "79 losses"): statistics over
/// many events, not one breach. Ten or more: one incident may lose a few devices.
static LOSS_TALLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:lose|loses|lost|losing|misplaced|mislaid)\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+|around\s+|about\s+)?\d{2,}[\d,]*\s+(?:[a-z-]+\s+){0,2}?(?:devices|laptops|phones|tablets|computers|radios|items|cameras)(?-u:\b)|(?-u:\b)\d[\d,]*\s+(?:losses|thefts)(?-u:\b)").unwrap()
});

/// Phrases that turn a sentence to an earlier or other breach of the body in focus: the
/// facts after them belong to that other story. "follows" as in "the incident follows a
/// data breach last week"; "another breach", "in a second incident", "last week's leak".
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?:comes|came|coming)\s+(?:just\s+|only\s+)?(?:(?:a|two|three|four|a\s+few|several|\d+)\s+(?:days?|weeks?|months?)\s+)?after|(?:it|this|which|incident|loss|theft|breach|leak|news|disclosure)\s+follows|in\s+a\s+(?:second|separate|further|third|different)\s+(?:incident|breach|case|leak|data\s+breach)|another\s+(?:[a-z'’-]+\s+){0,2}?(?:breach|leak|data\s+breach)|(?:last\s+week|last\s+month|earlier)['’]s\s+(?:[a-z'’-]+\s+){0,2}?(?:breach|leak)|the\s+second\s+(?:involved|saw|was|came|breach|incident))(?-u:\b)").unwrap()
});

/// Whether the sentence states statistics over many breaches, losses or punished staff, not
/// one breach.
pub fn is_statistics(ctx: &SentenceContext) -> bool {
    let (text, lower) = (ctx.text(), ctx.lower());
    ((lower.contains("breaches") || lower.contains("incidents")) && BREACH_COUNTS.is_match(text))
        || (any_of(lower, &["los", "mislaid", "misplaced", "theft"]) && LOSS_TALLY.is_match(text))
        || (any_of(lower, OFFENDER_WORDS) && OFFENDER_TALLY.is_match(lower))
}

/// Where the sentence turns to another story of the body in focus ([`ASIDE`]), as a byte
/// offset in the document; never in the headline.
pub fn aside_start(ctx: &SentenceContext) -> Option<usize> {
    if ctx.sentence.is_title {
        return None;
    }
    let lower = ctx.lower();
    let maybe = any_of(lower, &["after", "follows", "in a ", "another", "second"])
        || ((lower.contains("'s") || lower.contains("’s")) && any_of(lower, &["breach", "leak"]));
    if maybe {
        ASIDE.find(lower).map(|m| ctx.sentence.start + m.start())
    } else {
        None
    }
}
