//! The feed reader on arbitrary bytes, feed-like prefixes, and generated feeds (well-formed,
//! broken, big); and the date parser feeds rely on.

use proptest::prelude::*;
use proptest::test_runner::Config;

use url::Url;

use super::super::{feed, parse_date, ParseError, RawItem};
use super::{date_string, link, timed, xml_escape, xml_text};

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

fn feed_case(bytes: &[u8]) -> Result<feed::ParsedFeed, ParseError> {
    let base = Url::parse("https://force.example/news/").unwrap();
    timed("parse_feed", bytes.len(), || {
        feed::parse_feed(bytes, Some(&base), "")
    })
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
    fn dates_never_panic(s in any::<String>(), d in date_string()) {
        let _ = parse_date(&s);
        let _ = parse_date(&d);
    }
}

proptest! {
    // Up to 300 items each: fewer cases.
    #![proptest_config(Config { cases: 24, failure_persistence: None, ..Config::default() })]

    #[test]
    fn feed_reader_time_is_bounded_on_big_feeds(
        kind in kind(),
        items in prop::collection::vec(gen_item(), 100..300),
    ) {
        let bytes = render_feed(kind, "T", "5", &items);
        prop_assert!(feed_case(&bytes).is_ok());
    }
}
