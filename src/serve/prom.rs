//! A small registry of Prometheus metrics and their text exposition (format 0.0.4).
//!
//! Hand-written rather than taken from the `prometheus` crate or `metrics` +
//! `metrics-exporter-prometheus`: the service has about a dozen metric families, updated a
//! few times a second at most and scraped every few seconds, so a mutex-guarded map per
//! family costs nothing measurable; the text format is a page of rules (escaping, `+Inf`,
//! cumulative buckets) that the unit tests below pin down; and the crates would add a
//! global registry (or a recorder and its own HTTP listener) and a dependency tree larger
//! than this file, for features (summaries, protobuf, push) the service does not use.
//!
//! Families are typed by their number of labels (`CounterVec<2>` takes `[&str; 2]`), so a
//! sample with the wrong label count does not compile. Series are rendered sorted by label
//! values, so the output is stable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// A label value as the text format quotes it: `\` → `\\`, `"` → `\"`, newline → `\n`.
pub fn escape_label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// HELP text as the text format writes it: `\` → `\\`, newline → `\n` (quotes stay).
pub fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A sample value: `+Inf`, `-Inf` and `NaN` as the format spells them, else Rust's
/// shortest round-trip decimal (`1`, `0.005`, `1718000000.25`).
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "+Inf".into()
    } else if v == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        format!("{v}")
    }
}

/// One sample line: `name{k="v",...} value`.
fn write_sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: &str) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape_label_value(v));
        }
        out.push('}');
    }
    out.push(' ');
    out.push_str(value);
    out.push('\n');
}

fn write_header(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {}", escape_help(help));
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Only plain numbers are behind these locks: a panic elsewhere leaves them usable.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn key<const N: usize>(values: [&str; N]) -> [String; N] {
    values.map(str::to_owned)
}

fn pairs<'a, const N: usize>(
    names: &'a [&'static str; N],
    values: &'a [String; N],
) -> Vec<(&'a str, &'a str)> {
    names
        .iter()
        .zip(values.iter())
        .map(|(k, v)| (*k, v.as_str()))
        .collect()
}

/// A counter family with `N` labels: values only go up.
pub struct CounterVec<const N: usize> {
    name: &'static str,
    help: &'static str,
    labels: [&'static str; N],
    series: Mutex<BTreeMap<[String; N], u64>>,
}

impl<const N: usize> CounterVec<N> {
    /// A family named `name` (ending in `_total`, by convention) with these label names.
    pub fn new(name: &'static str, help: &'static str, labels: [&'static str; N]) -> Self {
        CounterVec {
            name,
            help,
            labels,
            series: Mutex::default(),
        }
    }

    /// Adds one to the series with these label values.
    pub fn inc(&self, values: [&str; N]) {
        self.add(values, 1);
    }

    /// Adds `n` to the series with these label values (creating it).
    pub fn add(&self, values: [&str; N], n: u64) {
        let mut series = lock(&self.series);
        let v = series.entry(key(values)).or_default();
        *v = v.saturating_add(n);
    }

    /// Makes the series exist (at zero if new), so it is exposed before its first event.
    pub fn touch(&self, values: [&str; N]) {
        self.add(values, 0);
    }

    /// The current value of a series (zero when it does not exist).
    pub fn get(&self, values: [&str; N]) -> u64 {
        lock(&self.series).get(&key(values)).copied().unwrap_or(0)
    }

    /// Appends HELP, TYPE and one line per series.
    pub fn render(&self, out: &mut String) {
        write_header(out, self.name, self.help, "counter");
        for (values, v) in lock(&self.series).iter() {
            write_sample(out, self.name, &pairs(&self.labels, values), &v.to_string());
        }
    }
}

/// A gauge family with `N` labels: values are set.
pub struct GaugeVec<const N: usize> {
    name: &'static str,
    help: &'static str,
    labels: [&'static str; N],
    series: Mutex<BTreeMap<[String; N], f64>>,
}

impl<const N: usize> GaugeVec<N> {
    /// A family named `name` with these label names.
    pub fn new(name: &'static str, help: &'static str, labels: [&'static str; N]) -> Self {
        GaugeVec {
            name,
            help,
            labels,
            series: Mutex::default(),
        }
    }

    /// Sets the series with these label values.
    pub fn set(&self, values: [&str; N], v: f64) {
        lock(&self.series).insert(key(values), v);
    }

    /// The current value of a series, if it exists.
    pub fn get(&self, values: [&str; N]) -> Option<f64> {
        lock(&self.series).get(&key(values)).copied()
    }

    /// Appends HELP, TYPE and one line per series.
    pub fn render(&self, out: &mut String) {
        write_header(out, self.name, self.help, "gauge");
        for (values, v) in lock(&self.series).iter() {
            write_sample(
                out,
                self.name,
                &pairs(&self.labels, values),
                &format_value(*v),
            );
        }
    }
}

/// Observations of one histogram series: a count per bucket (not cumulative; the last one
/// is above every bound), their sum and their number.
#[derive(Debug, Clone, PartialEq)]
struct Buckets {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

/// A histogram family with `N` labels and fixed bucket bounds.
pub struct HistogramVec<const N: usize> {
    name: &'static str,
    help: &'static str,
    labels: [&'static str; N],
    bounds: &'static [f64],
    series: Mutex<BTreeMap<[String; N], Buckets>>,
}

impl<const N: usize> HistogramVec<N> {
    /// A family named `name` with these label names and bucket upper bounds.
    ///
    /// # Panics
    ///
    /// When `bounds` are not finite and strictly increasing, or a label is named `le`: both
    /// mistakes in the code, not in input.
    pub fn new(
        name: &'static str,
        help: &'static str,
        labels: [&'static str; N],
        bounds: &'static [f64],
    ) -> Self {
        assert!(
            bounds.iter().all(|b| b.is_finite()) && bounds.windows(2).all(|w| w[0] < w[1]),
            "histogram {name}: bounds must be finite and increasing"
        );
        assert!(
            !labels.contains(&"le"),
            "histogram {name}: `le` is reserved"
        );
        HistogramVec {
            name,
            help,
            labels,
            bounds,
            series: Mutex::default(),
        }
    }

    /// Records `v` in the series with these label values.
    pub fn observe(&self, values: [&str; N], v: f64) {
        let bucket = self
            .bounds
            .iter()
            .position(|b| v <= *b)
            .unwrap_or(self.bounds.len());
        let mut series = lock(&self.series);
        let s = series.entry(key(values)).or_insert_with(|| Buckets {
            counts: vec![0; self.bounds.len() + 1],
            sum: 0.0,
            count: 0,
        });
        s.counts[bucket] += 1;
        s.sum += v;
        s.count += 1;
    }

    /// How many observations a series has (zero when it does not exist).
    pub fn count(&self, values: [&str; N]) -> u64 {
        lock(&self.series).get(&key(values)).map_or(0, |s| s.count)
    }

    /// Appends HELP, TYPE and per series: cumulative `_bucket` lines up to `le="+Inf"`,
    /// then `_sum` and `_count`.
    pub fn render(&self, out: &mut String) {
        write_header(out, self.name, self.help, "histogram");
        let (bucket, sum, count) = (
            format!("{}_bucket", self.name),
            format!("{}_sum", self.name),
            format!("{}_count", self.name),
        );
        for (values, s) in lock(&self.series).iter() {
            let labels = pairs(&self.labels, values);
            let mut cumulative = 0;
            let bounds = self.bounds.iter().map(|b| format_value(*b));
            for (le, n) in bounds.chain(["+Inf".to_string()]).zip(&s.counts) {
                cumulative += n;
                let mut with_le = labels.clone();
                with_le.push(("le", &le));
                write_sample(out, &bucket, &with_le, &cumulative.to_string());
            }
            write_sample(out, &sum, &labels, &format_value(s.sum));
            write_sample(out, &count, &labels, &s.count.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_escape_backslash_quote_and_newline() {
        assert_eq!(escape_label_value("plain-id"), "plain-id");
        assert_eq!(escape_label_value(r"a\b"), r"a\\b");
        assert_eq!(escape_label_value("say \"hi\""), r#"say \"hi\""#);
        assert_eq!(escape_label_value("two\nlines"), r"two\nlines");
        // A backslash before n stays two characters, not a newline escape.
        assert_eq!(escape_label_value(r"\n"), r"\\n");
        assert_eq!(escape_label_value("ünïcode ok"), "ünïcode ok");
    }

    #[test]
    fn help_escapes_backslash_and_newline_but_not_quotes() {
        assert_eq!(escape_help("a \"b\" \\ c\nd"), "a \"b\" \\\\ c\\nd");
    }

    #[test]
    fn values_use_the_formats_spelling_of_infinities_and_nan() {
        assert_eq!(format_value(1.0), "1");
        assert_eq!(format_value(0.005), "0.005");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(1_718_000_000.25), "1718000000.25");
        assert_eq!(format_value(f64::INFINITY), "+Inf");
        assert_eq!(format_value(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_value(f64::NAN), "NaN");
    }

    #[test]
    fn counter_renders_help_type_and_sorted_escaped_series() {
        let c = CounterVec::new("x_total", "Things.\nCounted \\ here.", ["source", "kind"]);
        c.inc(["b", "http_500"]);
        c.add(["a\"q", "line\nbreak"], 3);
        c.inc(["b", "http_500"]);
        c.touch(["c", "none"]);
        let mut out = String::new();
        c.render(&mut out);
        assert_eq!(
            out,
            "# HELP x_total Things.\\nCounted \\\\ here.\n\
             # TYPE x_total counter\n\
             x_total{source=\"a\\\"q\",kind=\"line\\nbreak\"} 3\n\
             x_total{source=\"b\",kind=\"http_500\"} 2\n\
             x_total{source=\"c\",kind=\"none\"} 0\n"
        );
        assert_eq!(c.get(["b", "http_500"]), 2);
        assert_eq!(c.get(["nope", "x"]), 0);
    }

    #[test]
    fn an_unlabelled_family_has_no_braces_and_an_empty_one_only_its_header() {
        let g = GaugeVec::new("things", "How many.", []);
        let mut out = String::new();
        g.render(&mut out);
        assert_eq!(out, "# HELP things How many.\n# TYPE things gauge\n");
        g.set([], 42.0);
        g.set([], 7.0);
        out.clear();
        g.render(&mut out);
        assert_eq!(
            out,
            "# HELP things How many.\n# TYPE things gauge\nthings 7\n"
        );
        assert_eq!(g.get([]), Some(7.0));
    }

    #[test]
    fn histogram_buckets_are_cumulative_with_inf_sum_and_count() {
        static BOUNDS: &[f64] = &[0.125, 0.5, 1.0];
        let h = HistogramVec::new("d_seconds", "Durations.", ["route"], BOUNDS);
        // Binary fractions, so the sum is exact; 0.125 sits on a bound and counts in it.
        for v in [0.0625, 0.125, 0.25, 0.75, 4.0] {
            h.observe(["/r"], v);
        }
        let mut out = String::new();
        h.render(&mut out);
        let expected = "# HELP d_seconds Durations.\n\
             # TYPE d_seconds histogram\n\
             d_seconds_bucket{route=\"/r\",le=\"0.125\"} 2\n\
             d_seconds_bucket{route=\"/r\",le=\"0.5\"} 3\n\
             d_seconds_bucket{route=\"/r\",le=\"1\"} 4\n\
             d_seconds_bucket{route=\"/r\",le=\"+Inf\"} 5\n\
             d_seconds_sum{route=\"/r\"} 5.1875\n\
             d_seconds_count{route=\"/r\"} 5\n";
        assert_eq!(out, expected);
        assert_eq!(h.count(["/r"]), 5);
        assert_eq!(h.count(["/other"]), 0);
    }

    #[test]
    #[should_panic(expected = "increasing")]
    fn histogram_bounds_must_increase() {
        static BOUNDS: &[f64] = &[1.0, 0.5];
        let _ = HistogramVec::new("h", "H.", [], BOUNDS);
    }
}
