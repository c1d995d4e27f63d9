//! `explain`: the real binary over a file (no database) and over a real sled store.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A breach told of Kent Police, a police appeal that is not one, and a bad line (invented).
const ARTICLES: &str = concat!(
    r#"{"url":"https://news.example/kent-spreadsheet?utm_source=rss","title":"Kent Police apologises after staff list emailed to stranger","published":"2024-03-05T09:30:00+00:00","source":"Example News","text":"Kent Police has apologised after a spreadsheet containing the names of 212 officers was emailed to a member of the public by mistake.\nThe force said the email was sent in error by a member of staff.\nBank details were not included in the file, a spokesperson said."}"#,
    "\n",
    r#"{"url":"https://news.example/burglary-appeal","title":"Appeal after burglary in Ashford","published":null,"source":"Example News","text":"Kent Police is appealing for witnesses after a house was broken into in Ashford on Tuesday night.\nJewellery and a laptop were taken. Anyone with information should call 101."}"#,
    "\n",
    "{not json\n",
);

fn breachwatch(dir: &Path, args: &[&str]) -> Output {
    // Run in the temp dir: no feeds.toml there, so no sources.
    Command::new(env!("CARGO_BIN_EXE_breachwatch"))
        .current_dir(dir)
        .arg("--db")
        .arg(dir.join("db"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("articles.jsonl"), ARTICLES).unwrap();
    dir
}

/// The checks both ways of explaining the breach article must pass.
fn assert_breach(a: &Value) {
    assert_eq!(
        a["url"],
        "https://news.example/kent-spreadsheet?utm_source=rss"
    );
    assert_eq!(a["relevant"], true, "{a:#}");
    assert!(a["reason"].as_str().unwrap().contains("kent"), "{a:#}");
    assert_eq!(a["rejected_by"], Value::Null);
    assert_eq!(a["published"], "2024-03-05T09:30:00Z");
    assert_eq!(a["published_from"], "feed");
    let r = &a["reports"][0];
    assert_eq!(r["forces"], serde_json::json!(["kent"]), "{a:#}");
    assert!(r["force_sentences"][0]
        .as_str()
        .unwrap()
        .contains("Kent Police"));
    let name = r["data_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "name")
        .unwrap_or_else(|| panic!("no name data type: {a:#}"));
    assert_eq!(
        name["sentence"],
        "Kent Police has apologised after a spreadsheet containing the names of 212 officers was emailed to a member of the public by mistake."
    );
    assert_eq!(r["figures"][0]["count"], 212, "{a:#}");
    assert_eq!(r["affected"]["count"], 212);
    assert!(r["figures"][0]["sentence"]
        .as_str()
        .unwrap()
        .contains("212 officers"));
    assert!(r["cause"]["id"].is_string());
    // Not extracted yet: the place is there.
    assert!(r.as_object().unwrap().contains_key("occurred"));
}

#[test]
fn explain_file_gives_each_decision_with_its_facts_and_stores_nothing() {
    let dir = setup();
    let out = breachwatch(
        dir.path(),
        &["explain", "--file", "articles.jsonl", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&ok(&out)).unwrap();
    let all = json.as_array().unwrap();
    assert_eq!(all.len(), 2, "{json:#}");
    assert_breach(&all[0]);
    let appeal = &all[1];
    assert_eq!(appeal["relevant"], false);
    assert!(!appeal["reason"].as_str().unwrap().is_empty());
    assert!(appeal["rejected_by"].is_string());
    assert_eq!(appeal["published"], Value::Null);
    assert_eq!(appeal["published_from"], "unknown");
    assert_eq!(appeal["reports"], serde_json::json!([]));
    // The bad line is reported by number and skipped.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("articles.jsonl:3:"), "{err}");
    // No database was opened or created.
    assert!(!dir.path().join("db").exists());
}

#[test]
fn explain_url_finds_the_stored_article_as_given_or_canonical() {
    let dir = setup();
    ok(&breachwatch(dir.path(), &["ingest", "articles.jsonl"]));
    for url in [
        "https://news.example/kent-spreadsheet?utm_source=rss",
        "https://news.example/kent-spreadsheet",
    ] {
        let out = breachwatch(dir.path(), &["explain", url, "--format", "json"]);
        let json: Value = serde_json::from_str(&ok(&out)).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 1);
        assert_breach(&json[0]);
    }
    let out = breachwatch(
        dir.path(),
        &["explain", "https://news.example/burglary-appeal"],
    );
    let table = ok(&out);
    let json: Value = serde_json::from_str(&ok(&breachwatch(
        dir.path(),
        &[
            "explain",
            "https://news.example/burglary-appeal",
            "--format",
            "json",
        ],
    )))
    .unwrap();
    let reason = json[0]["reason"].as_str().unwrap();
    assert!(table.contains(reason), "{table}");
    assert!(table.contains("rejected ("), "{table}");
}

#[test]
fn explain_table_shows_reason_date_and_sentences() {
    let dir = setup();
    let table = ok(&breachwatch(
        dir.path(),
        &["explain", "--file", "articles.jsonl"],
    ));
    assert!(
        table.contains("relevant: police body as breach victim: kent"),
        "{table}"
    );
    assert!(
        table.contains("published: 2024-03-05T09:30:00+00:00 (from feed)"),
        "{table}"
    );
    assert!(table.contains("data type: name"), "{table}");
    assert!(
        table.contains("\"Kent Police has apologised after a spreadsheet"),
        "{table}"
    );
    assert!(table.contains("published: unknown (unknown)"), "{table}");
}

#[test]
fn explain_table_strips_control_characters_from_article_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.jsonl"),
        r#"{"url":"https://news.example/x","title":"Evil \u001b[31mred\u001b[0m title","text":"Nothing to do with the police.\rReally."}"#,
    )
    .unwrap();
    let table = ok(&breachwatch(dir.path(), &["explain", "--file", "a.jsonl"]));
    assert!(!table.contains('\u{1b}'), "{table:?}");
    assert!(!table.contains('\r'), "{table:?}");
    // The whole escape sequence goes, not only its ESC.
    assert!(table.contains("Evil red title"), "{table}");
}

#[test]
fn explain_unknown_url_or_unreadable_file_fails_with_one_line() {
    let dir = setup();
    ok(&breachwatch(dir.path(), &["ingest", "articles.jsonl"]));
    let out = breachwatch(
        dir.path(),
        &["explain", "https://news.example/nothing-here"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("no stored article with URL https://news.example/nothing-here"),
        "{err}"
    );
    let out = breachwatch(dir.path(), &["explain", "--file", "missing.jsonl"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot read missing.jsonl"), "{err}");
}

#[test]
fn explain_of_an_html_page_names_the_page_as_where_its_date_came_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("page.html"),
        r#"<html><head><title>Force statement</title>
<meta property="article:published_time" content="2024-02-01T12:00:00+00:00">
<link rel="canonical" href="https://force.example/news/statement"></head>
<body><h1>Statement on a data incident</h1><article><p>Kent Police has apologised after a spreadsheet containing the names of 40 officers was emailed to a member of the public by mistake.</p></article></body></html>"#,
    )
    .unwrap();
    let out = ok(&breachwatch(
        dir.path(),
        &["explain", "--file", "page.html", "--format", "json"],
    ));
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json[0]["url"], "https://force.example/news/statement");
    assert_eq!(json[0]["published"], "2024-02-01T12:00:00Z");
    assert_eq!(json[0]["published_from"], "page");
}
