//! The Atom feeds: every incident, one stable entry each, and one force's.

use breachwatch::config::Config;

use breachwatch::store::WriteSet;

use super::{at, seeded_store, source};
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
