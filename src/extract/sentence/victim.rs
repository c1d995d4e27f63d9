//! How strongly a sentence makes the body it names a breach's victim ([`victim_cue`]): a
//! penalty on it, its people's data exposed, a cause of its own, its apology, a breach word
//! next to its name or an event at it, or a headline naming it and then a breach.

use std::sync::LazyLock;

use regex::Regex;

use super::{any_of, MentionGroup, SentenceContext, SentenceFacts};
use crate::extract::lexicon::Cue;
use crate::extract::phrases::Hit;
use crate::model::Cause;

/// How strongly a sentence makes a body a breach's victim (see [`victim_cue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VictimCue {
    /// Nothing in the sentence makes the body a victim.
    None,
    /// The body's people and an exposure verb, with no breach word or data word: enough with
    /// facts, not enough for a headline alone.
    Weak,
    /// The sentence makes the body a breach's victim.
    Strong,
}

/// "attack on X", "hack of X": an attack whose object (group 1) may be another victim.
static OTHER_VICTIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:attack|attacks|hack|hacking|breach|intrusion)\s+(?:on|of|at|against)\s+([^,.;]{0,70})").unwrap()
});

/// Words in an attack's object that make it the police's.
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

/// Whether `text` names an attack on someone other than the police.
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

/// Words that make an attack a cyber attack.
static CYBER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:ransomware|hack|hacks|hacked|hackers?|hacking|cyber|cyber-?attacks?|malware)(?-u:\b)").unwrap()
});

/// Headlines that use breach words without reporting a breach of the body named: warnings,
/// appeals and advice to the public, help given to another victim, or a breach named after
/// another organisation ("county hack", "school data breach").
static NOT_A_BREACH_HEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:warns?|warning|scams?|scammers|fraudsters?|appeals?|advice|tips|urges?|helps?|helping|assists?|assisting|supports?|supporting)(?-u:\b)|(?-u:\b)(?:council|county|city|school|college|university|hospital|nhs|firm|company|retailer|bank|club|airline|charity|government)\s+(?:data\s+|cyber\s+|ransomware\s+|security\s+)?(?:breach|hack|leak|attack|cyber-?attack)(?-u:\b)").unwrap()
});

/// How strongly the sentence makes the bodies it names as subjects (`groups`) a breach's
/// victim, given its `facts`. In a first-person `press_release`, "our" is the body's own.
pub fn victim_cue(
    ctx: &SentenceContext,
    facts: &SentenceFacts,
    groups: &[MentionGroup],
    press_release: bool,
) -> VictimCue {
    let (ldoc, s) = (ctx.lower_doc, ctx.sentence);
    let has_group = !groups.is_empty();
    let group_starts: Vec<usize> = groups.iter().map(|g| g.start).collect();
    let group_ends: Vec<usize> = groups.iter().map(|g| g.end).collect();
    let text = ctx.lower();
    let retention = text.contains("retention") || text.contains("automatically");
    let penalty = ctx.has(Cue::Penalty)
        || ctx.has(Cue::Reprimand)
        || ctx.has(Cue::Enforcement)
        || ctx.has(Cue::FineWord);
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
    let hypothetical = ctx.has(Cue::Hypothetical);
    let fine_money = ctx.has(Cue::FineWord) && facts.has_money;
    // A penalty on the police body.
    let penalised = !hypothetical
        && police_word
        && (ctx.has(Cue::Penalty)
            || ctx.has(Cue::Reprimand)
            || ctx.has(Cue::Enforcement)
            || fine_money);
    let exposure = ctx.has(Cue::Exposure) || ctx.has(Cue::Breach);
    let personal = ctx.has(Cue::Personnel)
        || ctx.has(Cue::PolicePossessive)
        || (has_group && ctx.has(Cue::Officers))
        || text.contains("its supplier")
        || text.contains("its contractor")
        || (press_release && (text.contains(" our ") || text.starts_with("our ")));
    // The body's people or things exposed.
    let people_exposed = exposure && personal && !retention;
    let strong_cause = facts
        .causes
        .iter()
        .any(|(_, c, w)| *w >= 2 && !(*c == Cause::DataLoss && retention));
    // Titles are terse ("Suffolk County police help after county hack"): there an attack
    // needs the body to own the data; a loss, a misdirected email, a disclosure or misuse by
    // the body named is its own.
    // The title must be about data ("recovered stolen machinery" is a theft, not a breach).
    let own_kind = facts.causes.iter().any(|(_, c, w)| {
        *w >= 2 && !matches!(c, Cause::CyberAttack | Cause::Ransomware | Cause::Unknown)
    }) && (!facts.types.is_empty() || any_of(text, DATA_WORDS));
    // A cause of the body's own.
    let caused_here = strong_cause
        && (personal || (has_group && (!s.is_title || own_kind)))
        && (personal || !OTHER_VICTIM_NOUNS.iter().any(|w| text.contains(w)))
        && !other_victim(ctx.text());
    // The body reported itself or apologised, about data.
    let owned_up = (ctx.has(Cue::SelfReport) || ctx.has(Cue::Apology))
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
    let named_with_breach = ctx.cues.iter().any(|h| {
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
    let object_of_event = ctx.cues.iter().any(|h| {
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
    // has no group here (see `roles`), and a warning or appeal is not a breach.
    let headline_breach = s.is_title
        && ctx
            .cues
            .iter()
            .any(|h| breachy(h) && group_ends.first().is_some_and(|&ge| h.end > ge))
        && !NOT_A_BREACH_HEADLINE.is_match(text)
        && !OTHER_VICTIM_NOUNS.iter().any(|w| text.contains(w))
        && !other_victim(ctx.text());
    // An exposure verb next to the body's people ("officers ... stolen") is a weak cue: enough
    // with facts, not enough for a headline alone ("Officers recovered stolen machinery").
    let weak_only = people_exposed && !ctx.has(Cue::Breach) && !any_of(text, DATA_WORDS);
    if penalised
        || caused_here
        || owned_up
        || named_with_breach
        || object_of_event
        || headline_breach
        || (people_exposed && !weak_only)
    {
        VictimCue::Strong
    } else if people_exposed {
        VictimCue::Weak
    } else {
        VictimCue::None
    }
}
