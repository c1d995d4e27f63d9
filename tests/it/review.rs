//! `breachwatch review` and `/review`: what most needs a person, from articles ingested
//! through the real binary (the project's fixtures, and a headline-only item written here).

use std::path::Path;
use std::process::{Command, Output};

use breachwatch::config::Config;
use breachwatch::store::Store;
use serde_json::Value;

use crate::helpers::{get, spawn_app};

/// A news-search item: a headline naming the force as a breach's victim, and no facts.
const HEADLINE_ONLY: &str = r#"{"url": "https://newsdesk.example/cleveland-police-data-breach", "title": "Cleveland Police data breach exposes officers' home addresses", "published": "2024-06-03T08:00:00+00:00", "source": "Newsdesk", "text": "More details are expected later today."}"#;

fn bin(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_breachwatch"))
        .env_remove("BREACHWATCH_DB")
        .env_remove("BREACHWATCH_CONFIG")
        .current_dir(dir)
        .args(["--db", "db"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn ingested() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/incidents.jsonl"
    );
    std::fs::write(dir.path().join("h.jsonl"), format!("{HEADLINE_ONLY}\n")).unwrap();
    bin(dir.path(), &["ingest", fixtures, "h.jsonl"]);
    dir
}

#[test]
fn review_lists_the_headline_only_incident_and_the_near_miss_with_explain_commands() {
    // Arrange
    let dir = ingested();

    // Act
    let json = bin(dir.path(), &["review", "--format", "json"]);
    let table = bin(dir.path(), &["review"]);

    // Assert
    let items: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    let find = |concern: &str| {
        items
            .iter()
            .find(|i| i["concern"] == concern)
            .unwrap_or_else(|| panic!("no {concern} in {items:#?}"))
    };
    let headline = find("headline_only");
    assert!(headline["incident"]
        .as_str()
        .unwrap()
        .starts_with("cleveland-2024-06-"));
    assert_eq!(
        headline["explain"],
        "breachwatch explain 'https://newsdesk.example/cleveland-police-data-breach'"
    );
    let near = find("near_miss");
    assert_eq!(
        near["url"],
        "https://westcountry.example/news/wiltshire-police-arrest-hacker-retailer"
    );
    assert!(near["incident"].is_null());
    assert!(
        near["reason"].as_str().unwrap().starts_with(
            "rejected (police named only as investigator, partner or location), yet it says: \""
        ),
        "{near}"
    );
    // Well-told incidents are not in the queue.
    assert!(!items.iter().any(|i| i["incident"]
        .as_str()
        .is_some_and(|id| id.starts_with("dorset-"))));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("headline_only"), "{text}");
    assert!(text.contains("near_miss"), "{text}");
    assert!(text.contains(
        "breachwatch explain 'https://westcountry.example/news/wiltshire-police-arrest-hacker-retailer'"
    ));
    // The explain command it gives works.
    let explained = bin(
        dir.path(),
        &[
            "explain",
            "https://westcountry.example/news/wiltshire-police-arrest-hacker-retailer",
        ],
    );
    assert!(String::from_utf8_lossy(&explained.stdout).contains("investigator"));
}

#[tokio::test]
async fn the_review_page_is_linked_from_the_dashboard_and_lists_the_queue() {
    // Arrange
    let dir = ingested();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let app = spawn_app(store, Config::empty()).await;

    // Act
    let dashboard = get(app.addr, "/").await;
    let page = get(app.addr, "/review").await;
    let api = get(app.addr, "/api/review?recent=0").await;
    let bad = get(app.addr, "/api/review?recent=many").await;

    // Assert
    assert!(dashboard.body.contains("href=\"/review\""));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Review queue</h1>"));
    assert!(page.body.contains("headline only"));
    assert!(page.body.contains("near miss"));
    assert!(page.body.contains("href=\"/incidents/cleveland-2024-06-"));
    let items: Vec<Value> = api.json();
    assert!(
        items.iter().all(|i| i["concern"] != "near_miss"),
        "no recent articles looked at, no near misses"
    );
    assert!(items.iter().any(|i| i["concern"] == "headline_only"));
    assert_eq!(bad.status, 400);
    app.stop().await;
}
