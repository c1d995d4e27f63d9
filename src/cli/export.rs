//! `breachwatch export --format csv|json|veris|jsonl`: everything, on stdout (see
//! [`crate::export`]). The formats are [`ExportFormat`]'s; their names are given to clap here.

use std::io::Write;

use anyhow::Result;
use clap::builder::PossibleValue;
use clap::ValueEnum;

use crate::export::{self, ExportFormat};

use super::Context;

impl ValueEnum for ExportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &ExportFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.id()))
    }
}

/// Writes the export of the context's database in `format` to `out`.
///
/// # Errors
///
/// When the database cannot be opened or read, or `out` cannot be written.
pub(super) fn run(context: &Context, format: ExportFormat, out: &mut impl Write) -> Result<()> {
    let store = context.open_store()?;
    export::export(&store, format, out)?;
    Ok(())
}
