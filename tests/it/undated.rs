//! Items without a date or a title, and headline-only items, end to end: a JSONL of invented
//! articles ingested by the binary in two orders.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_breachwatch"))
}

/// (url, published, title, text): `null` where the item had none.
const ARTICLES: &[(&str, Option<&str>, Option<&str>, &str)] = &[
    (
        "https://news.example/avon-first",
        Some("2023-06-02T10:00:00+01:00"),
        Some("Avon and Somerset Police staff list emailed to wrong people"),
        "Avon and Somerset Police has apologised after a spreadsheet holding the names and \
         ranks of 1,400 officers was sent to the wrong recipients by email. The force has \
         referred itself to the Information Commissioner's Office.",
    ),
    (
        // A retelling on a page that shows no date and no title.
        "https://blog.example/police-email-errors",
        None,
        None,
        "Police email errors keep happening. Avon and Somerset Police sent the names and ranks \
         of 1,400 officers to the wrong recipients in an email. The force apologised.",
    ),
    (
        // A page dated only in its text.
        "https://regional.example/avon-email-follow-up",
        None,
        Some("Force reviews email rules after staff list error"),
        "Published: 09:30 14/06/2023\nAvon and Somerset Police says it has changed its email \
         procedures after the names and ranks of 1,400 officers were sent to the wrong \
         recipients earlier this month.",
    ),
    (
        // A headline-only item about another body.
        "https://search.example/item?id=77",
        Some("2023-07-01T08:00:00Z"),
        Some("Dyfed-Powys Police fined £50,000 after data breach"),
        "",
    ),
];

fn lines(order: &[usize]) -> String {
    order
        .iter()
        .map(|&i| {
            let (url, published, title, text) = ARTICLES[i];
            serde_json::json!({"url": url, "published": published, "title": title, "source": null, "text": text})
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn incidents(order: &[usize]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, lines(order)).unwrap();
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["ingest", "--format", "jsonl"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("skipped"),
        "no line is bad input: {stderr}"
    );
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["incidents", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    v.sort_by_key(|i| i["id"].as_str().unwrap_or("").to_string());
    v
}

#[test]
fn undated_and_untitled_retellings_join_the_incident_they_tell_in_any_order() {
    let forward = incidents(&[0, 1, 2, 3]);
    let avon: Vec<&serde_json::Value> = forward
        .iter()
        .filter(|i| i["forces"] == serde_json::json!(["avon-and-somerset"]))
        .collect();
    assert_eq!(
        avon.len(),
        1,
        "one Avon and Somerset incident: {forward:#?}"
    );
    let sources: Vec<&str> = avon[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 3, "{sources:?}");
    // Dated by its first dated report, never by when the undated page was read.
    assert_eq!(
        avon[0]["first_reported"].as_str().unwrap(),
        "2023-06-02T10:00:00+01:00"
    );
    // The page without a title is listed under its first sentence; the one dated in its
    // text, with that date.
    let titled: Vec<(&str, &str)> = avon[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["title"].as_str().unwrap_or(""),
                s["published"].as_str().unwrap_or("null"),
            )
        })
        .collect();
    assert!(
        titled
            .iter()
            .any(|(t, p)| t.starts_with("Police email errors keep happening") && *p == "null"),
        "{titled:?}"
    );
    assert!(
        titled
            .iter()
            .any(|(_, p)| p.starts_with("2023-06-14T09:30")),
        "{titled:?}"
    );
    // The headline alone is an incident of its own body.
    assert!(
        forward
            .iter()
            .any(|i| i["forces"] == serde_json::json!(["dyfed-powys"])),
        "{forward:#?}"
    );
    // Undated first, or the dated report last: the same incidents.
    for order in [[1, 2, 3, 0], [3, 2, 1, 0]] {
        let other = incidents(&order);
        let strip = |v: &[serde_json::Value]| -> Vec<(String, Vec<String>)> {
            v.iter()
                .map(|i| {
                    let mut urls: Vec<String> = i["sources"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s["url"].as_str().unwrap().to_string())
                        .collect();
                    urls.sort();
                    (i["id"].as_str().unwrap().to_string(), urls)
                })
                .collect()
        };
        assert_eq!(strip(&forward), strip(&other), "order {order:?}");
    }
}
