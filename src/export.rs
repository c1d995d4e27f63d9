//! `export`: every incident as CSV, JSON or VERIS 1.4-style records, or every stored article
//! as JSONL (the ingest format, so `ingest --format jsonl` restores a backup).
//!
//! # CSV and spreadsheet formulas
//!
//! Titles, URLs, outlets, force names, suppliers and sentences come from articles on the web.
//! A spreadsheet that opens a CSV runs a cell beginning with `=`, `+`, `-` or `@` (and, in
//! some, tab or carriage return) as a formula, so a hostile headline could become
//! `=HYPERLINK(...)` or a DDE call on an analyst's machine. Every CSV the tool writes
//! (`export --format csv`, `incidents --format csv`, `trends --format csv`,
//! `show --format csv`) passes its cells through [`csv_text`], which puts a `'` in front of
//! such a cell, as OWASP recommends ("CSV Injection"). The spreadsheet then shows the text
//! as text; a program reading the CSV sees the `'`.
//!
//! Only text is guarded. Numbers (counts, people affected), dates, booleans and our own
//! vocabulary ids are written as they are: they never begin with one of those characters,
//! and a cell that is a plain number such as `-12` or `+3.5` is data, not a formula, so
//! [`csv_text`] leaves it alone. That is why every cell of a row can go through it (a text
//! column added later is then guarded without anyone remembering to).

use std::borrow::Cow;
use std::io::Write;

use serde_json::{json, Value};

use crate::model::Incident;
use crate::model::{Cause, DataType, Qualifier, Unit};
use crate::parse::jsonl::JsonlArticle;
use crate::query::{self, Filter};
use crate::store::{Store, StoreError};

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Every incident, one CSV row each, text cells guarded (see the module doc).
    Csv,
    /// Every incident as the API gives one, in a JSON array.
    Json,
    /// Every incident as a VERIS 1.4-style record, in a JSON array.
    Veris,
    /// Every stored article, one JSON object a line: what `ingest --format jsonl` reads.
    Jsonl,
}

impl ExportFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::Veris,
        ExportFormat::Jsonl,
    ];

    /// The format's name on the command line (`export --format csv`).
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Veris => "veris",
            ExportFormat::Jsonl => "jsonl",
        }
    }
}

/// Why an export stopped. Each shows its cause's own message, and keeps the cause as its
/// source, so a closed stdout is still found as an `io::Error` in the chain.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The output could not be written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A CSV row could not be written.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// A JSON document could not be written.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// `cell` guarded against spreadsheet formula injection (see the module doc): a leading `'`
/// when it begins with `=`, `+`, `-`, `@`, tab or carriage return and is not a plain number.
pub fn csv_text(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-12`, `+3.5`, `-1e3`: an optional sign, digits with at most one `.`, an optional exponent.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, frac)) => {
            (digits(whole) || whole.is_empty())
                && (digits(frac) || frac.is_empty())
                && !(whole.is_empty() && frac.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// Writes the export to `out`.
///
/// # Errors
///
/// When the store cannot be read or `out` cannot be written.
pub fn export(
    store: &Store,
    format: ExportFormat,
    out: &mut impl Write,
) -> Result<(), ExportError> {
    match format {
        ExportFormat::Jsonl => {
            let mut articles: Vec<_> = store.articles().collect::<Result<_, _>>()?;
            articles.sort_by(|a, b| (a.when(), &a.key).cmp(&(b.when(), &b.key)));
            for article in articles {
                let line = JsonlArticle {
                    url: article.url,
                    title: article.title,
                    published: article.published.map(|p| p.to_rfc3339()),
                    source: article.source,
                    text: article.text,
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
        ExportFormat::Json => {
            let all = query::incidents(store, &Filter::default())?;
            let corrected = corrected_of(store, &all)?;
            let records: Vec<Exported> = all
                .iter()
                .zip(&corrected)
                .map(|(incident, corrected)| Exported {
                    incident,
                    corrected,
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&records)?)?;
        }
        ExportFormat::Veris => {
            let all = query::incidents(store, &Filter::default())?;
            let corrected = corrected_of(store, &all)?;
            let mut records = Vec::new();
            for (i, fields) in all.iter().zip(&corrected) {
                let mut record = veris(i);
                if !fields.is_empty() {
                    record["plus"]["analysis_status"] = json!("Reviewed");
                    record["plus"]["breachwatch"]["analyst_corrected"] = json!(fields);
                }
                records.push(record);
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&records)?)?;
        }
        ExportFormat::Csv => {
            let all = query::incidents(store, &Filter::default())?;
            let corrected = corrected_of(store, &all)?;
            csv_export(&all, &corrected, out)?;
        }
    }
    Ok(())
}

/// An incident in the JSON export: as the API gives it, with the facts an analyst set.
#[derive(serde::Serialize)]
struct Exported<'a> {
    #[serde(flatten)]
    incident: &'a Incident,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    corrected: &'a [&'static str],
}

/// The facts an analyst set on each incident (field ids, see [`query::corrected_fields`]):
/// the JSON export's `corrected`, the CSV's `corrected` column (`;`-separated), VERIS's
/// `plus.breachwatch.analyst_corrected` (and `plus.analysis_status` "Reviewed"). Dismissed
/// incidents are not exported at all.
fn corrected_of(store: &Store, all: &[Incident]) -> Result<Vec<Vec<&'static str>>, StoreError> {
    all.iter()
        .map(|i| {
            Ok(query::corrected_fields(store, &i.id)?
                .into_iter()
                .map(|f| f.id())
                .collect())
        })
        .collect()
}

/// VERIS `timeline.incident`: when it occurred, as precisely as the reports say; else the
/// year and month it was first reported.
fn incident_time(i: &Incident) -> serde_json::Value {
    match i.occurred {
        Some(o) => {
            let mut t = serde_json::Map::new();
            t.insert("year".into(), o.year.into());
            if let Some(m) = o.month {
                t.insert("month".into(), m.into());
                if let Some(d) = o.day {
                    t.insert("day".into(), d.into());
                }
            }
            t.into()
        }
        None => serde_json::json!({
            "year": chrono::Datelike::year(&i.first_reported),
            "month": chrono::Datelike::month(&i.first_reported),
        }),
    }
}

/// Every cell goes through [`csv_text`] (see the module doc): text is guarded, and the
/// numbers, dates and ids are left as they are.
fn csv_export(
    all: &[Incident],
    corrected: &[Vec<&str>],
    out: &mut impl Write,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "title",
        "first_reported",
        "last_reported",
        "occurred",
        "forces",
        "data_types",
        "not_exposed",
        "affected_count",
        "affected_qualifier",
        "affected_unit",
        "cause",
        "third_party",
        "supplier",
        "source_count",
        "sources",
        "timeline",
        "corrected",
    ])?;
    for (i, corrected) in all.iter().zip(corrected) {
        let (count, qualifier, unit) = match &i.affected {
            Some(a) => (
                a.count.to_string(),
                a.qualifier.id().to_string(),
                a.unit.id().to_string(),
            ),
            None => Default::default(),
        };
        let record = [
            i.id.clone(),
            i.title.clone(),
            i.first_reported.to_rfc3339(),
            i.last_reported.to_rfc3339(),
            i.occurred.map(|o| o.to_string()).unwrap_or_default(),
            i.forces.join(";"),
            i.data_types
                .iter()
                .map(|t| t.id())
                .collect::<Vec<_>>()
                .join(";"),
            i.not_exposed
                .iter()
                .map(|t| t.id())
                .collect::<Vec<_>>()
                .join(";"),
            count,
            qualifier,
            unit,
            i.cause.id().to_string(),
            i.third_party.map(|b| b.to_string()).unwrap_or_default(),
            i.supplier.clone().unwrap_or_default(),
            i.sources.len().to_string(),
            i.sources
                .iter()
                .map(|s| s.url.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            i.timeline
                .iter()
                .map(|d| {
                    format!(
                        "{} {}{}",
                        d.date
                            .map(|t| t.format("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                        d.kind.id(),
                        match (d.amount_minor, &d.currency) {
                            (Some(a), Some(c)) => format!(" {c}{}", a / 100),
                            _ => String::new(),
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            corrected.join(";"),
        ];
        w.write_record(record.iter().map(|cell| csv_text(cell).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// The VERIS confidentiality data variety of one of our data types.
pub fn veris_variety(t: DataType) -> &'static str {
    use DataType::*;
    match t {
        Financial => "Bank",
        Health => "Medical",
        NationalId => "Sensitive Personal",
        Credentials => "Credentials",
        CaseRecords => "Internal",
        InformantDetails => "Classified",
        Name | Rank | Photo | VettingLevel | StaffId | HomeAddress | PhoneNumber | EmailAddress
        | DateOfBirth | WorkLocation | Unit | VictimDetails | WitnessDetails | SuspectDetails
        | Recordings => "Personal",
    }
}

/// The VERIS action (category, variety) of a cause.
pub fn veris_action(c: Cause) -> (&'static str, &'static str) {
    match c {
        Cause::CyberAttack => ("hacking", "Unknown"),
        Cause::Ransomware => ("malware", "Ransomware"),
        Cause::AccidentalDisclosure => ("error", "Publishing error"),
        Cause::MisdirectedCommunication => ("error", "Misdelivery"),
        Cause::LossOrTheft => ("error", "Loss"),
        Cause::InsiderMisuse => ("misuse", "Privilege abuse"),
        Cause::DataLoss => ("error", "Malfunction"),
        Cause::UnlawfulProcessing => ("misuse", "Data mishandling"),
        Cause::Unknown => ("unknown", "Unknown"),
    }
}

fn data_victims(types: &[DataType]) -> Vec<&'static str> {
    use DataType::*;
    let mut v = Vec::new();
    if types
        .iter()
        .any(|t| matches!(t, Rank | VettingLevel | StaffId | WorkLocation | Unit))
    {
        v.push("Employee");
    }
    if types.iter().any(|t| {
        matches!(
            t,
            VictimDetails | WitnessDetails | SuspectDetails | InformantDetails
        )
    }) {
        v.push("Customer");
    }
    if v.is_empty() {
        v.push("Unknown");
    }
    v
}

/// One VERIS 1.4-style record. `data_total` is given only for a defensible total: an exact or
/// at-least figure of people or records (never an approximation, a ceiling, or a file count).
pub fn veris(i: &Incident) -> Value {
    let (category, variety) = veris_action(i.cause);
    let mut varieties: Vec<&str> = i.data_types.iter().map(|t| veris_variety(*t)).collect();
    varieties.sort();
    varieties.dedup();
    let data: Vec<Value> = varieties.iter().map(|v| json!({ "variety": v })).collect();
    let mut confidentiality = json!({
        "data_disclosure": if i.data_types.is_empty() { "Unknown" } else { "Yes" },
        "data": data,
        "data_victim": data_victims(&i.data_types),
    });
    if let Some(a) = &i.affected {
        if matches!(a.qualifier, Qualifier::Exact | Qualifier::AtLeast) && a.unit != Unit::Files {
            confidentiality["data_total"] = json!(a.count);
        }
    }
    let mut attribute = json!({ "confidentiality": confidentiality });
    if i.cause == Cause::DataLoss {
        attribute["availability"] = json!({ "variety": ["Loss"] });
    }
    let uk = !i
        .forces
        .iter()
        .any(|f| f.len() > 3 && f.as_bytes()[2] == b'-' && !f.starts_with("uk-"))
        && !i
            .forces
            .iter()
            .any(|f| f.starts_with("us-") || f.starts_with("au-"));
    let country = if uk {
        "GB".to_string()
    } else {
        i.forces
            .first()
            .map(|f| f[..2].to_ascii_uppercase())
            .unwrap_or_else(|| "Unknown".into())
    };
    let actor = match i.cause {
        Cause::CyberAttack | Cause::Ransomware => json!({ "external": { "variety": ["Unknown"] } }),
        Cause::InsiderMisuse => json!({ "internal": { "variety": ["Unknown"] } }),
        Cause::Unknown => json!({ "unknown": {} }),
        _ if i.third_party == Some(true) => json!({ "partner": { "industry": "Unknown" } }),
        _ => json!({ "internal": { "variety": ["Unknown"] } }),
    };
    json!({
        "schema_version": "1.4.0",
        "incident_id": i.id,
        "source_id": "breachwatch",
        "security_incident": "Confirmed",
        "confidence": "Medium",
        "summary": i.title,
        "reference": i.sources.iter().map(|s| s.url.as_str()).collect::<Vec<_>>().join("; "),
        "victim": {
            "victim_id": i.force_names.join("; "),
            "industry": "922120",
            "government": ["Local"],
            "country": [country],
            "region": [if uk { "150154" } else { "000000" }],
        },
        "actor": actor,
        "action": { category: { "variety": [variety] } },
        "attribute": attribute,
        "timeline": { "incident": incident_time(i) },
        "discovery_method": { "unknown": true },
        "impact": { "overall_rating": "Unknown" },
        "plus": {
            "analysis_status": "Automated",
            "breachwatch": {
                "forces": i.forces,
                "data_types": i.data_types,
                "not_exposed": i.not_exposed,
                "cause": i.cause,
                "third_party": i.third_party,
                "affected": i.affected,
                "timeline": i.timeline.iter().map(|d| json!({
                    "date": d.date.map(|t| t.to_rfc3339()),
                    "kind": d.kind,
                    "amount_minor": d.amount_minor,
                    "currency": d.currency,
                    "url": d.url,
                })).collect::<Vec<_>>(),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_gets_a_quote() {
        for cell in [
            "=HYPERLINK(\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "+",
        ] {
            assert_eq!(csv_text(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn plain_text_and_numbers_are_left_alone() {
        for cell in [
            "Kent Police",
            "",
            "2024-03-05",
            "-12",
            "+3.5",
            "-1e3",
            "-.5",
            "https://a.example/=x",
        ] {
            assert_eq!(csv_text(cell), cell, "{cell:?}");
        }
    }
}
