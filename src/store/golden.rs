//! Golden-bytes tests of the stored formats: bytes written by earlier builds, committed under
//! `tests/golden/`, which every later build must read to the same values. Never regenerate
//! these files; add new ones when a format changes (see `crate::store`'s compatibility rule).

use std::path::PathBuf;

use chrono::DateTime;

use crate::model::{
    Cause, CountFact, DataType, DevelopmentFact, DevelopmentKind, Fact, Occurred, Qualifier, Span,
    Unit,
};
use crate::model::{ReportRecord, SourceRef, StoredReport};

pub(super) fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/records")
}

fn span(start: usize, end: usize) -> Span {
    Span { start, end }
}

/// A record with every field set (and every list holding two or more values), written by
/// hand so that it does not follow the extractor.
pub(super) fn record() -> ReportRecord {
    ReportRecord {
        source: SourceRef {
            url: "https://golden.example/news/a?utm_source=x".into(),
            canonical_url: Some("https://golden.example/news/a".into()),
            title: "Force \u{201c}sorry\u{201d} after staff list posted online".into(),
            published: Some(DateTime::parse_from_rfc3339("2023-05-10T09:00:00+01:00").unwrap()),
            outlet: "Golden Gazette".into(),
            article_key: "0123456789abcdef".into(),
        },
        when: DateTime::parse_from_rfc3339("2023-05-10T09:00:00+01:00").unwrap(),
        index: 1,
        siblings: 2,
        near_duplicate_of: Some("fedcba9876543210".into()),
        minhash: vec![0, 1, 0xdead_beef, u32::MAX],
        report: StoredReport {
            forces: vec!["cleveland".into(), "durham".into()],
            force_evidence: vec![span(0, 15), span(40, 46)],
            data_types: vec![
                Fact {
                    value: DataType::Name,
                    span: Some(span(20, 25)),
                },
                Fact {
                    value: DataType::NationalId,
                    span: None,
                },
            ],
            not_exposed: vec![Fact {
                value: DataType::HomeAddress,
                span: Some(span(90, 105)),
            }],
            counts: vec![
                CountFact {
                    count: 812,
                    qualifier: Qualifier::AtLeast,
                    unit: Unit::Records,
                    span: span(50, 53),
                },
                CountFact {
                    count: 4_000_000_000,
                    qualifier: Qualifier::Approx,
                    unit: Unit::People,
                    span: span(60, 70),
                },
            ],
            cause: Fact {
                value: Cause::UnlawfulProcessing,
                span: Some(span(110, 130)),
            },
            third_party: Some(false),
            supplier: Some("Acme Payroll Ltd".into()),
            developments: vec![
                DevelopmentFact {
                    kind: DevelopmentKind::Fine,
                    amount_minor: Some(7_500_000),
                    currency: Some("GBP".into()),
                    span: span(140, 160),
                },
                DevelopmentFact {
                    kind: DevelopmentKind::Other,
                    amount_minor: None,
                    currency: None,
                    span: span(170, 180),
                },
            ],
            occurred: Some(Occurred {
                year: 2023,
                month: Some(4),
                day: Some(30),
            }),
        },
        sentences: vec![
            (span(0, 15), "Cleveland Police said sorry.".into()),
            (span(20, 25), "Names were posted \u{2014} all 812.".into()),
        ],
    }
}

fn expected() -> ReportRecord {
    let text = std::fs::read_to_string(dir().join("report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn decode(file: &str) -> ReportRecord {
    let bytes = std::fs::read(dir().join(file)).unwrap();
    super::decode_record(file.as_bytes(), &bytes).unwrap()
}

#[test]
fn the_hand_made_record_is_the_one_the_fixtures_hold() {
    assert_eq!(expected(), record());
}

#[test]
fn bincode_layout_2_bytes_read_to_the_same_record() {
    assert_eq!(decode("report-layout2.bin"), expected());
}

#[test]
fn bincode_layout_1_bytes_read_without_the_occurred_date() {
    let mut want = expected();
    want.report.occurred = None;
    assert_eq!(decode("report-layout1.bin"), want);
}

#[test]
fn messagepack_bytes_of_schema_6_read_to_the_same_record() {
    let bytes = std::fs::read(dir().join("report-messagepack.bin")).unwrap();
    assert_eq!(bytes[0], super::RecordFormat::MessagePack as u8);
    assert_eq!(decode("report-messagepack.bin"), expected());
    // And this build writes what it reads.
    assert_eq!(
        super::decode_record(b"k", &super::encode_record(&record())).unwrap(),
        record()
    );
}

#[test]
fn truncated_or_corrupt_legacy_bytes_are_errors_not_panics() {
    let bytes = std::fs::read(dir().join("report-layout2.bin")).unwrap();
    for cut in [1, 2, 9, 50, bytes.len() / 2, bytes.len() - 1] {
        let err = super::decode_record(b"k", &bytes[..cut]);
        assert!(err.is_err(), "cut at {cut}");
    }
    // A length far beyond the record.
    let mut huge = bytes.clone();
    huge[1..9].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(super::decode_record(b"k", &huge).is_err());
    // Trailing bytes mean the layout was misread.
    let mut longer = bytes;
    longer.push(0);
    assert!(super::decode_record(b"k", &longer).is_err());
}

/// A record as a later build might write it: MessagePack of `record()` with a change made to
/// its JSON form (maps stay maps, so this is what a changed struct serialises to).
fn later_build(change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v = serde_json::to_value(record()).unwrap();
    change(&mut v);
    let mut out = vec![super::RecordFormat::MessagePack as u8];
    rmp_serde::encode::write_named(&mut out, &v).unwrap();
    out
}

#[test]
fn records_with_fields_this_build_does_not_know_still_read() {
    let bytes = later_build(|v| {
        v["added_later"] = serde_json::json!({"nested": [1, 2, 3]});
        v["report"]["confidence"] = serde_json::json!(0.75);
        v["source"]["language"] = serde_json::json!("cy");
        v["report"]["counts"][0]["basis"] = serde_json::json!("stated");
    });
    assert_eq!(super::decode_record(b"k", &bytes).unwrap(), record());
}

#[test]
fn records_without_optional_fields_read_with_their_defaults() {
    let bytes = later_build(|v| {
        let report = v["report"].as_object_mut().unwrap();
        report.remove("occurred");
        report.remove("supplier");
        v.as_object_mut().unwrap().remove("minhash");
        v.as_object_mut().unwrap().remove("near_duplicate_of");
    });
    let r = super::decode_record(b"k", &bytes).unwrap();
    assert_eq!(r.report.occurred, None);
    assert_eq!(r.report.supplier, None);
    assert!(r.minhash.is_empty());
    assert_eq!(r.near_duplicate_of, None);
    assert_eq!(r.report.forces, record().report.forces);
}

#[test]
fn enum_values_are_stored_by_id_not_by_position() {
    let bytes = super::encode_record(&record());
    let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(has("unlawful_processing") && has("national_id") && has("at_least"));
    assert!(has("records") && has("fine") && has("other"));
}

/// The stable codes of every enum stored by code (profiles, type masks, bincode-era records).
/// This table only ever grows: a failing line means a code changed, which would make stored
/// data mean something else.
#[test]
fn stable_codes_never_change() {
    let data_types = [
        "name",
        "rank",
        "photo",
        "vetting_level",
        "staff_id",
        "home_address",
        "phone_number",
        "email_address",
        "date_of_birth",
        "financial",
        "work_location",
        "unit",
        "victim_details",
        "witness_details",
        "suspect_details",
        "informant_details",
        "health",
        "recordings",
        "case_records",
        "credentials",
        "national_id",
    ];
    for (code, id) in data_types.iter().enumerate() {
        let t = DataType::from_code(code as u8).unwrap();
        assert_eq!(t.id(), *id);
        assert_eq!(t.code() as usize, code);
    }
    let causes = [
        "cyber_attack",
        "ransomware",
        "accidental_disclosure",
        "misdirected_communication",
        "loss_or_theft",
        "insider_misuse",
        "data_loss",
        "unlawful_processing",
        "unknown",
    ];
    for (code, id) in causes.iter().enumerate() {
        assert_eq!(Cause::from_code(code as u8).unwrap().id(), *id);
    }
    let qualifiers = ["exact", "approx", "at_least", "at_most"];
    for (code, id) in qualifiers.iter().enumerate() {
        assert_eq!(Qualifier::from_code(code as u8).unwrap().id(), *id);
    }
    let units = ["people", "records", "files"];
    for (code, id) in units.iter().enumerate() {
        assert_eq!(Unit::from_code(code as u8).unwrap().id(), *id);
    }
    let developments = [
        "fine",
        "reprimand",
        "enforcement_notice",
        "arrest",
        "charge",
        "lawsuit",
        "compensation",
        "revised_count",
        "apology",
        "other",
    ];
    for (code, id) in developments.iter().enumerate() {
        let kind = DevelopmentKind::from_code(code as u8).unwrap();
        assert_eq!(serde_json::to_value(kind).unwrap(), *id);
    }
    // Every variant has a code that reads back.
    assert!(DataType::ALL
        .iter()
        .all(|t| DataType::from_code(t.code()) == Some(*t)));
    assert!(Cause::ALL
        .iter()
        .all(|c| Cause::from_code(c.code()) == Some(*c)));
}
