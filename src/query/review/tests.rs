use chrono::DateTime;

use super::*;
use crate::model::{Affected, DataType, Evidence, Figure, Qualifier, SourceRef, Unit};

fn incident(id: &str, sources: usize, day: &str) -> Incident {
    let at = DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+00:00")).unwrap();
    let mut i: Incident = serde_json::from_value(serde_json::json!({
        "id": id, "title": "Kent Police officers' names leaked", "forces": ["kent"],
        "force_names": ["Kent Police"], "data_types": [], "not_exposed": [],
        "affected": null, "cause": "unknown", "third_party": null, "supplier": null,
        "first_reported": at, "last_reported": at, "sources": [], "figures": [],
        "evidence": [], "timeline": [], "conflicts": [], "members": []
    }))
    .unwrap();
    for n in 0..sources {
        i.sources.push(SourceRef {
            url: format!("https://news.example/{id}/{n}"),
            canonical_url: None,
            title: i.title.clone(),
            published: Some(at),
            outlet: "News".into(),
            article_key: format!("{id}-{n}"),
        });
    }
    i
}

fn evidence(i: &mut Incident, sentence: &str) {
    i.data_types.push(DataType::Name);
    i.evidence.push(Evidence {
        field: "data_type".into(),
        value: "name".into(),
        url: i.sources[0].url.clone(),
        sentence: sentence.into(),
    });
}

fn rejected(code: &str, title: &str, text: &str) -> Rejected {
    Rejected {
        url: format!("https://news.example/{code}"),
        title: title.into(),
        text: text.into(),
        published: None,
        reason: format!("reason of {code}"),
        rejected_by: Some(code.into()),
    }
}

#[test]
fn each_concern_is_found_with_its_reason_and_explain_command() {
    let mut headline = incident("kent-2024-01-aaaaaa", 1, "2024-01-05");
    let title = headline.title.clone();
    evidence(&mut headline, &title);

    let mut well_told = incident("kent-2024-02-bbbbbb", 1, "2024-02-05");
    evidence(
        &mut well_told,
        "The spreadsheet listed the names of 200 officers.",
    );
    well_told.cause = Cause::AccidentalDisclosure;

    let mut figure_only = incident("kent-2024-03-cccccc", 1, "2024-03-05");
    figure_only.affected = Some(Affected {
        count: 40,
        qualifier: Qualifier::Exact,
        unit: Unit::People,
    });
    figure_only.figures.push(Figure {
        count: 40,
        qualifier: Qualifier::Exact,
        unit: Unit::People,
        url: figure_only.sources[0].url.clone(),
        published: None,
        sentence: "Forty people were affected, the force said.".into(),
        weight: 0,
    });

    let mut disputed = incident("kent-2024-04-dddddd", 3, "2024-04-05");
    disputed.conflicts = vec![
        "home_address: 1 report(s) say exposed, 2 say not exposed".into(),
        "affected: sources give figures from 200 to 2000".into(),
    ];

    let items = select(
        &[headline, well_told, figure_only, disputed],
        &[
            rejected(
                "force_not_victim",
                "Police investigate hacker",
                "Kent Police are investigating a data breach at a council. Nobody was arrested.",
            ),
            rejected(
                "no_victim_cue",
                "Cake sale",
                "Kent Police held a cake sale.",
            ),
            rejected(
                "no_breach_facts",
                "Round-up",
                "Among others, Essex Police was hit.",
            ),
            rejected("no_force", "Data breach at a shop", "A shop lost data."),
        ],
    );
    let got: Vec<(&str, Option<&str>)> = items
        .iter()
        .map(|i| (i.concern.id(), i.incident.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("exposure_conflict", Some("kent-2024-04-dddddd")),
            ("figure_conflict", Some("kent-2024-04-dddddd")),
            ("headline_only", Some("kent-2024-01-aaaaaa")),
            ("low_confidence", Some("kent-2024-03-cccccc")),
            ("low_confidence", None),
            ("near_miss", None),
        ]
    );
    assert_eq!(
        items[1].reason,
        "sources disagree on the figure: sources give figures from 200 to 2000"
    );
    assert!(
        items[0].reason.contains("home_address"),
        "{}",
        items[0].reason
    );
    let near = &items[5];
    assert!(
        near.reason
            .ends_with("yet it says: \"Police investigate hacker\""),
        "{}",
        near.reason
    );
    assert_eq!(
        near.explain,
        "breachwatch explain 'https://news.example/force_not_victim'"
    );
    assert_eq!(
        items[2].explain,
        "breachwatch explain 'https://news.example/kent-2024-01-aaaaaa/0'"
    );
}

#[test]
fn quotes_in_urls_cannot_break_out_of_the_command() {
    assert_eq!(
        explain_command("https://x.example/it's"),
        "breachwatch explain 'https://x.example/it'\\''s'"
    );
    assert_eq!(
        police_breach_sentence("Weather", "Sunny. Avon and Somerset Constabulary hacked!"),
        Some("Avon and Somerset Constabulary hacked".to_string())
    );
    assert_eq!(police_breach_sentence("Police fête", "Fun for all."), None);
}
