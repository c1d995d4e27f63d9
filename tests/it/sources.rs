//! `breachwatch sources`: the listing, coverage of the shipped feeds.toml, OPML out and in, and
//! `sources check` against local servers (feeds, an html newsroom, search links, challenges).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use breachwatch::cli::sources::{check, coverage_rows, export_opml, import_opml};
use breachwatch::config::{Config, SourceKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::ok;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_breachwatch"))
}

fn shipped_config_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("feeds.toml")
}

const PLATFORM_RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Newsroom</title><link>BASE/</link>
<item><title>Appeal after burglary</title><link>BASE/news/appeal-1</link>
<pubDate>Tue, 15 Aug 2023 09:30:00 GMT</pubDate><description>Officers appeal.</description></item>
<item><title>Force fined over data breach</title><link>BASE/news/fined-2</link>
<pubDate>Wed, 16 Aug 2023 10:00:00 GMT</pubDate><description>The force apologised.</description></item>
<item><title></title><link>BASE/news/untitled-3</link><description>No title here.</description></item>
</channel></rss>"#;

const SEARCH_RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Search: police data breach</title><link>https://www.bing.com/news</link>
<item><title>Police data breach exposes officers</title>
<link>http://www.bing.com/news/apiclick.aspx?ref=FexRss&amp;tid=1&amp;url=https%3a%2f%2fnews.example.co.uk%2fstory%3fid%3d7&amp;c=3</link>
<pubDate>Thu, 17 Aug 2023 08:00:00 GMT</pubDate><description>Short.</description></item>
</channel></rss>"#;

const LISTING: &str = r#"<html><body><ul>
<li class="news-item"><a href="/newsroom/one">One</a></li>
<li class="news-item"><a href="/newsroom/two">Two</a></li>
</ul><a href="/about">About</a></body></html>"#;

fn page(title: &str, date: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <time datetime=\"{date}\">{date}</time><p>The force said a spreadsheet was sent \
         to the wrong address.</p></article></body></html>"
    )
}

const CLOUDFLARE: &str = "<!DOCTYPE html><html><head><title>Just a moment...</title></head>\
<body><div id=\"challenge-running\">Checking your browser</div></body></html>";

const IMPERVA: &str = "<html><head><META NAME=\"robots\" CONTENT=\"noindex,nofollow\">\
<script src=\"/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3\"></script>\
</head><body>Request unsuccessful. Incapsula incident ID: 1234-5678</body></html>";

async fn newsroom_server() -> MockServer {
    let server = MockServer::start().await;
    let base = server.uri();
    let routes = [
        (
            "/feed.xml",
            PLATFORM_RSS.replace("BASE", &base),
            "application/rss+xml",
        ),
        ("/search.xml", SEARCH_RSS.to_string(), "application/rss+xml"),
        ("/newsroom", LISTING.to_string(), "text/html; charset=utf-8"),
        (
            "/newsroom/one",
            page("First release", "2023-08-15T09:00:00+01:00"),
            "text/html",
        ),
        (
            "/newsroom/two",
            page("Second release", "2023-08-18T12:00:00+01:00"),
            "text/html",
        ),
        ("/imperva", IMPERVA.to_string(), "text/html"),
    ];
    for (route, body, content_type) in routes {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ok(body, content_type))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/cloudflare"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("cf-mitigated", "challenge")
                .set_body_raw(CLOUDFLARE.as_bytes().to_vec(), "text/html"),
        )
        .mount(&server)
        .await;
    server
}

fn newsroom_config(base: &str) -> Config {
    Config::from_toml(&format!(
        r#"
[[source]]
id = "platform"
kind = "feed"
url = "{base}/feed.xml"
forces = ["kent"]

[[source]]
id = "search"
kind = "feed"
url = "{base}/search.xml"

[[source]]
id = "listing"
kind = "html"
url = "{base}/newsroom"
item_selector = "li.news-item a"
date_selector = "time"
forces = ["essex"]

[[source]]
id = "cf"
kind = "feed"
url = "{base}/cloudflare"

[[source]]
id = "imperva"
kind = "html"
url = "{base}/imperva"
item_selector = "a"
"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sources_check_reports_feeds_listings_search_links_and_challenges() {
    let server = newsroom_server().await;
    let config = newsroom_config(&server.uri());
    let reports = check(&config, &config.sources).await.unwrap();
    let by_id = |id: &str| reports.iter().find(|r| r.id == id).unwrap().clone();

    let platform = by_id("platform");
    assert_eq!(platform.status, Some(200));
    assert_eq!(platform.items, 3);
    assert_eq!(platform.with_title, 2);
    assert_eq!(platform.with_date, 2);
    assert_eq!(platform.with_link, 3);
    assert_eq!(platform.newest.as_deref(), Some("2023-08-16T10:00:00Z"));
    assert!(platform.to_string().contains("3 items"), "{platform}");

    let search = by_id("search");
    assert_eq!((search.items, search.with_link), (1, 1), "{search}");

    let listing = by_id("listing");
    assert_eq!(listing.selector_matches, Some(2), "{listing}");
    assert_eq!(
        (listing.items, listing.with_title, listing.with_date),
        (2, 2, 2)
    );
    assert!(listing.to_string().contains("selector matched 2 links"));

    let cf = by_id("cf");
    assert_eq!(cf.status, Some(403));
    assert_eq!(
        cf.blocked.as_deref(),
        Some("blocked: bot protection (Cloudflare)")
    );
    assert!(!cf.to_string().contains("0 items"), "{cf}");
    assert!(cf
        .to_string()
        .contains("blocked: bot protection (Cloudflare)"));

    let imperva = by_id("imperva");
    assert_eq!(imperva.status, Some(200));
    assert_eq!(
        imperva.blocked.as_deref(),
        Some("blocked: bot protection (Imperva)")
    );
    assert!(!imperva.to_string().contains("0 items"), "{imperva}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sources_check_command_prints_json_without_a_database() {
    let server = newsroom_server().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("feeds.toml");
    std::fs::write(
        &config,
        format!(
            "[[source]]\nid = \"cf\"\nkind = \"feed\"\nurl = \"{0}/cloudflare\"\n\n\
             [[source]]\nid = \"platform\"\nkind = \"feed\"\nurl = \"{0}/feed.xml\"\n",
            server.uri()
        ),
    )
    .unwrap();
    let db = dir.path().join("db");
    let out = tokio::task::spawn_blocking(move || {
        bin()
            .args([
                "--config",
                config.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ])
            .args(["sources", "check", "--format", "json"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["id"], "cf");
    assert_eq!(json[0]["blocked"], "blocked: bot protection (Cloudflare)");
    assert_eq!(json[1]["items"], 3);
    assert!(
        !dir.path().join("db").exists(),
        "check must not open the database"
    );
}

#[test]
fn coverage_of_the_shipped_feeds_lists_every_body_with_an_enabled_source() {
    let config = Config::load(&shipped_config_path()).unwrap();
    let rows = coverage_rows(&config);
    // Every body of the reference gazetteer, the NCA (which extraction leaves out) included.
    assert_eq!(rows.len(), breachwatch::extract::uk_bodies().len());
    assert_eq!(rows.len(), 49);
    assert!(rows.iter().any(|r| r.force == "nca"));
    let missing: Vec<_> = rows.iter().filter(|r| r.sources.is_empty()).collect();
    assert!(missing.is_empty(), "without a newsroom: {missing:?}");

    let out = bin()
        .args(["--config", shipped_config_path().to_str().unwrap()])
        .args(["sources", "coverage", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.len(), rows.len());
    let kent = json.iter().find(|r| r["force"] == "kent").unwrap();
    assert_eq!(kent.as_object().unwrap().len(), 2, "{kent}");
    assert!(!kent["sources"].as_array().unwrap().is_empty());
}

#[test]
fn coverage_table_flags_a_body_without_a_newsroom() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("feeds.toml");
    std::fs::write(
        &config,
        "[[source]]\nid = \"kent-news\"\nkind = \"feed\"\nurl = \"https://kent.example/rss\"\nforces = [\"kent\"]\n",
    )
    .unwrap();
    let out = bin()
        .args(["--config", config.to_str().unwrap(), "sources", "coverage"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let kent = text.lines().find(|l| l.starts_with("kent ")).unwrap();
    assert!(kent.contains("kent-news"), "{kent}");
    let essex = text.lines().find(|l| l.starts_with("essex ")).unwrap();
    assert!(essex.contains("MISSING"), "{essex}");
}

#[test]
fn sources_lists_expanded_sources_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["--config", shipped_config_path().to_str().unwrap()])
        .args(["--db", dir.path().join("db").to_str().unwrap()])
        .args(["sources", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let config = Config::load(&shipped_config_path()).unwrap();
    assert_eq!(json.len(), config.sources.len());
    for key in ["id", "kind", "url", "forces", "enabled", "health"] {
        assert!(json[0].get(key).is_some(), "no {key} in {}", json[0]);
    }
}

#[test]
fn opml_export_then_import_into_an_empty_config_round_trips_the_feed_urls() {
    let shipped = Config::load(&shipped_config_path()).unwrap();
    let opml = export_opml(&shipped, chrono::Utc::now());
    assert!(opml.contains("Force newsrooms"));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new.toml");
    let added = import_opml(&target, &opml).unwrap();
    let imported = Config::load(&target).unwrap();
    assert_eq!(added.len(), imported.sources.len());
    let feed_urls = |c: &Config| -> BTreeSet<String> {
        c.sources
            .iter()
            .filter(|s| matches!(s.kind, SourceKind::Feed { .. }))
            .map(|s| s.url.to_string())
            .collect()
    };
    assert_eq!(feed_urls(&imported), feed_urls(&shipped));
    // Importing again adds nothing: every URL is configured.
    assert!(import_opml(&target, &opml).unwrap().is_empty());
}

#[test]
fn import_opml_command_prints_added_ids_and_keeps_existing_sources() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("feeds.toml");
    std::fs::write(
        &config,
        "[[source]]\nid = \"known\"\nkind = \"feed\"\nurl = \"https://known.example/rss\"\n",
    )
    .unwrap();
    let opml = dir.path().join("list.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Known" xmlUrl="https://known.example/rss"/>
<outline text="Local Paper" xmlUrl="https://paper.example/feed"/>
</body></opml>"#,
    )
    .unwrap();
    let out = bin()
        .args([
            "--config",
            config.to_str().unwrap(),
            "sources",
            "import-opml",
        ])
        .arg(&opml)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "local-paper\n");
    let loaded = Config::load(&config).unwrap();
    let ids: Vec<_> = loaded.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["known", "local-paper"]);
}

// Polling with the same pieces: challenges, search links, charsets.

use breachwatch::fetch::Fetcher;
use breachwatch::poll::{poll_once, FailureKind, SourceOutcome};

use crate::helpers::temp_store;

#[tokio::test(flavor = "multi_thread")]
async fn poll_reports_a_challenge_as_blocked_and_backs_off() {
    let server = newsroom_server().await;
    let config = Config::from_toml(&format!(
        "[[source]]\nid = \"cf\"\nkind = \"feed\"\nurl = \"{}/cloudflare\"\n",
        server.uri()
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let before = chrono::Utc::now();
    let reports = poll_once(&config, &store, &fetcher).await;
    assert_eq!(
        reports[0].outcome,
        SourceOutcome::Error("blocked: bot protection (Cloudflare)".into())
    );
    assert_eq!(reports[0].detail.failure, Some(FailureKind::Blocked));
    assert_eq!(FailureKind::Blocked.to_string(), "blocked");
    let state = store.source_state("cf").unwrap().unwrap();
    assert_eq!(state.consecutive_failures, 1);
    assert!(state.next_due.unwrap() >= before + chrono::Duration::seconds(120));
    assert_eq!(store.article_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_unwraps_search_links_and_follows_only_promising_summaries_once() {
    let server = MockServer::start().await;
    let base = server.uri();
    let wrapped = format!(
        "http://www.bing.com/news/apiclick.aspx?ref=FexRss&amp;tid=1&amp;url={}",
        url::form_urlencoded::byte_serialize(format!("{base}/story/breach").as_bytes())
            .collect::<String>()
    );
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Search</title>
<item><title>Kent Police data breach: officers' details leaked</title><link>{wrapped}</link>
<description>Short.</description></item>
<item><title>Kent Police data breach (update)</title><link>{wrapped}</link>
<description>Short again.</description></item>
<item><title>Police data leak at force</title>
<link>https://news.google.com/rss/articles/CBMiAbCdEf?oc=5</link><description>Short.</description></item>
<item><title>Village fete raises money for charity</title><link>{base}/story/fete</link>
<description>A sunny day.</description></item>
</channel></rss>"#
    );
    Mock::given(method("GET"))
        .and(path("/search.xml"))
        .respond_with(ok(feed, "application/rss+xml"))
        .mount(&server)
        .await;
    let article = "<html><body><article><h1>Breach</h1><p>Kent Police said a spreadsheet \
        holding the names of 200 officers was emailed to the wrong recipient in error. \
        The force has referred itself to the Information Commissioner's Office.</p>\
        </article></body></html>";
    Mock::given(method("GET"))
        .and(path("/story/breach"))
        .respond_with(ok(article.to_string(), "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/story/fete"))
        .respond_with(ok(
            "<html><body><p>Fete</p></body></html>".into(),
            "text/html",
        ))
        .expect(0)
        .mount(&server)
        .await;
    let config = Config::from_toml(&format!(
        "[[source]]\nid = \"search\"\nkind = \"feed\"\nurl = \"{base}/search.xml\"\n"
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let reports = poll_once(&config, &store, &fetcher).await;
    assert!(
        matches!(reports[0].outcome, SourceOutcome::Fetched { items: 4, .. }),
        "{}",
        reports[0]
    );
    assert!(reports[0].warnings.is_empty(), "{:?}", reports[0].warnings);
    let articles: Vec<_> = store.articles().map(Result::unwrap).collect();
    let unwrapped = format!("{base}/story/breach");
    let breach = articles
        .iter()
        .find(|a| a.url == unwrapped)
        .expect("unwrapped url");
    assert!(breach.text.contains("spreadsheet"), "{}", breach.text);
    assert!(articles.iter().all(|a| !a.url.contains("bing.com")));
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_decodes_html_pages_by_their_declared_charset() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/newsroom"))
        .respond_with(ok(LISTING.to_string(), "text/html; charset=windows-1252"))
        .mount(&server)
        .await;
    let mut page = b"<html><body><article><h1>Force fined \xa3750 for data breach</h1>\
        <p>The force said the \xa3750 penalty followed a breach of officers\x92 data. "
        .to_vec();
    page.extend_from_slice("More text. ".repeat(20).as_bytes());
    page.extend_from_slice(b"</p></article></body></html>");
    for route in ["/newsroom/one", "/newsroom/two"] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(page.clone(), "text/html; charset=windows-1252"),
            )
            .mount(&server)
            .await;
    }
    let config = Config::from_toml(&format!(
        "[[source]]\nid = \"listing\"\nkind = \"html\"\nurl = \"{base}/newsroom\"\n\
         item_selector = \"li.news-item a\"\n"
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    poll_once(&config, &store, &fetcher).await;
    let articles: Vec<_> = store.articles().map(Result::unwrap).collect();
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0].title, "Force fined £750 for data breach");
    assert!(
        articles[0].text.contains("officers\u{2019} data"),
        "{}",
        articles[0].text
    );
}
