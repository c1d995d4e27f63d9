//! The Atom feeds: every incident, one stable entry each, and one force's.

use breachwatch::config::Config;

use breachwatch::store::WriteSet;

use super::{at, incident, put, seeded_store, source};
use crate::helpers::*;

fn parse_feed(xml: &str) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

#[tokio::test]
async fn incidents_feed_is_atom_with_one_stable_entry_per_incident() {
    // Arrange
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    // Act
    let answer = get(app.addr, "/feeds/incidents.atom").await;

    // Assert
    assert_eq!(answer.status, 200);
    assert!(answer.headers.contains("application/atom+xml"));
    let feed = parse_feed(&answer.body);
    assert_eq!(feed.entries().len(), 3);
    assert!(feed
        .links()
        .iter()
        .any(|l| l.rel() == "self" && l.href().ends_with("/feeds/incidents.atom")));
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        [
            "tag:breachwatch,2023:incident/kent-2024-01-cccccc",
            "tag:breachwatch,2023:incident/kent-2023-03-aaaaaa",
            "tag:breachwatch,2023:incident/essex-2023-05-bbbbbb",
        ],
        "most recently updated first"
    );
    let kent = &feed.entries()[1];
    assert_eq!(kent.updated().to_rfc3339(), "2023-10-12T08:00:00+00:00");
    assert_eq!(feed.updated(), &at("2024-01-02T10:00:00+00:00"));
    assert!(kent
        .links()
        .iter()
        .any(|l| l.href().ends_with("/incidents/kent-2023-03-aaaaaa")));
    let summary = kent.summary().unwrap().as_str();
    for part in [
        "kent police",
        "home address",
        "about 1,200 people",
        "accidental disclosure",
    ] {
        assert!(summary.contains(part), "{part} not in {summary}");
    }

    // A new development: same entry id, new `updated`, back on top.
    let mut inc = store.incident("essex-2023-05-bbbbbb").unwrap().unwrap();
    let mut w = WriteSet::new();
    w.remove_incident(&inc.profile());
    inc.last_reported = at("2024-06-01T12:00:00+00:00");
    inc.sources.push(source(
        "https://news.example/essex-reprimand",
        "Essex Police reprimanded",
        "2024-06-01T12:00:00+00:00",
    ));
    w.put_incident(&inc);
    store.apply(w).unwrap();
    let again = parse_feed(&get(app.addr, "/feeds/incidents.atom").await.body);
    assert_eq!(again.entries().len(), 3);
    assert_eq!(
        again.entries()[0].id(),
        "tag:breachwatch,2023:incident/essex-2023-05-bbbbbb"
    );
    assert_eq!(
        again.entries()[0].updated(),
        &at("2024-06-01T12:00:00+00:00")
    );
    app.stop().await;
}

#[tokio::test]
async fn force_feed_lists_only_that_forces_incidents() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let kent = parse_feed(&get(app.addr, "/feeds/force/kent.atom").await.body);
    assert_eq!(kent.entries().len(), 2);
    assert_eq!(kent.id(), "tag:breachwatch,2023:force/kent");
    assert!(kent.entries().iter().all(|e| e.id().contains("/kent-")));
    // The hostile title is text in the feed, not markup.
    assert!(kent
        .entries()
        .iter()
        .any(|e| e.title().as_str().starts_with("<script>")));

    let nobody = parse_feed(&get(app.addr, "/feeds/force/nowhere.atom").await.body);
    assert!(nobody.entries().is_empty());
    assert_eq!(get(app.addr, "/feeds/force/kent.rss").await.status, 404);
    app.stop().await;
}

/// A raw HTTP/1.0 GET with extra request headers; the answer's status, headers (as sent)
/// and body.
async fn get_with(
    addr: std::net::SocketAddr,
    target: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, String) {
    use std::io::{Read, Write};
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let target = target.to_string();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.0\r\nHost: {addr}\r\n{extra}\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split_whitespace().nth(1).unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        (status.parse().unwrap(), headers, body.to_string())
    })
    .await
    .unwrap()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
}

#[tokio::test]
async fn a_reader_with_validators_gets_304_until_the_feed_changes() {
    // Arrange
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;
    let feed = "/feeds/incidents.atom?force=kent";
    let (status, headers, body) = get_with(app.addr, feed, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(parse_feed(&body).entries().len(), 2);
    let etag = header(&headers, "etag").to_string();
    let modified = header(&headers, "last-modified").to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");

    // Act + Assert: the same feed, unchanged.
    let (status, headers, body) = get_with(app.addr, feed, &[("If-None-Match", &etag)]).await;
    assert_eq!((status, body.as_str()), (304, ""));
    assert_eq!(header(&headers, "etag"), etag);
    let weak = format!("\"other\", W/{etag}");
    assert_eq!(
        get_with(app.addr, feed, &[("If-None-Match", &weak)])
            .await
            .0,
        304
    );
    assert_eq!(
        get_with(app.addr, feed, &[("If-Modified-Since", &modified)])
            .await
            .0,
        304
    );
    let old = "Mon, 01 Jan 2001 00:00:00 GMT";
    assert_eq!(
        get_with(app.addr, feed, &[("If-Modified-Since", old)])
            .await
            .0,
        200
    );
    let other = [
        ("If-None-Match", "\"stale\""),
        ("If-Modified-Since", modified.as_str()),
    ];
    assert_eq!(
        get_with(app.addr, feed, &other).await.0,
        200,
        "If-None-Match wins over If-Modified-Since"
    );
    // Another feed has another tag.
    let (_, all_headers, _) = get_with(app.addr, "/feeds/incidents.atom", &[]).await;
    assert_ne!(header(&all_headers, "etag"), etag);

    // A new incident at Kent changes the feed: the old tag no longer holds.
    put(
        &store,
        &[incident(
            "kent-2024-06-dddddd",
            "kent",
            "Kent Police letters sent to wrong addresses",
            "2024-06-02T10:00:00+00:00",
            "2024-06-02T10:00:00+00:00",
        )],
    );
    let (status, headers, body) = get_with(app.addr, feed, &[("If-None-Match", &etag)]).await;
    assert_eq!(status, 200);
    assert_eq!(parse_feed(&body).entries().len(), 3);
    assert_ne!(header(&headers, "etag"), etag);
    app.stop().await;
}

#[tokio::test]
async fn feeds_list_the_latest_fifty_or_the_limit_with_the_apis_filters() {
    // Arrange: 60 incidents at Essex, the seeded three.
    let (_dir, store) = seeded_store();
    let many: Vec<_> = (0..60)
        .map(|n| {
            let day = format!("2022-{:02}-{:02}T10:00:00+00:00", n / 28 + 1, n % 28 + 1);
            incident(
                &format!("essex-2022-x-{n:06}"),
                "essex",
                "Essex letters",
                &day,
                &day,
            )
        })
        .collect();
    put(&store, &many);
    let app = spawn_app(store, Config::empty()).await;
    let entries = |body: &str| parse_feed(body).entries().len();

    // Act + Assert
    assert_eq!(
        entries(&get(app.addr, "/feeds/incidents.atom").await.body),
        50
    );
    let one = parse_feed(&get(app.addr, "/feeds/incidents.atom?limit=1").await.body);
    assert_eq!(
        one.entries()[0].id(),
        "tag:breachwatch,2023:incident/kent-2024-01-cccccc",
        "the most recently updated"
    );
    assert_eq!(
        entries(&get(app.addr, "/feeds/incidents.atom?limit=100").await.body),
        63
    );
    assert_eq!(
        entries(&get(app.addr, "/feeds/force/essex.atom?limit=5").await.body),
        5
    );
    assert_eq!(
        entries(
            &get(
                app.addr,
                "/feeds/incidents.atom?force=essex&since=2023-01-01"
            )
            .await
            .body
        ),
        1
    );
    assert_eq!(
        entries(
            &get(app.addr, "/feeds/incidents.atom?cause=loss-or-theft")
                .await
                .body
        ),
        0
    );
    assert_eq!(
        entries(&get(app.addr, "/feeds/incidents.atom?q=stolen").await.body),
        1
    );
    for bad in ["limit=lots", "data_type=shoe_size", "since=yesterday"] {
        let answer = get(app.addr, &format!("/feeds/incidents.atom?{bad}")).await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert!(answer.body.contains("bad_request"), "{}", answer.body);
    }
    app.stop().await;
}

#[tokio::test]
async fn links_are_under_public_url_and_only_http_links_are_emitted() {
    // Arrange: a source whose URL is a script.
    let (_dir, store) = seeded_store();
    let mut hostile = incident(
        "kent-2024-07-eeeeee",
        "kent",
        "Kent Police file left on train",
        "2024-07-01T10:00:00+00:00",
        "2024-07-01T10:00:00+00:00",
    );
    hostile.sources.push(source(
        "javascript:alert(document.cookie)",
        "A hostile item",
        "2024-07-01T11:00:00+00:00",
    ));
    put(&store, &[hostile]);
    let config =
        Config::from_toml("[settings]\npublic_url = 'https://bw.example/watch/'\n").unwrap();
    let app = spawn_app(store, config).await;

    // Act
    let feed = parse_feed(&get(app.addr, "/feeds/force/kent.atom").await.body);

    // Assert
    let self_link = feed.links().iter().find(|l| l.rel() == "self").unwrap();
    assert_eq!(
        self_link.href(),
        "https://bw.example/watch/feeds/force/kent.atom"
    );
    let entry = &feed.entries()[0];
    assert_eq!(
        entry.id(),
        "tag:breachwatch,2023:incident/kent-2024-07-eeeeee"
    );
    let hrefs: Vec<&str> = entry.links().iter().map(|l| l.href()).collect();
    assert_eq!(
        hrefs,
        [
            "https://bw.example/watch/incidents/kent-2024-07-eeeeee",
            "https://news.example/kent-2024-07-eeeeee",
        ],
        "the script URL is left out"
    );
    app.stop().await;
}
