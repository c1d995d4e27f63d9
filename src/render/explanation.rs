//! `explain --format table`: an [`Explanation`] laid out for a person, every fact with the
//! sentence it came from indented below it. The sentences, titles and reasons are article
//! text: each goes through [`terminal_text`].

use std::io::Write;

use crate::explain::{Explanation, ReportExplained};
use crate::model::{Qualifier, Unit};

use super::{id_of, terminal_text};

/// A figure in words: `about 1200 people`.
fn qualified(count: u64, qualifier: Qualifier, unit: Unit) -> String {
    let qualifier = match qualifier {
        Qualifier::Exact => "",
        Qualifier::Approx => "about ",
        Qualifier::AtLeast => "at least ",
        Qualifier::AtMost => "at most ",
    };
    format!("{qualifier}{count} {}", unit.id())
}

/// The sentence a fact came from, quoted and indented under it.
fn quote(out: &mut impl Write, sentence: Option<&str>) -> std::io::Result<()> {
    match sentence {
        Some(s) if !s.trim().is_empty() => writeln!(out, "        \"{}\"", terminal_text(s)),
        _ => writeln!(out, "        (no sentence)"),
    }
}

/// The human layout: per article its URL, decision and reason, date used and where from,
/// then each report with its forces and every fact with its sentence indented below it.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn explanation_table(out: &mut impl Write, items: &[Explanation]) -> std::io::Result<()> {
    for (index, explanation) in items.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        write_explanation(out, explanation)?;
    }
    Ok(())
}

/// One article: its decision, date and warnings, then its reports.
fn write_explanation(out: &mut impl Write, explanation: &Explanation) -> std::io::Result<()> {
    writeln!(out, "{}", terminal_text(&explanation.url))?;
    if !explanation.title.trim().is_empty() {
        writeln!(out, "  title:     {}", terminal_text(&explanation.title))?;
    }
    if !explanation.source.trim().is_empty() {
        writeln!(out, "  source:    {}", terminal_text(&explanation.source))?;
    }
    let reason = terminal_text(&explanation.reason);
    match explanation.rejected_by {
        None => writeln!(out, "  decision:  relevant: {reason}")?,
        Some(code) => writeln!(out, "  decision:  rejected ({code}): {reason}")?,
    }
    match explanation.published {
        Some(date) => writeln!(
            out,
            "  published: {} (from {})",
            date.to_rfc3339(),
            explanation.published_from
        )?,
        None => writeln!(out, "  published: unknown ({})", explanation.published_from)?,
    }
    for warning in &explanation.warnings {
        writeln!(out, "  warning:   {}", terminal_text(warning))?;
    }
    for (index, report) in explanation.reports.iter().enumerate() {
        write_report(out, index + 1, report)?;
    }
    Ok(())
}

/// Report `number` (from 1) of an article: its forces and every fact with its sentence.
fn write_report(
    out: &mut impl Write,
    number: usize,
    report: &ReportExplained,
) -> std::io::Result<()> {
    writeln!(
        out,
        "  report {number}: {}",
        report
            .forces
            .iter()
            .zip(&report.force_names)
            .map(|(id, name)| format!("{id} ({})", terminal_text(name)))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(out, "    forces named in:")?;
    for sentence in &report.force_sentences {
        quote(out, Some(sentence))?;
    }
    for (label, facts) in [
        ("data type", &report.data_types),
        ("not exposed", &report.not_exposed),
    ] {
        for fact in facts {
            writeln!(out, "    {label}: {}", fact.id)?;
            quote(out, fact.sentence.as_deref())?;
        }
    }
    for figure in &report.figures {
        writeln!(
            out,
            "    figure: {}",
            qualified(figure.count, figure.qualifier, figure.unit)
        )?;
        quote(out, Some(&figure.sentence))?;
    }
    writeln!(out, "    cause: {}", report.cause.id)?;
    if report.cause.sentence.is_some() {
        quote(out, report.cause.sentence.as_deref())?;
    }
    match (report.third_party, &report.supplier) {
        (Some(third_party), Some(supplier)) => writeln!(
            out,
            "    third party: {third_party} (supplier: {})",
            terminal_text(supplier)
        )?,
        (Some(third_party), None) => writeln!(out, "    third party: {third_party}")?,
        (None, Some(supplier)) => writeln!(out, "    supplier: {}", terminal_text(supplier))?,
        (None, None) => {}
    }
    for development in &report.developments {
        let kind = id_of(&development.kind);
        match (development.amount_minor, &development.currency) {
            (Some(minor), currency) => writeln!(
                out,
                "    development: {kind} {}.{:02} {}",
                minor / 100,
                minor % 100,
                currency.as_deref().map(terminal_text).unwrap_or_default()
            )?,
            (None, _) => writeln!(out, "    development: {kind}")?,
        }
        quote(out, Some(&development.sentence))?;
    }
    match &report.occurred {
        serde_json::Value::Null => writeln!(out, "    occurred: unknown")?,
        occurred => writeln!(out, "    occurred: {occurred}")?,
    }
    Ok(())
}
