use chrono::{DateTime, TimeZone};

use super::*;

fn member(article: &str, at: i64) -> Member {
    Member {
        article_key: article.to_string(),
        report: 0,
        force: "kent".to_string(),
        at,
    }
}

fn incident(id: &str, members: &[Member]) -> Incident {
    let t = DateTime::from_timestamp(1_700_000_000, 0)
        .unwrap()
        .fixed_offset();
    Incident {
        id: id.to_string(),
        title: "Kent Police data breach".to_string(),
        forces: vec!["kent".to_string()],
        force_names: vec!["Kent Police".to_string()],
        data_types: vec![DataType::Name, DataType::HomeAddress],
        not_exposed: vec![DataType::Financial],
        affected: Some(Affected {
            count: 1200,
            qualifier: Qualifier::Approx,
            unit: Unit::People,
        }),
        cause: Cause::LossOrTheft,
        third_party: None,
        supplier: None,
        first_reported: t,
        last_reported: t,
        occurred: None,
        sources: Vec::new(),
        figures: Vec::new(),
        evidence: Vec::new(),
        timeline: Vec::new(),
        conflicts: Vec::new(),
        members: members.to_vec(),
        related: Vec::new(),
        opens_late: false,
        member_causes: Vec::new(),
        member_types: Vec::new(),
    }
}

fn correction(seq: u64, anchor: &[Member], action: Action) -> Correction {
    Correction {
        seq,
        at: Utc.timestamp_opt(1_800_000_000 + seq as i64, 0).unwrap(),
        incident: "kent-2023-11-abc".to_string(),
        anchor: anchor.to_vec(),
        action,
        reason: format!("reason {seq}"),
    }
}

fn set(seq: u64, anchor: &[Member], assignment: &str) -> Correction {
    let (field, value) = parse_assignment(assignment).unwrap();
    correction(
        seq,
        anchor,
        Action::Set {
            field,
            value: value.to_json(),
            replaced: Json::Null,
        },
    )
}

#[test]
fn every_field_reads_its_command_line_values() {
    let cases: &[(&str, Value)] = &[
        (
            "forces=kent, essex,kent",
            Value::Forces(vec!["essex".into(), "kent".into()]),
        ),
        (
            "forces=us-tulsa-police-department",
            Value::Forces(vec!["us-tulsa-police-department".into()]),
        ),
        (
            "data_types=home-address,name",
            Value::Types(vec![DataType::Name, DataType::HomeAddress]),
        ),
        ("not-exposed=", Value::Types(vec![])),
        ("affected.count=1,200", Value::Count(Some(1200))),
        ("affected.count=none", Value::Count(None)),
        (
            "affected.qualifier=at-least",
            Value::Qualifier(Qualifier::AtLeast),
        ),
        ("affected.unit=records", Value::Unit(Unit::Records)),
        (
            "cause=misdirected_communication",
            Value::Cause(Cause::MisdirectedCommunication),
        ),
        ("third_party=true", Value::ThirdParty(Some(true))),
        ("third-party=unknown", Value::ThirdParty(None)),
        (
            "occurred=2023-08",
            Value::Occurred(Occurred::parse("2023-08")),
        ),
        ("occurred=unknown", Value::Occurred(None)),
    ];
    for (text, want) in cases {
        assert_eq!(&parse_assignment(text).unwrap().1, want, "{text}");
    }
}

#[test]
fn bad_corrections_say_what_is_wrong_with_a_stable_code() {
    let cases: &[(&str, &str)] = &[
        ("cause", "bad_assignment"),
        ("colour=red", "unknown_field"),
        ("forces=", "bad_value"),
        ("forces=atlantis", "bad_value"),
        ("forces=Kent Police", "bad_value"),
        ("data_types=name,shoe_size", "bad_value"),
        ("affected.count=many", "bad_value"),
        ("affected.count=-3", "bad_value"),
        ("affected.qualifier=roughly", "bad_value"),
        ("cause=aliens", "bad_value"),
        ("third_party=maybe", "bad_value"),
        ("occurred=2023-13", "bad_value"),
        ("occurred=last year", "bad_value"),
    ];
    for (text, code) in cases {
        let err = parse_assignment(text).unwrap_err();
        assert_eq!(err.code(), *code, "{text}: {err}");
        assert!(!err.to_string().is_empty());
    }
    assert!(parse_assignment("colour=red")
        .unwrap_err()
        .to_string()
        .contains("affected.count"));
}

#[test]
fn json_bodies_give_the_same_values_as_the_command_line() {
    let pairs: &[(Field, Json, &str)] = &[
        (
            Field::DataTypes,
            serde_json::json!(["name", "photo"]),
            "name,photo",
        ),
        (Field::AffectedCount, serde_json::json!(1200), "1200"),
        (Field::AffectedCount, Json::Null, "none"),
        (Field::ThirdParty, serde_json::json!(false), "false"),
        (Field::Cause, serde_json::json!("ransomware"), "ransomware"),
        (
            Field::Forces,
            serde_json::json!(["kent", "essex"]),
            "essex,kent",
        ),
    ];
    for (field, json, text) in pairs {
        assert_eq!(
            Value::from_json(*field, json).unwrap(),
            Value::parse(*field, text).unwrap(),
            "{json}"
        );
    }
    assert!(Value::from_json(Field::DataTypes, &serde_json::json!([1, 2])).is_err());
    assert!(Value::from_json(Field::Cause, &serde_json::json!({"a": 1})).is_err());
    // Every value reads back from the JSON it is logged as.
    for text in [
        "forces=kent",
        "data_types=name",
        "affected.count=5",
        "occurred=2021",
        "third_party=unknown",
    ] {
        let (field, value) = parse_assignment(text).unwrap();
        assert_eq!(
            Value::from_json(field, &value.to_json()).unwrap(),
            value,
            "{text}"
        );
    }
}

#[test]
fn set_facts_win_the_latest_last_and_extraction_is_still_shown() {
    let m = [member("a", 10), member("b", 20)];
    let mut inc = incident("kent-1", &m);
    let log = [
        set(1, &m, "affected.count=900"),
        set(2, &m, "affected.count=950"),
        set(3, &m, "not_exposed=home_address"),
        set(4, &m, "cause=insider_misuse"),
        set(5, &m, "forces=kent,essex"),
    ];
    let refs: Vec<&Correction> = log.iter().collect();
    let out = apply(&mut inc, &refs);
    assert_eq!(inc.affected.as_ref().unwrap().count, 950);
    assert_eq!(inc.affected.as_ref().unwrap().qualifier, Qualifier::Approx);
    assert_eq!(inc.not_exposed, vec![DataType::HomeAddress]);
    assert_eq!(inc.data_types, vec![DataType::Name]);
    assert_eq!(inc.cause, Cause::InsiderMisuse);
    assert_eq!(inc.forces, vec!["essex", "kent"]);
    assert_eq!(inc.force_names, vec!["Essex Police", "Kent Police"]);
    assert!(!out.dismissed);
    assert_eq!(out.applied.len(), 5);
    let first = &out.applied[0];
    assert_eq!(
        (
            first.action.as_str(),
            first.field,
            first.value.clone(),
            first.extracted.clone()
        ),
        (
            "set",
            Some(Field::AffectedCount),
            Some(serde_json::json!(900)),
            Some(serde_json::json!(1200))
        )
    );
    assert_eq!(
        out.applied[2].extracted,
        Some(serde_json::json!(["financial"]))
    );
    assert_eq!(out.applied[3].reason, "reason 4");
}

#[test]
fn a_count_set_where_none_was_known_makes_a_figure_of_people() {
    let m = [member("a", 10)];
    let mut inc = incident("kent-1", &m);
    inc.affected = None;
    let log = [
        set(1, &m, "affected.unit=records"),
        set(2, &m, "affected.count=40"),
    ];
    apply(&mut inc, &log.iter().collect::<Vec<_>>());
    let a = inc.affected.unwrap();
    assert_eq!(
        (a.count, a.qualifier, a.unit),
        (40, Qualifier::Exact, Unit::People)
    );
}

#[test]
fn dismissal_lasts_until_restored() {
    let m = [member("a", 10)];
    let mut inc = incident("kent-1", &m);
    let dismiss = correction(1, &m, Action::Dismiss);
    let restore = correction(2, &m, Action::Restore);
    let again = correction(3, &m, Action::Dismiss);
    assert!(apply(&mut inc.clone(), &[&dismiss]).dismissed);
    assert!(!apply(&mut inc.clone(), &[&dismiss, &restore]).dismissed);
    let out = apply(&mut inc, &[&dismiss, &restore, &again]);
    assert!(out.dismissed);
    let actions: Vec<&str> = out.applied.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["dismiss", "restore", "dismiss"]);
}

#[test]
fn a_correction_follows_most_of_its_members_whatever_the_ids() {
    let (a, b, c, d) = (
        member("a", 10),
        member("b", 20),
        member("c", 30),
        member("d", 5),
    );
    // The incident was a, b, c when corrected; now b and c sit in one incident and a in
    // another (an earlier report d joined a's, so its id changed).
    let one = incident("kent-new-id", &[d.clone(), a.clone()]);
    let two = incident("kent-2", &[b.clone(), c.clone()]);
    let other = incident("kent-3", &[member("z", 1)]);
    let log = [
        set(1, &[a.clone(), b.clone(), c.clone()], "cause=ransomware"),
        set(2, std::slice::from_ref(&a), "affected.count=3"),
        set(3, &[member("gone", 1)], "affected.count=4"),
        // A tie: one member each; the incident holding the earliest (d at 5) wins.
        set(4, &[d.clone(), c.clone()], "occurred=2020"),
    ];
    let found = resolve(&log, &[&one, &two, &other]);
    let seqs = |i: usize| {
        found
            .get(&i)
            .map(|l| l.iter().map(|c| c.seq).collect::<Vec<_>>())
    };
    assert_eq!(seqs(0), Some(vec![2, 4]));
    assert_eq!(seqs(1), Some(vec![1]));
    assert_eq!(seqs(2), None);
}

#[test]
fn merges_and_splits_regroup_clusters_in_log_order() {
    let (a, b, c, d) = (
        member("a", 10),
        member("b", 20),
        member("c", 30),
        member("d", 40),
    );
    let clusters = vec![vec![a.clone(), b.clone()], vec![c.clone()], vec![d.clone()]];
    let merge = correction(
        1,
        std::slice::from_ref(&c),
        Action::Merge {
            other: "kent-d".into(),
            other_anchor: vec![d.clone()],
        },
    );
    let split = correction(
        2,
        &[a.clone(), b.clone()],
        Action::Split {
            article_key: "b".into(),
            url: "https://news.example/b".into(),
        },
    );
    let got = regroup(clusters.clone(), &[split.clone(), merge.clone()]);
    assert_eq!(
        got,
        vec![vec![a.clone()], vec![b.clone()], vec![c.clone(), d.clone()]]
    );
    // A merge of two reports already together, a split of a whole cluster, and anchors no
    // cluster holds change nothing.
    let noop = [
        correction(
            3,
            std::slice::from_ref(&a),
            Action::Merge {
                other: "x".into(),
                other_anchor: vec![b.clone()],
            },
        ),
        correction(
            4,
            std::slice::from_ref(&c),
            Action::Split {
                article_key: "c".into(),
                url: String::new(),
            },
        ),
        correction(
            5,
            &[member("gone", 1)],
            Action::Merge {
                other: "y".into(),
                other_anchor: vec![a.clone()],
            },
        ),
    ];
    assert_eq!(regroup(clusters.clone(), &noop), clusters);
    // Split then merge back: the later one wins.
    let merge_back = correction(
        6,
        std::slice::from_ref(&a),
        Action::Merge {
            other: "kent-b".into(),
            other_anchor: vec![b.clone()],
        },
    );
    assert_eq!(
        regroup(clusters.clone(), &[split, merge_back]),
        vec![vec![a, b], vec![c], vec![d]]
    );
}

#[test]
fn a_log_entry_reads_back_from_its_json() {
    let m = [member("a", 10)];
    for c in [
        set(1, &m, "data_types=name,photo"),
        correction(2, &m, Action::Dismiss),
        correction(
            3,
            &m,
            Action::Split {
                article_key: "k".into(),
                url: "https://x.example/".into(),
            },
        ),
        correction(
            4,
            &m,
            Action::Merge {
                other: "kent-2".into(),
                other_anchor: m.to_vec(),
            },
        ),
    ] {
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"action\""), "{json}");
        assert_eq!(serde_json::from_str::<Correction>(&json).unwrap(), c);
    }
    let json = serde_json::to_value(set(1, &m, "affected.count=3")).unwrap();
    assert_eq!(json["field"], "affected.count");
    assert_eq!(json["action"], "set");
}

#[test]
fn force_ids_are_the_gazetteers_or_the_world_form() {
    for ok in [
        "kent",
        "metropolitan",
        "police-scotland",
        "us-dallas-police-department",
        "nl-national-police",
    ] {
        assert!(crate::extract::is_body_id(ok), "{ok}");
    }
    for bad in [
        "",
        "Kent",
        "atlantis",
        "us-",
        "u-x",
        "us_dallas",
        "us-Dallas",
    ] {
        assert!(!crate::extract::is_body_id(bad), "{bad}");
    }
}
