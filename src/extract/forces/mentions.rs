//! Mentions from the gazetteer's names: names matched in any case, short names matched as
//! written (in a document about the police), chains of UK places ("Norfolk and Suffolk
//! police"), and short forms several bodies share ("MPD"), resolved by the document.

use std::collections::BTreeSet;

use super::gazetteer::{ForceRef, ForceTag, Gazetteer};
use super::Mention;
use crate::extract::phrases::Hit;

/// What the whole document says about where it is set, read once before mentions are found.
pub struct DocumentContext<'a> {
    /// The document mentions are found in.
    pub doc: &'a str,
    /// The gazetteer mentions are resolved against.
    pub gazetteer: &'static Gazetteer,
    /// The document is set in the United States and not in the UK: UK forces named in it are
    /// homonyms ("Suffolk County police").
    pub suppress_uk: bool,
    /// The document speaks of the police, so short names ("MPS", "Met") are theirs.
    pub police_context: bool,
}

impl<'a> DocumentContext<'a> {
    /// Reads the context words among the gazetteer's hits.
    pub fn new(doc: &'a str, context_hits: &[Hit<ForceTag>]) -> Self {
        let us = context_hits.iter().any(|h| h.tag == ForceTag::UsContext) || doc.contains('$');
        let uk = context_hits.iter().any(|h| h.tag == ForceTag::UkContext) || doc.contains('£');
        DocumentContext {
            doc,
            gazetteer: super::gazetteer(),
            suppress_uk: us && !uk,
            police_context: context_hits
                .iter()
                .any(|h| h.tag == ForceTag::PoliceContext),
        }
    }

    /// A mention of the bodies `body` stands for; `None` for a UK force in a US story, or for
    /// an ambiguous short form (resolved separately).
    fn mention_of(&self, body: ForceRef, start: usize, end: usize) -> Option<Mention> {
        let g = self.gazetteer;
        let ids: BTreeSet<String> = match body {
            ForceRef::Uk(i) if !self.suppress_uk => {
                std::iter::once(g.forces[i].0.clone()).collect()
            }
            ForceRef::Joint(i) if !self.suppress_uk => g.joint_bodies[i].clone(),
            ForceRef::World(i) => std::iter::once(g.world[i].id.clone()).collect(),
            _ => return None,
        };
        Some(Mention { start, end, ids })
    }
}

/// Words after a short name that make it something else ("Met Office", "Met Gala").
pub const NOT_A_FORCE_AFTER_SHORT_NAME: [&str; 6] =
    ["Office", "Gala", "Opera", "Museum", "Éireann", "Eireann"];

/// Words after a force's name that make it another organisation's ("Police Federation").
const NON_FORCE_NEXT: &[&str] = &[
    "Federation",
    "Protective",
    "Association",
    "Benevolent",
    "Union",
    "Foundation",
    "Authority",
    "Ombudsman",
    "Museum",
    "Pension",
    "Widows",
    "Memorial",
    "Credit",
    "Sports",
    "Band",
    "Choir",
    "College",
    "Academy",
    "Council",
    "Fund",
    "Charity",
];

/// Whether the name ending at `end` is followed by a word that makes it another organisation.
pub fn followed_by_non_force(doc: &str, end: usize) -> bool {
    let rest = doc[end..].trim_start_matches([' ', '\u{a0}']);
    let rest = rest
        .strip_prefix("Officers'")
        .or_else(|| rest.strip_prefix("Officers’"))
        .map(|r| r.trim_start())
        .unwrap_or(rest);
    NON_FORCE_NEXT.iter().any(|w| rest.starts_with(w))
}

/// Whether the name starting at `start` follows "New" ("New South Wales").
fn preceded_by_new(doc: &str, start: usize) -> bool {
    let before = doc[..start].trim_end();
    before.ends_with("New") || before.ends_with("new") || before.ends_with("NEW")
}

/// Whether the place ending at `end` is a US county's or city's ("Suffolk County").
fn followed_by_county(doc: &str, end: usize) -> bool {
    let rest = doc[end..].trim_start();
    rest.starts_with("County")
        || rest.starts_with("county")
        || rest.starts_with("Police Department")
}

/// `w` occurs in `doc` as a whole word (or phrase).
fn has_word(doc: &str, w: &str) -> bool {
    doc.match_indices(w).any(|(i, _)| {
        let before = doc[..i].chars().next_back();
        let after = doc[i + w.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

/// A short form several bodies share, found at `start..end`: index into
/// [`Gazetteer::ambiguous`].
pub struct AmbiguousHit {
    start: usize,
    end: usize,
    index: usize,
}

/// Mentions of gazetteer names: any-case names first, then (in a document about the police)
/// names matched as written; the ambiguous short forms among those are returned apart.
pub fn name_mentions(
    ctx: &DocumentContext,
    any_case_hits: Vec<Hit<ForceTag>>,
    exact_case_hits: Vec<Hit<ForceTag>>,
) -> (Vec<Mention>, Vec<AmbiguousHit>) {
    let doc = ctx.doc;
    let mut mentions = Vec::new();
    let mut ambiguous = Vec::new();
    for h in any_case_hits {
        let ForceTag::AnyCase(body) = h.tag else {
            continue;
        };
        if preceded_by_new(doc, h.start) && !matches!(body, ForceRef::World(_)) {
            continue;
        }
        if followed_by_non_force(doc, h.end) {
            continue;
        }
        mentions.extend(ctx.mention_of(body, h.start, h.end));
    }
    if !ctx.police_context {
        return (mentions, ambiguous);
    }
    for h in exact_case_hits {
        let ForceTag::ExactCase(body, phrase) = h.tag else {
            continue;
        };
        if doc[h.start..h.end] != ctx.gazetteer.exact_case_phrases[phrase as usize] {
            continue;
        }
        if followed_by_non_force(doc, h.end) {
            continue;
        }
        let rest = doc[h.end..].trim_start();
        if NOT_A_FORCE_AFTER_SHORT_NAME
            .iter()
            .any(|w| rest.starts_with(w))
        {
            continue;
        }
        if let ForceRef::Ambiguous(index) = body {
            ambiguous.push(AmbiguousHit {
                start: h.start,
                end: h.end,
                index,
            });
            continue;
        }
        mentions.extend(ctx.mention_of(body, h.start, h.end));
    }
    (mentions, ambiguous)
}

/// Chains of UK places joined by "and", "&" or commas that name forces together: with a
/// police suffix ("Norfolk and Suffolk police", "Beds, Cambs and Herts police") or as a known
/// collaboration.
pub fn place_chain_mentions(ctx: &DocumentContext, place_hits: &[Hit<ForceTag>]) -> Vec<Mention> {
    let (doc, g) = (ctx.doc, ctx.gazetteer);
    let mut mentions = Vec::new();
    // (start, end, index into the UK forces)
    let places: Vec<(usize, usize, usize)> = place_hits
        .iter()
        .filter_map(|h| match h.tag {
            ForceTag::Place(i) => Some((h.start, h.end, i)),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < places.len() {
        let mut j = i;
        while j + 1 < places.len() {
            let gap = &doc[places[j].1..places[j + 1].0];
            if matches!(gap.trim(), "and" | "&" | "," | ", and") && gap.len() <= 7 {
                j += 1;
            } else {
                break;
            }
        }
        if j == i {
            i += 1;
            continue;
        }
        let ids: BTreeSet<String> = places[i..=j]
            .iter()
            .map(|h| g.forces[h.2].0.clone())
            .collect();
        let rest = doc[places[j].1..].to_ascii_lowercase();
        let rest = rest.trim_start();
        let suffixed = ["police", "constabular", "forces", "force", "cops"]
            .iter()
            .any(|w| rest.starts_with(w));
        let known = g.collaborations.contains(&ids);
        if ids.len() > 1
            && (suffixed || known)
            && !ctx.suppress_uk
            && !preceded_by_new(doc, places[i].0)
            && !followed_by_county(doc, places[j].1)
        {
            let mut end = places[j].1;
            if suffixed {
                let spaces = doc[end..].len() - doc[end..].trim_start().len();
                let word_len = doc[end + spaces..]
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(doc.len() - end - spaces);
                end += spaces + word_len;
            }
            mentions.push(Mention {
                start: places[i].0,
                end,
                ids,
            });
        }
        i = j + 1;
    }
    mentions
}

/// Resolves each ambiguous short form ("MPD") to the one body sharing it that the document
/// otherwise names (in `mentions`, as found so far) or places; adds the resolved mentions to
/// `mentions`.
pub fn add_ambiguous_mentions(
    ctx: &DocumentContext,
    hits: Vec<AmbiguousHit>,
    mentions: &mut Vec<Mention>,
) {
    let g = ctx.gazetteer;
    for hit in hits {
        let named: BTreeSet<&str> = mentions
            .iter()
            .flat_map(|m| m.ids.iter().map(String::as_str))
            .collect();
        let bodies = &g.ambiguous[hit.index].1;
        let mut picked: Vec<usize> = bodies
            .iter()
            .copied()
            .filter(|&i| named.contains(g.world[i].id.as_str()))
            .collect();
        if picked.is_empty() {
            picked = bodies
                .iter()
                .copied()
                .filter(|&i| g.world[i].context.iter().any(|w| has_word(ctx.doc, w)))
                .collect();
        }
        if let [i] = picked[..] {
            let id = g.world[i].id.clone();
            mentions.push(Mention {
                start: hit.start,
                end: hit.end,
                ids: std::iter::once(id).collect(),
            });
        }
    }
}
