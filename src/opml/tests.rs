use chrono::TimeZone;

use super::*;

const READER_EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Loose feed" type="rss" xmlUrl="https://loose.example/rss" htmlUrl="https://loose.example/"/>
    <outline text="Police" title="Police">
      <outline text="Force &amp; Co newsroom" type="rss" xmlUrl="https://force.example/news/rss?a=1&amp;b=2"/>
      <outline text="Regional">
        <outline title="No text attribute" xmlUrl="https://regional.example/feed" customAttr="kept out"/>
      </outline>
    </outline>
    <outline text="Empty folder"></outline>
    <outline text="Not a feed" type="link" url="https://example.org/"/>
  </body>
</opml>"#;

#[test]
fn feeds_are_read_at_any_depth_with_their_folder() {
    let got = read(READER_EXPORT).unwrap();
    let summary: Vec<(&str, &str, Option<&str>)> = got
        .iter()
        .map(|o| (o.title.as_str(), o.xml_url.as_str(), o.category.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Loose feed", "https://loose.example/rss", None),
            (
                "Force & Co newsroom",
                "https://force.example/news/rss?a=1&b=2",
                Some("Police")
            ),
            (
                "No text attribute",
                "https://regional.example/feed",
                Some("Regional")
            ),
        ]
    );
    assert_eq!(got[0].html_url.as_deref(), Some("https://loose.example/"));
}

#[test]
fn what_is_written_reads_back_the_same() {
    let outlines = vec![
        Outline {
            title: "Quotes \"and\" <angles> & 'apostrophes'".into(),
            xml_url: "https://a.example/rss?x=1&y=2".into(),
            html_url: Some("https://a.example/".into()),
            category: None,
        },
        Outline {
            title: "Kent Police newsroom".into(),
            xml_url: "https://www.kent.example/news/kent/GetNewsRss/".into(),
            html_url: None,
            category: Some("Force newsrooms".into()),
        },
        Outline {
            title: "Regulator".into(),
            xml_url: "https://regulator.example/rss/enforcement/".into(),
            html_url: None,
            category: Some("National".into()),
        },
    ];
    let created = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
    let text = write("breachwatch sources", &outlines, created);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert!(text.contains("<dateCreated>Fri, 4 Dec 2026 12:00:00 +0000</dateCreated>"));
    assert_eq!(read(&text).unwrap(), outlines);
}

#[test]
fn a_control_character_in_a_title_does_not_break_the_document() {
    let outlines = vec![Outline {
        title: "bell\u{7} here".into(),
        xml_url: "https://b.example/rss".into(),
        html_url: None,
        category: None,
    }];
    let text = write("t", &outlines, Utc::now());
    assert_eq!(read(&text).unwrap()[0].title, "bell here");
}

#[test]
fn broken_or_foreign_documents_are_errors_that_say_why() {
    let err = read("<opml><body><outline text=\"x\"></body>").unwrap_err();
    assert!(matches!(err, OpmlError::Xml { .. }), "{err}");
    let err = read("<rss version=\"2.0\"><channel/></rss>").unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an OPML document (the root element is <rss>, not <opml>)"
    );
    assert!(read("").is_err());
    assert!(read("<opml version=\"2.0\"><body/></opml>")
        .unwrap()
        .is_empty());
}

#[test]
fn imported_feeds_get_free_readable_ids_and_a_source_block() {
    let outline = |title: &str, url: &str| Outline {
        title: title.into(),
        xml_url: url.into(),
        html_url: None,
        category: None,
    };
    let mut taken: HashSet<String> = ["kent-police-news".to_string()].into();
    assert_eq!(
        source_id(&outline("Kent Police: News!", "https://k.example/"), &taken),
        "kent-police-news-2"
    );
    taken.insert("kent-police-news-2".into());
    assert_eq!(
        source_id(&outline("Kent Police: News!", "https://k.example/"), &taken),
        "kent-police-news-3"
    );
    assert_eq!(
        source_id(&outline("  ", "https://feeds.example.org/x"), &taken),
        "feeds-example-org"
    );
    assert_eq!(source_id(&outline("«»", "not a url"), &taken), "feed");
    let long = "a very long title that goes on and on well past forty characters";
    assert!(source_id(&outline(long, "u"), &taken).len() <= 40);

    let mut o = outline("Quote \" and back\\slash", "https://q.example/rss?a=1&b=2");
    o.category = Some("Folder".into());
    let block = source_block("q", &o);
    let parsed: toml::Table = toml::from_str(&block).unwrap();
    let source = &parsed["source"][0];
    assert_eq!(source["id"].as_str(), Some("q"));
    assert_eq!(source["kind"].as_str(), Some("feed"));
    assert_eq!(source["name"].as_str(), Some("Quote \" and back\\slash"));
    assert_eq!(
        source["url"].as_str(),
        Some("https://q.example/rss?a=1&b=2")
    );
    assert!(block.starts_with("# imported from OPML, folder \"Folder\"\n"));
}
