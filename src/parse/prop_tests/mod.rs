//! Property tests of the readers over untrusted input: feeds (feed-rs), HTML (scraper) and
//! JSONL (serde), each called directly, never behind a `catch_unwind`.
//!
//! Every case must finish without a panic and within [`LIMIT`]; where the input is built to be
//! valid, the reader must also read all of it (a well-formed feed of n items gives n items, a
//! JSONL line is accepted exactly when the contract says so).

mod feed;
mod html;
pub(crate) mod jsonl;

use std::time::{Duration, Instant};

use proptest::prelude::*;

/// A generous bound per call: a property against pathological blow-up, not a benchmark.
const LIMIT: Duration = Duration::from_secs(2);

/// Runs `f`, failing when it takes [`LIMIT`] or more on an input of `size` bytes.
pub(crate) fn timed<T>(what: &str, size: usize, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    let took = t.elapsed();
    assert!(took < LIMIT, "{what} took {took:?} on {size} bytes");
    r
}

/// Text the readers produce is tidy: no blank line, and every line's whitespace collapsed.
fn assert_tidy(what: &str, text: &str) {
    for line in text.split('\n') {
        assert!(
            !line.is_empty() || text.is_empty(),
            "{what}: blank line in {text:?}"
        );
        assert_eq!(
            line.split_whitespace().collect::<Vec<_>>().join(" "),
            line,
            "{what}: untidy line"
        );
    }
}

// ---- generators shared by the readers' properties

/// `s` as XML character data.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Text that XML 1.0 allows in character data (no C0 controls but tab and newlines).
fn xml_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(vec![
                "Police", "data", "breach", "officers", "names", " ", " ", "\n", "&", "<", ">",
                "\"", "'", "]]>", "£", "’", "é", "😀", "\u{a0}", "\u{200b}", "<p>", "</p>",
                "&nbsp;", "&#8217;", "12,500", ".", "\t",
            ])
            .prop_map(String::from),
            1 => "[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\u{fffe}\u{ffff}]{0,12}",
        ],
        0..max,
    )
    .prop_map(|v| v.concat())
}

/// Date strings: valid in the formats feeds use, and not.
fn date_string() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..4_000_000_000)
            .prop_map(|t| chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc2822()),
        (0i64..4_000_000_000)
            .prop_map(|t| chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339()),
        prop::sample::select(vec![
            "",
            "yesterday",
            "Tue, 08 Aug 2023 10:00:00 +0100",
            "2023-08-08",
            "08/08/2023",
            "8 August 2023",
            "2023-02-30T10:00:00Z",
            "Mon, 32 Foo 2023 99:99:99 GMT",
            "9999-12-31T23:59:59+23:59",
            "0000-01-01T00:00:00Z",
            "2023-08-08T10:00:00",
            "-1",
            "1691488800",
            "Tue, 08 Aug 2023 10:00:00 BST",
        ])
        .prop_map(String::from),
        "[0-9 :TZ+/,A-Za-z-]{0,40}",
    ]
}

/// A link: absolute, relative, odd or empty.
fn link() -> impl Strategy<Value = String> {
    prop_oneof![
        "https://[a-z]{1,10}\\.example/[a-z0-9/]{0,20}(\\?[a-z=&]{0,10})?",
        "/?[a-z0-9./-]{0,20}",
        prop::sample::select(vec![
            "",
            " ",
            "javascript:alert(1)",
            "mailto:x@y",
            "http://",
            "//cdn.example/x",
            "https://[::1]:99999/",
            "https://exa mple.org/",
            "#frag",
            "../../..",
            "%zz",
        ])
        .prop_map(String::from),
    ]
}
