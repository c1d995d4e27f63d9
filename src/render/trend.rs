//! Trend rows for the terminal (an aligned table with a totals row) and as CSV.

use std::io::Write;

use crate::export::csv_text;
use crate::query::TrendRow;

use super::terminal_text;

/// Trend rows as an aligned table with a totals row; `by` heads the key column.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn trends_table(out: &mut impl Write, rows: &[TrendRow], by: &str) -> std::io::Result<()> {
    let head = [
        "period",
        by,
        "incidents",
        "people affected",
        "without a figure",
    ];
    let mut cells: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            [
                terminal_text(&row.period),
                terminal_text(&row.key),
                row.incidents.to_string(),
                row.people_affected.to_string(),
                row.incidents_without_count.to_string(),
            ]
        })
        .collect();
    cells.push([
        "total".into(),
        String::new(),
        rows.iter().map(|r| r.incidents).sum::<u64>().to_string(),
        rows.iter()
            .map(|r| r.people_affected)
            .sum::<u64>()
            .to_string(),
        rows.iter()
            .map(|r| r.incidents_without_count)
            .sum::<u64>()
            .to_string(),
    ]);
    let mut widths = head.map(str::len);
    for row in &cells {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(cell.chars().count());
        }
    }
    // The period and key columns are aligned left, the numbers right.
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                if column >= 2 {
                    format!("{cell:>width$}", width = widths[column])
                } else {
                    format!("{cell:<width$}", width = widths[column])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", line(&head.map(String::from)))?;
    for (index, row) in cells.iter().enumerate() {
        if index + 1 == cells.len() {
            writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 8))?;
        }
        writeln!(out, "{}", line(row))?;
    }
    writeln!(out, "(an incident with several forces or types counts once under each; people affected sums only incidents with a figure)")
}

/// Trend rows as CSV; the key and period cells are guarded with [`csv_text`].
///
/// # Errors
///
/// When `out` cannot be written.
pub fn trends_csv(out: &mut impl Write, rows: &[TrendRow]) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    for row in rows {
        writer.serialize(TrendRow {
            key: csv_text(&row.key).into_owned(),
            period: csv_text(&row.period).into_owned(),
            ..row.clone()
        })?;
    }
    writer.flush()?;
    Ok(())
}
