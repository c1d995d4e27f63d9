//! Clustering: reports into incidents, all at once. Reports are taken in a canonical order
//! (publication time, article key, report index; undated ones last) and each joins the
//! cluster it fits best (see the matching rules), or opens its own, so the groups are a
//! function of the set of reports, whatever order they come in.
//!
//! In: report records. Out: groups of indexes into them. Pure.

use std::collections::BTreeSet;

use super::rules::{undated, ClusterFacts};
use crate::model::ReportRecord;

/// Canonical order: publication time, then article key and report index. Undated reports
/// come after every dated one, among themselves by key: their time is only when they were
/// fetched, which depends on the order of ingest.
fn order_key(r: &ReportRecord) -> (i64, &str, usize) {
    let at = if undated(r) {
        i64::MAX
    } else {
        r.when().timestamp()
    };
    (at, r.source.article_key.as_str(), r.index)
}

/// Groups reports into incidents. Returns groups of indexes into `inputs`, each sorted in
/// canonical order; the result does not depend on the order of `inputs`.
pub fn cluster(inputs: &[&ReportRecord]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by(|a, b| order_key(inputs[*a]).cmp(&order_key(inputs[*b])));
    let mut groups: Vec<(ClusterFacts, Vec<usize>)> = Vec::new();
    for i in order {
        let r: &ReportRecord = inputs[i];
        let forces: BTreeSet<&str> = r.report.forces.iter().map(String::as_str).collect();
        if forces.is_empty() {
            continue;
        }
        let best = groups
            .iter()
            .enumerate()
            .filter_map(|(g, (facts, _))| facts.fit(r, &forces).map(|s| (s, g)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((score, g)) => {
                let (facts, members) = &mut groups[g];
                tracing::trace!(
                    report = %r.source.url,
                    joins = %inputs[members[0]].source.url,
                    score,
                    "clustered"
                );
                facts.add(r, forces);
                members.push(i);
            }
            None => {
                let mut facts = ClusterFacts::empty(r.when());
                facts.add(r, forces);
                groups.push((facts, vec![i]));
            }
        }
    }
    groups.into_iter().map(|(_, m)| m).collect()
}
