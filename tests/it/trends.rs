//! Trends against hand-computed numbers, CSV read back, VERIS checked against the taxonomy,
//! and the JSONL export -> ingest round trip.

use breachwatch::export::ExportFormat;
use breachwatch::ingest::{ingest_path, Format};
use breachwatch::query::{self, Filter, Period, TrendKey};

use crate::helpers::*;

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents.jsonl")
}

fn loaded() -> (tempfile::TempDir, breachwatch::store::Store) {
    let (dir, store) = temp_store();
    ingest_path(
        &store,
        &fixture(),
        Format::Jsonl,
        &mut Vec::new(),
        &mut |_| {},
    )
    .unwrap();
    (dir, store)
}

#[test]
fn trends_match_hand_counts() {
    let (_d, store) = loaded();
    // By hand from the fixture: Wiltshire has three incidents in 2024 (laptop 64 people,
    // FOI 1,150, notebook 7), Dorset one (3,400), Devon and Cornwall one (5,900).
    let rows = query::trends(&store, TrendKey::Force, Period::Year, None, None).unwrap();
    let row = |k: &str| {
        rows.iter()
            .find(|r| r.key == k && r.period == "2024")
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (row("wiltshire").incidents, row("wiltshire").people_affected),
        (3, 64 + 1150 + 7)
    );
    assert_eq!(
        (row("dorset").incidents, row("dorset").people_affected),
        (1, 3400)
    );
    assert_eq!(row("devon-and-cornwall").incidents, 1);
    assert_eq!(rows.iter().map(|r| r.incidents).sum::<u64>(), 5);
    // Per month: February holds the laptop and the FOI leak.
    let m = query::trends(&store, TrendKey::Force, Period::Month, None, None).unwrap();
    assert_eq!(
        m.iter()
            .find(|r| r.period == "2024-02" && r.key == "wiltshire")
            .unwrap()
            .incidents,
        2
    );
    // Quarters and date limits.
    let q = query::trends(&store, TrendKey::Cause, Period::Quarter, None, None).unwrap();
    assert_eq!(
        q.iter()
            .find(|r| r.period == "2024-Q2" && r.key == "cyber_attack")
            .unwrap()
            .incidents,
        2
    );
    let since = chrono::NaiveDate::from_ymd_opt(2024, 3, 1);
    let s = query::trends(&store, TrendKey::Force, Period::All, since, None).unwrap();
    assert_eq!(
        s.iter().map(|r| r.incidents).sum::<u64>(),
        3,
        "notebook, Dorset, Devon and Cornwall"
    );
    // A range starting mid-month: the laptop (5 Feb) is out, the FOI leak (20 Feb) is in.
    let mid = query::trends(
        &store,
        TrendKey::Force,
        Period::All,
        chrono::NaiveDate::from_ymd_opt(2024, 2, 10),
        chrono::NaiveDate::from_ymd_opt(2024, 5, 10),
    )
    .unwrap();
    assert_eq!(
        mid.iter().find(|r| r.key == "wiltshire").unwrap().incidents,
        2
    );
    assert_eq!(
        mid.iter().map(|r| r.incidents).sum::<u64>(),
        3,
        "FOI, notebook, Dorset (2 May); not Devon and Cornwall (16 May)"
    );
    let same_month = query::trends(
        &store,
        TrendKey::Force,
        Period::Month,
        chrono::NaiveDate::from_ymd_opt(2024, 2, 10),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 25),
    )
    .unwrap();
    assert_eq!(same_month.len(), 1);
    assert_eq!(
        (
            same_month[0].period.as_str(),
            same_month[0].incidents,
            same_month[0].people_affected
        ),
        ("2024-02", 1, 1150)
    );
    // Data types: an incident counts once under each of its types.
    let t = query::trends(&store, TrendKey::DataType, Period::All, None, None).unwrap();
    assert_eq!(t.iter().find(|r| r.key == "staff_id").unwrap().incidents, 3);
}

#[test]
fn csv_reads_back_and_veris_fits_the_taxonomy() {
    let (_d, store) = loaded();
    let mut out = Vec::new();
    breachwatch::export::export(&store, ExportFormat::Csv, &mut out).unwrap();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let headers = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert!(rows
        .iter()
        .any(|row| &row[col("forces")] == "wiltshire" && &row[col("affected_count")] == "1150"));
    assert!(rows
        .iter()
        .any(|row| row[col("timeline")].contains("fine GBP60000")));

    let mut out = Vec::new();
    breachwatch::export::export(&store, ExportFormat::Veris, &mut out).unwrap();
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(records.len(), 5);
    let tax: serde_json::Value =
        serde_json::from_str(include_str!("../../data/breach_taxonomies.json")).unwrap();
    let enum_values = |k: &str| -> Vec<String> {
        tax["veris"]["enums"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_string())
            .collect()
    };
    let varieties = enum_values("attribute.confidentiality.data.variety");
    let categories: Vec<String> = tax["veris"]["action_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().into())
        .collect();
    for rec in &records {
        assert_eq!(rec["victim"]["industry"], "922120");
        assert_eq!(rec["victim"]["country"][0], "GB");
        for d in rec["attribute"]["confidentiality"]["data"]
            .as_array()
            .unwrap()
        {
            assert!(
                varieties.contains(&d["variety"].as_str().unwrap().to_string()),
                "{d}"
            );
        }
        let action = rec["action"].as_object().unwrap();
        for (cat, body) in action {
            assert!(categories.contains(cat), "{cat}");
            let allowed = enum_values(&format!("action.{cat}.variety"));
            for v in body["variety"].as_array().unwrap() {
                assert!(
                    allowed.contains(&v.as_str().unwrap().to_string()),
                    "{cat}: {v}"
                );
            }
        }
        assert!(rec["reference"].as_str().unwrap().starts_with("https://"));
        assert!(rec["timeline"]["incident"]["year"].as_i64().unwrap() == 2024);
    }
    // data_total only for a defensible total: the FOI figure is exact.
    let foi = records
        .iter()
        .find(|r| r["reference"].as_str().unwrap().contains("foi-spreadsheet"))
        .unwrap();
    assert_eq!(foi["attribute"]["confidentiality"]["data_total"], 1150);
    assert_eq!(foi["action"]["error"]["variety"][0], "Publishing error");
}

#[test]
fn jsonl_export_restores_the_same_incidents() {
    let (dir, store) = loaded();
    let mut out = Vec::new();
    breachwatch::export::export(&store, ExportFormat::Jsonl, &mut out).unwrap();
    let backup = dir.path().join("backup.jsonl");
    std::fs::write(&backup, &out).unwrap();
    assert_eq!(
        out.iter().filter(|b| **b == b'\n').count(),
        store.article_count()
    );
    let (_d2, fresh) = temp_store();
    let mut problems = Vec::new();
    ingest_path(&fresh, &backup, Format::Jsonl, &mut problems, &mut |_| {}).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let ids = |s: &breachwatch::store::Store| -> Vec<(String, Vec<String>)> {
        query::incidents(s, &Filter::default())
            .unwrap()
            .into_iter()
            .map(|i| (i.id, i.sources.into_iter().map(|s| s.url).collect()))
            .collect()
    };
    assert_eq!(ids(&store), ids(&fresh));
}

#[test]
fn chart_renders_from_real_rows() {
    let (_d, store) = loaded();
    let rows = query::trends(&store, TrendKey::Force, Period::Year, None, None).unwrap();
    let svg = breachwatch::chart::trend_svg(&rows, "force", "year");
    assert!(svg.contains("wiltshire") && svg.contains(">2024<"));
}
