//! Building an incident from a cluster of reports: its id (from its earliest member), and its
//! facts by vote across its members: data types (exposed or not), cause, figures (every
//! claim kept, the best-supported first), developments, when it happened, and the conflicts
//! between its sources.
//!
//! In: report records and a group of them (from [`super::cluster()`]). Out: an [`Incident`].
//! Pure.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

use super::rules::{is_follow_up, is_round, undated};
use crate::model::{
    types_mask, Affected, Cause, CountFact, DataType, Development, Evidence, Figure, Incident,
    Member, Occurred, Qualifier, ReportRecord, SourceRef,
};

/// The month an incident id names: its first report's.
fn slug_time(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m").to_string()
}

/// The stable id of an incident whose earliest member is `first`.
pub fn incident_id(first: &ReportRecord) -> String {
    let mut forces = first.report.forces.clone();
    forces.sort();
    let mut h = Sha256::new();
    h.update(first.source.article_key.as_bytes());
    h.update([0]);
    h.update(forces.join(",").as_bytes());
    let hash = hex::encode(&h.finalize()[..3]);
    format!(
        "{}-{}-{}",
        forces.first().map(String::as_str).unwrap_or("unknown"),
        slug_time(&first.when()),
        hash
    )
}

/// How much a figure counts when choosing an incident's: the report's first figure, an exact
/// one, a precise (not rounded) one, one from the regulator or a follow-up, or from a force's
/// own site rank higher.
fn figure_weight(c: &CountFact, r: &ReportRecord) -> i32 {
    // The extractor lists a report's figures best first.
    let mut w = if r.report.counts.first() == Some(c) {
        3
    } else {
        0
    };
    if c.qualifier == Qualifier::Exact {
        w += 3;
    }
    if !is_round(c.count) {
        w += 3;
    }
    let outlet = format!("{} {}", r.source.outlet, r.source.url).to_lowercase();
    if outlet.contains("ico") || outlet.contains("commissioner") || is_follow_up(&r.report) {
        w += 2;
    }
    if outlet.contains(".police.") || outlet.contains("police.uk") {
        w += 2;
    }
    w
}

/// When an incident happened, from the dates its members state (one each at most): the
/// most-supported date, made as precise as the dates agreeing with it allow. A date's support
/// is how many members state it or a date it agrees with ("2023" and "2023-08" agree; "2023-03"
/// and "2023-08" do not); ties go to the earliest. Starting from nothing known, each step takes
/// the best-supported date refining the one so far, so "2023" with "2023-08" gives "2023-08",
/// and a majority for August over March gives August. The second value lists the dates when
/// some disagree (for the incident's conflicts).
fn merged_occurred(dates: &[Occurred]) -> (Option<Occurred>, Option<String>) {
    let support = |d: &Occurred| dates.iter().filter(|x| x.agrees(d)).count();
    let mut cur: Option<Occurred> = None;
    loop {
        let best = dates
            .iter()
            .filter(|d| cur.is_none_or(|c| d.refines(&c) && **d != c))
            .max_by(|a, b| support(a).cmp(&support(b)).then(b.cmp(a)));
        match best {
            Some(b) => cur = Some(*b),
            None => break,
        }
    }
    let disagree = dates.iter().any(|a| dates.iter().any(|b| !a.agrees(b)));
    let conflict = disagree.then(|| {
        let mut tally: BTreeMap<Occurred, usize> = BTreeMap::new();
        for d in dates {
            *tally.entry(*d).or_default() += 1;
        }
        format!(
            "occurred: sources say {}",
            tally
                .iter()
                .map(|(d, k)| format!("{d} ({k})"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    (cur, conflict)
}

/// Builds the incident of one group (indexes into `inputs`, in canonical order).
pub fn build_incident(
    inputs: &[&ReportRecord],
    group: &[usize],
    force_name: impl Fn(&str) -> Option<String>,
) -> Incident {
    let members: Vec<&ReportRecord> = group.iter().map(|i| inputs[*i]).collect();
    let first = members[0];
    let mut forces: BTreeSet<String> = BTreeSet::new();
    for m in &members {
        forces.extend(m.report.forces.iter().cloned());
    }
    let forces: Vec<String> = forces.into_iter().collect();

    // Sources, one per article, oldest first.
    let mut sources: Vec<SourceRef> = Vec::new();
    for m in &members {
        if sources
            .iter()
            .any(|s| s.article_key == m.source.article_key)
        {
            continue;
        }
        sources.push(m.source.clone());
    }

    // Data types: votes across articles; an explicit negation wins a tie.
    let mut exposed: BTreeMap<DataType, usize> = BTreeMap::new();
    let mut negated: BTreeMap<DataType, usize> = BTreeMap::new();
    let mut evidence = Vec::new();
    for m in &members {
        for f in &m.report.data_types {
            *exposed.entry(f.value).or_default() += 1;
            evidence.push(Evidence {
                field: "data_type".into(),
                value: f.value.id().into(),
                url: m.source.url.clone(),
                sentence: m.sentence(f.span.as_ref()),
            });
        }
        for f in &m.report.not_exposed {
            *negated.entry(f.value).or_default() += 1;
            evidence.push(Evidence {
                field: "not_exposed".into(),
                value: f.value.id().into(),
                url: m.source.url.clone(),
                sentence: m.sentence(f.span.as_ref()),
            });
        }
        if m.report.cause.value != Cause::Unknown {
            evidence.push(Evidence {
                field: "cause".into(),
                value: m.report.cause.value.id().into(),
                url: m.source.url.clone(),
                sentence: m.sentence(m.report.cause.span.as_ref()),
            });
        }
        for s in m.report.force_evidence.iter().take(1) {
            evidence.push(Evidence {
                field: "force".into(),
                value: m.report.forces.join(", "),
                url: m.source.url.clone(),
                sentence: m.sentence(Some(s)),
            });
        }
    }
    let mut conflicts = Vec::new();
    let mut data_types = Vec::new();
    let mut not_exposed = Vec::new();
    for t in exposed
        .keys()
        .chain(negated.keys())
        .copied()
        .collect::<BTreeSet<_>>()
    {
        let (e, n) = (
            exposed.get(&t).copied().unwrap_or(0),
            negated.get(&t).copied().unwrap_or(0),
        );
        if e > 0 && n > 0 {
            conflicts.push(format!(
                "{}: {e} report(s) say exposed, {n} say not exposed",
                t.id()
            ));
        }
        if n >= e {
            not_exposed.push(t);
        } else {
            data_types.push(t);
        }
    }

    // Cause: the most specific of the most-supported.
    let mut cause_votes: BTreeMap<Cause, usize> = BTreeMap::new();
    for m in &members {
        if m.report.cause.value != Cause::Unknown {
            *cause_votes.entry(m.report.cause.value).or_default() += 1;
        }
    }
    let mut cause = cause_votes
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(a.0.specificity().cmp(&b.0.specificity())))
        .map(|(c, _)| *c)
        .unwrap_or(Cause::Unknown);
    if cause == Cause::CyberAttack && cause_votes.contains_key(&Cause::Ransomware) {
        cause = Cause::Ransomware;
    }
    if cause_votes.len() > 1 {
        conflicts.push(format!(
            "cause: sources say {}",
            cause_votes
                .iter()
                .map(|(c, n)| format!("{} ({n})", c.id()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let third_party = if members.iter().any(|m| m.report.third_party == Some(true)) {
        Some(true)
    } else if members.iter().any(|m| m.report.third_party == Some(false)) {
        Some(false)
    } else {
        None
    };
    let supplier = members.iter().find_map(|m| m.report.supplier.clone());

    // Figures: every claim kept; the best-supported first.
    let mut figures: Vec<(Figure, usize)> = Vec::new();
    for m in &members {
        for c in &m.report.counts {
            figures.push((
                Figure {
                    count: c.count,
                    qualifier: c.qualifier,
                    unit: c.unit,
                    url: m.source.url.clone(),
                    published: m.source.published,
                    sentence: m.sentence(Some(&c.span)),
                    weight: figure_weight(c, m),
                },
                0,
            ));
        }
    }
    let counts: Vec<u64> = figures.iter().map(|(f, _)| f.count).collect();
    for (f, support) in figures.iter_mut() {
        *support = counts
            .iter()
            .filter(|c| (**c as f64 - f.count as f64).abs() <= 0.05 * f.count as f64)
            .count();
    }
    figures.sort_by(|(a, sa), (b, sb)| {
        (b.weight + 2 * *sb as i32)
            .cmp(&(a.weight + 2 * *sa as i32))
            .then(b.published.cmp(&a.published))
            .then(b.count.cmp(&a.count))
    });
    let figures: Vec<Figure> = figures.into_iter().map(|(f, _)| f).collect();
    let affected = figures.first().map(|f| Affected {
        count: f.count,
        qualifier: f.qualifier,
        unit: f.unit,
    });
    let distinct: BTreeSet<u64> = figures
        .iter()
        .filter(|f| f.unit == figures[0].unit)
        .map(|f| f.count)
        .collect();
    if let (Some(lo), Some(hi)) = (distinct.first(), distinct.last()) {
        if *hi as f64 > *lo as f64 * 1.05 {
            conflicts.push(format!("affected: sources give figures from {lo} to {hi}"));
        }
    }

    // Timeline of developments, oldest first, one per kind and article.
    let mut timeline: Vec<Development> = Vec::new();
    for m in &members {
        for d in &m.report.developments {
            // One entry per event: the same kind and amount within a week is the same event
            // told again (by a copy, or another outlet).
            let same_event = |t: &Development| {
                t.kind == d.kind
                    && t.amount_minor == d.amount_minor
                    && (t.url == m.source.url
                        || match (t.date, m.source.published) {
                            (Some(a), Some(b)) => (a - b).num_days().abs() <= 7,
                            _ => false,
                        })
            };
            if timeline.iter().any(same_event) {
                continue;
            }
            timeline.push(Development {
                date: m.source.published,
                kind: d.kind,
                amount_minor: d.amount_minor,
                currency: d.currency.clone(),
                url: m.source.url.clone(),
                sentence: m.sentence(Some(&d.span)),
            });
        }
    }
    timeline.sort_by_key(|d| d.date);

    let dates: Vec<Occurred> = members.iter().filter_map(|m| m.report.occurred).collect();
    let (occurred, occurred_conflict) = merged_occurred(&dates);
    conflicts.extend(occurred_conflict);

    Incident {
        id: incident_id(first),
        title: first.source.title.clone(),
        force_names: forces
            .iter()
            .map(|f| force_name(f).unwrap_or_else(|| f.clone()))
            .collect(),
        forces,
        data_types,
        not_exposed,
        affected,
        cause,
        third_party,
        supplier,
        first_reported: first.when(),
        // An undated member's time is when it was fetched: it does not extend the coverage
        // of a dated story.
        last_reported: members
            .iter()
            .filter(|m| !undated(m) || undated(first))
            .map(|m| m.when())
            .max()
            .unwrap_or(first.when()),
        occurred,
        sources,
        figures,
        evidence,
        timeline,
        conflicts,
        members: members
            .iter()
            .map(|m| Member {
                article_key: m.source.article_key.clone(),
                report: m.index,
                force: m.filing_force().to_owned(),
                at: m.when().timestamp(),
            })
            .collect(),
        related: Vec::new(),
        opens_late: first.siblings > 1 || is_follow_up(&first.report) || undated(first),
        member_causes: members
            .iter()
            .map(|m| m.report.cause.value)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        member_types: members
            .iter()
            .map(|m| types_mask(m.report.data_types.iter().map(|f| f.value)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::test_reports::report_at;

    #[test]
    fn build_incident_merges_the_members_occurred_dates() {
        let d = |s: &str| Occurred::parse(s).unwrap();
        let merged = |dates: &[Option<&str>]| {
            let records: Vec<ReportRecord> = dates
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let mut r = report_at(
                        &format!("k{i}"),
                        i as i64,
                        Cause::Unknown,
                        &[],
                        None,
                        vec![],
                    );
                    r.report.occurred = o.map(d);
                    r
                })
                .collect();
            let refs: Vec<&ReportRecord> = records.iter().collect();
            let group: Vec<usize> = (0..refs.len()).collect();
            let inc = build_incident(&refs, &group, |_| None);
            (inc.occurred.map(|o| o.to_string()), inc.conflicts)
        };
        assert_eq!(merged(&[None, None]).0, None);
        assert_eq!(merged(&[None, Some("2021")]).0.as_deref(), Some("2021"));
        // a coarse and a finer date that agree: the finer
        assert_eq!(
            merged(&[Some("2023"), Some("2023-08"), None]).0.as_deref(),
            Some("2023-08")
        );
        assert_eq!(
            merged(&[Some("2023-08-08"), Some("2023"), Some("2023-08")])
                .0
                .as_deref(),
            Some("2023-08-08")
        );
        // disagreement: the majority, and the conflict is told
        let (o, c) = merged(&[Some("2016"), Some("2015"), Some("2016-12")]);
        assert_eq!(o.as_deref(), Some("2016-12"));
        assert!(
            c.iter()
                .any(|c| c.starts_with("occurred: sources say 2015 (1)")),
            "{c:?}"
        );
        // a tie goes to the earliest
        assert_eq!(
            merged(&[Some("2023-08"), Some("2023-03")]).0.as_deref(),
            Some("2023-03")
        );
        assert_eq!(
            merged(&[Some("2019-05"), Some("2018")]).0.as_deref(),
            Some("2018")
        );
        // agreeing dates are no conflict
        assert!(merged(&[Some("2023"), Some("2023-08")]).1.is_empty());
    }
}
