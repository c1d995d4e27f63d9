//! The dashboard pages: the overview with its charts, list and filters, and an incident's
//! page.

use breachwatch::config::Config;
use breachwatch::model::{Development, DevelopmentKind};

use super::{at, incident, put, seeded_store, source};
use crate::helpers::*;

#[tokio::test]
async fn dashboard_shows_charts_and_the_incident_list_with_article_text_escaped() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let page = get(app.addr, "/").await;

    assert_eq!(page.status, 200);
    assert!(page.headers.contains("text/html"));
    assert!(page.body.contains("<svg"), "no chart");
    assert!(page
        .body
        .contains(r#"href="/incidents/kent-2023-03-aaaaaa""#));
    assert!(page
        .body
        .contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"));
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("http://") || !page.body.contains("src=\"http"));
    app.stop().await;
}

#[tokio::test]
async fn dashboard_filters_by_form_fields_and_ignores_empty_ones() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let page = get(app.addr, "/?force=essex&data_type=&cause=&since=&until=&q=").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/incidents/essex-2023-05-bbbbbb"));
    assert!(!page.body.contains("/incidents/kent-2023-03-aaaaaa"));

    let bad = get(app.addr, "/?since=not-a-date").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("not a date"));
    app.stop().await;
}

#[tokio::test]
async fn incident_page_shows_sources_oldest_first_timeline_figures_and_evidence() {
    // Arrange: a second, later source and a fine.
    let (_dir, store) = temp_store();
    let mut inc = incident(
        "kent-2023-03-aaaaaa",
        "kent",
        "Kent Police emailed officers' details",
        "2023-03-14T09:00:00+00:00",
        "2023-10-12T08:00:00+00:00",
    );
    inc.sources.insert(
        0,
        source(
            "https://news.example/kent-fined",
            "Kent Police fined <b>£50,000</b>",
            "2023-10-12T08:00:00+00:00",
        ),
    );
    inc.timeline.push(Development {
        date: Some(at("2023-10-12T08:00:00+00:00")),
        kind: DevelopmentKind::Fine,
        amount_minor: Some(5_000_000),
        currency: Some("GBP".into()),
        url: "https://news.example/kent-fined".into(),
        sentence: "The ICO fined the force £50,000.".into(),
    });
    inc.conflicts
        .push("one source says 1,200 people, another 1,300".into());
    put(&store, &[inc]);
    let app = spawn_app(store, Config::empty()).await;

    // Act
    let page = get(app.addr, "/incidents/kent-2023-03-aaaaaa").await;

    // Assert
    assert_eq!(page.status, 200);
    let body = &page.body;
    let older = body
        .find("Kent Police emailed officers&#39; details</a>")
        .unwrap();
    let newer = body
        .find("Kent Police fined &#60;b&#62;£50,000&#60;/b&#62;")
        .unwrap();
    assert!(older < newer, "sources must be oldest first");
    assert!(body.contains("The ICO fined the force £50,000."));
    assert!(body.contains("£50,000"));
    assert!(body.contains("About 1,200 officers were affected."));
    assert!(body.contains("The spreadsheet held home addresses."));
    assert!(body.contains("another 1,300"));

    let missing = get(app.addr, "/incidents/nope").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("text/html"));
    app.stop().await;
}
