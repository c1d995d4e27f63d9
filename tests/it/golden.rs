//! Databases written by earlier releases (`tests/golden/schema*`, see `scripts/golden.sh`)
//! open in this build and answer what the build that wrote them answered. A database from
//! before the current schema is upgraded when it is opened; it must answer the same before
//! and after.

use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::read::GzDecoder;
use serde_json::Value;

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Unpacks a fixture's gzipped database files into `to`.
fn unpack(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            unpack(&path, &target);
        } else if let Some(name) = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .strip_suffix(".gz")
        {
            let mut gz = GzDecoder::new(std::fs::File::open(&path).unwrap());
            let mut out = std::fs::File::create(to.join(name)).unwrap();
            std::io::copy(&mut gz, &mut out).unwrap();
        }
    }
}

/// Runs the binary on `db`; it must succeed. Its standard output.
fn run(db: &Path, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_breachwatch"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn json(db: &Path, args: &[&str]) -> Value {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    serde_json::from_slice(&run(db, &args)).unwrap()
}

/// Whether `want` is in `got`: every field it has, with the same value (objects may have
/// gained fields since; lists must hold the same items in the same order).
fn within(want: &Value, got: &Value, at: &str) -> Result<(), String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().try_for_each(|(k, v)| match g.get(k) {
            Some(gv) => within(v, gv, &format!("{at}.{k}")),
            None => Err(format!("{at}.{k} is missing")),
        }),
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => w
            .iter()
            .zip(g)
            .enumerate()
            .try_for_each(|(i, (a, b))| within(a, b, &format!("{at}[{i}]"))),
        _ if want == got => Ok(()),
        _ => Err(format!("{at}: wanted {want}, got {got}")),
    }
}

fn check(fixture: &Path, db: &Path) {
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(fixture.join(name)).unwrap()).unwrap()
    };
    let incidents = read("incidents.json");
    within(
        &incidents,
        &json(db, &["incidents", "--format", "json"]),
        "incidents",
    )
    .unwrap();
    within(
        &read("trends-cause.json"),
        &json(db, &["trends", "--by", "cause", "--format", "json"]),
        "trends",
    )
    .unwrap();
    let ids: Vec<&str> = incidents
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 5, "the fixture holds several incidents");
    for id in ids {
        within(
            &read(&format!("show-{id}.json")),
            &json(db, &["show", id, "--format", "json"]),
            id,
        )
        .unwrap();
    }
}

#[test]
fn every_golden_database_opens_and_answers_as_the_build_that_wrote_it() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(golden())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("db").is_dir())
        .collect();
    fixtures.sort();
    let names: Vec<_> = fixtures.iter().map(|p| p.file_name().unwrap()).collect();
    assert!(names.iter().any(|n| *n == "schema5") && names.iter().any(|n| *n == "schema6"));
    for fixture in &fixtures {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        std::fs::create_dir_all(&db).unwrap();
        unpack(&fixture.join("db"), &db);
        // Opened (and, for an older schema, upgraded) by the first command ...
        check(fixture, &db);
        // ... and answers the same once upgraded.
        check(fixture, &db);
    }
}

#[test]
fn an_upgraded_database_takes_new_articles_and_reprocesses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::create_dir_all(&db).unwrap();
    unpack(&golden().join("schema5/db"), &db);
    let before = json(&db, &["incidents", "--format", "json"]);
    let input = dir.path().join("more.jsonl");
    std::fs::write(
        &input,
        r#"{"url": "https://later.example/kent-fine", "title": "Kent Police fined over misdirected witness email", "published": "2023-03-02T10:00:00+00:00", "source": "Later News", "text": "The Information Commissioner has fined Kent Police 20,000 pounds after an email holding the names and phone numbers of 14 witnesses was sent to the wrong recipient last September."}"#,
    )
    .unwrap();
    run(&db, &["ingest".as_ref(), input.as_os_str()]);
    let after = json(&db, &["incidents", "--format", "json"]);
    let n = |v: &Value| v.as_array().unwrap().len();
    assert_eq!(n(&after), n(&before), "the follow-up joins its incident");
    let kent = after
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["forces"][0] == "kent")
        .unwrap();
    let kent_id = kent["id"].as_str().unwrap();
    let show = json(&db, &["show", kent_id, "--format", "json"]);
    assert_eq!(show["sources"].as_array().unwrap().len(), 2, "{show}");
    // Reprocessing the upgraded store gives the same incidents again.
    run(&db, &["reprocess".as_ref()]);
    within(
        &after,
        &json(&db, &["incidents", "--format", "json"]),
        "reprocessed",
    )
    .unwrap();
}
