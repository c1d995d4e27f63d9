//! `breachwatch trends`: incident counts and people affected per force, data type or cause
//! and period, as a table, JSON (as `/api/trends` gives them) or CSV, and optionally as an
//! SVG chart. While `run` holds the database, the running service answers.
//!
//! The values of `--by`, `--period` and `--when` are the ids [`crate::query`] spells for the
//! API too (`TrendKey::id`...); they are given to clap here.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result};
use clap::builder::PossibleValue;
use clap::ValueEnum;

use crate::chart;
use crate::query::{self, FilterSpec, Period, TrendKey, TrendQuery, TrendRow, When};
use crate::render;

use super::{parse_filters, Access, Context, OutFormat};

impl ValueEnum for TrendKey {
    fn value_variants<'a>() -> &'a [Self] {
        &TrendKey::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.id()))
    }
}

impl ValueEnum for Period {
    fn value_variants<'a>() -> &'a [Self] {
        &Period::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.id()))
    }
}

impl ValueEnum for When {
    fn value_variants<'a>() -> &'a [Self] {
        &When::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            When::Reported => "Its `first_reported` time",
            When::Occurred => "Its `occurred` date, where the reports state it",
        };
        Some(PossibleValue::new(self.id()).help(help))
    }
}

/// The trend asked for on the command line, its dates as given.
pub(super) struct TrendArgs {
    /// `--by`.
    pub by: TrendKey,
    /// `--period`.
    pub period: Period,
    /// `--when`.
    pub when: When,
    /// `--since`, `YYYY-MM-DD`.
    pub since: Option<String>,
    /// `--until`, `YYYY-MM-DD`.
    pub until: Option<String>,
}

impl TrendArgs {
    /// The same trend as an `/api/trends` request.
    fn api_path(&self) -> String {
        let mut path = format!(
            "/api/trends?by={}&period={}",
            self.by.id(),
            self.period.id()
        );
        if self.when != When::Reported {
            path.push_str(&format!("&when={}", self.when.id()));
        }
        for (name, value) in [("since", &self.since), ("until", &self.until)] {
            if let Some(value) = value {
                path.push_str(&format!("&{name}={value}"));
            }
        }
        path
    }
}

/// Answers the trend `args` in `format`, and draws it to `chart_path` when given.
///
/// # Errors
///
/// When a date does not parse, neither the database nor the service answers, or stdout or
/// the chart cannot be written.
pub(super) fn run(
    context: &Context,
    args: &TrendArgs,
    format: OutFormat,
    chart_path: Option<&Path>,
    out: &mut impl Write,
) -> Result<()> {
    let dates = parse_filters(&FilterSpec {
        since: args.since.clone(),
        until: args.until.clone(),
        ..FilterSpec::default()
    })?;
    let question = TrendQuery {
        by: args.by,
        period: args.period,
        when: args.when,
        since: dates.since,
        until: dates.until,
    };
    let rows: Vec<TrendRow> = match context.open_or_ask_service(&args.api_path())? {
        Access::Local(store) => query::trends_for(&store, &question)?,
        Access::Remote(body) => serde_json::from_str(&body)?,
    };
    match format {
        OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        OutFormat::Csv => render::trends_csv(out, &rows)?,
        OutFormat::Table => render::trends_table(out, &rows, args.by.id())?,
    }
    if let Some(path) = chart_path {
        let svg = chart::trend_svg(&rows, args.by.id(), args.period.id());
        std::fs::write(path, svg).with_context(|| format!("cannot write {}", path.display()))?;
        if !context.quiet {
            eprintln!("chart written to {}", path.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_goes_to_the_service_with_its_dates_as_given() {
        let args = TrendArgs {
            by: TrendKey::DataType,
            period: Period::Quarter,
            when: When::Occurred,
            since: Some("2023-01-01".into()),
            until: None,
        };
        assert_eq!(
            args.api_path(),
            "/api/trends?by=data-type&period=quarter&when=occurred&since=2023-01-01"
        );
    }

    #[test]
    fn clap_takes_the_ids_the_api_spells() {
        assert_eq!(
            TrendKey::from_str("data-type", false).unwrap(),
            TrendKey::DataType
        );
        assert_eq!(Period::from_str("all", false).unwrap(), Period::All);
        assert_eq!(When::from_str("occurred", false).unwrap(), When::Occurred);
    }
}
