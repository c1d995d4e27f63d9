//! Polite polling against local servers: robots.txt for followed pages, a User-Agent with
//! the operator's contact, listings paged while their links are new, and a dead host that
//! costs one failure rather than one per link.

use breachwatch::config::Config;
use breachwatch::fetch::Fetcher;
use breachwatch::poll::{poll_once, SourceOutcome};
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer};

use crate::helpers::{ok, temp_store};

/// A short feed item whose title names a force and a breach, so its page is worth fetching.
fn item(n: usize, link: &str) -> String {
    format!(
        "<item><title>Kent Police data breach update {n}</title><link>{link}</link>\
         <description>Short.</description></item>"
    )
}

fn feed(items: &[String]) -> String {
    format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Newsroom</title>{}</channel></rss>"#,
        items.concat()
    )
}

const ARTICLE: &str = "<html><body><article><h1>Data breach</h1><p>Kent Police said a \
    spreadsheet holding the names of 120 officers was emailed to the wrong recipient in \
    error, and the force has told the Information Commissioner's Office.</p></article>\
    </body></html>";

#[tokio::test(flavor = "multi_thread")]
async fn followed_pages_honour_robots_txt_fetched_once_with_a_contact_in_the_user_agent() {
    let server = MockServer::start().await;
    let base = server.uri();
    let items = [
        item(1, &format!("{base}/private/one")),
        item(2, &format!("{base}/public/two")),
        item(3, &format!("{base}/public/three")),
    ];
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(ok(feed(&items), "application/rss+xml"))
        .mount(&server)
        .await;
    // Every request names the project and the operator's contact, as crawlers do.
    Mock::given(method("GET"))
        .and(path("/robots.txt"))
        .and(header_regex(
            "user-agent",
            r"^breachwatch/\S+ \(\+mailto:newsdesk@example\.org\)$",
        ))
        .respond_with(ok(
            "User-agent: *\nDisallow: /private/\n".into(),
            "text/plain",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/private/one"))
        .respond_with(ok(ARTICLE.into(), "text/html"))
        .expect(0)
        .mount(&server)
        .await;
    for page in ["/public/two", "/public/three"] {
        Mock::given(method("GET"))
            .and(path(page))
            .respond_with(ok(ARTICLE.into(), "text/html"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let config = Config::from_toml(&format!(
        "[settings]\ncontact = \"mailto:newsdesk@example.org\"\nmin_host_delay_ms = 0\n\
         [[source]]\nid = \"news\"\nkind = \"feed\"\nurl = \"{base}/feed.xml\"\n"
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let reports = poll_once(&config, &store, &fetcher).await;
    assert!(
        matches!(reports[0].outcome, SourceOutcome::Fetched { items: 3, .. }),
        "{}",
        reports[0]
    );
    let warnings = &reports[0].warnings;
    assert!(
        warnings.iter().any(|w| w.contains("/private/one")
            && w.contains("disallowed by robots.txt")
            && w.contains("kept the feed summary")),
        "{warnings:?}"
    );
    // The disallowed item is still kept, with its feed summary.
    let articles: Vec<_> = store.articles().map(Result::unwrap).collect();
    let private = articles.iter().find(|a| a.url.ends_with("/private/one"));
    assert_eq!(private.map(|a| a.text.as_str()), Some("Short."));
    server.verify().await;
}

#[test]
fn a_contact_that_would_break_the_header_is_refused() {
    let err = Config::from_toml("[settings]\ncontact = \"call me (maybe)\"\n").unwrap_err();
    assert!(err.to_string().contains("settings.contact"), "{err}");
}

fn listing(links: &[&str], next: Option<&str>) -> String {
    let items: String = links
        .iter()
        .map(|l| format!("<li class=\"release\"><a href=\"{l}\">{l}</a></li>"))
        .collect();
    let next = next
        .map(|n| format!("<a rel=\"next\" href=\"{n}\">Older releases</a>"))
        .unwrap_or_default();
    format!("<html><body><ul>{items}</ul><nav>{next}</nav></body></html>")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listing_is_paged_while_its_links_are_new_and_no_further() {
    let server = MockServer::start().await;
    let base = server.uri();
    let mount = |route: &'static str, body: String, times: u64| {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ok(body, "text/html"))
            .expect(times)
    };
    // First poll: page 1 (a, b) → page 2 (c, d) → page 3 (e), all new.
    // Second poll: page 1 now starts with a new release, then a stored one: stop there.
    Mock::given(method("GET"))
        .and(path("/news"))
        .respond_with(ok(
            listing(&["/news/a", "/news/b"], Some("/news?page=2")),
            "text/html",
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/news"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ok(
            listing(&["/news/c", "/news/d"], Some("/news?page=3")),
            "text/html",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/news"))
        .and(wiremock::matchers::query_param("page", "3"))
        .respond_with(ok(listing(&["/news/e"], None), "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/news"))
        .respond_with(ok(
            listing(&["/news/f", "/news/a", "/news/b"], Some("/news?page=2")),
            "text/html",
        ))
        .mount(&server)
        .await;
    for route in [
        "/news/a", "/news/b", "/news/c", "/news/d", "/news/e", "/news/f",
    ] {
        mount(route, ARTICLE.into(), 1).mount(&server).await;
    }
    let config = Config::from_toml(&format!(
        "[settings]\nmin_host_delay_ms = 0\n[[source]]\nid = \"force\"\nkind = \"html\"\n\
         url = \"{base}/news\"\nitem_selector = \"li.release a\"\n"
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let first = poll_once(&config, &store, &fetcher).await;
    assert!(
        matches!(first[0].outcome, SourceOutcome::Fetched { items: 5, .. }),
        "{}",
        first[0]
    );
    let second = poll_once(&config, &store, &fetcher).await;
    assert!(
        matches!(second[0].outcome, SourceOutcome::Fetched { items: 1, .. }),
        "{}",
        second[0]
    );
    assert_eq!(store.article_count(), 6);
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_host_costs_one_failure_not_one_per_link() {
    let server = MockServer::start().await;
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let items: Vec<String> = (1..=5)
        .map(|n| item(n, &format!("http://127.0.0.1:9/story/{n}")))
        .collect();
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(ok(feed(&items), "application/rss+xml"))
        .mount(&server)
        .await;
    let config = Config::from_toml(&format!(
        "[settings]\nmin_host_delay_ms = 0\n[[source]]\nid = \"agg\"\nkind = \"feed\"\n\
         url = \"{}/feed.xml\"\n",
        server.uri()
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let reports = poll_once(&config, &store, &fetcher).await;
    assert!(
        matches!(reports[0].outcome, SourceOutcome::Fetched { items: 5, .. }),
        "{}",
        reports[0]
    );
    let w = &reports[0].warnings;
    // robots.txt cannot be fetched from a dead host: its first page is not tried (RFC 9309:
    // stay out), and the host's other pages are skipped.
    let failed: Vec<_> = w.iter().filter(|w| w.contains("/story/")).collect();
    assert_eq!(
        failed.len(),
        1,
        "one failed page, then the host is skipped: {w:?}"
    );
    assert!(failed[0].contains("robots.txt unreachable"), "{w:?}");
    assert!(
        w.iter()
            .any(|w| w.contains("127.0.0.1:9: unreachable, skipped 4 more page(s)")),
        "{w:?}"
    );
    assert_eq!(store.article_count(), 5, "the items keep their summaries");
}
