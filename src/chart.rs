//! SVG trend charts an analyst can paste into a briefing: stacked bars per period (the
//! largest keys coloured, the rest as "other"), or one bar per key for `--period all`.

use std::collections::BTreeMap;

use crate::query::TrendRow;

const PALETTE: [&str; 7] = [
    "#1f5f8b", "#e07b39", "#3a9d5d", "#b8405e", "#7a5cb8", "#c9a227", "#9aa5b1",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

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

/// An SVG chart of incident counts from trend rows.
pub fn trend_svg(rows: &[TrendRow], by: &str, period: &str) -> String {
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
    let periods: Vec<String> = if period == "all" {
        keys.iter().map(|k| k.0.to_string()).collect()
    } else {
        let mut p: Vec<String> = rows.iter().map(|r| r.period.clone()).collect();
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
    let mut s = String::new();
    s.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img">"#
    ));
    let title = format!(
        "Police data breach incidents by {by}{}",
        if period == "all" {
            String::new()
        } else {
            format!(", per {period}")
        }
    );
    s.push_str(&format!(
        r##"<title>{}</title><rect width="100%" height="100%" fill="#ffffff"/>"##,
        esc(&title)
    ));
    s.push_str(&format!(
        r##"<text x="{left}" y="28" font-size="18" font-weight="bold" fill="#1b2733">{}</text>"##,
        esc(&title)
    ));
    // Grid and y axis.
    for i in 0..=5 {
        let v = max * i / 5;
        let y = top + ph - ph * (v as f64 / max as f64);
        s.push_str(&format!(
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e8ee"/>"##,
            left + pw
        ));
        s.push_str(&format!(
            r##"<text x="{}" y="{:.1}" text-anchor="end" fill="#52606d">{v}</text>"##,
            left - 8.0,
            y + 4.0
        ));
    }
    s.push_str(&format!(
        r##"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle" fill="#52606d">incidents</text>"##,
        top + ph / 2.0
    ));
    if periods.is_empty() {
        s.push_str(&format!(
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#52606d">no incidents</text>"##,
            left + pw / 2.0,
            top + ph / 2.0
        ));
    }
    let slot = pw / periods.len().max(1) as f64;
    let bw = (slot * 0.7).min(60.0);
    let label_every = (periods.len() / 24).max(1);
    for (i, (p, stack)) in periods.iter().zip(&stacks).enumerate() {
        let x = left + slot * i as f64 + (slot - bw) / 2.0;
        let mut y = top + ph;
        let mut ordered = stack.clone();
        ordered.sort_by_key(|(k, _)| top_keys.iter().position(|t| t == k).unwrap_or(usize::MAX));
        for (k, n) in ordered {
            let bh = ph * n as f64 / max as f64;
            y -= bh;
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" fill="{}"><title>{} {}: {n}</title></rect>"#,
                colour(k),
                esc(p),
                esc(k)
            ));
        }
        if i % label_every == 0 {
            let lx = x + bw / 2.0;
            let ly = top + ph + 16.0;
            s.push_str(&format!(
                r##"<text x="{lx:.1}" y="{ly:.1}" text-anchor="end" transform="rotate(-35 {lx:.1} {ly:.1})" fill="#1b2733">{}</text>"##,
                esc(p)
            ));
        }
    }
    s.push_str(&format!(
        r##"<line x1="{left}" x2="{}" y1="{}" y2="{}" stroke="#1b2733"/>"##,
        left + pw,
        top + ph,
        top + ph
    ));
    // Legend.
    if period != "all" {
        let mut ly = top;
        for (i, k) in top_keys.iter().enumerate() {
            s.push_str(&format!(
                r#"<rect x="{}" y="{ly}" width="12" height="12" fill="{}"/>"#,
                left + pw + 20.0,
                PALETTE[i]
            ));
            s.push_str(&format!(
                r##"<text x="{}" y="{}" fill="#1b2733">{}</text>"##,
                left + pw + 38.0,
                ly + 10.0,
                esc(k)
            ));
            ly += 20.0;
        }
        if keys.len() > top_keys.len() {
            s.push_str(&format!(
                r#"<rect x="{}" y="{ly}" width="12" height="12" fill="{}"/>"#,
                left + pw + 20.0,
                PALETTE[PALETTE.len() - 1]
            ));
            s.push_str(&format!(
                r##"<text x="{}" y="{}" fill="#1b2733">other</text>"##,
                left + pw + 38.0,
                ly + 10.0
            ));
        }
    }
    s.push_str(&format!(
        r##"<text x="{left}" y="{}" fill="#7b8794" font-size="10">Source: breachwatch. An incident counts in the period it was first reported, once under each {by}.</text>"##,
        h - 8.0
    ));
    s.push_str("</svg>\n");
    s
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
        assert!(svg.contains(">2024<") && svg.contains("&lt;x&gt;") && !svg.contains("<x>"));
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(120), 200);
    }
}
