//! `breachwatch show ID`: one incident with every source, its timeline and evidence; as
//! text, JSON (as `/api/incidents/{id}` gives it) or its sources as CSV. While `run` holds
//! the database, the running service answers.

use std::io::Write;

use anyhow::{Context as _, Result};

use crate::model::Incident;
use crate::query;
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
    let incident: Incident = match context.open_or_ask_service(&format!("/api/incidents/{id}"))? {
        Access::Local(store) => {
            query::incident(&store, id)?.with_context(|| format!("no incident {id:?}"))?
        }
        Access::Remote(body) => serde_json::from_str(&body)?,
    };
    match format {
        OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&incident)?)?,
        OutFormat::Csv => render::sources_csv(out, &incident)?,
        OutFormat::Table => render::incident_text(out, &incident)?,
    }
    Ok(())
}
