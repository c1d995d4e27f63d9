//! The JSONL article format of the contract: one object a line with `url` and `text`
//! required, `title`, `published` (RFC 3339) and `source` optional.

use serde::{Deserialize, Serialize};

use super::{parse_date, ParseError, RawItem};

/// One line as written (also what `export --format jsonl` writes). `title`, `source` and
/// `published` may be absent or null; `text` may be empty or null when there is a title (a
/// headline-only item, as news-search feeds give), but not both.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonlArticle {
    /// The article's address (required, not blank).
    pub url: String,
    /// The headline.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub title: String,
    /// When it was published: RFC 3339, RFC 2822 or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The outlet's name.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub source: String,
    /// The body: plain text or HTML.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub text: String,
}

/// A string field that may be `null`: read as empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Parses one line. Blank lines are `Ok(None)`.
pub fn parse_line(line: &str) -> Result<Option<RawItem>, ParseError> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    let a: JsonlArticle =
        serde_json::from_str(line).map_err(|e| ParseError::Jsonl(e.to_string()))?;
    if a.url.trim().is_empty() {
        return Err(ParseError::Jsonl("`url` is empty".into()));
    }
    if a.text.trim().is_empty() && a.title.trim().is_empty() {
        return Err(ParseError::Jsonl(
            "`text` and `title` are both empty".into(),
        ));
    }
    let published = match a.published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(
            parse_date(p)
                .ok_or_else(|| ParseError::Jsonl(format!("`published` {p:?} is not a date")))?,
        ),
    };
    Ok(Some(RawItem {
        url: Some(a.url),
        title: a.title,
        published,
        source: a.source,
        text: a.text,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_good_and_bad() {
        let ok = parse_line(r#"{"url":"https://x.org/a","title":"T","published":"2023-08-08T10:00:00+01:00","source":"X","text":"body"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(ok.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(
            ok.published.unwrap().to_rfc3339(),
            "2023-08-08T10:00:00+01:00"
        );
        assert!(parse_line("   ").unwrap().is_none());
        // RSS allows an item without a title, and a headline-only item has no body.
        let untitled = parse_line(r#"{"url":"https://x.org/b","title":null,"published":null,"source":null,"text":"Body only."}"#)
            .unwrap()
            .unwrap();
        assert_eq!((untitled.title.as_str(), untitled.published), ("", None));
        let headline =
            parse_line(r#"{"url":"https://x.org/c","title":"Force fined over leak","text":""}"#)
                .unwrap()
                .unwrap();
        assert_eq!(headline.text, "");
        for bad in [
            "{not json",
            r#"{"title":"no url","text":"x"}"#,
            r#"{"url":"https://x.org/a"}"#,
            r#"{"url":"https://x.org/a","text":"  "}"#,
            r#"{"url":"https://x.org/a","title":null,"text":null}"#,
            r#"{"url":"https://x.org/a","text":"x","published":"someday"}"#,
        ] {
            assert!(parse_line(bad).is_err(), "{bad}");
        }
    }
}
