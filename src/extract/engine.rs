//! Sentence-level analysis and assembly of per-incident reports.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::facts::{self, CauseCue, Cue, Neg, TypeTag};
use super::forces::{self, Mention};
use super::lexicon::Hit;
use super::numbers::{self, CountCand};
use super::text::{self, Sentence};
use super::{ArticleInput, Extraction, Report};
use crate::model::{
    Cause, CountFact, DataType, DevelopmentFact, DevelopmentKind, Fact, Qualifier, Span, Unit,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Normal,
    Investigator,
    Recipient,
    Location,
    NotInvolved,
}

#[derive(Debug, Clone)]
struct Group {
    start: usize,
    end: usize,
    ids: BTreeSet<String>,
    spans: Vec<Span>,
}

/// A development cue: (position, kind, money amount).
type DevHit = (usize, DevelopmentKind, Option<(u64, String)>);

/// Facts found in one sentence, each with a position for attribution.
#[derive(Debug, Default, Clone)]
struct SentFacts {
    types: Vec<(usize, DataType)>,
    negs: Vec<(usize, DataType)>,
    counts: Vec<CountCand>,
    causes: Vec<(usize, Cause, u32)>,
    supplier: Vec<usize>,
    supplier_name: Option<String>,
    devs: Vec<DevHit>,
    singular: bool,
    has_money: bool,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    sentences: BTreeSet<usize>,
    evidence: Vec<Span>,
    types: BTreeMap<DataType, Span>,
    negs: BTreeMap<DataType, Span>,
    counts: Vec<(CountCand, Span, bool)>,
    causes: BTreeMap<Cause, (u32, Span)>,
    supplier: bool,
    supplier_name: Option<String>,
    devs: Vec<DevelopmentFact>,
    cues: u32,
    singular: Option<Span>,
    facts: u32,
    /// The headline itself tells of the body as a breach's victim.
    headline: bool,
    /// Another story of the body, told in passing (see [`ASIDE`]).
    aside: bool,
}

static STATS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)\d[\d,]*\+?\s+(?:data\s+|information\s+|security\s+|data\s+protection\s+|personal\s+data\s+)?(?:breaches|incidents|breach\s+reports)(?-u:\b)").unwrap()
});

/// Tallies of staff caught or punished ("hundreds of officers caught accessing records",
/// "84 officers have been disciplined", "figures show"): statistics over many cases, not one
/// breach. Ten or more: one breach may involve a few officers.
static OFFENDER_TALLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?:hundreds|dozens|scores|thousands|\d{2,}[\d,]*)\s+(?:of\s+)?(?:serving\s+)?(?:police\s+)?(?:officers|staff|employees|workers|personnel|officials)(?:\s+and\s+(?:support\s+|police\s+)?staff)?\s+(?:in\s+[^,.;]{0,50}?\s+)?(?:have\s+been\s+|had\s+been\s+|were\s+|being\s+|was\s+)?(?:caught|disciplined|sacked|dismissed|investigated|punished|reprimanded|found)|(?:figures|statistics)\s+(?:show|shows|reveal|reveals|obtained|released)(?-u:\b))").unwrap()
});

/// Data put where anyone can read it: "published online", "revealed ... on its website".
static PUT_ONLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:published|posted|uploaded|revealed|made\s+available|put|placed|visible|viewable|accessible)(?-u:\b)[^.;]{0,80}?(?-u:\b)(?:online|on\s+(?:its|the|a)\s+(?:[a-z]+\s+)?website|on\s+the\s+internet)(?-u:\b)").unwrap()
});

/// Tallies of lost kit ("forces lost 328 laptops and phones", "79 losses"): statistics over
/// many events, not one breach. Ten or more: one incident may lose a few devices.
static LOSS_TALLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:lose|loses|lost|losing|misplaced|mislaid)\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+|around\s+|about\s+)?\d{2,}[\d,]*\s+(?:[a-z-]+\s+){0,2}?(?:devices|laptops|phones|tablets|computers|radios|items|cameras)(?-u:\b)|(?-u:\b)\d[\d,]*\s+(?:losses|thefts)(?-u:\b)").unwrap()
});

/// "arrested by (officers from) <force>": the gap between an arrest verb and the force.
static BY_FORCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:by|from)\s+(?:the\s+)?(?:(?:officers|detectives|police|investigators|members)\s+(?:from|of|at|with)\s+(?:the\s+)?)?$").unwrap()
});

/// "no operational data", "no other personal information": a negation cue before a list of types.
static NO_DATA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:no|none of the|not any|nor any)\s+(?:[a-z-]+\s+){0,2}?(?:data|information|details|records|particulars|info)(?-u:\b)").unwrap()
});

static OTHER_VICTIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:attack|attacks|hack|hacking|breach|intrusion)\s+(?:on|of|at|against)\s+([^,.;]{0,70})").unwrap()
});

const POLICE_ISH: &[&str] = &[
    "police",
    "force",
    "constabular",
    "department",
    "its ",
    "their ",
    "officer",
    "supplier",
    "contractor",
    "that makes",
    "which makes",
    "that produces",
    "that prints",
    "maker",
    "printer",
    "the power",
    "staff",
    "personnel",
    "we ",
    "our ",
];

fn other_victim(text: &str) -> bool {
    OTHER_VICTIM.captures_iter(text).any(|c| {
        let obj = c
            .get(1)
            .map(|m| m.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        !POLICE_ISH.iter().any(|w| obj.contains(w))
    })
}

/// Data subjects that point at a non-police victim organisation.
const OTHER_VICTIM_NOUNS: &[&str] = &[
    "customers",
    "customer's",
    "shoppers",
    "subscribers",
    "account holders",
    "retailer",
    "patients",
    "pupils",
    "students",
    "parents",
    "the company's",
    "the firm's",
    "the bank's",
    "the council's",
    "the school's",
    "the hospital",
    "the university",
    "members' personal",
    "club",
    "passengers",
    "users' ",
    "gamers",
    "clients",
];

/// Words allowed between a force name and "breach"/"leak" ("the LAPD applicant database breach").
const ADJ_OK: &[&str] = &[
    "",
    "s",
    "data",
    "information",
    "applicant",
    "database",
    "system",
    "systems",
    "personnel",
    "staff",
    "officer",
    "officers",
    "it",
    "security",
    "cyber",
    "email",
    "e-mail",
    "spreadsheet",
    "foi",
    "pay",
    "payroll",
    "records",
    "files",
    "privacy",
    "recruitment",
    "workforce",
    "hr",
    "supplier",
    "major",
    "huge",
    "massive",
    "latest",
    "recent",
    "serious",
];

static SINGULAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:a|an|one)\s+(?:[a-z-]+\s+){0,2}?(?:woman|man|girl|boy|victim|complainant|witness|child|teenager|detective constable|pensioner|mother|father|resident|member of the public)(?:['’]s)?(?-u:\b)").unwrap()
});

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

const BAD_SUPPLIER: &[&str] = &[
    "The", "It", "This", "That", "A", "An", "In", "He", "She", "They", "We", "Digital",
];

fn in_range<T: Copy>(hits: &[Hit<T>], s: usize, e: usize) -> &[Hit<T>] {
    let a = hits.partition_point(|h| h.start < s);
    let b = hits.partition_point(|h| h.start < e);
    let slice = &hits[a..b];
    // drop hits running over the end
    let n = slice.iter().take_while(|h| h.end <= e).count();
    if n == slice.len() {
        slice
    } else {
        &slice[..n]
    }
}

fn has(cues: &[Hit<Cue>], c: Cue) -> bool {
    cues.iter().any(|h| h.tag == c)
}

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

/// One of the force's own people losing, sending or leaking data.
static STAFF_CAUSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:an?|one of its|its own|its)\s+(?:(?:serving|police|special|civilian|former)\s+)?(?:officers?|detectives?|constables?|members? of staff|staff members?|employees?|workers?|call handlers?|pcsos?)\b[^.;]{0,40}?\b(?:lost|left|mislaid|misplaced|dropped|sent|emailed|shared|published|disclosed|leaked|accessed|uploaded|posted)\b").unwrap()
});

/// "<force> is investigating (after) a cyber attack": an event named with no other victim
/// ("... on a local retailer", "... at a school") is the force's own.
static OWN_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:is|are|has been|have been|was|were)\s+investigating\s+(?:after\s+)?(?:an?|the)\s+(?:possible\s+|suspected\s+|potential\s+|apparent\s+)?(?:[\w-]+\s+){0,2}?(?:cyber[- ]?attack|ransomware attack|attack|data breach|breach|hack|leak|security incident|data loss|(theft|loss)\s+of\s+(?:an?|the|its|some)?\s*(?:[\w-]+\s+){0,2}?(?:laptops?|computers?|phones?|devices?|notebooks?|files?|documents?|papers?|paperwork|discs?|disks?|records?|data|bags?|usb sticks?|memory sticks?))\b").unwrap()
});

fn own_event(rest: &str) -> bool {
    OWN_EVENT.find(rest).is_some_and(|m| {
        let after = rest[m.end()..].trim_start();
        ![
            "on ",
            "at ",
            "against ",
            "of ",
            "targeting ",
            "affecting ",
            "in ",
        ]
        .iter()
        .any(|p| after.starts_with(p))
    })
}

fn crosses_boundary(seg: &str) -> bool {
    STRONG_BOUNDARIES.iter().any(|b| seg.contains(b))
}

fn mention_role(ldoc: &str, m: &Mention, sent: &Sentence, cues: &[Hit<Cue>]) -> Role {
    if has(cues, Cue::NotInvolved) {
        return Role::NotInvolved;
    }
    // location: "Dyfed-Powys force area"
    let rest = ldoc[m.end..sent.end].trim_start();
    if rest.starts_with("area")
        || cues
            .iter()
            .any(|h| h.tag == Cue::AreaWord && h.start < m.end && h.end > m.end)
    {
        return Role::Location;
    }
    // recipient: "posted to Cleveland Police", "meant for Cleveland Police"
    for h in cues.iter().filter(|h| h.tag == Cue::Recipient) {
        if h.end <= m.start && m.start - h.end <= 6 {
            let gap = ldoc[h.end..m.start].trim();
            if gap.is_empty() || gap == "the" {
                return Role::Recipient;
            }
        }
    }
    let self_marked = has(cues, Cue::SelfMarker) || has(cues, Cue::PolicePossessive);
    if !self_marked {
        for h in cues.iter().filter(|h| h.tag == Cue::Arrest) {
            // "<force> ... arrested" or "arrested/charged/detained by (officers from) <force>"
            if h.start >= m.end && h.start - m.end <= 45 {
                return Role::Investigator;
            }
            if h.end <= m.start && m.start - h.end <= 40 && BY_FORCE.is_match(&ldoc[h.end..m.start])
            {
                return Role::Investigator;
            }
        }
        // "<force> is investigating after an officer lost a notebook": its own staff caused it.
        if STAFF_CAUSED.is_match(&ldoc[m.end..sent.end]) || own_event(&ldoc[m.end..sent.end]) {
            return Role::Normal;
        }
        if !has(cues, Cue::OtherAgency) {
            for h in cues.iter().filter(|h| h.tag == Cue::Investigator) {
                if h.start >= m.end && h.start - m.end <= 45 {
                    return Role::Investigator;
                }
            }
        }
    }
    Role::Normal
}

fn ids_key(ids: &BTreeSet<String>) -> BTreeSet<String> {
    ids.clone()
}

/// Keys of an aside: another story of the same body told in passing ("It comes after the
/// force apologised for ...", "In a second incident, ..."). The aside's facts are kept under
/// the body's ids plus a tag that no force id can be (it starts with a NUL), so each aside
/// becomes a report of its own and never lends its facts to the main story.
const ASIDE_TAG: char = '\0';

fn aside_key(ids: &BTreeSet<String>, n: usize) -> BTreeSet<String> {
    let mut k = ids.clone();
    k.insert(format!("{ASIDE_TAG}aside{n}"));
    k
}

/// Phrases that turn a sentence to an earlier or other breach of the body in focus: the
/// facts after them belong to that other story. "follows" as in "the incident follows a
/// data breach last week"; "another breach", "in a second incident", "last week's leak".
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?:comes|came|coming)\s+(?:just\s+|only\s+)?(?:(?:a|two|three|four|a\s+few|several|\d+)\s+(?:days?|weeks?|months?)\s+)?after|(?:it|this|which|incident|loss|theft|breach|leak|news|disclosure)\s+follows|in\s+a\s+(?:second|separate|further|third|different)\s+(?:incident|breach|case|leak|data\s+breach)|another\s+(?:[a-z'’-]+\s+){0,2}?(?:breach|leak|data\s+breach)|(?:last\s+week|last\s+month|earlier)['’]s\s+(?:[a-z'’-]+\s+){0,2}?(?:breach|leak)|the\s+second\s+(?:involved|saw|was|came|breach|incident))(?-u:\b)").unwrap()
});

/// Whether `text` contains one of `words`: a cheap test before a regex that needs one of
/// them (most sentences have none, and a regex of alternatives scans every byte).
fn any_of(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Words that put a headline's loss, theft, email or misuse about data.
const DATA_WORDS: &[&str] = &[
    "data",
    "details",
    "information",
    "records",
    "files",
    "laptop",
    "computer",
    "database",
    "email",
    "e-mail",
    "letter",
    "disc",
    "disk",
    "spreadsheet",
    "systems",
    "documents",
    "paperwork",
    "notebook",
    "footage",
    "recordings",
    "usb",
    "memory stick",
];

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

/// Splits a sentence's facts at `pos`: those before stay with the main story, those after go
/// to the aside.
fn split_facts(f: &SentFacts, pos: usize) -> (SentFacts, SentFacts) {
    /// The facts of `v` before `pos`, and those at or after it.
    fn part<T: Clone>(v: &[T], at: impl Fn(&T) -> usize, pos: usize) -> (Vec<T>, Vec<T>) {
        v.iter().cloned().partition(|x| at(x) < pos)
    }
    let (types, types_after) = part(&f.types, |x| x.0, pos);
    let (negs, negs_after) = part(&f.negs, |x| x.0, pos);
    let (counts, counts_after) = part(&f.counts, |c| c.start, pos);
    let (causes, causes_after) = part(&f.causes, |x| x.0, pos);
    let (supplier, supplier_after) = part(&f.supplier, |p| *p, pos);
    let (devs, devs_after) = part(&f.devs, |d| d.0, pos);
    let before = SentFacts {
        types,
        negs,
        counts,
        causes,
        supplier,
        devs,
        singular: f.singular,
        has_money: f.has_money,
        supplier_name: f.supplier_name.clone(),
    };
    let after = SentFacts {
        types: types_after,
        negs: negs_after,
        counts: counts_after,
        causes: causes_after,
        supplier: supplier_after,
        devs: devs_after,
        ..SentFacts::default()
    };
    (before, after)
}

/// Analyse one sentence's facts.
#[allow(clippy::too_many_arguments)]
fn sentence_facts(
    doc: &str,
    ldoc: &str,
    s: &Sentence,
    types: &[Hit<TypeTag>],
    negs: &[Hit<Neg>],
    causes: &[Hit<CauseCue>],
    cues: &[Hit<Cue>],
    mention_spans: &[(usize, usize)],
    skip_facts: bool,
) -> SentFacts {
    let mut f = SentFacts::default();
    if skip_facts {
        return f;
    }
    let text = &doc[s.start..s.end];
    let email_ctx = has(cues, Cue::EmailCtx);
    let no_data: Vec<(usize, usize)> = if types.is_empty() {
        Vec::new()
    } else {
        NO_DATA
            .find_iter(&ldoc[s.start..s.end])
            .map(|m| (s.start + m.start(), s.start + m.end()))
            .collect()
    };
    // ---- data types with negation
    for (i, h) in types.iter().enumerate() {
        if mention_spans.iter().any(|&(a, b)| h.start < b && a < h.end) {
            continue;
        }
        let mut ty = h.tag.ty;
        let phrase = &ldoc[h.start..h.end];
        if h.tag.weak {
            let near = types.iter().enumerate().any(|(j, o)| {
                j != i && !(o.tag.weak && o.tag.ty == ty) && {
                    let gap = o
                        .start
                        .saturating_sub(h.end)
                        .max(h.start.saturating_sub(o.end));
                    gap <= 40
                }
            });
            if !near {
                continue;
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
                continue;
            }
            if email_ctx {
                ty = DataType::EmailAddress;
            }
        }
        if ty == DataType::VictimDetails {
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
                continue;
            }
        }
        if ty == DataType::Rank && phrase == "rank" {
            let after = &ldoc[h.end..s.end];
            if after.starts_with("-and-file")
                || after.starts_with(" and file")
                || after.starts_with(" and-file")
            {
                continue;
            }
        }
        if ty == DataType::Name && (phrase == "name" || phrase == "the name") {
            let after = &ldoc[h.end..s.end];
            if after.starts_with(" and shame") || after.starts_with(" of the") {
                continue;
            }
        }
        // negation
        let mut negated = no_data
            .iter()
            .any(|&(_, ne)| ne <= h.start && !crosses_boundary(&ldoc[ne..h.start]));
        for n in negs {
            match n.tag {
                Neg::Pre => {
                    if n.end <= h.start && !crosses_boundary(&ldoc[n.end..h.start]) {
                        negated = true;
                    }
                }
                Neg::Post => {
                    if n.start >= h.end && !crosses_boundary(&ldoc[h.end..n.start]) {
                        // an exposure verb between the type and the cue ends the scope
                        let between_exposure = cues.iter().any(|c| {
                            c.start >= h.end
                                && c.end <= n.start
                                && matches!(c.tag, Cue::Exposure)
                                && {
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
            let before = &ldoc[s.start..h.start];
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
        if negated {
            f.negs.push((h.start, ty));
        } else {
            f.types.push((h.start, ty));
        }
    }
    // ---- counts
    let litigation = has(cues, Cue::Litigation);
    let affected = cues
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
    f.has_money = !money.is_empty();
    if !litigation && affected {
        for c in numbers::counts_in(text, s.start) {
            if money
                .iter()
                .any(|m| c.start < s.start + m.3 && s.start + m.2 < c.end)
            {
                continue;
            }
            f.counts.push(c);
        }
    }
    if has(cues, Cue::Person) && SINGULAR.is_match(text) {
        f.singular = true;
    }
    // ---- causes
    let retention = causes.iter().any(|c| c.tag == CauseCue::Retention);
    let mut err = None;
    let mut disc = None;
    let mut phys = false;
    let mut loss = None;
    let mut stolen = None;
    let mut cyber_word = false;
    for c in causes {
        // negated cause ("no evidence of a cyber attack")
        let neg_before = negs
            .iter()
            .any(|n| n.tag == Neg::Pre && n.end <= c.start && c.start - n.end <= 30);
        match c.tag {
            CauseCue::Direct(cause, w) => {
                if neg_before {
                    continue;
                }
                if cause == Cause::DataLoss && retention {
                    continue;
                }
                if matches!(cause, Cause::CyberAttack | Cause::Ransomware) {
                    cyber_word = true;
                }
                f.causes.push((c.start, cause, w as u32));
            }
            CauseCue::ErrorWord => err = err.or(Some(c.start)),
            CauseCue::DisclosureWord => disc = disc.or(Some(c.start)),
            CauseCue::PhysicalObject => phys = true,
            CauseCue::LossVerb => loss = loss.or(Some(c.start)),
            CauseCue::StolenWord => stolen = stolen.or(Some(c.start)),
            CauseCue::Retention => {}
        }
    }
    // "were published online", "revealed ... on its website": personal data put where anyone
    // can read it, with no attacker named, is a disclosure (weakly: an error word, a hack
    // or a leak by a person says more).
    if err.is_none() && !cyber_word {
        if let Some(d) = disc {
            let lower = &ldoc[s.start..s.end];
            if PUT_ONLINE.is_match(lower) {
                f.causes.push((d, Cause::AccidentalDisclosure, 1));
            }
        }
    }
    if let (Some(e), Some(d)) = (err, disc) {
        let lower = &ldoc[s.start..s.end];
        if !(lower.contains("human error") && email_ctx) {
            f.causes.push((e.min(d), Cause::AccidentalDisclosure, 2));
        }
    }
    if let Some(l) = loss {
        if phys {
            f.causes.push((l, Cause::LossOrTheft, 2));
        } else if !retention {
            let lower = &ldoc[s.start..s.end];
            if [
                "system", "server", "storage", "drive", "database", "cloud", "backup", "data",
                "footage", "archive",
            ]
            .iter()
            .any(|w| lower.contains(w))
            {
                f.causes.push((l, Cause::DataLoss, 1));
            }
        }
    }
    if let Some(st) = stolen {
        if phys && !cyber_word {
            f.causes.push((st, Cause::LossOrTheft, 2));
        }
    }
    // ---- supplier
    for c in cues.iter().filter(|c| c.tag == Cue::Supplier) {
        f.supplier.push(c.start);
    }
    if !f.supplier.is_empty() {
        for re in SUPPLIER_NAME.iter() {
            if let Some(c) = re.captures(text) {
                let n = c
                    .get(1)
                    .map(|m| m.as_str().trim().to_string())
                    .unwrap_or_default();
                let first = n.split_whitespace().next().unwrap_or("");
                if !n.is_empty()
                    && !BAD_SUPPLIER.contains(&first)
                    && forces::find_mentions(&n).is_empty()
                {
                    f.supplier_name = Some(n);
                    break;
                }
            }
        }
        if f.supplier_name.is_none() {
            // "Digital ID, which produces ..." is caught above; also "the supplier, X,"
        }
    }
    // ---- developments
    let hypothetical = has(cues, Cue::Hypothetical);
    let fine_money = !money.is_empty();
    let first_money = money.first().map(|m| (m.0, m.1.clone()));
    for c in cues {
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
        if let Some(k) = kind {
            if f.devs.iter().any(|d| d.1 == k) {
                continue;
            }
            let amt = if matches!(k, DevelopmentKind::Fine | DevelopmentKind::Compensation) {
                first_money.clone()
            } else {
                None
            };
            f.devs.push((c.start, k, amt));
        }
    }
    f
}

/// Strong "the police body is the victim" cue in a sentence.
#[allow(clippy::too_many_arguments)]
fn victim_cue(
    doc: &str,
    ldoc: &str,
    s: &Sentence,
    cues: &[Hit<Cue>],
    f: &SentFacts,
    has_group: bool,
    group_starts: &[usize],
    group_ends: &[usize],
    first_person: bool,
) -> Cue2 {
    let text = &ldoc[s.start..s.end];
    let retention = text.contains("retention") || text.contains("automatically");
    let penalty = has(cues, Cue::Penalty)
        || has(cues, Cue::Reprimand)
        || has(cues, Cue::Enforcement)
        || has(cues, Cue::FineWord);
    let police_word = penalty
        && (has_group
            || [
                "force",
                "police",
                "constabulary",
                "department",
                "the power",
                "plod",
                "cop",
                "officer",
            ]
            .iter()
            .any(|w| text.contains(w)));
    let hyp = has(cues, Cue::Hypothetical);
    let fine_money = has(cues, Cue::FineWord) && f.has_money;
    let a = !hyp
        && police_word
        && (has(cues, Cue::Penalty)
            || has(cues, Cue::Reprimand)
            || has(cues, Cue::Enforcement)
            || fine_money);
    let exposure = has(cues, Cue::Exposure) || has(cues, Cue::Breach);
    let personal = has(cues, Cue::Personnel)
        || has(cues, Cue::PolicePossessive)
        || (has_group && has(cues, Cue::Officers))
        || text.contains("its supplier")
        || text.contains("its contractor")
        || (first_person && (text.contains(" our ") || text.starts_with("our ")));
    let b = exposure && personal && !retention;
    let strong_cause = f
        .causes
        .iter()
        .any(|(_, c, w)| *w >= 2 && !(*c == Cause::DataLoss && retention));
    // titles are terse ("Suffolk County police help after county hack"): there the force must own the data
    // Titles are terse ("Suffolk County police help after county hack"): there an attack
    // needs the body to own the data; a loss, a misdirected email, a disclosure or misuse by
    // the body named is its own.
    // The title must be about data ("recovered stolen machinery" is a theft, not a breach).
    let own_kind = f.causes.iter().any(|(_, c, w)| {
        *w >= 2 && !matches!(c, Cause::CyberAttack | Cause::Ransomware | Cause::Unknown)
    }) && (!f.types.is_empty() || any_of(text, DATA_WORDS));
    let c = strong_cause
        && (personal || (has_group && (!s.is_title || own_kind)))
        && (personal || !OTHER_VICTIM_NOUNS.iter().any(|w| text.contains(w)))
        && !other_victim(&doc[s.start..s.end]);
    let d = (has(cues, Cue::SelfReport) || has(cues, Cue::Apology))
        && (exposure
            || text.contains("data")
            || text.contains("information")
            || text.contains("details"));
    // A breach word, or a phrase ending in one that the body's name runs into ("Kent Police
    // data breach" is read as "police data breach").
    let breachy = |h: &Hit<Cue>| {
        h.tag == Cue::Breach
            || (h.tag == Cue::PolicePossessive
                && ["breach", "breaches", "leak", "hack"]
                    .iter()
                    .any(|w| ldoc[h.start..h.end].ends_with(w)))
    };
    // "<force> ... breach" adjacency
    let e = cues.iter().any(|h| {
        (breachy(h) && group_ends.iter().any(|&ge| h.start < ge && h.end > ge))
            || h.tag == Cue::Breach
                && group_ends.iter().any(|&ge| {
                    h.start >= ge && h.start - ge <= 30 && {
                        let gap = &ldoc[ge..h.start];
                        gap.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                            .filter(|w| !w.is_empty())
                            .all(|w| {
                                ADJ_OK.contains(&w.trim_end_matches("'s").trim_end_matches("’s"))
                            })
                    }
                })
    });
    // "a data breach at <force>", "cyber attack on <force>": the body is the object of the event
    let g = cues.iter().any(|h| {
        h.tag == Cue::Breach
            && group_starts.iter().any(|&gs| {
                gs >= h.end && gs - h.end <= 30 && EVENT_OBJECT.is_match(&ldoc[h.end..gs])
            })
    }) || (any_of(text, &["hack", "cyber", "ransom", "malware"])
        && CYBER_WORD.is_match(text)
        && group_starts
            .iter()
            .any(|&gs| ATTACK_ON.is_match(&ldoc[s.start..gs])));
    // A headline naming a body and then a breach, leak or hack ("<force> on alert after IT
    // security breach"): headlines name the victim first; an investigator or arresting force
    // has no group here (see `mention_role`), and a warning or appeal is not a breach.
    let h = s.is_title
        && cues
            .iter()
            .any(|h| breachy(h) && group_ends.first().is_some_and(|&ge| h.end > ge))
        && !NOT_A_BREACH_HEADLINE.is_match(text)
        && !OTHER_VICTIM_NOUNS.iter().any(|w| text.contains(w))
        && !other_victim(&doc[s.start..s.end]);
    // An exposure verb next to the body's people ("officers ... stolen") is a weak cue: enough
    // with facts, not enough for a headline alone ("Officers recovered stolen machinery").
    let weak_only = b && !has(cues, Cue::Breach) && !any_of(text, DATA_WORDS);
    if a || c || d || e || g || h || (b && !weak_only) {
        Cue2::Strong
    } else if b {
        Cue2::Weak
    } else {
        Cue2::None
    }
}

/// How strongly a sentence makes a body a breach's victim (see [`victim_cue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue2 {
    None,
    Weak,
    Strong,
}

/// The words between an event noun and the body it happened to: "breach at", "attack on the".
static EVENT_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:at|of|on|against|affecting|hitting|involving|targeting|targetting)\s+(?:the\s+)?$",
    )
    .unwrap()
});

/// "attack on (the)" just before a body, in a sentence about a cyber attack (an attack on an
/// officer is an assault, not a breach).
static ATTACK_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)attacks?\s+(?:on|against|targeting|targetting)\s+(?:the\s+)?$").unwrap()
});

static CYBER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:ransomware|hack|hacks|hacked|hackers?|hacking|cyber|cyber-?attacks?|malware)(?-u:\b)").unwrap()
});

/// Headlines that use breach words without reporting a breach of the body named: warnings,
/// appeals and advice to the public, help given to another victim, or a breach named after
/// another organisation ("county hack", "school data breach").
static NOT_A_BREACH_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:warns?|warning|scams?|scammers|fraudsters?|appeals?|advice|tips|urges?|helps?|helping|assists?|assisting|supports?|supporting)(?-u:\b)|(?-u:\b)(?:council|county|city|school|college|university|hospital|nhs|firm|company|retailer|bank|club|airline|charity|government)\s+(?:data\s+|cyber\s+|ransomware\s+|security\s+)?(?:breach|hack|leak|attack|cyber-?attack)(?-u:\b)").unwrap()
});

pub fn run(input: &ArticleInput) -> Extraction {
    let doc = super::document(input.title, input.text);
    let ldoc = doc.to_ascii_lowercase();
    let sents = text::split(&doc, input.title.len());
    let facts::Scan {
        types: type_hits,
        negs: neg_hits,
        causes: cause_hits,
        cues: cue_hits,
        forces: force_hits,
    } = facts::scan(&doc);
    let mentions = forces::mentions_from(&doc, force_hits);
    let mention_spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();

    let mut warnings = Vec::new();
    let mut accs: BTreeMap<BTreeSet<String>, Acc> = BTreeMap::new();
    let mut excluded: BTreeSet<String> = BTreeSet::new();
    let mut focus: Option<BTreeSet<String>> = None;
    // force sets named as one body ("Norfolk and Suffolk Police") or forming a known collaboration
    let mut joint_keys: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    let mut pending: Vec<(usize, SentFacts, bool, bool)> = Vec::new();
    let mut asides = 0usize;
    let mut first_person = false;

    // press release: first person text, force named only in source
    let lower_text = input.text.to_ascii_lowercase();
    if lower_text.contains(" we ") || lower_text.starts_with("we ") || lower_text.contains("\nwe ")
    {
        first_person = true;
    }
    let source_forces = forces::forces_in_source(input.source);
    let mut press_release = false;
    if first_person
        && !source_forces.is_empty()
        && !mentions.iter().any(|m| m.start < input.title.len())
    {
        focus = Some(source_forces.clone());
        press_release = true;
        warnings.push("forces taken from the source name (first-person press release)".to_string());
    }

    // pass 1: mention groups and roles per sentence
    struct SentMentions {
        groups: Vec<Group>,
        any_mention: bool,
        not_involved_ids: Vec<String>,
    }
    let mut sm: Vec<SentMentions> = Vec::with_capacity(sents.len());
    for s in sents.iter() {
        let cues = in_range(&cue_hits, s.start, s.end);
        let a = mentions.partition_point(|m| m.start < s.start);
        let ms: Vec<&Mention> = mentions[a..]
            .iter()
            .take_while(|m| m.start < s.end)
            .filter(|m| m.end <= s.end)
            .collect();
        let mut groups: Vec<Group> = Vec::new();
        let mut ni = Vec::new();
        for m in &ms {
            match mention_role(&ldoc, m, s, cues) {
                Role::Normal => {
                    if let Some(last) = groups.last_mut() {
                        let gap = doc[last.end..m.start].trim();
                        if matches!(gap, "and" | "&" | "," | ", and" | "or") {
                            last.end = m.end;
                            last.ids.extend(m.ids.iter().cloned());
                            last.spans.push(Span {
                                start: m.start,
                                end: m.end,
                            });
                            continue;
                        }
                    }
                    if m.ids.len() > 1 {
                        joint_keys.insert(m.ids.clone());
                    }
                    groups.push(Group {
                        start: m.start,
                        end: m.end,
                        ids: m.ids.clone(),
                        spans: vec![Span {
                            start: m.start,
                            end: m.end,
                        }],
                    });
                }
                Role::NotInvolved => ni.extend(m.ids.iter().cloned()),
                _ => {}
            }
        }
        sm.push(SentMentions {
            groups,
            any_mention: !ms.is_empty(),
            not_involved_ids: ni,
        });
    }
    // forces named (normal role) per paragraph
    let mut para_forces: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (si, s) in sents.iter().enumerate() {
        let e = para_forces.entry(s.para).or_default();
        for g in &sm[si].groups {
            e.extend(g.ids.iter().cloned());
        }
    }
    let mut saved_focus: Option<BTreeSet<String>> = None;
    let mut cur_para = usize::MAX;

    for (si, s) in sents.iter().enumerate() {
        // paragraph switch: if this paragraph names other forces than the one in focus, its leading
        // sentences belong to the paragraph's first named force (round-ups).
        if s.para != cur_para {
            if let Some(sf) = saved_focus.take() {
                if focus.is_none() {
                    let acc = accs.entry(sf.clone()).or_default();
                    for (psi, pf, pc, ph) in pending.drain(..) {
                        let ps = &sents[psi];
                        add_facts(
                            acc,
                            &pf,
                            Span {
                                start: ps.start,
                                end: ps.end,
                            },
                            psi,
                            pc,
                            ph,
                        );
                    }
                    focus = Some(sf);
                }
            }
            cur_para = s.para;
            let pf = para_forces.get(&s.para).cloned().unwrap_or_default();
            if let Some(fc) = &focus {
                let first_has_group = !sm[si].groups.is_empty();
                if !pf.is_empty() && !first_has_group && pf.intersection(fc).next().is_none() {
                    saved_focus = focus.take();
                }
            }
        }
        let cues = in_range(&cue_hits, s.start, s.end);
        let text = &doc[s.start..s.end];
        let generic = has(cues, Cue::Generic);
        let stats = ((ldoc[s.start..s.end].contains("breaches")
            || ldoc[s.start..s.end].contains("incidents"))
            && STATS.is_match(text))
            || (any_of(
                &ldoc[s.start..s.end],
                &["los", "mislaid", "misplaced", "theft"],
            ) && LOSS_TALLY.is_match(text))
            || (any_of(&ldoc[s.start..s.end], OFFENDER_WORDS)
                && OFFENDER_TALLY.is_match(&ldoc[s.start..s.end]));
        let mut groups = sm[si].groups.clone();
        let mut not_involved = !sm[si].not_involved_ids.is_empty();
        excluded.extend(sm[si].not_involved_ids.iter().cloned());
        if !sm[si].any_mention && has(cues, Cue::NotInvolved) {
            // "no police systems or records were involved": the force in play is not the victim
            not_involved = true;
            if let Some(fc) = &focus {
                excluded.extend(fc.iter().cloned());
            }
        }
        groups.retain(|g| !g.ids.iter().all(|i| excluded.contains(i)));
        if not_involved {
            if let Some(fc) = &focus {
                if fc.iter().any(|i| excluded.contains(i)) {
                    focus = None;
                }
            }
        }
        let investigator_only = groups.is_empty() && sm[si].any_mention && !not_involved;
        let f = sentence_facts(
            &doc,
            &ldoc,
            s,
            in_range(&type_hits, s.start, s.end),
            in_range(&neg_hits, s.start, s.end),
            in_range(&cause_hits, s.start, s.end),
            cues,
            &mention_spans,
            generic || stats || not_involved || investigator_only,
        );
        let group_ends: Vec<usize> = groups.iter().map(|g| g.end).collect();
        let group_starts: Vec<usize> = groups.iter().map(|g| g.start).collect();
        let strength = if generic || stats || not_involved {
            Cue2::None
        } else {
            victim_cue(
                &doc,
                &ldoc,
                s,
                cues,
                &f,
                !groups.is_empty(),
                &group_starts,
                &group_ends,
                press_release,
            )
        };
        let cue = strength != Cue2::None;
        // Only a strong cue in the headline makes a report without facts (see `Acc::headline`).
        let headline = s.is_title && strength == Cue2::Strong;
        let span = Span {
            start: s.start,
            end: s.end,
        };
        // An aside to another story of the body in focus (not in the headline).
        let aside_at = if s.is_title {
            None
        } else {
            let l = &ldoc[s.start..s.end];
            let maybe = any_of(l, &["after", "follows", "in a ", "another", "second"])
                || ((l.contains("'s") || l.contains("’s")) && any_of(l, &["breach", "leak"]));
            if maybe {
                ASIDE.find(l).map(|m| s.start + m.start())
            } else {
                None
            }
        };

        if groups.is_empty() {
            if investigator_only || not_involved {
                continue;
            }
            match &focus {
                Some(fc) => {
                    if let Some(pos) = aside_at {
                        let (main, other) = split_facts(&f, pos);
                        asides += 1;
                        let acc = accs.entry(ids_key(fc)).or_default();
                        add_facts(acc, &main, span, si, cue, false);
                        let acc = accs.entry(aside_key(fc, asides)).or_default();
                        add_facts(acc, &other, span, si, true, false);
                        continue;
                    }
                    let acc = accs.entry(ids_key(fc)).or_default();
                    add_facts(acc, &f, span, si, cue, headline);
                }
                None => pending.push((si, f, cue, headline)),
            }
            continue;
        }
        saved_focus = None;
        // attribute facts by position to groups
        let mut per_group: Vec<SentFacts> = vec![SentFacts::default(); groups.len()];
        let gi_of = |pos: usize| -> usize {
            let mut gi = 0;
            for (k, g) in groups.iter().enumerate() {
                if g.start <= pos {
                    gi = k;
                }
            }
            gi
        };
        for &(p, t) in &f.types {
            per_group[gi_of(p)].types.push((p, t));
        }
        for &(p, t) in &f.negs {
            per_group[gi_of(p)].negs.push((p, t));
        }
        for c in &f.counts {
            per_group[gi_of(c.start)].counts.push(c.clone());
        }
        for &(p, c, w) in &f.causes {
            per_group[gi_of(p)].causes.push((p, c, w));
        }
        for &p in &f.supplier {
            per_group[gi_of(p)].supplier.push(p);
        }
        for d in &f.devs {
            per_group[gi_of(d.0)].devs.push(d.clone());
        }
        if f.supplier_name.is_some() {
            let gi = f.supplier.first().map(|&p| gi_of(p)).unwrap_or(0);
            per_group[gi].supplier_name = f.supplier_name.clone();
        }
        if f.singular {
            per_group[0].singular = true;
        }
        // choose new focus: the group with most facts (first on ties)
        let mut best = 0;
        let mut best_n = 0;
        for (k, pg) in per_group.iter().enumerate() {
            let n = pg.types.len() + pg.negs.len() + pg.counts.len() + pg.causes.len();
            if n > best_n {
                best = k;
                best_n = n;
            }
        }
        // With no facts to decide, a sentence naming the body in focus and another ("though
        // not as bad as the leak at X") stays on the body in focus.
        if best_n == 0 {
            if let Some(k) = focus
                .as_ref()
                .and_then(|fc| groups.iter().position(|g| &g.ids == fc))
            {
                best = k;
            }
        }
        let comparison = has(cues, Cue::Comparison) && best_n == 0;
        for (k, g) in groups.iter().enumerate() {
            // The body in focus named again after an aside marker ("... follows another
            // breach at X"): what follows the marker is that other story.
            if let Some(pos) = aside_at.filter(|p| *p <= g.start && focus.as_ref() == Some(&g.ids))
            {
                let (main, other) = split_facts(&per_group[k], pos);
                asides += 1;
                let acc = accs.entry(ids_key(&g.ids)).or_default();
                acc.evidence.extend(g.spans.iter().copied());
                add_facts(acc, &main, span, si, cue, false);
                let acc = accs.entry(aside_key(&g.ids, asides)).or_default();
                acc.evidence.extend(g.spans.iter().copied());
                add_facts(acc, &other, span, si, true, false);
                continue;
            }
            let acc = accs.entry(ids_key(&g.ids)).or_default();
            acc.evidence.extend(g.spans.iter().copied());
            add_facts(acc, &per_group[k], span, si, cue, headline);
        }
        if !comparison || focus.is_none() {
            let new_focus = groups[best].ids.clone();
            if focus.is_none() && !pending.is_empty() {
                let acc = accs.entry(ids_key(&new_focus)).or_default();
                for (psi, pf, pc, ph) in pending.drain(..) {
                    let ps = &sents[psi];
                    add_facts(
                        acc,
                        &pf,
                        Span {
                            start: ps.start,
                            end: ps.end,
                        },
                        psi,
                        pc,
                        ph,
                    );
                }
            }
            focus = Some(new_focus);
        }
    }
    if let Some(sf) = saved_focus.take() {
        if focus.is_none() {
            let acc = accs.entry(sf).or_default();
            for (psi, pf, pc, ph) in pending.drain(..) {
                let ps = &sents[psi];
                add_facts(
                    acc,
                    &pf,
                    Span {
                        start: ps.start,
                        end: ps.end,
                    },
                    psi,
                    pc,
                    ph,
                );
            }
        }
    }

    // drop excluded forces; split sets of separately named forces ("the Met and GMP") that are not
    // one body or a known collaboration: each force gets the facts stated for the pair
    let collabs = &forces::gazetteer().collabs;
    let mut merged: BTreeMap<BTreeSet<String>, Acc> = BTreeMap::new();
    // An aside whose cause is not stated cannot be told apart from the main story (an earlier
    // phase of the same breach, often): its facts go back to the body's main story.
    let untold: Vec<BTreeSet<String>> = accs
        .iter()
        .filter(|(k, v)| {
            k.iter().any(|i| i.starts_with(ASIDE_TAG))
                && !v.causes.keys().any(|c| *c != Cause::Unknown)
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in untold {
        if let Some(mut v) = accs.remove(&k) {
            // The aside's cue was its marker's, not a sign the main story is a breach.
            v.cues = 0;
            let main: BTreeSet<String> = k
                .into_iter()
                .filter(|i| !i.starts_with(ASIDE_TAG))
                .collect();
            merge_acc(accs.entry(main).or_default(), v);
        }
    }
    for (k, mut v) in accs {
        let tag: Option<String> = k.iter().find(|i| i.starts_with(ASIDE_TAG)).cloned();
        v.aside = tag.is_some();
        let k2: BTreeSet<String> = k
            .into_iter()
            .filter(|i| !excluded.contains(i) && !i.starts_with(ASIDE_TAG))
            .collect();
        if k2.is_empty() {
            continue;
        }
        let tagged = |mut k: BTreeSet<String>| {
            k.extend(tag.iter().cloned());
            k
        };
        let joint =
            k2.len() == 1 || joint_keys.contains(&k2) || collabs.iter().any(|c| k2.is_subset(c));
        if joint {
            let e = merged.entry(tagged(k2)).or_default();
            merge_acc(e, v);
        } else {
            for id in &k2 {
                let single: BTreeSet<String> = std::iter::once(id.clone()).collect();
                let e = merged.entry(tagged(single)).or_default();
                merge_acc(e, v.clone());
            }
        }
    }
    // merge subsets into supersets that carry facts (within one story: an aside's facts
    // stay its own)
    let keys: Vec<BTreeSet<String>> = merged.keys().cloned().collect();
    let tag_of = |k: &BTreeSet<String>| k.iter().find(|i| i.starts_with(ASIDE_TAG)).cloned();
    for small in &keys {
        let target = keys
            .iter()
            .filter(|big| big.len() > small.len() && small.is_subset(big))
            .filter(|big| tag_of(big) == tag_of(small))
            .find(|big| merged.get(*big).is_some_and(|a| a.facts > 0));
        if let Some(big) = target {
            if let Some(v) = merged.remove(small) {
                if let Some(b) = merged.get_mut(big) {
                    merge_acc(b, v);
                }
            }
        }
    }
    // supersets without facts of their own are dropped (their members report separately)
    let mut reports = Vec::new();
    let mut rejected = Vec::new();
    for (k, acc) in merged {
        let forces: Vec<String> = k
            .iter()
            .filter(|i| !i.starts_with(ASIDE_TAG))
            .cloned()
            .collect();
        // An aside is a story when it says what was exposed or how, not a figure alone
        // ("the fine follows 200 complaints").
        let told = !acc.types.is_empty() || acc.causes.keys().any(|c| *c != Cause::Unknown);
        let has_any = if acc.aside {
            told
        } else {
            told || !acc.counts.is_empty()
        };
        // A headline that names the body as a breach's victim is a report even before any
        // data, figure or cause is known (news-search feeds carry little else); in the body,
        // such a bare mention is a passing reference to some other story.
        if acc.cues == 0 || !(has_any || acc.headline) {
            rejected.push(format!(
                "{} ({})",
                forces.join("+"),
                if acc.cues == 0 {
                    "no victim cue"
                } else {
                    "bare mention"
                }
            ));
            continue;
        }
        reports.push(build_report(forces, acc, &sents));
    }
    reports.sort_by(|a, b| {
        let sa = a.force_evidence.first().map(|s| s.start).unwrap_or(0);
        let sb = b.force_evidence.first().map(|s| s.start).unwrap_or(0);
        sa.cmp(&sb)
    });
    let relevant = !reports.is_empty();
    let reason = if relevant {
        let names: Vec<String> = reports.iter().map(|r| r.forces.join("+")).collect();
        format!("police body as breach victim: {}", names.join(", "))
    } else if mentions.is_empty() {
        "no police force named".to_string()
    } else if rejected.is_empty() {
        "police named only as investigator, partner or location".to_string()
    } else {
        format!("no police-victim breach facts: {}", rejected.join(", "))
    };
    if reports.len() > 1 {
        warnings.push(format!(
            "{} incidents reported in one article",
            reports.len()
        ));
    }
    Extraction {
        relevant,
        reason,
        reports,
        warnings,
    }
}

fn add_facts(acc: &mut Acc, f: &SentFacts, span: Span, si: usize, cue: bool, title: bool) {
    acc.sentences.insert(si);
    if cue {
        acc.cues += 1;
        acc.headline |= title;
    }
    let n = f.types.len() + f.negs.len() + f.counts.len() + f.causes.len();
    acc.facts += n as u32;
    for &(_, t) in &f.types {
        acc.types.entry(t).or_insert(span);
    }
    for &(_, t) in &f.negs {
        acc.negs.entry(t).or_insert(span);
    }
    for c in &f.counts {
        acc.counts.push((c.clone(), span, cue));
    }
    for &(_, c, w) in &f.causes {
        let e = acc.causes.entry(c).or_insert((0, span));
        e.0 += w;
    }
    if !f.supplier.is_empty() {
        acc.supplier = true;
    }
    if acc.supplier_name.is_none() {
        acc.supplier_name = f.supplier_name.clone();
    }
    for (_, k, amt) in &f.devs {
        if acc.devs.iter().any(|d| d.kind == *k && d.span == span) {
            continue;
        }
        acc.devs.push(DevelopmentFact {
            kind: *k,
            amount_minor: amt.as_ref().map(|a| a.0),
            currency: amt.as_ref().map(|a| a.1.clone()),
            span,
        });
    }
    if f.singular && (cue || !f.types.is_empty()) && acc.singular.is_none() {
        acc.singular = Some(span);
    }
}

fn merge_acc(dst: &mut Acc, src: Acc) {
    dst.sentences.extend(src.sentences);
    dst.evidence.extend(src.evidence);
    for (t, s) in src.types {
        dst.types.entry(t).or_insert(s);
    }
    for (t, s) in src.negs {
        dst.negs.entry(t).or_insert(s);
    }
    dst.counts.extend(src.counts);
    for (c, (w, s)) in src.causes {
        let e = dst.causes.entry(c).or_insert((0, s));
        e.0 += w;
    }
    dst.supplier |= src.supplier;
    if dst.supplier_name.is_none() {
        dst.supplier_name = src.supplier_name;
    }
    dst.devs.extend(src.devs);
    dst.cues += src.cues;
    if dst.singular.is_none() {
        dst.singular = src.singular;
    }
    dst.facts += src.facts;
    dst.headline |= src.headline;
    dst.aside |= src.aside;
}

/// Rank of a count candidate: the main affected population is usually a people figure, often the
/// largest stated, often a stated total; exact figures beat rounded ones.
fn count_score(c: &CountCand, title: bool, cue: bool) -> i32 {
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
    if cue {
        s += 3;
    }
    s
}

fn build_report(forces: Vec<String>, acc: Acc, sents: &[Sentence]) -> Report {
    let mut evidence = acc.evidence.clone();
    evidence.sort();
    evidence.dedup();
    let not_exposed: Vec<Fact<DataType>> = acc
        .negs
        .iter()
        .map(|(t, s)| Fact {
            value: *t,
            span: Some(*s),
        })
        .collect();
    let data_types: Vec<Fact<DataType>> = acc
        .types
        .iter()
        .filter(|(t, _)| !acc.negs.contains_key(t))
        .map(|(t, s)| Fact {
            value: *t,
            span: Some(*s),
        })
        .collect();
    // counts
    let title_end = sents
        .iter()
        .filter(|s| s.is_title)
        .map(|s| s.end)
        .max()
        .unwrap_or(0);
    let mut scored: Vec<(i32, usize, CountFact)> = acc
        .counts
        .iter()
        .map(|(c, span, cue)| {
            let title = span.end <= title_end;
            (
                count_score(c, title, *cue),
                c.start,
                CountFact {
                    count: c.value,
                    qualifier: c.qualifier,
                    unit: c.unit,
                    span: *span,
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
        if let Some(sp) = acc.singular {
            counts.push(CountFact {
                count: 1,
                qualifier: Qualifier::Exact,
                unit: Unit::People,
                span: sp,
            });
        }
    }
    // cause
    let cause = if let Some((_, s)) = acc.causes.get(&Cause::Ransomware).filter(|(w, _)| *w >= 2) {
        Fact {
            value: Cause::Ransomware,
            span: Some(*s),
        }
    } else {
        const PREF: [Cause; 8] = [
            Cause::MisdirectedCommunication,
            Cause::UnlawfulProcessing,
            Cause::InsiderMisuse,
            Cause::LossOrTheft,
            Cause::DataLoss,
            Cause::AccidentalDisclosure,
            Cause::CyberAttack,
            Cause::Ransomware,
        ];
        let mut best: Option<(u32, usize, Cause, Span)> = None;
        for (c, (w, s)) in &acc.causes {
            let pref = PREF.iter().position(|p| p == c).unwrap_or(9);
            let better = match &best {
                None => true,
                Some((bw, bp, _, _)) => *w > *bw || (*w == *bw && pref < *bp),
            };
            if better {
                best = Some((*w, pref, *c, *s));
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
    };
    let third_party = if acc.supplier {
        Some(true)
    } else if cause.value != Cause::Unknown {
        Some(false)
    } else {
        None
    };
    let mut devs: Vec<DevelopmentFact> = Vec::new();
    for d in acc.devs {
        match devs.iter_mut().find(|x| x.kind == d.kind) {
            Some(x) => {
                if x.amount_minor.is_none() && d.amount_minor.is_some() {
                    *x = d;
                }
            }
            None => devs.push(d),
        }
    }
    devs.sort_by_key(|d| (d.span.start, d.kind));
    Report {
        forces,
        force_evidence: evidence,
        data_types,
        not_exposed,
        counts,
        cause,
        third_party,
        supplier: if acc.supplier {
            acc.supplier_name
        } else {
            None
        },
        developments: devs,
        occurred: None,
    }
}

#[cfg(test)]
mod perf_probe {
    use super::*;

    #[test]
    #[ignore]
    fn probe() {
        let raw = include_str!("testdata/seed_article.txt");
        let doc = &raw[..2000];
        let n = 1000;
        let _ = forces::find_mentions(doc);
        let _ = facts::scan(doc);
        macro_rules! t {
            ($name:expr, $e:expr) => {{
                let t = std::time::Instant::now();
                for _ in 0..n {
                    std::hint::black_box($e);
                }
                eprintln!("{} {:?}", $name, t.elapsed() / n);
            }};
        }
        t!("scan", facts::scan(doc));
        t!("mentions", forces::find_mentions(doc));
        t!("split", text::split(doc, 10));
        t!("counts", numbers::counts_in(doc, 0));
        t!("money", numbers::money_in(doc));
        t!("stats", STATS.is_match(doc));
        t!("singular", SINGULAR.is_match(doc));
        t!("other", other_victim(doc));
        let (title, text) = raw.split_once("\n\n").unwrap();
        let text = &text[..1900];
        let input = ArticleInput {
            url: "",
            title,
            text,
            source: "X",
            published: None,
        };
        t!("run", run(&input));
    }
}
