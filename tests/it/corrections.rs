//! Analysts' corrections end to end: the real binary on a real sled database, and the write
//! API of the real service on 127.0.0.1. A fixed count, a merge and a dismissal survive new
//! articles and `reprocess` in `show`, `trends` and `export`; merge and split move the trend
//! counters; a correction follows its incident when the incident's id changes; the token
//! rules; the CLI's remote path while a service holds the database.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use breachwatch::cli::remote::SERVICE_ADDR_FILE;
use breachwatch::config::{AdminToken, Config};
use breachwatch::store::Store;
use serde_json::{json, Value};

use crate::helpers::*;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_breachwatch"));
    c.env_remove("BREACHWATCH_ADMIN_TOKEN")
        .env_remove("BREACHWATCH_CONFIG")
        .env_remove("BREACHWATCH_DB");
    c
}

/// Runs the binary on `db`; returns stdout, panicking with stderr on failure.
fn run(db: &Path, args: &[&str]) -> String {
    let out = bin().arg("--db").arg(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs the binary expecting failure; returns stderr.
fn fails(db: &Path, args: &[&str]) -> String {
    let out = bin().arg("--db").arg(db).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents.jsonl")
}

/// The fixture's lines whose URL contains none of `leave_out`, written to `dir/name`.
fn fixture_part(dir: &Path, name: &str, keep: impl Fn(&str) -> bool) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            keep(v["url"].as_str().unwrap())
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// A follow-up on the Dorset supplier hack, written for this test.
const DORSET_FOLLOW_UP: &str = r#"{"url": "https://southcoast.example/news/dorset-police-supplier-hack-update", "title": "Dorset Police confirms 3,400 staff caught up in supplier hack", "published": "2024-05-06T08:00:00+00:00", "source": "South Coast Echo", "text": "Dorset Police has confirmed that the personal details of 3,400 staff were stolen when hackers broke into the systems of a software supplier. Names and home addresses of officers were taken in the cyber attack, the force said. The supplier is working with the National Crime Agency."}"#;

fn incidents(db: &Path) -> Vec<Value> {
    serde_json::from_str(&run(db, &["incidents", "--format", "json"])).unwrap()
}

fn id_of(db: &Path, force: &str, title_has: &str) -> String {
    incidents(db)
        .into_iter()
        .find(|i| {
            i["forces"].as_array().unwrap().iter().any(|f| f == force)
                && i["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["title"].as_str().unwrap().contains(title_has))
        })
        .unwrap_or_else(|| panic!("no {force} incident with {title_has:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn show(db: &Path, id: &str) -> Value {
    serde_json::from_str(&run(db, &["show", id, "--format", "json"])).unwrap()
}

fn trend(db: &Path, by: &str, key: &str) -> (u64, u64) {
    let rows: Vec<Value> = serde_json::from_str(&run(
        db,
        &["trends", "--by", by, "--period", "all", "--format", "json"],
    ))
    .unwrap();
    rows.iter()
        .find(|r| r["key"] == key)
        .map(|r| {
            (
                r["incidents"].as_u64().unwrap(),
                r["people_affected"].as_u64().unwrap(),
            )
        })
        .unwrap_or((0, 0))
}

/// What an analyst's three corrections must look like wherever the record is read.
fn check_corrected(db: &Path, laptop: &str, merged: &str, notebook: &str) {
    let shown = show(db, laptop);
    assert_eq!(shown["affected"]["count"], 70);
    assert_eq!(shown["corrected"], json!(["affected.count"]));
    let c = &shown["corrections"][0];
    assert_eq!(
        (&c["field"], &c["value"]),
        (&json!("affected.count"), &json!(70))
    );
    assert_eq!(c["replaced"], 64);
    assert_eq!(c["extracted"], 64);
    assert_eq!(c["reason"], "force's own statement");
    assert!(run(db, &["show", laptop]).contains("Set by an analyst: affected.count"));

    let merged_shown = show(db, merged);
    let forces = merged_shown["forces"].as_array().unwrap();
    assert!(forces.contains(&json!("dorset")) && forces.contains(&json!("devon-and-cornwall")));
    assert_eq!(merged_shown["corrections"][0]["action"], "merge");

    let listed: Vec<String> = incidents(db)
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !listed.contains(&notebook.to_string()),
        "dismissed: not listed"
    );
    assert!(listed.contains(&merged.to_string()));
    let dismissed = run(db, &["incidents", "--dismissed", "--format", "json"]);
    assert!(dismissed.contains(notebook), "{dismissed}");
    assert_eq!(show(db, notebook)["dismissed"], true);

    // Wiltshire: the laptop (70, corrected) and the FOI leak (1,150); the notebook is out.
    assert_eq!(trend(db, "force", "wiltshire"), (2, 70 + 1150));
    // The merged incident counts once under each of its forces.
    assert_eq!(trend(db, "force", "dorset").0, 1);
    assert_eq!(trend(db, "force", "devon-and-cornwall").0, 1);

    let csv = run(db, &["export", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",corrected"), "{header}");
    let laptop_row = csv.lines().find(|l| l.starts_with(laptop)).unwrap();
    assert!(laptop_row.ends_with(",affected.count"), "{laptop_row}");
    assert!(
        !csv.contains(notebook),
        "a dismissed incident leaves exports"
    );
    let json_export: Vec<Value> =
        serde_json::from_str(&run(db, &["export", "--format", "json"])).unwrap();
    let exported = json_export.iter().find(|i| i["id"] == laptop).unwrap();
    assert_eq!(exported["corrected"], json!(["affected.count"]));
    let veris = run(db, &["export", "--format", "veris"]);
    assert!(!veris.contains(notebook));
    assert!(veris.contains("analyst_corrected"), "{veris}");
}

#[test]
fn a_fixed_count_a_merge_and_a_dismissal_survive_new_articles_and_reprocess() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    // First everything but the FOI leak's copy and its fine.
    let first = fixture_part(dir.path(), "first.jsonl", |u| {
        !u.contains("regionalwire") && !u.contains("fined")
    });
    run(&db, &["ingest", first.to_str().unwrap()]);
    let laptop = id_of(&db, "wiltshire", "Laptop");
    let notebook = id_of(&db, "wiltshire", "notebook");
    let dorset = id_of(&db, "dorset", "Dorset");
    let devon = id_of(&db, "devon-and-cornwall", "Devon");

    let said = run(
        &db,
        &[
            "correct",
            &laptop,
            "--set",
            "affected.count=70",
            "--reason",
            "force's own statement",
        ],
    );
    assert_eq!(said.trim(), laptop);
    let merged = run(
        &db,
        &["merge", &dorset, &devon, "--reason", "one supplier hack"],
    );
    let merged = merged.trim().to_string();
    assert!(merged == dorset || merged == devon, "{merged}");
    assert_eq!(merged.lines().count(), 1);
    let said = run(
        &db,
        &["dismiss", &notebook, "--reason", "an officer's own notes"],
    );
    assert_eq!(said.trim(), notebook);
    check_corrected(&db, &laptop, &merged, &notebook);

    // New articles: the FOI leak's copy and fine, and a follow-up joining the Dorset side.
    let rest = fixture_part(dir.path(), "rest.jsonl", |u| {
        u.contains("regionalwire") || u.contains("fined")
    });
    let follow_up = dir.path().join("follow-up.jsonl");
    std::fs::write(&follow_up, format!("{DORSET_FOLLOW_UP}\n")).unwrap();
    run(
        &db,
        &[
            "ingest",
            rest.to_str().unwrap(),
            follow_up.to_str().unwrap(),
        ],
    );
    check_corrected(&db, &laptop, &merged, &notebook);
    let merged_sources = show(&db, &merged)["sources"].as_array().unwrap().len();
    assert_eq!(
        merged_sources, 3,
        "the follow-up joined the merged incident"
    );

    let before = run(&db, &["export", "--format", "json"]);
    run(&db, &["reprocess"]);
    check_corrected(&db, &laptop, &merged, &notebook);
    assert_eq!(run(&db, &["export", "--format", "json"]), before);

    // Restored, the notebook is counted again.
    run(&db, &["restore", &notebook]);
    assert_eq!(trend(&db, "force", "wiltshire").0, 3);
    assert_eq!(show(&db, &notebook)["dismissed"], false);
}

#[test]
fn merge_and_split_move_the_trend_counters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    run(&db, &["ingest", fixture().to_str().unwrap()]);
    let foi = id_of(&db, "wiltshire", "FOI response");
    let sources = show(&db, &foi)["sources"].as_array().unwrap().len();
    assert!(sources >= 2, "the FOI leak has a copy and a fine");
    let wiltshire = trend(&db, "force", "wiltshire").0;

    let copy = "https://regionalwire.example/story/8812/wiltshire-police-foi-details-published";
    let left = run(
        &db,
        &["split", &foi, "--article", copy, "--reason", "another leak"],
    );
    let left: Vec<&str> = left.lines().collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert_eq!(trend(&db, "force", "wiltshire").0, wiltshire + 1);
    let split_off = left.iter().find(|id| **id != foi).unwrap().to_string();
    assert_eq!(show(&db, &split_off)["sources"][0]["url"], copy);

    let merged = run(&db, &["merge", &foi, &split_off]);
    assert_eq!(merged.trim(), foi);
    assert_eq!(trend(&db, "force", "wiltshire").0, wiltshire);
    assert_eq!(
        show(&db, &foi)["sources"].as_array().unwrap().len(),
        sources
    );

    // Bad corrections: a clear error, a non-zero exit, nothing written.
    assert!(fails(&db, &["correct", "nope", "--set", "cause=ransomware"]).contains("no incident"));
    assert!(fails(&db, &["correct", &foi, "--set", "colour=red"]).contains("unknown field"));
    assert!(
        fails(&db, &["split", &foi, "--article", "https://else.example/x"])
            .contains("not a source")
    );
    assert!(fails(&db, &["merge", &foi, &foi]).contains("itself"));
    assert_eq!(trend(&db, "force", "wiltshire").0, wiltshire);
}

#[test]
fn a_correction_follows_its_incident_when_the_id_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    // The FOI leak's later copy first: the incident's id comes from it.
    let copy = fixture_part(dir.path(), "copy.jsonl", |u| u.contains("regionalwire"));
    run(&db, &["ingest", copy.to_str().unwrap()]);
    let old = id_of(&db, "wiltshire", "FOI response");
    run(&db, &["correct", &old, "--set", "cause=insider_misuse"]);
    // The earlier report arrives: the incident's id changes.
    let earlier = fixture_part(dir.path(), "earlier.jsonl", |u| {
        u.contains("westcountry.example/news/wiltshire-police-foi-spreadsheet")
    });
    run(&db, &["ingest", earlier.to_str().unwrap()]);
    let new = id_of(&db, "wiltshire", "FOI response");
    assert_ne!(new, old, "the earliest report names the incident");
    let shown = show(&db, &new);
    assert_eq!(shown["cause"], "insider_misuse");
    assert_eq!(shown["sources"].as_array().unwrap().len(), 2);
    // The old id still finds it.
    assert_eq!(show(&db, &old)["id"], new);
    assert_eq!(trend(&db, "cause", "insider_misuse").0, 1);
}

/// A raw POST with an optional bearer token.
async fn post(addr: SocketAddr, target: &str, token: Option<&str>, body: &str) -> Answer {
    use std::io::{Read, Write};
    let (target, token, body) = (
        target.to_string(),
        token.map(str::to_owned),
        body.to_string(),
    );
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        // A refused body may be left unread: the server may close before all of it is sent,
        // and answer all the same.
        let _ = write!(
            stream,
            "POST {target} HTTP/1.0\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no answer to POST {target}: {text:?}"));
        Answer {
            status: head.split_whitespace().nth(1).unwrap().parse().unwrap(),
            headers: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    })
    .await
    .unwrap()
}

fn loaded_store(dir: &Path) -> Store {
    let store = Store::open(&dir.join("db")).unwrap();
    breachwatch::ingest::ingest_path(
        &store,
        &fixture(),
        breachwatch::ingest::Format::Jsonl,
        &mut Vec::new(),
        &mut |_| {},
    )
    .unwrap();
    store.flush().unwrap();
    store
}

fn config_with_token(token: Option<&str>) -> Config {
    let mut config = Config::empty();
    config.settings.admin_token = token.map(|t| AdminToken(t.to_string()));
    config
}

#[tokio::test]
async fn writes_need_the_configured_token_and_reads_stay_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let id = breachwatch::query::incidents(&store, &Default::default()).unwrap()[0]
        .id
        .clone();
    let target = format!("/api/incidents/{id}/corrections");
    let body = r#"{"set": {"affected.count": 4321}, "reason": "checked"}"#;

    // No token configured: every write refused.
    let app = spawn_app(store.clone(), config_with_token(None)).await;
    let a = post(app.addr, &target, Some("anything"), body).await;
    assert_eq!(a.status, 403);
    assert_eq!(a.json::<Value>()["error"]["code"], "writes_disabled");
    app.stop().await;

    let app = spawn_app(store.clone(), config_with_token(Some("s3cret"))).await;
    let a = post(app.addr, &target, None, body).await;
    assert_eq!(a.status, 401);
    assert!(a.headers.contains("www-authenticate: bearer"));
    let a = post(app.addr, &target, Some("wrong"), body).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.json::<Value>()["error"]["code"], "unauthorized");
    assert_ne!(
        get(app.addr, &format!("/api/incidents/{id}"))
            .await
            .json::<Value>()["affected"]["count"],
        4321,
        "nothing written"
    );

    // Validated: unknown field, bad value, unknown id, unknown key, too large.
    let bad = [
        (
            target.clone(),
            r#"{"set": {"colour": "red"}}"#,
            "unknown_field",
        ),
        (
            target.clone(),
            r#"{"set": {"cause": "aliens"}}"#,
            "bad_value",
        ),
        (
            "/api/incidents/nope/corrections".to_string(),
            body,
            "unknown_incident",
        ),
        (target.clone(), r#"{"set": {}, "why": "x"}"#, "bad_body"),
        ("/api/merges".to_string(), r#"{"ids": ["a"]}"#, "bad_body"),
        (
            format!("/api/incidents/{id}/dismiss"),
            "{}",
            "reason_required",
        ),
    ];
    for (path, body, code) in bad {
        let a = post(app.addr, &path, Some("s3cret"), body).await;
        assert_eq!(a.status, 400, "{path} {body}: {}", a.body);
        assert_eq!(a.json::<Value>()["error"]["code"], code, "{path} {body}");
    }
    let huge = format!(r#"{{"reason": "{}"}}"#, "x".repeat(100 * 1024));
    let a = post(
        app.addr,
        &format!("/api/incidents/{id}/dismiss"),
        Some("s3cret"),
        &huge,
    )
    .await;
    assert_eq!(a.status, 413);

    // The right token: written, and read back through the open API.
    let a = post(app.addr, &target, Some("s3cret"), body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json::<Value>()["ids"], json!([id]));
    let shown: Value = get(app.addr, &format!("/api/incidents/{id}")).await.json();
    assert_eq!(shown["affected"]["count"], 4321);
    assert_eq!(shown["corrections"][0]["reason"], "checked");
    assert_eq!(shown["corrected"], json!(["affected.count"]));
    let page = get(app.addr, &format!("/incidents/{id}")).await;
    assert!(page.body.contains("set by an analyst"), "the page shows it");

    let a = post(
        app.addr,
        &format!("/api/incidents/{id}/dismiss"),
        Some("s3cret"),
        r#"{"reason": "not police"}"#,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let listed: Vec<Value> = get(app.addr, "/api/incidents").await.json();
    assert!(listed.iter().all(|i| i["id"] != id));
    let dismissed: Vec<Value> = get(app.addr, "/api/dismissed").await.json();
    assert_eq!(dismissed[0]["id"], id);
    let a = post(
        app.addr,
        &format!("/api/incidents/{id}/restore"),
        Some("s3cret"),
        "{}",
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let listed: Vec<Value> = get(app.addr, "/api/incidents").await.json();
    assert!(listed.iter().any(|i| i["id"] == id));
    app.stop().await;
}

#[tokio::test]
async fn the_cli_sends_a_correction_to_the_service_holding_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded_store(dir.path());
    let db = dir.path().join("db");
    let id = breachwatch::query::incidents(&store, &Default::default()).unwrap()[0]
        .id
        .clone();
    let app = spawn_app(store.clone(), config_with_token(Some("s3cret"))).await;
    std::fs::write(db.join(SERVICE_ADDR_FILE), app.addr.to_string()).unwrap();

    let (with_token, without) = {
        let (db, id) = (db.clone(), id.clone());
        tokio::task::spawn_blocking(move || {
            let with_token = bin()
                .arg("--db")
                .arg(&db)
                .args([
                    "correct",
                    &id,
                    "--set",
                    "third_party=true",
                    "--reason",
                    "remote",
                ])
                .env("BREACHWATCH_ADMIN_TOKEN", "s3cret")
                .output()
                .unwrap();
            let without = bin()
                .arg("--db")
                .arg(&db)
                .args(["dismiss", &id, "--reason", "x"])
                .output()
                .unwrap();
            (with_token, without)
        })
        .await
        .unwrap()
    };
    assert!(
        with_token.status.success(),
        "{}",
        String::from_utf8_lossy(&with_token.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&with_token.stdout).trim(), id);
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("admin token"));
    let shown = breachwatch::query::incident_detail(&store, &id)
        .unwrap()
        .unwrap();
    assert_eq!(shown.incident.third_party, Some(true));
    assert!(!shown.dismissed);
    app.stop().await;
}
