use std::io::Write;

use breachwatch::config::Config;
use breachwatch::fetch::{FetchError, Fetched, Fetcher, RequestLimits};
use breachwatch::poll::{poll_once, SourceOutcome};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

#[tokio::test]
async fn poll_stores_rss_atom_json_feed_and_press_releases() {
    let server = MockServer::start().await;
    mount_sample(&server).await;
    let config = sample_config(&server.uri());
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let reports = poll_once(&config, &store, &fetcher).await;
    let by_id = |id: &str| reports.iter().find(|r| r.id == id).unwrap().outcome.clone();
    assert!(
        matches!(
            by_id("national"),
            SourceOutcome::Fetched {
                items: 3,
                new: 3,
                ..
            }
        ),
        "{:?}",
        by_id("national")
    );
    assert!(matches!(
        by_id("security"),
        SourceOutcome::Fetched {
            items: 2,
            new: 2,
            ..
        }
    ));
    assert!(matches!(
        by_id("trade"),
        SourceOutcome::Fetched {
            items: 2,
            new: 2,
            ..
        }
    ));
    assert!(matches!(
        by_id("essex-newsroom"),
        SourceOutcome::Fetched {
            items: 2,
            new: 2,
            ..
        }
    ));
    assert_eq!(store.article_count(), 9);

    // The summary-only feed item was completed from its page, without the page's chrome.
    let a = store
        .articles()
        .map(Result::unwrap)
        .find(|a| a.url.ends_with("/uk/kent-police-fined-email-officers"))
        .unwrap();
    assert!(
        a.text.contains("did not put adequate checks")
            || a.text.contains("failed to put adequate checks"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("cookies"));
    // The press release got its title and date from the page.
    let p = store
        .articles()
        .map(Result::unwrap)
        .find(|a| a.url.ends_with("/news/statement-data-incident-foi"))
        .unwrap();
    assert_eq!(p.title, "Statement: data incident involving FOI responses");
    assert_eq!(
        p.published.unwrap().to_rfc3339(),
        "2023-05-17T10:00:00+01:00"
    );
    assert_eq!(p.source_id.as_deref(), Some("essex-newsroom"));
    // The url is kept exactly as the feed gave it, tracking parameters and all.
    assert!(store
        .articles()
        .map(Result::unwrap)
        .any(|a| a.url.contains("utm_source=rss")));

    // A second pass stores nothing new and doubles nothing.
    let again = poll_once(&config, &store, &fetcher).await;
    for r in &again {
        assert!(
            matches!(r.outcome, SourceOutcome::Fetched { new: 0, .. }),
            "{r}"
        );
    }
    assert_eq!(store.article_count(), 9);
    let state = store.source_state("national").unwrap().unwrap();
    assert_eq!(state.consecutive_failures, 0);
    assert!(state.last_success.is_some() && state.next_due.is_some());
}

#[tokio::test]
async fn second_poll_sends_validators_and_304_means_unchanged() {
    let server = MockServer::start().await;
    let feed = sample("feeds/security.atom", &server.uri());
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(
            ok(feed, "application/atom+xml")
                .insert_header("etag", "\"v1\"")
                .insert_header("last-modified", "Fri, 02 Jun 2023 10:00:00 GMT"),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let config = Config::from_toml(&format!(
        "[[source]]\nid='s'\nkind='feed'\nurl='{}/feed'\nfetch_full_text=false\n",
        server.uri()
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let first = poll_once(&config, &store, &fetcher).await;
    assert!(matches!(
        first[0].outcome,
        SourceOutcome::Fetched { new: 2, .. }
    ));
    let state = store.source_state("s").unwrap().unwrap();
    assert_eq!(state.etag.as_deref(), Some("\"v1\""));
    let second = poll_once(&config, &store, &fetcher).await;
    assert_eq!(second[0].outcome, SourceOutcome::Unchanged, "{}", second[0]);
    assert_eq!(second[0].to_string(), "s: unchanged (not modified)");
}

#[tokio::test]
async fn a_failing_source_is_reported_and_the_others_are_stored() {
    let server = MockServer::start().await;
    mount_sample(&server).await;
    Mock::given(method("GET"))
        .and(path("/broken"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/malformed"))
        .respond_with(ok(
            "<rss><channel><item><title>cut off".into(),
            "application/rss+xml",
        ))
        .mount(&server)
        .await;
    let base = server.uri();
    let config = Config::from_toml(&format!(
        "[[source]]\nid='broken'\nkind='feed'\nurl='{base}/broken'\n[[source]]\nid='malformed'\nkind='feed'\nurl='{base}/malformed'\n[[source]]\nid='ok'\nkind='feed'\nurl='{base}/feeds/security.atom'\n"
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let reports = poll_once(&config, &store, &fetcher).await;
    assert_eq!(reports[0].to_string(), "broken: error: HTTP 500");
    assert!(
        reports[1]
            .to_string()
            .starts_with("malformed: error: not a readable RSS"),
        "{}",
        reports[1]
    );
    assert!(matches!(
        reports[2].outcome,
        SourceOutcome::Fetched { new: 2, .. }
    ));
    assert_eq!(store.article_count(), 2);
    let broken = store.source_state("broken").unwrap().unwrap();
    assert_eq!(broken.consecutive_failures, 1);
    assert_eq!(broken.last_error.as_deref(), Some("HTTP 500"));
    poll_once(&config, &store, &fetcher).await;
    assert_eq!(
        store
            .source_state("broken")
            .unwrap()
            .unwrap()
            .consecutive_failures,
        2
    );
}

#[tokio::test]
async fn items_without_guid_or_link_are_not_doubled() {
    let server = MockServer::start().await;
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Bare</title>
        <item><title>Force statement</title><description>No guid and no link here, only text.</description><pubDate>Tue, 08 Aug 2023 10:00:00 +0000</pubDate></item>
        <item><title>Another</title><description>Second bare item.</description></item>
        </channel></rss>"#;
    Mock::given(method("GET"))
        .and(path("/bare"))
        .respond_with(ok(rss.into(), "application/rss+xml"))
        .mount(&server)
        .await;
    let config = Config::from_toml(&format!(
        "[[source]]\nid='bare'\nkind='feed'\nurl='{}/bare'\nfetch_full_text=false\n",
        server.uri()
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    poll_once(&config, &store, &fetcher).await;
    poll_once(&config, &store, &fetcher).await;
    assert_eq!(store.article_count(), 2);
    assert!(store
        .articles()
        .map(Result::unwrap)
        .all(|a| a.url.starts_with("urn:breachwatch:")));
}

#[tokio::test]
async fn ten_feeds_in_one_poll() {
    let server = MockServer::start().await;
    let mut toml =
        String::from("[settings]\nmax_concurrent_fetches = 4\nper_host_concurrency = 4\n");
    for i in 0..10 {
        let items: String = (0..5)
            .map(|j| format!("<item><title>Story {i}-{j}</title><link>{}/s/{i}/{j}</link><guid>{i}-{j}</guid><description>{}</description></item>", server.uri(), "Long enough body text. ".repeat(40)))
            .collect();
        let rss = format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {i}</title>{items}</channel></rss>");
        Mock::given(method("GET"))
            .and(path(format!("/feed{i}")))
            .respond_with(ok(rss, "application/rss+xml"))
            .mount(&server)
            .await;
        toml.push_str(&format!(
            "[[source]]\nid='feed{i}'\nkind='feed'\nurl='{}/feed{i}'\n",
            server.uri()
        ));
    }
    let config = Config::from_toml(&toml).unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let reports = poll_once(&config, &store, &fetcher).await;
    assert_eq!(reports.len(), 10);
    for r in &reports {
        assert!(
            matches!(
                r.outcome,
                SourceOutcome::Fetched {
                    items: 5,
                    new: 5,
                    ..
                }
            ),
            "{r}"
        );
    }
    assert_eq!(store.article_count(), 50);
}

#[tokio::test]
async fn body_cap_holds_for_large_and_gzip_bomb_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/big"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![b'a'; 3 * 1024 * 1024], "text/html"),
        )
        .mount(&server)
        .await;
    // 64 MiB of zeros compressed to a few dozen KiB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024);
    Mock::given(method("GET"))
        .and(path("/bomb"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(bomb, "text/html")
                .insert_header("content-encoding", "gzip"),
        )
        .mount(&server)
        .await;
    let fetcher = Fetcher::new(&breachwatch::config::Settings::default()).unwrap();
    let limits = RequestLimits {
        timeout: std::time::Duration::from_secs(10),
        max_body_bytes: 1024 * 1024,
    };
    for p in ["/big", "/bomb"] {
        let url = url::Url::parse(&format!("{}{p}", server.uri())).unwrap();
        let err = fetcher.get(&url, None, limits).await.unwrap_err();
        assert!(
            matches!(err, FetchError::TooLarge { limit: 1048576 }),
            "{p}: {err}"
        );
    }
    // A gzip body under the cap is decompressed transparently.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"<p>hello</p>").unwrap();
    Mock::given(method("GET"))
        .and(path("/small"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(gz.finish().unwrap(), "text/html")
                .insert_header("content-encoding", "gzip"),
        )
        .mount(&server)
        .await;
    let url = url::Url::parse(&format!("{}/small", server.uri())).unwrap();
    match fetcher.get(&url, None, limits).await.unwrap() {
        Fetched::Body(b) => assert_eq!(b.bytes, b"<p>hello</p>"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retry_after_is_kept_and_backoff_grows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7200"))
        .mount(&server)
        .await;
    let config = Config::from_toml(&format!(
        "[[source]]\nid='busy'\nkind='feed'\nurl='{}/busy'\n",
        server.uri()
    ))
    .unwrap();
    let (_dir, store) = temp_store();
    let fetcher = Fetcher::new(&config.settings).unwrap();
    let before = chrono::Utc::now();
    let r = poll_once(&config, &store, &fetcher).await;
    assert_eq!(r[0].to_string(), "busy: error: HTTP 429");
    assert!(r[0].next_due - before >= chrono::Duration::seconds(7200));
}
