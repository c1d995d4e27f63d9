//! The force-website platform most England and Wales forces share, imitated on a local
//! server: its summary-only RSS, its listing, and pages that show their date only as text
//! (`Published: HH:MM DD/MM/YYYY`, UK local time).

use breachwatch::config::Config;
use breachwatch::fetch::Fetcher;
use breachwatch::poll::{poll_once, SourceOutcome};
use chrono::{DateTime, FixedOffset};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::helpers::{ok, temp_store};

/// A platform page: breadcrumbs, the date as text, the release.
fn platform_page(title: &str, published: &str) -> String {
    format!(
        "<html><head><title>{title} | Newsroom</title></head><body>\
         <nav>Home / News / {title}</nav><main><h1>{title}</h1>\
         <p class=\"published\">Published: {published}</p>\
         <p>We have written to officers and staff after a document listing their names and \
         collar numbers was attached to a reply sent to a member of the public in error.</p>\
         <p>We have told the Information Commissioner's Office and are reviewing how replies \
         are checked before they are sent.</p></main></body></html>"
    )
}

fn rfc3339(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn platform_feed_and_listing_pages_get_their_dates_from_published_text() {
    let server = MockServer::start().await;
    let base = server.uri();
    // The feed: summary-only items, one without a date.
    let rss = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Latest news</title><link>{base}/news/testshire/news/</link>
<item><title>Data breach: officers' details sent to the public in error</title>
<link>{base}/news/testshire/news/2023/august/officers-details/</link>
<description>We have apologised.</description></item>
</channel></rss>"#
    );
    Mock::given(method("GET"))
        .and(path("/news/testshire/news/GetNewsRss/"))
        .respond_with(ok(rss, "application/rss+xml; charset=utf-8"))
        .mount(&server)
        .await;
    // Summer (BST, +01:00) and winter (GMT) dates, day first.
    let pages = [
        (
            "/news/testshire/news/2023/august/officers-details/",
            platform_page("Officers' details sent in error", "14:05 09/08/2023"),
        ),
        (
            "/news/testshire/news/2024/january/staff-list/",
            platform_page("Staff list shared in error", "09:30 05/01/2024"),
        ),
    ];
    for (route, body) in &pages {
        Mock::given(method("GET"))
            .and(path(*route))
            .respond_with(ok(body.clone(), "text/html; charset=utf-8"))
            .mount(&server)
            .await;
    }
    let listing = format!(
        "<html><body><ul class=\"news-list\">\
         <li><a href=\"{}\">Staff list</a></li></ul></body></html>",
        pages[1].0
    );
    Mock::given(method("GET"))
        .and(path("/news/testshire/news/"))
        .respond_with(ok(listing, "text/html"))
        .mount(&server)
        .await;
    let config = Config::from_toml(&format!(
        "[settings]\nmin_host_delay_ms = 0\n\
         [[source]]\nid = \"testshire-rss\"\nkind = \"feed\"\n\
         url = \"{base}/news/testshire/news/GetNewsRss/\"\nforces = [\"kent\"]\n\
         [[source]]\nid = \"testshire-html\"\nkind = \"html\"\n\
         url = \"{base}/news/testshire/news/\"\nitem_selector = \".news-list a\"\n\
         forces = [\"kent\"]\n"
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    for r in poll_once(&config, &store, &fetcher).await {
        assert!(matches!(r.outcome, SourceOutcome::Fetched { .. }), "{r}");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }
    let articles: Vec<_> = store.articles().map(Result::unwrap).collect();
    let published = |route: &str| {
        articles
            .iter()
            .find(|a| a.url.ends_with(route))
            .unwrap_or_else(|| panic!("{route} stored"))
            .published
    };
    assert_eq!(
        published(pages[0].0),
        Some(rfc3339("2023-08-09T14:05:00+01:00")),
        "the feed gave no date: the page's, in British Summer Time"
    );
    assert_eq!(
        published(pages[1].0),
        Some(rfc3339("2024-01-05T09:30:00+00:00")),
        "day first, GMT in January"
    );
}
