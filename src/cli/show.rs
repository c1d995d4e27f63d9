//! `breachwatch show ID`: one incident with every source, its timeline and evidence; as
//! text, JSON (as `/api/incidents/{id}` gives it) or its sources as CSV. While `run` holds
//! the database, the running service answers.

use std::io::Write;

use anyhow::{Context as _, Result};

use crate::query::{self, IncidentDetail};
use crate::render;

use super::{Access, Context, OutFormat};

/// Shows incident `id` in `format`.
///
/// # Errors
///
/// When there is no such incident, neither the database nor the service answers, or stdout
/// cannot be written.
pub(super) fn run(
    context: &Context,
    id: &str,
    format: OutFormat,
    out: &mut impl Write,
) -> Result<()> {
    let detail: IncidentDetail =
        match context.open_or_ask_service(&format!("/api/incidents/{id}"))? {
            Access::Local(store) => query::incident_detail(&store, id)?
                .with_context(|| format!("no incident {id:?}"))?,
            Access::Remote(body) => serde_json::from_str(&body)?,
        };
    match format {
        OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&detail)?)?,
        OutFormat::Csv => render::sources_csv(out, &detail.incident)?,
        OutFormat::Table => {
            render::incident_text(out, &detail.incident)?;
            corrections_text(out, &detail)?;
        }
    }
    Ok(())
}

/// The table form's account of the analysts' corrections: dismissed or not, each correction
/// with its value, the value it replaced and what extraction says now.
fn corrections_text(out: &mut impl Write, detail: &IncidentDetail) -> Result<()> {
    if detail.corrections.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    if detail.dismissed {
        writeln!(out, "DISMISSED by an analyst: not a police data breach")?;
    }
    let fields: Vec<&str> = detail.corrected.iter().map(|f| f.id()).collect();
    if !fields.is_empty() {
        writeln!(out, "Set by an analyst: {}", fields.join(", "))?;
    }
    writeln!(out, "Corrections:")?;
    let clean = render::terminal_text;
    for c in &detail.corrections {
        let what = match (&c.field, &c.value) {
            (Some(field), Some(value)) => {
                let mut s = format!("set {} = {value}", field.id());
                if let Some(replaced) = &c.replaced {
                    s.push_str(&format!(" (was {replaced}"));
                    if let Some(extracted) = c.extracted.as_ref().filter(|e| *e != replaced) {
                        s.push_str(&format!("; extraction now says {extracted}"));
                    }
                    s.push(')');
                }
                s
            }
            _ => match &c.other {
                Some(other) => format!("{} {}", c.action, clean(other)),
                None => c.action.clone(),
            },
        };
        let reason = if c.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", clean(&c.reason))
        };
        writeln!(
            out,
            "  #{} {} {}{reason}",
            c.seq,
            c.at.format("%Y-%m-%d %H:%M UTC"),
            clean(&what)
        )?;
    }
    Ok(())
}
