//! The role each body named in a sentence plays: the sentence's subject (who may be the
//! breach's victim), or an investigator, a recipient, a place, or a body said not to be
//! involved. Subjects named together ("the Met and GMP") form one [`MentionGroup`].

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::SentenceContext;
use crate::extract::forces::Mention;
use crate::extract::lexicon::Cue;
use crate::model::Span;

/// What a body named in a sentence is to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// What the sentence is about: possibly the breach's victim.
    Subject,
    /// Investigating or arresting (`arrested by officers from <force>`).
    Investigator,
    /// Where data was sent ("posted to Cleveland Police").
    Recipient,
    /// A place ("the Dyfed-Powys force area").
    Location,
    /// Said not to be involved ("no police systems were involved").
    NotInvolved,
}

/// `arrested by (officers from) <force>`: the gap between an arrest verb and the force.
static BY_FORCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:by|from)\s+(?:the\s+)?(?:(?:officers|detectives|police|investigators|members)\s+(?:from|of|at|with)\s+(?:the\s+)?)?$").unwrap()
});

/// One of the force's own people losing, sending or leaking data.
static STAFF_CAUSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:an?|one of its|its own|its)\s+(?:(?:serving|police|special|civilian|former)\s+)?(?:officers?|detectives?|constables?|members? of staff|staff members?|employees?|workers?|call handlers?|pcsos?)\b[^.;]{0,40}?\b(?:lost|left|mislaid|misplaced|dropped|sent|emailed|shared|published|disclosed|leaked|accessed|uploaded|posted)\b").unwrap()
});

/// `<force> is investigating (after) a cyber attack`: an event named with no other victim
/// ("... on a local retailer", "... at a school") is the force's own.
static OWN_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:is|are|has been|have been|was|were)\s+investigating\s+(?:after\s+)?(?:an?|the)\s+(?:possible\s+|suspected\s+|potential\s+|apparent\s+)?(?:[\w-]+\s+){0,2}?(?:cyber[- ]?attack|ransomware attack|attack|data breach|breach|hack|leak|security incident|data loss|(theft|loss)\s+of\s+(?:an?|the|its|some)?\s*(?:[\w-]+\s+){0,2}?(?:laptops?|computers?|phones?|devices?|notebooks?|files?|documents?|papers?|paperwork|discs?|disks?|records?|data|bags?|usb sticks?|memory sticks?))\b").unwrap()
});

/// Whether `rest` (what follows a body's name) says the body is investigating an event of its
/// own, not one on another victim.
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

/// The role the body named by `m` plays in the sentence.
fn mention_role(ctx: &SentenceContext, m: &Mention) -> Role {
    let (ldoc, sentence_end, cues) = (ctx.lower_doc, ctx.sentence.end, ctx.cues);
    if ctx.has(Cue::NotInvolved) {
        return Role::NotInvolved;
    }
    // location: "Dyfed-Powys force area"
    let rest = ldoc[m.end..sentence_end].trim_start();
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
    let self_marked = ctx.has(Cue::SelfMarker) || ctx.has(Cue::PolicePossessive);
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
        let after = &ldoc[m.end..sentence_end];
        if STAFF_CAUSED.is_match(after) || own_event(after) {
            return Role::Subject;
        }
        if !ctx.has(Cue::OtherAgency) {
            for h in cues.iter().filter(|h| h.tag == Cue::Investigator) {
                if h.start >= m.end && h.start - m.end <= 45 {
                    return Role::Investigator;
                }
            }
        }
    }
    Role::Subject
}

/// Bodies named together as a sentence's subject ("Kent and Essex police", "the Met and
/// GMP").
#[derive(Debug, Clone)]
pub struct MentionGroup {
    /// Byte offset where the first name starts.
    pub start: usize,
    /// Byte offset where the last name ends.
    pub end: usize,
    /// The ids of every body named.
    pub ids: BTreeSet<String>,
    /// Each name's span: the force evidence.
    pub spans: Vec<Span>,
}

/// The bodies a sentence names, by role.
pub struct SentenceMentions {
    /// Subjects, grouped where named together.
    pub groups: Vec<MentionGroup>,
    /// Whether the sentence names any body at all.
    pub any_mention: bool,
    /// Bodies said not to be involved.
    pub not_involved_ids: Vec<String>,
    /// Id sets one name gives for several forces ("Norfolk and Suffolk Police"): one body.
    pub joint_names: Vec<BTreeSet<String>>,
}

/// The bodies named in the sentence (`mentions`: the document's, in order), by role.
pub fn group_mentions(ctx: &SentenceContext, mentions: &[Mention]) -> SentenceMentions {
    let (start, end) = (ctx.sentence.start, ctx.sentence.end);
    let first = mentions.partition_point(|m| m.start < start);
    let in_sentence: Vec<&Mention> = mentions[first..]
        .iter()
        .take_while(|m| m.start < end)
        .filter(|m| m.end <= end)
        .collect();
    let mut groups: Vec<MentionGroup> = Vec::new();
    let mut not_involved_ids = Vec::new();
    let mut joint_names = Vec::new();
    for m in &in_sentence {
        match mention_role(ctx, m) {
            Role::Subject => {
                let span = Span {
                    start: m.start,
                    end: m.end,
                };
                if let Some(last) = groups.last_mut() {
                    let gap = ctx.doc[last.end..m.start].trim();
                    if matches!(gap, "and" | "&" | "," | ", and" | "or") {
                        last.end = m.end;
                        last.ids.extend(m.ids.iter().cloned());
                        last.spans.push(span);
                        continue;
                    }
                }
                if m.ids.len() > 1 {
                    joint_names.push(m.ids.clone());
                }
                groups.push(MentionGroup {
                    start: m.start,
                    end: m.end,
                    ids: m.ids.clone(),
                    spans: vec![span],
                });
            }
            Role::NotInvolved => not_involved_ids.extend(m.ids.iter().cloned()),
            Role::Investigator | Role::Recipient | Role::Location => {}
        }
    }
    SentenceMentions {
        groups,
        any_mention: !in_sentence.is_empty(),
        not_involved_ids,
        joint_names,
    }
}
