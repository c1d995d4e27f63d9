//! SVG trend charts an analyst can paste into a briefing: stacked bars per period (the
//! largest keys coloured, the rest as "other"), or one bar per key for `--period all`.
//!
//! The geometry is worked out here; `templates/trend.svg` writes it out, and askama
//! escapes every label (`&`, `<`, `>`, `"` and `'`), so a force name or period cannot
//! close a tag or an attribute.

use std::collections::BTreeMap;

use askama::Template;

use crate::query::TrendRow;

const PALETTE: [&str; 7] = [
    "#1f5f8b", "#e07b39", "#3a9d5d", "#b8405e", "#7a5cb8", "#c9a227", "#9aa5b1",
];

fn nice_max(v: u64) -> u64 {
    let v = v.max(1);
    let mag = 10u64.pow((v as f64).log10().floor() as u32);
    for m in [1, 2, 5, 10] {
        if v <= m * mag {
            return m * mag;
        }
    }
    10 * mag
}

/// A trend chart, laid out, for `templates/trend.svg`.
#[derive(Template)]
#[template(path = "trend.svg")]
pub struct TrendChart<'a> {
    w: f64,
    h: f64,
    left: f64,
    /// `left` plus the plot width.
    right_edge: f64,
    /// The y of the x axis.
    baseline: f64,
    mid_x: f64,
    mid_y: f64,
    title: String,
    /// The trend key (`force`, `data_type`, `cause`), for the footnote.
    by: &'a str,
    grid: Vec<GridLine>,
    bars: Vec<Bar<'a>>,
    legend_x: f64,
    legend: Vec<LegendItem<'a>>,
}

struct GridLine {
    y: f64,
    value: u64,
}

struct Bar<'a> {
    period: &'a str,
    segments: Vec<Segment<'a>>,
    /// The period label under the bar (only every so many bars when there are many).
    label: Option<Point>,
}

struct Segment<'a> {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    colour: &'static str,
    key: &'a str,
    count: u64,
}

struct Point {
    x: f64,
    y: f64,
}

struct LegendItem<'a> {
    y: f64,
    colour: &'static str,
    label: &'a str,
}

impl<'a> TrendChart<'a> {
    /// Lays out a chart of incident counts from trend rows.
    pub fn new(rows: &'a [TrendRow], by: &'a str, period: &str) -> TrendChart<'a> {
        let (w, h) = (900.0_f64, 480.0_f64);
        let (left, right, top, bottom) = (60.0, 200.0, 50.0, 70.0);
        let (pw, ph) = (w - left - right, h - top - bottom);
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
                    y: top + ph - ph * (value as f64 / max as f64),
                    value,
                }
            })
            .collect();
        let slot = pw / periods.len().max(1) as f64;
        let bw = (slot * 0.7).min(60.0);
        let label_every = (periods.len() / 24).max(1);
        let bars = periods
            .iter()
            .zip(stacks)
            .enumerate()
            .map(|(i, (p, mut stack))| {
                let x = left + slot * i as f64 + (slot - bw) / 2.0;
                let mut y = top + ph;
                stack.sort_by_key(|(k, _)| {
                    top_keys.iter().position(|t| t == k).unwrap_or(usize::MAX)
                });
                let segments = stack
                    .into_iter()
                    .map(|(key, count)| {
                        let bh = ph * count as f64 / max as f64;
                        y -= bh;
                        Segment {
                            x,
                            y,
                            w: bw,
                            h: bh,
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
                        x: x + bw / 2.0,
                        y: top + ph + 16.0,
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
            w,
            h,
            left,
            right_edge: left + pw,
            baseline: top + ph,
            mid_x: left + pw / 2.0,
            mid_y: top + ph / 2.0,
            title,
            by,
            grid,
            bars,
            legend_x: left + pw + 20.0,
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
