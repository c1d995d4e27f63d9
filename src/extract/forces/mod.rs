//! Police bodies named in a document: the gazetteer ([`mod@gazetteer`]: UK forces from
//! uk_forces.json, bodies outside the UK from world_forces.json) and mention finding
//! ([`mentions_from`]).
//!
//! Bodies outside the UK have ids of the form `<cc>-<slug of English name>` (see
//! data/world_forces.json). A department the gazetteer does not know gets the same kind of id
//! from the department-name rule (`departments`): "Tulsa Police Department", "the Tulsa
//! police department" and "Tulsa PD" all give `us-tulsa-police-department`; a name the
//! gazetteer knows under another form ("Toronto Police Department") is mapped to its body.
//!
//! Mentions come from, in this order: gazetteer names (`mentions`), descriptive names
//! (`descriptive`), chains of UK places, the department rule, and ambiguous short forms; where
//! they overlap the longest wins.

mod departments;
mod descriptive;
mod gazetteer;
mod mentions;

use std::collections::BTreeSet;

pub use gazetteer::{gazetteer, ForceTag};

use super::phrases::Hit;
use mentions::DocumentContext;

/// A resolved force mention in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the name's first byte.
    pub start: usize,
    /// Byte offset just past the name.
    pub end: usize,
    /// The bodies named: one, or several named as one ("Norfolk and Suffolk police").
    pub ids: BTreeSet<String>,
}

/// Finds force mentions in `doc`.
pub fn find_mentions(doc: &str) -> Vec<Mention> {
    let scan = super::lexicon::scan(doc);
    mentions_from(doc, scan.forces)
}

/// Force mentions from the shared lexicon's force hits (by [`ForceTag::hit_class`]: any-case
/// names, exact-case names, places, context words), in document order.
pub fn mentions_from(doc: &str, hits: [Vec<Hit<ForceTag>>; 4]) -> Vec<Mention> {
    let [any_case_hits, exact_case_hits, place_hits, context_hits] = hits;
    let ctx = DocumentContext::new(doc, &context_hits);
    let (mut candidates, ambiguous_hits) =
        mentions::name_mentions(&ctx, any_case_hits, exact_case_hits);
    candidates.extend(descriptive::descriptive_mentions(&ctx));
    candidates.extend(mentions::place_chain_mentions(&ctx, &place_hits));
    let (departments, unknown_departments) = departments::department_mentions(&ctx);
    candidates.extend(departments);
    mentions::add_ambiguous_mentions(&ctx, ambiguous_hits, &mut candidates);
    let mut out = longest_without_overlaps(candidates);
    departments::one_id_per_department(doc, &mut out, &unknown_departments);
    // Federal and international agencies (FBI, Europol, ...) named beside a police force are
    // nearly always helping it, not the breached body: keep them only when alone.
    let g = ctx.gazetteer;
    let agency = |m: &Mention| {
        m.ids
            .iter()
            .all(|id| g.world_body(id).is_some_and(|b| b.agency))
    };
    if out.iter().any(|m| !agency(m)) {
        out.retain(|m| !agency(m));
    }
    out
}

/// Where candidates overlap, the longest wins (the earliest on ties, then the one found
/// first); the result is in document order.
fn longest_without_overlaps(mut candidates: Vec<Mention>) -> Vec<Mention> {
    // A stable sort: among candidates of one span, the one found first wins.
    candidates.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut out: Vec<Mention> = Vec::new();
    for m in candidates {
        if out.iter().any(|o| m.start < o.end && o.start < m.end) {
            continue;
        }
        out.push(m);
    }
    out.sort_by_key(|m| m.start);
    out
}

/// Forces named by a source/outlet string (press releases).
pub fn forces_in_source(source: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    if source.trim().is_empty() {
        return ids;
    }
    for m in find_mentions(source) {
        ids.extend(m.ids);
    }
    ids
}

/// Canonical name of a UK force by id.
pub fn force_name(id: &str) -> Option<&'static str> {
    gazetteer()
        .forces
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, n)| n.as_str())
}

/// Canonical name of any UK body of `data/uk_forces.json` by id (see [`uk_bodies`]).
pub fn body_name(id: &str) -> Option<&'static str> {
    gazetteer()
        .bodies
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, n)| n.as_str())
}

/// Every UK police body of `data/uk_forces.json`: (id, canonical name), including those
/// extraction never names as a victim (the NCA, usually the investigator).
pub fn uk_bodies() -> Vec<(&'static str, &'static str)> {
    gazetteer()
        .bodies
        .iter()
        .map(|(i, n)| (i.as_str(), n.as_str()))
        .collect()
}

/// Every UK force extraction names as a victim: (id, canonical name).
pub fn all_uk_forces() -> Vec<(&'static str, &'static str)> {
    gazetteer()
        .forces
        .iter()
        .map(|(i, n)| (i.as_str(), n.as_str()))
        .collect()
}

/// Canonical names of the bodies outside the UK.
#[cfg(test)]
pub fn world_body_names() -> Vec<String> {
    gazetteer().world.iter().map(|b| b.name.clone()).collect()
}

#[cfg(test)]
mod tests;
