use std::process::Command;

use crate::helpers::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_breachwatch"))
}

#[test]
fn ingest_twice_changes_nothing_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let file = dir.path().join("a.jsonl");
    std::fs::write(
        &file,
        "{\"url\":\"https://a.example/1\",\"text\":\"body\"}\nnot json\n",
    )
    .unwrap();
    let run = || {
        bin()
            .arg("--db")
            .arg(&db)
            .arg("ingest")
            .arg(&file)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(err.contains("a.jsonl:2:"), "{err}");
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(out.contains("1 new"), "{out}");
    let second = run();
    assert!(String::from_utf8_lossy(&second.stdout)
        .contains("0 new (0 about police breaches), 1 already stored"));
}

/// Several files in one run: one database session, a line per file on stderr with its time.
#[test]
fn ingest_of_several_files_reports_each_and_stores_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(&a, "{\"url\":\"https://a.example/1\",\"text\":\"body\"}\n").unwrap();
    std::fs::write(
        &b,
        "{\"url\":\"https://a.example/1\",\"text\":\"body\"}\n{\"url\":\"https://a.example/2\",\"text\":\"body\"}\n",
    )
    .unwrap();
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("ingest")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.jsonl: 1 article(s), 1 new, in "), "{err}");
    assert!(err.contains("b.jsonl: 2 article(s), 1 new, in "), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ingested 3 article(s)") && stdout.contains("2 new"),
        "{stdout}"
    );
}

#[test]
fn errors_are_one_line_and_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(
        &cfg,
        "[[source]]\nid='x'\nkind='feed'\nurl='https://x.org/'\nintreval_secs=5\n",
    )
    .unwrap();
    let out = bin()
        .arg("--config")
        .arg(&cfg)
        .arg("poll")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("intreval_secs"), "{err}");
    let out = bin()
        .arg("--db")
        .arg(dir.path().join("db"))
        .args(["show", "nope"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no incident \"nope\""));
}

#[test]
fn shipped_feeds_toml_is_valid() {
    let c = breachwatch::config::Config::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("feeds.toml"),
    )
    .unwrap();
    assert!(c.sources.len() >= 10);
    assert!(c
        .sources
        .iter()
        .any(|s| matches!(s.kind, breachwatch::config::SourceKind::Html(_))));
    let _ = sample_dir();
}

#[test]
fn a_second_process_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let _held = breachwatch::store::Store::open(&db).unwrap();
    // A writer is told plainly.
    let file = dir.path().join("a.jsonl");
    std::fs::write(
        &file,
        "{\"url\":\"https://a.example/1\",\"text\":\"body\"}\n",
    )
    .unwrap();
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("ingest")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in use by another breachwatch process"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // A reader tries the service, and says so when none answers.
    let cfg = dir.path().join("feeds.toml");
    std::fs::write(&cfg, "[settings]\nlisten = \"127.0.0.1:9\"\n").unwrap();
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("--config")
        .arg(&cfg)
        .args(["incidents"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in use") && err.contains("127.0.0.1:9"),
        "{err}"
    );
}

/// The command line parses its filters with the API's parser: the same ids in either
/// spelling, the same refusals (in the words of flags).
#[test]
fn incidents_filters_take_the_ids_the_api_takes() {
    // Arrange: two incidents, one at each force, both exposing home addresses.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = breachwatch::store::Store::open(&db).unwrap();
        crate::serve::put(
            &store,
            &[
                crate::serve::incident(
                    "kent-2023-03-aaaaaa",
                    "kent",
                    "Kent Police emailed officers' details",
                    "2023-03-14T09:00:00+00:00",
                    "2023-03-14T09:00:00+00:00",
                ),
                crate::serve::incident(
                    "essex-2023-05-bbbbbb",
                    "essex",
                    "Essex FOI response exposed victims",
                    "2023-05-17T10:00:00+00:00",
                    "2023-05-17T10:00:00+00:00",
                ),
            ],
        );
        store.flush().unwrap();
    }
    let incidents = |filters: &[&str]| {
        bin()
            .current_dir(dir.path())
            .arg("--db")
            .arg(&db)
            .arg("incidents")
            .args(filters)
            .args(["--format", "json"])
            .output()
            .unwrap()
    };
    let ids = |out: &std::process::Output| -> Vec<String> {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let views: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        views
            .iter()
            .map(|v| v["id"].as_str().unwrap().into())
            .collect()
    };

    // Act and assert: both spellings of a data type and a cause.
    let snake = ids(&incidents(&[
        "--data-type",
        "home_address",
        "--cause",
        "accidental_disclosure",
    ]));
    let kebab = ids(&incidents(&[
        "--data-type",
        "home-address",
        "--cause",
        "accidental-disclosure",
    ]));
    assert_eq!(snake, ["essex-2023-05-bbbbbb", "kent-2023-03-aaaaaa"]);
    assert_eq!(kebab, snake);
    let unknown = incidents(&["--data-type", "shoe-size"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown data type \"shoe-size\""));
    let reversed = incidents(&["--since", "2024-02-01", "--until", "2024-01-01"]);
    assert_eq!(
        String::from_utf8_lossy(&reversed.stderr).trim(),
        "error: --since 2024-02-01 is after --until 2024-01-01"
    );
}
