//! Property tests of the readers over untrusted input: feeds (feed-rs), HTML (scraper) and
//! JSONL (serde), each called directly, never behind a `catch_unwind`.
//!
//! Every case must finish without a panic and within [`LIMIT`]; where the input is built to be
//! valid, the reader must also read all of it (a well-formed feed of n items gives n items, a
//! JSONL line is accepted exactly when the contract says so).

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::Config;
use url::Url;

use super::{feed, html, jsonl, parse_date, RawItem};

/// A generous bound per call: a property against pathological blow-up, not a benchmark.
const LIMIT: Duration = Duration::from_secs(2);

fn timed<T>(what: &str, size: usize, f: impl FnOnce() -> T) -> T {
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

/// One item of a generated feed.
#[derive(Debug, Clone)]
struct GenItem {
    title: String,
    link: String,
    date: String,
    body: String,
    /// HTML body escaped as text (true) or in CDATA (false).
    escaped: bool,
    comments: bool,
}

fn gen_item() -> impl Strategy<Value = GenItem> {
    (
        xml_text(8),
        link(),
        date_string(),
        xml_text(60),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(title, link, date, body, escaped, comments)| GenItem {
            title,
            link,
            date,
            body,
            escaped,
            comments,
        })
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Rss2,
    Rss1,
    Rss09,
    Atom,
    Json,
}

/// A well-formed feed of the given kind, and how many items it holds.
fn render_feed(kind: Kind, title: &str, ttl: &str, items: &[GenItem]) -> Vec<u8> {
    let body = |it: &GenItem| {
        let html = format!("<p>{}</p>", xml_escape(&it.body));
        // "]]>" cannot stand inside CDATA: split it as feeds do.
        let cdata = html.replace("]]>", "]]]]><![CDATA[>");
        if it.escaped {
            xml_escape(&html)
        } else {
            format!("<![CDATA[{cdata}]]>")
        }
    };
    let mut s = String::new();
    match kind {
        Kind::Rss2 | Kind::Rss09 => {
            let v = if matches!(kind, Kind::Rss2) {
                "2.0"
            } else {
                "0.91"
            };
            s += &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"{v}\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>{}</title><ttl>{}</ttl><link>https://o.example/</link><description>d</description>",
                xml_escape(title),
                xml_escape(ttl)
            );
            for it in items {
                s += &format!(
                    "<item><title>{}</title>{}<link>{}</link><pubDate>{}</pubDate><description>{}</description><content:encoded>{}</content:encoded></item>",
                    xml_escape(&it.title),
                    if it.comments { format!("<comments>{}#c</comments>", xml_escape(&it.link)) } else { String::new() },
                    xml_escape(&it.link),
                    xml_escape(&it.date),
                    xml_escape(&it.body),
                    body(it)
                );
            }
            s += "</channel></rss>";
        }
        Kind::Rss1 => {
            s += &format!(
                "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel rdf:about=\"https://o.example/\"><title>{}</title><link>https://o.example/</link><description>d</description></channel>",
                xml_escape(title)
            );
            for it in items {
                s += &format!(
                    "<item rdf:about=\"{0}\"><title>{1}</title><link>{0}</link><dc:date>{2}</dc:date><description>{3}</description></item>",
                    xml_escape(&it.link),
                    xml_escape(&it.title),
                    xml_escape(&it.date),
                    body(it)
                );
            }
            s += "</rdf:RDF>";
        }
        Kind::Atom => {
            s += &format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{}</title><id>urn:f</id><updated>2023-08-08T10:00:00Z</updated>",
                xml_escape(title)
            );
            for (i, it) in items.iter().enumerate() {
                let content = if it.comments {
                    format!("<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{}</p></div></content>", xml_escape(&it.body))
                } else {
                    format!("<content type=\"html\">{}</content>", body(it))
                };
                s += &format!(
                    "<entry><title>{}</title><id>urn:e:{i}</id><link href=\"{}\"/><updated>{}</updated><published>{}</published><summary>{}</summary>{content}</entry>",
                    xml_escape(&it.title),
                    xml_escape(&it.link),
                    xml_escape(&it.date),
                    xml_escape(&it.date),
                    xml_escape(&it.body),
                );
            }
            s += "</feed>";
        }
        Kind::Json => {
            let items: Vec<serde_json::Value> = items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    serde_json::json!({
                        "id": i.to_string(),
                        "url": it.link,
                        "title": it.title,
                        "content_html": format!("<p>{}</p>", it.body),
                        "summary": it.body,
                        "date_published": it.date,
                    })
                })
                .collect();
            s = serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": title,
                "items": items,
            })
            .to_string();
        }
    }
    s.into_bytes()
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![
        Kind::Rss2,
        Kind::Rss1,
        Kind::Rss09,
        Kind::Atom,
        Kind::Json,
    ])
}

/// Checks what a reader gives for one item: tidy strings, links resolved when they can be.
fn check_items(items: &[RawItem]) {
    for it in items {
        assert_eq!(it.title, it.title.trim(), "titles are trimmed");
        if let Some(u) = &it.url {
            assert!(!u.trim().is_empty(), "an empty link is no link");
        }
    }
}

fn feed_case(bytes: &[u8]) -> Result<feed::ParsedFeed, super::ParseError> {
    let base = Url::parse("https://force.example/news/").unwrap();
    timed("parse_feed", bytes.len(), || {
        feed::parse_feed(bytes, Some(&base), "")
    })
}

/// A random tree of HTML: the tags the text reader treats specially, attributes that mark
/// chrome, entities, comments, and (sometimes) closing tags left out or crossed.
fn html_tree() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        4 => prop::sample::select(vec![
            "Police said data on 1,200 officers was exposed.", "names", " ", "\n", "  ",
            "&amp;", "&lt;p&gt;", "&nbsp;", "&#8217;", "&#x1F600;", "&#0;", "&#xD800;",
            "&#99999999;", "&bogus;", "&", "<", ">", "<!-- c -->", "<!--", "<![CDATA[x]]>",
            "<?php ?>", "\\n", "\\u201c", "\u{0}", "😀", "\u{202e}", "15 August 2023",
        ])
        .prop_map(String::from),
        1 => ".{0,30}",
    ];
    let leaf = prop_oneof![
        6 => text,
        1 => prop::sample::select(vec!["<br>", "<br/>", "<hr>", "<img src=x>", "<input>", "<wbr>", "</p>", "</div>", "<p>"]).prop_map(String::from),
    ];
    leaf.prop_recursive(6, 200, 8, |inner| {
        (
            prop::sample::select(vec![
                "p",
                "div",
                "span",
                "a",
                "li",
                "ul",
                "ol",
                "table",
                "tr",
                "td",
                "th",
                "h1",
                "h2",
                "h3",
                "h6",
                "article",
                "main",
                "section",
                "header",
                "footer",
                "nav",
                "aside",
                "script",
                "style",
                "noscript",
                "template",
                "form",
                "button",
                "select",
                "option",
                "iframe",
                "svg",
                "math",
                "blockquote",
                "pre",
                "figcaption",
                "dl",
                "dt",
                "dd",
                "caption",
                "address",
                "strong",
                "em",
                "b",
                "i",
                "time",
                "frameset",
                "body",
                "html",
                "head",
                "title",
                "textarea",
                "plaintext",
                "xmp",
                "x-custom",
                "dialog",
            ]),
            prop::sample::select(vec![
                "",
                " class=\"article-body\"",
                " class=\"cookie-banner\"",
                " id=\"content\"",
                " class=\"share\"",
                " hidden",
                " aria-hidden=\"true\"",
                " role=\"navigation\"",
                " role=\"main\"",
                " itemprop=\"articleBody\"",
                " href=\"/news/a\"",
                " href=\"javascript:x\"",
                " datetime=\"2023-08-15T12:00:00Z\"",
                " itemprop=\"datePublished\" content=\"2023-08-15\"",
                " class",
                " class=\"",
                " id=main",
                " class=\"content entry-content\"",
            ]),
            prop::collection::vec(inner, 0..6),
            prop::sample::select(vec![0u8, 0, 0, 1, 2]),
        )
            .prop_map(|(tag, attr, kids, close)| {
                let inner = kids.concat();
                match close {
                    0 => format!("<{tag}{attr}>{inner}</{tag}>"),
                    1 => format!("<{tag}{attr}>{inner}"),
                    _ => format!("<{tag}{attr}>{inner}</p></div></{tag}"),
                }
            })
    })
}

/// A page around a tree, with the head elements `parse_page` reads.
fn html_page() -> impl Strategy<Value = String> {
    (html_tree(), xml_text(6), date_string(), link(), any::<bool>()).prop_map(
        |(body, title, date, canon, doc)| {
            if !doc {
                return body;
            }
            format!(
                "<!DOCTYPE html><html><head><title>{}</title><meta property=\"og:title\" content=\"{}\"><meta property=\"article:published_time\" content=\"{}\"><link rel=\"canonical\" href=\"{}\"><meta property=\"og:site_name\" content=\"{}\"></head><body>{body}</body></html>",
                title, title, xml_escape(&date), xml_escape(&canon), title
            )
        },
    )
}

/// Deep markup of up to ~64 KB: one tag opened up to 4,000 times, closed or not.
///
/// Not deeper: html5ever itself takes time quadratic in the nesting depth of block elements
/// (each start tag scans the stack of open elements for a `<p>` in button scope), about 0.5 s
/// at 10,000 nested `<div>`s and 2 s at 20,000. That is a limit of the parser, measured and
/// left as it is; what is bounded here is everything this crate adds on top.
fn html_deep() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "div",
            "p",
            "span",
            "blockquote",
            "pre",
            "li",
            "ul",
            "td",
            "table",
            "a",
            "b",
            "section",
            "article",
            "dd",
            "address",
            "h1",
            "select",
            "font",
            "em",
        ]),
        prop::sample::select(vec!["", "x ", "Police said names were exposed. ", "&amp;"]),
        100usize..4000,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(tag, text, n, close, inner_p)| {
            let mut s = String::new();
            for _ in 0..n {
                s += &format!("<{tag}>{text}");
            }
            if inner_p {
                s += "<p>deep paragraph with enough words to be prose for the reader</p>";
            }
            if close {
                for _ in 0..n {
                    s += &format!("</{tag}>");
                }
            }
            // ASCII only: any byte is a boundary.
            s.truncate(64 * 1024 - 1);
            s
        })
}

/// Every public entry point of the HTML reader on one input.
fn html_case(s: &str) {
    let base = Url::parse("https://force.example/news/").unwrap();
    let n = s.len();
    let text = timed("to_text", n, || html::to_text(s, None));
    assert_tidy("to_text", &text);
    let clean = timed("clean_text", n, || html::clean_text(s));
    assert_tidy("clean_text", &clean);
    let content = html::compile_selector("article p, .article-body").unwrap();
    let page = timed("parse_page", n, || {
        html::parse_page(s, None, None, Some(&content))
    });
    assert_tidy("parse_page", &page.text);
    let item = html::compile_selector("li, h2 a, .item").unwrap();
    let links = timed("index_links", n, || html::index_links(s, &base, &item, 50));
    assert!(links.len() <= 50);
    for l in &links {
        assert!(matches!(l.scheme(), "http" | "https"), "{l}");
        assert!(l.fragment().is_none(), "{l}");
    }
    timed("looks_like_html", n, || html::looks_like_html(s));
    timed("unescape_literal", n, || html::unescape_literal(s));
}

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    #[test]
    fn feed_reader_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(f) = feed_case(&bytes) {
            check_items(&f.items);
        }
    }

    #[test]
    fn feed_reader_survives_feedlike_prefixes(
        head in prop::sample::select(vec!["<?xml version=\"1.0\"?>", "<rss version=\"2.0\"><channel>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[", "<rdf:RDF>", "\u{feff}<rss>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "<?xml version=\"1.0\" encoding=\"bogus\"?><rss>"]),
        tail in any::<String>(),
    ) {
        let bytes = format!("{head}{tail}").into_bytes();
        if let Ok(f) = feed_case(&bytes) {
            check_items(&f.items);
        }
    }

    #[test]
    fn wellformed_feeds_are_read_whole(
        kind in kind(),
        title in xml_text(6),
        ttl in prop_oneof![Just("60".to_string()), "[0-9a-z -]{0,6}"],
        items in prop::collection::vec(gen_item(), 0..6),
    ) {
        let bytes = render_feed(kind, &title, &ttl, &items);
        let f = feed_case(&bytes);
        prop_assert!(f.is_ok(), "{:?}: {:?}\n{}", kind, f.err(), String::from_utf8_lossy(&bytes));
        let f = f.unwrap();
        check_items(&f.items);
        if matches!(kind, Kind::Rss1) {
            // RSS 1.0 requires an item's link: feed-rs drops items without one.
            let items: Vec<&GenItem> = items.iter().filter(|i| !i.link.is_empty()).collect();
            let linked = items.iter().filter(|i| !i.link.trim().is_empty()).count();
            prop_assert!((linked..=items.len()).contains(&f.items.len()));
            return Ok(());
        }
        prop_assert_eq!(f.items.len(), items.len());
        for (got, want) in f.items.iter().zip(&items) {
            // Comments are never the article's link.
            prop_assert!(!got.url.as_deref().unwrap_or("").ends_with("#c"), "{:?}", got.url);
            if !want.link.trim().is_empty() && !matches!(kind, Kind::Json) {
                prop_assert!(got.url.is_some(), "{:?} lost link {:?}", kind, want.link);
            }
        }
    }

    #[test]
    fn broken_feeds_do_not_panic(
        kind in kind(),
        items in prop::collection::vec(gen_item(), 1..6),
        cut in any::<prop::sample::Index>(),
        junk in prop::collection::vec(any::<u8>(), 0..16),
        at in any::<prop::sample::Index>(),
    ) {
        let mut bytes = render_feed(kind, "T", "5", &items);
        let i = at.index(bytes.len());
        bytes.splice(i..i, junk);
        bytes.truncate(cut.index(bytes.len() + 1));
        if let Ok(f) = feed_case(&bytes) {
            check_items(&f.items);
        }
    }

    #[test]
    fn html_reader_survives_arbitrary_strings(s in any::<String>()) {
        html_case(&s);
    }

    #[test]
    fn html_reader_survives_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..4096)) {
        // As the poller reads pages.
        html_case(&String::from_utf8_lossy(&b));
    }

    #[test]
    fn html_reader_survives_generated_pages(page in html_page()) {
        html_case(&page);
    }

    #[test]
    fn selectors_from_config_never_panic(s in any::<String>(), css in "[a-z.#\\[\\]=:>+~*()\" ,'-]{0,30}") {
        let _ = timed("compile_selector", s.len(), || html::compile_selector(&s));
        if let Ok(sel) = timed("compile_selector", css.len(), || html::compile_selector(&css)) {
            let t = timed("to_text", 0, || html::to_text("<article><p>a</p><p>b</p></article>", Some(&sel)));
            assert_tidy("to_text", &t);
        }
    }

    #[test]
    fn dates_never_panic(s in any::<String>(), d in date_string()) {
        let _ = parse_date(&s);
        let _ = parse_date(&d);
    }
}

proptest! {
    // Up to 64 KB each: fewer cases.
    #![proptest_config(Config { cases: 24, failure_persistence: None, ..Config::default() })]

    #[test]
    fn html_reader_time_is_bounded_on_deep_markup(s in html_deep()) {
        html_case(&s);
    }

    #[test]
    fn feed_reader_time_is_bounded_on_big_feeds(
        kind in kind(),
        items in prop::collection::vec(gen_item(), 100..300),
    ) {
        let bytes = render_feed(kind, "T", "5", &items);
        prop_assert!(feed_case(&bytes).is_ok());
    }
}

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

#[derive(Debug, Clone)]
struct Line {
    url: Field,
    title: Field,
    published: Field,
    source: Field,
    text: Field,
    extra: Option<serde_json::Value>,
    pad: (String, String),
}

fn line() -> impl Strategy<Value = Line> {
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
    fn render(&self) -> String {
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
    #![proptest_config(Config { cases: 64, failure_persistence: None, ..Config::default() })]

    /// The file reader `ingest` and `explain --file` use: every non-blank line is one item or
    /// one problem naming its line, whatever the bytes.
    #[test]
    fn jsonl_file_reader_accounts_for_every_line(
        lines in prop::collection::vec(
            prop_oneof![
                4 => line().prop_map(|l| l.render().into_bytes()),
                1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(|mut b| { b.retain(|&c| c != b'\n'); b }),
                1 => Just(Vec::new()),
                1 => Just(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec()),
            ],
            0..30,
        ),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let mut bytes = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            bytes.extend_from_slice(l);
            if i + 1 < lines.len() || final_newline {
                bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
        }
        let mut want_items = 0;
        let mut want_bad = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            match std::str::from_utf8(l).map(jsonl::parse_line) {
                Ok(Ok(Some(_))) => want_items += 1,
                Ok(Ok(None)) => {}
                _ => want_bad.push(i + 1),
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let input = crate::ingest::Input::open(&path, crate::ingest::Format::Jsonl).unwrap();
        let (mut problems, mut items, mut read) = (Vec::new(), 0, 0u64);
        timed("Input::read", bytes.len(), || {
            input
                .read(&mut problems, &mut |n| read += n, &mut |_| {
                    items += 1;
                    true
                })
                .unwrap()
        });
        prop_assert_eq!(items, want_items);
        prop_assert_eq!(problems.iter().map(|p| p.line.unwrap()).collect::<Vec<_>>(), want_bad);
        prop_assert_eq!(read, bytes.len() as u64);
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
