//! `occurred` end to end: a JSONL of invented articles ingested by the binary, then the
//! incident output and `trends --when occurred`.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_breachwatch"))
}

const ARTICLES: &[(&str, &str, &str, &str)] = &[
    (
        "https://news.example/essex-list",
        "2022-04-02T10:00:00+01:00",
        "Essex Police officers' addresses put online by mistake",
        "Essex Police has apologised after the names and home addresses of 300 officers were published on the force website in error in March 2022. The force said the page was removed as soon as the mistake was spotted.",
    ),
    (
        "https://news.example/merseyside-fine",
        "2024-01-10T09:00:00+00:00",
        "Merseyside Police fined over stolen laptop",
        "Merseyside Police has been fined £20,000 by the Information Commissioner's Office after a laptop holding the names and statements of 40 witnesses was stolen from an officer's car in 2019. The regulator said the device was not encrypted.",
    ),
    (
        "https://news.example/cheshire-email",
        "2023-05-05T16:00:00+01:00",
        "Victims' names sent to wrong people in police email",
        "An email containing the names of 25 victims of crime was sent to the wrong recipients, Cheshire Police said on Tuesday. The force has apologised and referred itself to the Information Commissioner's Office.",
    ),
];

fn ingested() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let file = dir.path().join("a.jsonl");
    let lines: Vec<String> = ARTICLES
        .iter()
        .map(|(url, published, title, text)| {
            serde_json::json!({"url": url, "published": published, "title": title, "source": "Example News", "text": text})
                .to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("ingest")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db)
}

fn run(db: &std::path::Path, args: &[&str]) -> String {
    let out = bin().arg("--db").arg(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn rows(json: &str) -> Vec<(String, String, u64)> {
    let v: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let mut r: Vec<(String, String, u64)> = v
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["period"].as_str().unwrap().to_string(),
                r["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    r.sort();
    r
}

fn row(key: &str, period: &str) -> (String, String, u64) {
    (key.to_string(), period.to_string(), 1)
}

#[test]
fn incidents_carry_occurred_and_trends_count_by_it() {
    let (_dir, db) = ingested();
    let incidents: Vec<serde_json::Value> =
        serde_json::from_str(&run(&db, &["incidents", "--format", "json"])).unwrap();
    let occurred = |force: &str| {
        incidents
            .iter()
            .find(|i| i["forces"][0] == force)
            .unwrap_or_else(|| panic!("no {force} incident in {incidents:#?}"))["occurred"]
            .clone()
    };
    assert_eq!(
        occurred("essex"),
        serde_json::json!({"year": 2022, "month": 3, "day": null})
    );
    assert_eq!(
        occurred("merseyside"),
        serde_json::json!({"year": 2019, "month": null, "day": null})
    );
    assert_eq!(occurred("cheshire"), serde_json::Value::Null);

    // By year of occurrence; the undated one under "unknown".
    let by_year = run(
        &db,
        &[
            "trends", "--by", "force", "--period", "year", "--when", "occurred", "--format", "json",
        ],
    );
    assert_eq!(
        rows(&by_year),
        [
            row("cheshire", "unknown"),
            row("essex", "2022"),
            row("merseyside", "2019")
        ]
    );
    // The default is still the first report.
    let reported = run(
        &db,
        &[
            "trends", "--by", "force", "--period", "year", "--format", "json",
        ],
    );
    assert_eq!(
        rows(&reported),
        [
            row("cheshire", "2023"),
            row("essex", "2022"),
            row("merseyside", "2024")
        ]
    );
    // A year-only date is unknown by month; a range keeps only dates known to be inside it.
    let by_month = run(
        &db,
        &[
            "trends", "--by", "force", "--period", "month", "--when", "occurred", "--format",
            "json",
        ],
    );
    assert_eq!(
        rows(&by_month),
        [
            row("cheshire", "unknown"),
            row("essex", "2022-03"),
            row("merseyside", "unknown")
        ]
    );
    let since = run(
        &db,
        &[
            "trends",
            "--by",
            "force",
            "--period",
            "all",
            "--when",
            "occurred",
            "--since",
            "2020-01-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(rows(&since), [row("essex", "all")]);

    // Shown in the CSV and the incident text.
    let csv = run(&db, &["incidents", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().contains(",occurred,"), "{csv}");
    assert!(csv.contains(",2022-03,"), "{csv}");
    let id = incidents
        .iter()
        .find(|i| i["forces"][0] == "essex")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = run(&db, &["show", &id]);
    assert!(shown.contains("occurred:        2022-03"), "{shown}");
}
