//! Property tests of the extraction engine over untrusted text: no panic, bounded time, and
//! every span it returns lies inside the document on character boundaries.
//!
//! They call [`assembly::run`] and [`occurred::fill`] directly, as [`extract`] does but without
//! its `catch_unwind`, which would turn a panic into "not relevant" and hide it.
//!
//! Generators: arbitrary bytes (read lossily, as the pipeline reads bodies) and arbitrary
//! strings; and articles built from the extractor's own vocabulary (every phrase of
//! `data/lexicon/*.toml`), the gazetteer's force names, figures in every shape the number
//! reader knows, dates, negations, unicode oddities and run-on sentences, so the cases reach
//! the deep code (grouping, counts, negation scope, occurred dates) and not only the
//! "nothing here" exit.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::Config;
use regex::Regex;

use super::*;
use crate::model::*;

/// A generous bound per call: a property against pathological blow-up, not a benchmark.
const LIMIT: Duration = Duration::from_secs(2);

/// What [`extract`] runs, without its `catch_unwind`, with the per-call time and span checks.
pub(super) fn run_checked(input: &ArticleInput) -> Extraction {
    let t = Instant::now();
    let mut x = assembly::run(input);
    occurred::fill(input, &mut x);
    let took = t.elapsed();
    assert!(
        took < LIMIT,
        "extraction took {took:?} on {} + {} bytes",
        input.title.len(),
        input.text.len()
    );
    check_spans(&document(input.title, input.text), &x);
    x
}

/// Every span of every report can be sliced out of the document (what `explain` and the
/// dashboard do with them).
fn check_spans(doc: &str, x: &Extraction) {
    let ok = |s: &Span, what: &str| {
        assert!(
            s.start <= s.end && doc.get(s.start..s.end).is_some(),
            "{what} span {s:?} is not a slice of the {}-byte document",
            doc.len()
        );
    };
    for r in &x.reports {
        for s in &r.force_evidence {
            ok(s, "force evidence");
        }
        for f in r.data_types.iter().chain(&r.not_exposed) {
            if let Some(s) = &f.span {
                ok(s, "data type");
            }
        }
        for c in &r.counts {
            ok(&c.span, "count");
        }
        if let Some(s) = &r.cause.span {
            ok(s, "cause");
        }
        for d in &r.developments {
            ok(&d.span, "development");
        }
    }
}

/// Cuts `s` to at most `max` bytes, on a character boundary.
fn truncate_to(s: &mut String, max: usize) {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
}

fn input<'a>(title: &'a str, text: &'a str, source: &'a str) -> ArticleInput<'a> {
    ArticleInput {
        url: "https://example.org/prop",
        title,
        text,
        source,
        published: None,
    }
}

/// Every phrase of the extractor's own tables, the gazetteer's names, and words written here.
static VOCAB: LazyLock<Vec<String>> = LazyLock::new(|| {
    let quoted = Regex::new(r#""([^"\\]{1,80})""#).unwrap();
    let mut v: Vec<String> = Vec::new();
    for raw in [
        include_str!("../../data/lexicon/data_types.toml"),
        include_str!("../../data/lexicon/causes.toml"),
        include_str!("../../data/lexicon/cues.toml"),
        include_str!("../../data/lexicon/negations.toml"),
    ] {
        for line in raw.lines().filter(|l| !l.trim_start().starts_with('#')) {
            v.extend(quoted.captures_iter(line).map(|c| c[1].to_string()));
        }
    }
    v.extend(
        all_uk_forces()
            .into_iter()
            .map(|(_, name)| name.to_string()),
    );
    // The gazetteer's aliases too ("Avon & Somerset Police", "Beds Police").
    fn names(j: &serde_json::Value, out: &mut Vec<String>) {
        match j {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("canonical_name" | "name", serde_json::Value::String(s)) => {
                            out.push(s.clone())
                        }
                        ("aliases", serde_json::Value::Array(a)) => {
                            out.extend(a.iter().filter_map(|x| x.as_str().map(String::from)))
                        }
                        _ => names(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| names(x, out)),
            _ => {}
        }
    }
    let uk: serde_json::Value =
        serde_json::from_str(include_str!("../../data/uk_forces.json")).unwrap();
    names(&uk, &mut v);
    v.extend(forces::world_body_names());
    v.extend(
        [
            "the Met",
            "Scotland Yard",
            "PSNI",
            "GMP",
            "the force",
            "police",
            "Police",
            "constabulary",
            "officers",
            "staff",
            "the ICO",
            "the Information Commissioner",
            "a spokesperson said",
            "we",
            "We",
            "our",
            "it",
            "they",
            "which",
            "who",
            "not",
            "never",
            "no",
            "none of",
            "neither",
            "nor",
            "but",
            "however",
            "although",
            "after",
            "before",
            "when",
            "and",
            "or",
            "of",
            "in",
            "on",
            "at",
            "by",
            "for",
            "with",
            "including",
            "such as",
            "said",
            "confirmed",
            "announced",
            "PD",
            "Sheriff's Office",
            "Department",
            "County",
            "the Police Department of",
            "Mr",
            "Ms",
            "Dr.",
            "St.",
            "e.g.",
            "i.e.",
            "U.K.",
            "U.S.",
            "a.m.",
            "No.",
            "et al.",
        ]
        .map(String::from),
    );
    v.retain(|s| !s.trim().is_empty());
    v.sort();
    v.dedup();
    v
});

fn vocab_word() -> impl Strategy<Value = String> {
    let n = VOCAB.len();
    (0..n).prop_map(|i| VOCAB[i].clone())
}

/// Figures in the shapes the number reader knows, and some it should shrug off.
fn figure() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        (0u64..10_000_000).prop_map(|n| {
            // thousands separators
            let s = n.to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        }),
        (
            0u32..1000,
            0u32..100,
            prop::sample::select(vec![
                "m",
                "bn",
                "k",
                " million",
                " billion",
                " thousand",
                "%"
            ])
        )
            .prop_map(|(a, b, u)| format!("{a}.{b}{u}")),
        (
            prop::sample::select(vec!["£", "$", "€", "US$", "GBP ", "EUR "]),
            0u64..100_000_000
        )
            .prop_map(|(c, n)| format!("{c}{n}")),
        prop::sample::select(vec![
            "thousands",
            "hundreds",
            "dozens",
            "a dozen",
            "one",
            "two",
            "three",
            "ten",
            "twelve",
            "twenty-five",
            "a hundred",
            "a million",
            "several",
            "more than",
            "up to",
            "about",
            "around",
            "nearly",
            "at least",
            "fewer than",
            "almost",
            "some",
            "1,,,000",
            "1.2.3m",
            "0",
            "00000000000000000000000000001",
            "99999999999999999999999999",
            "1e9",
            "-5",
            "½",
            "١٢٣",
            "１２３",
            "2,5",
            ",",
            ".5",
            "5.",
            "1 000 000",
        ])
        .prop_map(String::from),
    ]
}

/// Dates as articles write them, valid and not.
fn date_text() -> impl Strategy<Value = String> {
    let month = prop::sample::select(vec![
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Sept",
        "Febuary",
        "Smarch",
    ]);
    prop_oneof![
        (0u32..40, month.clone(), 1900i32..2200).prop_map(|(d, m, y)| format!("{d} {m} {y}")),
        (month.clone(), 1990i32..2100).prop_map(|(m, y)| format!("in {m} {y}")),
        (1900i32..2200).prop_map(|y| format!("in {y}")),
        (0u32..13, 0u32..40, 0i32..10_000).prop_map(|(m, d, y)| format!("{d}/{m}/{y}")),
        (0i32..10_000, 0u32..14, 0u32..40).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        prop::sample::select(vec![
            "last week",
            "yesterday",
            "on Monday",
            "earlier this year",
            "last year",
            "between 2019 and 2021",
            "since 2020",
            "the summer of 2022",
            "29 February 2023",
            "31 June 2021",
            "0 August 0",
        ])
        .prop_map(String::from),
    ]
}

/// Characters that have broken text code elsewhere: multi-byte, combining, bidi, zero-width,
/// odd spaces and quotes, control characters.
fn odd_unicode() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\u{a0}",
            "\u{200b}",
            "\u{200d}",
            "\u{feff}",
            "\u{202e}",
            "\u{301}",
            "é",
            "ü",
            "ß",
            "İ",
            "ǅ",
            "ﬁ",
            "’",
            "‘",
            "“",
            "”",
            "«",
            "»",
            "—",
            "–",
            "…",
            "•",
            "\u{2028}",
            "\u{85}",
            "\u{0}",
            "\t",
            "\r",
            "\r\n",
            "😀",
            "👮🏽‍♀️",
            "中文",
            "العربية",
            "Ωmega",
            "\u{10ffff}",
            "\u{fffd}",
            "&amp;",
            "&nbsp;",
            "<p>",
            "\\n",
            "\\u201c",
        ])
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
    ]
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => vocab_word(),
        3 => figure(),
        2 => date_text(),
        2 => odd_unicode(),
        2 => prop::sample::select(vec![".", ",", ";", ":", "!", "?", "(", ")", "\"", "'", "-", "/", "\n", "\n\n", ". ", "... "]).prop_map(String::from),
    ]
}

/// A sentence of 1..`max` tokens joined by spaces (sometimes by nothing), with an ending.
fn sentence(max: usize) -> impl Strategy<Value = String> {
    (
        prop::collection::vec((token(), any::<bool>()), 1..max),
        prop::sample::select(vec![".", "?", "!", "", "\n", ".\n\n", ":"]),
    )
        .prop_map(|(toks, end)| {
            let mut s = String::new();
            for (t, glue) in toks {
                s.push_str(&t);
                if glue {
                    s.push(' ');
                }
            }
            s.push_str(end);
            s
        })
}

/// A breach-like article: title, paragraphs of sentences, and a source name.
fn article() -> impl Strategy<Value = (String, String, String)> {
    (
        sentence(12),
        prop::collection::vec(prop::collection::vec(sentence(40), 1..6), 0..8),
        prop_oneof![Just(String::new()), vocab_word(), sentence(4)],
    )
        .prop_map(|(title, paras, source)| {
            let text = paras
                .into_iter()
                .map(|p| p.join(" "))
                .collect::<Vec<_>>()
                .join("\n");
            (title, text, source)
        })
}

/// One run-on "sentence" of up to ~64 KB: no full stop for the splitter to cut at, so every
/// per-sentence scan sees all of it.
fn run_on() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => vocab_word(), 1 => figure(), 1 => odd_unicode()],
        500..6000,
    )
    .prop_map(|v| {
        let mut s = v.join(" ");
        truncate_to(&mut s, 64 * 1024);
        s
    })
}

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    #[test]
    fn engine_survives_arbitrary_strings(title in ".{0,200}", text in any::<String>(), source in ".{0,40}") {
        run_checked(&input(&title, &text, &source));
    }

    #[test]
    fn engine_survives_arbitrary_bytes(
        title in prop::collection::vec(any::<u8>(), 0..200),
        text in prop::collection::vec(any::<u8>(), 0..8192),
    ) {
        let (title, text) = (String::from_utf8_lossy(&title), String::from_utf8_lossy(&text));
        run_checked(&input(&title, &text, ""));
    }

    #[test]
    fn engine_survives_breach_like_articles((title, text, source) in article(), day in 0i64..20_000) {
        let published = chrono::DateTime::from_timestamp(day * 86_400, 0).map(|d| d.fixed_offset());
        let inp = ArticleInput { published, ..input(&title, &text, &source) };
        let x = run_checked(&inp);
        // Deterministic: the same article gives the same extraction.
        prop_assert_eq!(x, run_checked(&inp));
    }
}

proptest! {
    // Up to 64 KB each: fewer cases.
    #![proptest_config(Config { cases: 16, failure_persistence: None, ..Config::default() })]

    #[test]
    fn engine_time_is_bounded_on_run_on_sentences(title in sentence(8), text in run_on()) {
        run_checked(&input(&title, &text, ""));
    }

    #[test]
    fn engine_time_is_bounded_on_long_articles(
        paras in prop::collection::vec(prop::collection::vec(sentence(30), 1..12), 40..120),
    ) {
        let mut text = paras.into_iter().map(|p| p.join(" ")).collect::<Vec<_>>().join("\n");
        truncate_to(&mut text, 64 * 1024);
        run_checked(&input("Police data breach", &text, ""));
    }
}

#[test]
fn the_vocabulary_is_the_extractors_own() {
    // The generator must really draw on the tables, or the breach-like cases test little.
    assert!(VOCAB.len() > 1000, "{} words", VOCAB.len());
    for w in ["Avon & Somerset Police", "ransomware", "did not"] {
        assert!(VOCAB.iter().any(|v| v == w), "{w} missing");
    }
}
