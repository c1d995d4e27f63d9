//! The JSONL line reader on generated lines (read exactly when the contract says so), on
//! arbitrary strings, and on deeply nested JSON.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::super::{jsonl, parse_date, RawItem};
use super::{date_string, link, timed};

/// A JSON value of the kind a field may wrongly hold.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(serde_json::json!([])),
        Just(serde_json::json!({"a": [1, {"b": null}]})),
        Just(serde_json::json!(["x", 1])),
    ]
}

/// A field as a line may give it: missing, null, a string (blank, text, a date, a URL) or a
/// value of the wrong type.
#[derive(Debug, Clone)]
enum Field {
    Missing,
    Str(String),
    Other(serde_json::Value),
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        1 => Just(Field::Missing),
        4 => prop_oneof![
            Just(String::new()),
            Just(" \t".to_string()),
            any::<String>(),
            date_string(),
            link(),
        ]
        .prop_map(Field::Str),
        1 => json_value().prop_map(Field::Other),
    ]
}

/// A generated JSONL line: each field missing, null, a string or a wrong value, plus maybe an
/// unknown field and padding.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    url: Field,
    title: Field,
    published: Field,
    source: Field,
    text: Field,
    extra: Option<serde_json::Value>,
    pad: (String, String),
}

/// Generated JSONL lines, valid or not.
pub(crate) fn line() -> impl Strategy<Value = Line> {
    (
        field(),
        field(),
        field(),
        field(),
        field(),
        prop::option::of(json_value()),
        (
            prop::sample::select(vec!["", " ", "\t", "\u{feff}", "\r"]),
            prop::sample::select(vec!["", " ", "\r", "\t\t"]),
        ),
    )
        .prop_map(
            |(url, title, published, source, text, extra, (a, b))| Line {
                url,
                title,
                published,
                source,
                text,
                extra,
                pad: (a.to_string(), b.to_string()),
            },
        )
}

impl Line {
    /// The line as written.
    pub(crate) fn render(&self) -> String {
        let mut m = serde_json::Map::new();
        for (k, f) in [
            ("url", &self.url),
            ("title", &self.title),
            ("published", &self.published),
            ("source", &self.source),
            ("text", &self.text),
        ] {
            match f {
                Field::Missing => {}
                Field::Str(s) => {
                    m.insert(k.into(), s.clone().into());
                }
                Field::Other(v) => {
                    m.insert(k.into(), v.clone());
                }
            }
        }
        if let Some(x) = &self.extra {
            m.insert("tags".into(), x.clone());
        }
        format!(
            "{}{}{}",
            self.pad.0,
            serde_json::Value::Object(m),
            self.pad.1
        )
    }

    /// What the contract says the line gives: the item, or `None` for an error.
    fn expected(&self) -> Option<RawItem> {
        // `title`, `source`, `text`: a string, null or absent. `url`: a string.
        // `published`: a string, null or absent.
        let opt = |f: &Field| match f {
            Field::Missing | Field::Other(serde_json::Value::Null) => Some(String::new()),
            Field::Str(s) => Some(s.clone()),
            Field::Other(_) => None,
        };
        let url = match &self.url {
            Field::Str(s) => s.clone(),
            _ => return None,
        };
        let (title, source, text) = (opt(&self.title)?, opt(&self.source)?, opt(&self.text)?);
        let published = match &self.published {
            Field::Missing | Field::Other(serde_json::Value::Null) => None,
            Field::Str(p) if p.trim().is_empty() => None,
            Field::Str(p) => Some(parse_date(p.trim())?),
            Field::Other(_) => return None,
        };
        // A byte-order mark is not whitespace: the line is not JSON.
        let bom = self.pad.0.contains('\u{feff}');
        if bom || url.trim().is_empty() || (text.trim().is_empty() && title.trim().is_empty()) {
            return None;
        }
        Some(RawItem {
            url: Some(url),
            title,
            published,
            source,
            text,
        })
    }
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    #[test]
    fn jsonl_lines_are_read_as_the_contract_says(l in line()) {
        let raw = l.render();
        let got = timed("parse_line", raw.len(), || jsonl::parse_line(&raw));
        match (got, l.expected()) {
            (Ok(Some(item)), Some(want)) => prop_assert_eq!(item, want),
            (Err(_), None) => {}
            (got, want) => prop_assert!(false, "{raw:?}: got {got:?}, the contract says {want:?}"),
        }
    }

    #[test]
    fn jsonl_reader_survives_arbitrary_strings(s in any::<String>()) {
        let _ = timed("parse_line", s.len(), || jsonl::parse_line(&s));
    }
}

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    /// A line reads the same whatever ends or pads it: a CRLF file's `\r`, spaces, tabs.
    #[test]
    fn jsonl_lines_read_the_same_with_line_endings_and_padding(
        l in line(),
        before in "[ \t]{0,3}",
        after in prop_oneof![Just(String::new()), Just("\r".to_string()), "[ \t]{1,3}\r?"],
    ) {
        let bare = l.render();
        let padded = format!("{before}{bare}{after}");
        let (want, got) = (jsonl::parse_line(&bare), jsonl::parse_line(&padded));
        match (want, got) {
            (Ok(want), Ok(got)) => prop_assert_eq!(want, got),
            (Err(want), Err(got)) => prop_assert_eq!(want.to_string(), got.to_string()),
            (want, got) => prop_assert!(false, "{:?} vs {:?}", want, got),
        }
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    assert!(jsonl::parse_line(&deep).is_err());
    let deep = format!(
        "{{\"url\":\"https://x.org\",\"text\":\"t\",\"tags\":{}}}",
        "[".repeat(100_000)
    );
    assert!(jsonl::parse_line(&deep).is_err());
}
