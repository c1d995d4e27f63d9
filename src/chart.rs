//! The SVG charts, all of them:
//!
//! * [`TrendChart`] — a trend an analyst can paste into a briefing (`trends --chart`, and the
//!   dashboard's chart over time): stacked bars per period (the largest keys coloured, the
//!   rest as "other"), or one bar per key for `--period all`.
//! * [`BarChart`] — the dashboard's horizontal bars of totals by force, data type or cause.
//!
//! The geometry is worked out here; `templates/trend.svg` and `templates/hbar.svg` write it
//! out, and askama escapes every label (`&`, `<`, `>`, `"` and `'`), so a force name or
//! period cannot close a tag or an attribute.

use std::collections::BTreeMap;

use askama::Template;

use crate::query::TrendRow;

/// The colours of the largest keys, in order; the last one is for all the others.
const PALETTE: [&str; 7] = [
    "#1f5f8b", "#e07b39", "#3a9d5d", "#b8405e", "#7a5cb8", "#c9a227", "#9aa5b1",
];

/// The top of a chart's scale for a largest value of `value`: the next 1, 2 or 5 times a
/// power of ten at or above it.
fn nice_max(value: u64) -> u64 {
    let value = value.max(1);
    let magnitude = 10u64.pow((value as f64).log10().floor() as u32);
    for multiple in [1, 2, 5, 10] {
        if value <= multiple * magnitude {
            return multiple * magnitude;
        }
    }
    10 * magnitude
}

/// A trend chart, laid out, for `templates/trend.svg`.
#[derive(Template)]
#[template(path = "trend.svg")]
pub struct TrendChart<'a> {
    width: f64,
    height: f64,
    /// The x of the plot's left edge (the y axis).
    left: f64,
    /// `left` plus the plot width.
    right_edge: f64,
    /// The y of the x axis.
    baseline: f64,
    /// The middle of the plot.
    mid_x: f64,
    /// The middle of the plot.
    mid_y: f64,
    title: String,
    /// The trend key (`force`, `data_type`, `cause`), for the footnote.
    by: &'a str,
    grid: Vec<GridLine>,
    bars: Vec<Bar<'a>>,
    legend_x: f64,
    legend: Vec<LegendItem<'a>>,
}

/// A horizontal line of the scale and its value.
struct GridLine {
    y: f64,
    value: u64,
}

/// The bar of one period: a segment per key, stacked.
struct Bar<'a> {
    period: &'a str,
    segments: Vec<Segment<'a>>,
    /// The period label under the bar (only every so many bars when there are many).
    label: Option<Point>,
}

/// One key's part of a bar.
struct Segment<'a> {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    colour: &'static str,
    key: &'a str,
    count: u64,
}

/// Where a label goes.
struct Point {
    x: f64,
    y: f64,
}

/// A colour swatch and what it stands for.
struct LegendItem<'a> {
    y: f64,
    colour: &'static str,
    label: &'a str,
}

impl<'a> TrendChart<'a> {
    /// Lays out a chart of incident counts from trend rows by `by` (the trend key's id) per
    /// `period` (the period's id; `all` draws one bar per key).
    pub fn new(rows: &'a [TrendRow], by: &'a str, period: &str) -> TrendChart<'a> {
        let (width, height) = (900.0_f64, 480.0_f64);
        let (left, right, top, bottom) = (60.0, 200.0, 50.0, 70.0);
        let (plot_width, plot_height) = (width - left - right, height - top - bottom);
        let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
        for r in rows {
            *totals.entry(&r.key).or_default() += r.incidents;
        }
        let mut keys: Vec<(&str, u64)> = totals.into_iter().collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top_keys: Vec<&str> = keys.iter().take(PALETTE.len() - 1).map(|k| k.0).collect();
        let colour = |k: &str| {
            top_keys
                .iter()
                .position(|t| *t == k)
                .map(|i| PALETTE[i])
                .unwrap_or(PALETTE[PALETTE.len() - 1])
        };
        let periods: Vec<&str> = if period == "all" {
            keys.iter().map(|k| k.0).collect()
        } else {
            let mut p: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
            p.sort();
            p.dedup();
            p
        };
        // Stacks per bar.
        let mut stacks: Vec<Vec<(&str, u64)>> = vec![Vec::new(); periods.len()];
        for r in rows {
            let bar = if period == "all" { &r.key } else { &r.period };
            if let Some(i) = periods.iter().position(|p| p == bar) {
                stacks[i].push((&r.key, r.incidents));
            }
        }
        let max = nice_max(
            stacks
                .iter()
                .map(|s| s.iter().map(|x| x.1).sum::<u64>())
                .max()
                .unwrap_or(0),
        );
        let title = format!(
            "Police data breach incidents by {by}{}",
            if period == "all" {
                String::new()
            } else {
                format!(", per {period}")
            }
        );
        let grid = (0..=5)
            .map(|i| {
                let value = max * i / 5;
                GridLine {
                    y: top + plot_height - plot_height * (value as f64 / max as f64),
                    value,
                }
            })
            .collect();
        let slot = plot_width / periods.len().max(1) as f64;
        let bar_width = (slot * 0.7).min(60.0);
        let label_every = (periods.len() / 24).max(1);
        let bars = periods
            .iter()
            .zip(stacks)
            .enumerate()
            .map(|(i, (p, mut stack))| {
                let x = left + slot * i as f64 + (slot - bar_width) / 2.0;
                let mut y = top + plot_height;
                stack.sort_by_key(|(k, _)| {
                    top_keys.iter().position(|t| t == k).unwrap_or(usize::MAX)
                });
                let segments = stack
                    .into_iter()
                    .map(|(key, count)| {
                        let segment_height = plot_height * count as f64 / max as f64;
                        y -= segment_height;
                        Segment {
                            x,
                            y,
                            width: bar_width,
                            height: segment_height,
                            colour: colour(key),
                            key,
                            count,
                        }
                    })
                    .collect();
                Bar {
                    period: p,
                    segments,
                    label: (i % label_every == 0).then(|| Point {
                        x: x + bar_width / 2.0,
                        y: top + plot_height + 16.0,
                    }),
                }
            })
            .collect();
        // Legend: the coloured keys, then "other" when some keys share the last colour.
        let mut legend = Vec::new();
        if period != "all" {
            let mut ly = top;
            for (i, k) in top_keys.iter().enumerate() {
                legend.push(LegendItem {
                    y: ly,
                    colour: PALETTE[i],
                    label: k,
                });
                ly += 20.0;
            }
            if keys.len() > top_keys.len() {
                legend.push(LegendItem {
                    y: ly,
                    colour: PALETTE[PALETTE.len() - 1],
                    label: "other",
                });
            }
        }
        TrendChart {
            width,
            height,
            left,
            right_edge: left + plot_width,
            baseline: top + plot_height,
            mid_x: left + plot_width / 2.0,
            mid_y: top + plot_height / 2.0,
            title,
            by,
            grid,
            bars,
            legend_x: left + plot_width + 20.0,
            legend,
        }
    }
}

/// An SVG chart of incident counts from trend rows, as a file's text (ending in a newline).
pub fn trend_svg(rows: &[TrendRow], by: &str, period: &str) -> String {
    let mut svg = TrendChart::new(rows, by, period)
        .render()
        .unwrap_or_else(|e| {
            // Only a failing `Display` could get here, and nothing in the chart has one.
            tracing::error!(error = %e, "The trend chart failed to render.");
            String::new()
        });
    svg.push('\n');
    svg
}

/// A horizontal bar chart of totals, laid out, for `templates/hbar.svg`: the dashboard's
/// incidents by force, by data type and by cause.
#[derive(Template)]
#[template(path = "hbar.svg")]
pub struct BarChart<'a> {
    title: &'a str,
    width: f64,
    height: f64,
    /// The width of the label column; the bars start here.
    label_width: f64,
    rows: Vec<BarRow<'a>>,
}

/// One bar, its label and its count.
struct BarRow<'a> {
    /// The whole label, in the bar's tooltip.
    label: &'a str,
    /// The label cut to 19 characters, beside the bar.
    shown_label: String,
    count: u64,
    /// The right edge of the label.
    label_x: f64,
    /// The baseline of the label and the count.
    text_y: f64,
    bar_y: f64,
    bar_width: f64,
    bar_height: f64,
    /// Where the count goes, after the bar.
    count_x: f64,
}

impl<'a> BarChart<'a> {
    /// Lays out the `(label, count)` rows, the largest first, at most `max_rows` of them;
    /// `None` when there are none.
    pub fn new(title: &'a str, rows: &'a [(String, u64)], max_rows: usize) -> Option<BarChart<'a>> {
        let mut rows: Vec<&(String, u64)> = rows.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        rows.truncate(max_rows);
        if rows.is_empty() {
            return None;
        }
        let (width, label_width, longest_bar, row_height) =
            (320.0_f64, 138.0_f64, 140.0_f64, 24.0_f64);
        let largest = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
        let rows = rows
            .iter()
            .enumerate()
            .map(|(index, (label, count))| {
                let top = 4.0 + row_height * index as f64;
                let bar_width = (longest_bar * (*count as f64) / largest).max(2.0);
                let shown_label = if label.chars().count() > 19 {
                    label.chars().take(18).collect::<String>() + "…"
                } else {
                    label.clone()
                };
                BarRow {
                    label,
                    shown_label,
                    count: *count,
                    label_x: label_width - 8.0,
                    text_y: top + row_height / 2.0 + 4.0,
                    bar_y: top + 4.0,
                    bar_width,
                    bar_height: row_height - 8.0,
                    count_x: label_width + bar_width + 6.0,
                }
            })
            .collect::<Vec<_>>();
        Some(BarChart {
            title,
            width,
            height: row_height * rows.len() as f64 + 8.0,
            label_width,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_title_bars_labels_and_escapes() {
        let rows = vec![
            TrendRow {
                key: "kent".into(),
                period: "2023".into(),
                incidents: 2,
                people_affected: 0,
                incidents_without_count: 2,
            },
            TrendRow {
                key: "<x>".into(),
                period: "2023".into(),
                incidents: 1,
                people_affected: 0,
                incidents_without_count: 1,
            },
            TrendRow {
                key: "kent".into(),
                period: "2024".into(),
                incidents: 3,
                people_affected: 0,
                incidents_without_count: 3,
            },
        ];
        let svg = trend_svg(&rows, "force", "year");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("Police data breach incidents by force, per year"));
        assert_eq!(
            svg.matches("<rect x=").count(),
            3 + 2,
            "three bar segments and two legend swatches"
        );
        assert!(svg.contains(">2024<") && svg.contains("&#60;x&#62;") && !svg.contains("<x>"));
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(120), 200);
    }

    #[test]
    fn bar_chart_escapes_labels_and_titles() {
        let rows = [("<b>'s".to_string(), 3)];
        let svg = BarChart::new("O'Brien <t>", &rows, 5)
            .unwrap()
            .render()
            .unwrap();
        assert!(svg.contains("<title>&#60;b&#62;&#39;s: 3</title>"), "{svg}");
        assert!(
            svg.contains(r#"aria-label="O&#39;Brien &#60;t&#62;""#),
            "{svg}"
        );
        assert!(!svg.contains("<b>") && !svg.contains('\''));
        assert!(BarChart::new("t", &[], 5).is_none());
    }

    #[test]
    fn bar_chart_puts_the_largest_first_and_cuts_long_labels() {
        let rows = [
            ("small".to_string(), 1),
            ("a label longer than nineteen".to_string(), 4),
            ("third".to_string(), 2),
        ];
        let svg = BarChart::new("t", &rows, 2).unwrap().render().unwrap();
        assert!(svg.contains(">a label longer tha…</text>"), "{svg}");
        assert!(svg.find("a label longer").unwrap() < svg.find("third").unwrap());
        assert!(!svg.contains("small"), "only the two largest: {svg}");
    }

    #[test]
    fn chart_escapes_quotes_and_markup_in_every_label() {
        let row = |key: &str, period: &str| TrendRow {
            key: key.into(),
            period: period.into(),
            incidents: 1,
            people_affected: 0,
            incidents_without_count: 1,
        };
        let rows = [
            row("O'Brien's <force> & \"co\"", "2023"),
            row("kent", "20'24<"),
        ];
        for period in ["year", "all"] {
            let svg = trend_svg(&rows, "for'ce", period);
            assert!(
                svg.contains("O&#39;Brien&#39;s &#60;force&#62; &#38; &#34;co&#34;"),
                "{svg}"
            );
            assert!(svg.contains("by for&#39;ce"), "{svg}");
            // The chart's own markup uses double quotes only: any ' would come from data.
            assert!(!svg.contains('\''), "an unescaped ' in {svg}");
            assert!(!svg.contains("<force>") && !svg.contains("\"co\""));
            assert!(svg.ends_with("</svg>\n"));
        }
        assert!(trend_svg(&rows, "force", "year").contains(">20&#39;24&#60;</text>"));
    }
}
