//! The JSON API: `/api/incidents` (with the command line's filters as parameters),
//! `/api/incidents/{id}`, `/api/trends`, `/api/sources`, and its JSON errors.

use std::collections::HashMap;

use breachwatch::config::Config;
use breachwatch::model::{Cause, Incident};
use breachwatch::query::{self, IncidentView, Period, TrendKey, TrendRow};
use chrono::Utc;

use super::{incident, put, seeded_store, source};
use crate::helpers::*;

#[tokio::test]
async fn api_incidents_lists_incidents_newest_first_as_the_cli_does() {
    // Arrange
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    // Act
    let answer = get(app.addr, "/api/incidents").await;

    // Assert
    assert_eq!(answer.status, 200);
    assert!(answer.headers.contains("application/json"));
    let views: Vec<IncidentView> = answer.json();
    let ids: Vec<&str> = views.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "kent-2024-01-cccccc",
            "essex-2023-05-bbbbbb",
            "kent-2023-03-aaaaaa"
        ]
    );
    let raw: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let first = &raw[0];
    for field in [
        "id",
        "forces",
        "data_types",
        "not_exposed",
        "affected",
        "cause",
        "third_party",
        "first_reported",
        "occurred",
        "sources",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
    assert_eq!(first["data_types"][1], "home_address");
    assert_eq!(first["affected"]["qualifier"], "approx");
    assert_eq!(
        first["sources"][0]["url"],
        "https://news.example/kent-2024-01-cccccc"
    );
    app.stop().await;
}

#[tokio::test]
async fn api_incidents_takes_the_cli_filters_as_query_parameters() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let kent: Vec<IncidentView> = get(app.addr, "/api/incidents?force=kent").await.json();
    assert_eq!(kent.len(), 2);
    let y2023: Vec<IncidentView> = get(
        app.addr,
        "/api/incidents?since=2023-01-01&until=2023-12-31&data_type=home_address&cause=accidental_disclosure",
    )
    .await
    .json();
    assert_eq!(y2023.len(), 2);
    let searched: Vec<IncidentView> = get(app.addr, "/api/incidents?q=LAPTOP&limit=5")
        .await
        .json();
    assert_eq!(searched.len(), 1);
    let limited: Vec<IncidentView> = get(app.addr, "/api/incidents?limit=1").await.json();
    assert_eq!(limited.len(), 1);
    // Ids in either spelling, as the command line takes them too.
    let kebab: Vec<IncidentView> = get(
        app.addr,
        "/api/incidents?since=2023-01-01&until=2023-12-31&data_type=home-address&cause=accidental-disclosure",
    )
    .await
    .json();
    assert_eq!(kebab, y2023);
    app.stop().await;
}

#[tokio::test]
async fn bad_query_parameters_are_json_bad_requests() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    for (path, message) in [
        (
            "/api/incidents?since=yesterday",
            "since: \"yesterday\" is not a date like 2023-08-31: ",
        ),
        ("/api/incidents?cause=aliens", "unknown cause \"aliens\""),
        (
            "/api/incidents?limit=many",
            "limit \"many\" is not a whole number",
        ),
        (
            "/api/trends?by=colour",
            "by \"colour\" is not one of force, data-type, cause",
        ),
        (
            "/api/trends?by=force&period=decade",
            "period \"decade\" is not one of month, quarter, year, all",
        ),
        (
            "/api/trends?when=later",
            "when \"later\" is not one of reported, occurred",
        ),
        (
            "/api/trends?since=2024-05-20&until=2024-05-01",
            "since 2024-05-20 is after until 2024-05-01",
        ),
        (
            "/api/incidents?since=2024-05-20&until=2024-05-01",
            "since 2024-05-20 is after until 2024-05-01",
        ),
    ] {
        let answer = get(app.addr, path).await;
        assert_eq!(answer.status, 400, "{path}");
        let body: HashMap<String, String> = answer.json();
        assert_eq!(body["code"], "bad_request", "{path}");
        assert!(body["message"].starts_with(message), "{path}: {body:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn api_incident_gives_the_full_incident_or_a_json_404() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    let found = get(app.addr, "/api/incidents/kent-2023-03-aaaaaa").await;
    assert_eq!(found.status, 200);
    let inc: Incident = found.json();
    assert_eq!(inc, store.incident("kent-2023-03-aaaaaa").unwrap().unwrap());

    let missing = get(app.addr, "/api/incidents/no-such-incident").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("application/json"));
    let body: HashMap<String, String> = missing.json();
    assert_eq!(body["code"], "not_found");
    assert!(body["message"].contains("no-such-incident"));

    let nowhere = get(app.addr, "/api/nothing-here").await;
    assert_eq!(nowhere.status, 404);
    let body: HashMap<String, String> = nowhere.json();
    assert_eq!(body["code"], "not_found");
    app.stop().await;
}

/// One supplier's attack reaching two forces weeks apart is two incidents, related: through
/// an article that reports both, or the same named supplier. A round-up sharing an article
/// with breaches that did not happen at a supplier, the same force, or months apart is not.
#[tokio::test]
async fn related_incidents_at_other_forces_are_listed_in_the_api_the_page_and_show() {
    let (_dir, store) = temp_store();
    let shared = source(
        "https://news.example/badge-maker",
        "Badge maker hack hits a second force",
        "2023-09-14T09:00:00+00:00",
    );
    // An incident whose sources include the shared article; `cause`: it happened at a
    // supplier, for that cause.
    let story = |id: &str, force: &str, first: &str, last: &str, cause: Option<Cause>| {
        let mut i = incident(id, force, id, first, last);
        if let Some(cause) = cause {
            i.third_party = Some(true);
            i.cause = cause;
        }
        i.sources.push(shared.clone());
        i
    };
    let met = story(
        "metropolitan-2023-08-aaaaaa",
        "metropolitan",
        "2023-08-26T09:00:00+00:00",
        "2023-09-14T09:00:00+00:00",
        Some(Cause::CyberAttack),
    );
    let mut gmp = story(
        "greater-manchester-2023-09-bbbbbb",
        "greater-manchester",
        "2023-09-14T09:00:00+00:00",
        "2023-09-14T09:00:00+00:00",
        Some(Cause::Ransomware),
    );
    gmp.sources.remove(0); // only the shared article
                           // Shares the article but was not at a supplier (a round-up's other story).
    let kent = story(
        "kent-2023-09-cccccc",
        "kent",
        "2023-09-01T09:00:00+00:00",
        "2023-09-14T09:00:00+00:00",
        None,
    );
    // At a supplier and sharing the article, but a year later.
    let late = story(
        "essex-2024-10-dddddd",
        "essex",
        "2024-10-01T09:00:00+00:00",
        "2024-10-01T09:00:00+00:00",
        Some(Cause::CyberAttack),
    );
    // The same force as the Met's: one force's incidents are matching's business.
    let met_again = story(
        "metropolitan-2023-09-eeeeee",
        "metropolitan",
        "2023-09-20T09:00:00+00:00",
        "2023-09-20T09:00:00+00:00",
        Some(Cause::CyberAttack),
    );
    // Named the same supplier, no shared article.
    let mut a = incident(
        "sussex-2023-05-ffffff",
        "sussex",
        "Sussex printer",
        "2023-05-02T09:00:00+00:00",
        "2023-05-02T09:00:00+00:00",
    );
    a.supplier = Some("Digital ID".into());
    let mut b = incident(
        "surrey-2023-06-gggggg",
        "surrey",
        "Surrey printer",
        "2023-06-20T09:00:00+00:00",
        "2023-06-20T09:00:00+00:00",
    );
    b.supplier = Some("digital id ".into());
    put(&store, &[met, gmp, kent, late, met_again, a, b]);

    let ids = |id: &str| -> Vec<(String, String)> {
        query::incident(&store, id)
            .unwrap()
            .unwrap()
            .related
            .into_iter()
            .map(|r| (r.id, r.why))
            .collect()
    };
    let together = "reported together, both at a supplier".to_string();
    assert_eq!(
        ids("greater-manchester-2023-09-bbbbbb"),
        [
            ("metropolitan-2023-08-aaaaaa".to_string(), together.clone()),
            ("metropolitan-2023-09-eeeeee".to_string(), together.clone()),
        ]
    );
    assert_eq!(
        ids("metropolitan-2023-08-aaaaaa"),
        [("greater-manchester-2023-09-bbbbbb".to_string(), together)]
    );
    assert!(ids("kent-2023-09-cccccc").is_empty());
    assert!(ids("essex-2024-10-dddddd").is_empty());
    assert_eq!(
        ids("surrey-2023-06-gggggg"),
        [(
            "sussex-2023-05-ffffff".to_string(),
            "same supplier: digital id ".to_string()
        )]
    );
    // Worked out when read, never stored.
    assert!(store
        .incident("metropolitan-2023-08-aaaaaa")
        .unwrap()
        .unwrap()
        .related
        .is_empty());

    let app = spawn_app(store.clone(), Config::empty()).await;
    let api: Incident = get(app.addr, "/api/incidents/metropolitan-2023-08-aaaaaa")
        .await
        .json();
    assert_eq!(api.related.len(), 1);
    assert_eq!(api.related[0].id, "greater-manchester-2023-09-bbbbbb");
    assert_eq!(api.related[0].forces, ["greater-manchester"]);
    let page = get(app.addr, "/incidents/metropolitan-2023-08-aaaaaa").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Related incidents"));
    assert!(page
        .body
        .contains(r#"<a href="/incidents/greater-manchester-2023-09-bbbbbb">"#));
    let kent_page = get(app.addr, "/incidents/kent-2023-09-cccccc").await;
    assert!(!kent_page.body.contains("Related incidents"));
    app.stop().await;

    let mut text = Vec::new();
    breachwatch::render::incident_text(
        &mut text,
        &query::incident(&store, "greater-manchester-2023-09-bbbbbb")
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("related incidents at other forces:\n  2023-08-26  metropolitan-2023-08-aaaaaa  (reported together, both at a supplier)"),
        "{text}"
    );
}

#[tokio::test]
async fn api_trends_gives_the_same_rows_as_the_trends_command() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    let rows: Vec<TrendRow> = get(app.addr, "/api/trends?by=force&period=year")
        .await
        .json();
    assert_eq!(
        rows,
        query::trends(&store, TrendKey::Force, Period::Year, None, None).unwrap()
    );
    assert!(rows
        .iter()
        .any(|r| r.key == "kent" && r.period == "2023" && r.incidents == 1));

    let by_type: Vec<TrendRow> = get(
        app.addr,
        "/api/trends?by=data-type&period=all&since=2024-01-01",
    )
    .await
    .json();
    assert_eq!(
        by_type
            .iter()
            .find(|r| r.key == "home_address")
            .unwrap()
            .incidents,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn api_sources_reports_every_configured_source_with_its_state() {
    // Arrange: one source polled (and failing), one disabled.
    let (_dir, store) = temp_store();
    let config = Config::from_toml(
        r#"
[[source]]
id = "alpha"
kind = "feed"
url = "https://alpha.example/feed.xml"
[[source]]
id = "beta"
kind = "html"
url = "https://beta.example/news"
item_selector = "a"
enabled = false
"#,
    )
    .unwrap();
    let state = breachwatch::model::SourceState {
        consecutive_failures: 2,
        last_error: Some("HTTP 503".into()),
        next_due: Some(Utc::now()),
        ..Default::default()
    };
    store.put_source_state("alpha", &state).unwrap();
    let app = spawn_app(store, config).await;

    // Act
    let sources: Vec<serde_json::Value> = get(app.addr, "/api/sources").await.json();

    // Assert
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["id"], "alpha");
    assert_eq!(sources[0]["kind"], "feed");
    assert_eq!(sources[0]["consecutive_failures"], 2);
    assert_eq!(sources[0]["last_error"], "HTTP 503");
    assert!(sources[0]["next_due"].is_string());
    assert_eq!(sources[1]["kind"], "html");
    assert_eq!(sources[1]["enabled"], false);
    assert!(sources[1]["last_success"].is_null());
    for field in ["name", "url", "last_success"] {
        assert!(sources[0].get(field).is_some(), "missing {field}");
    }

    let page = get(app.addr, "/sources").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("HTTP 503"));
    assert!(page.body.contains("disabled"));
    app.stop().await;
}
