use chrono::DateTime;

use super::*;
use crate::model::{
    Affected, Cause, DataType, Development, DevelopmentKind, Figure, Qualifier, Unit,
};

fn incident() -> Incident {
    let t = DateTime::from_timestamp(1_700_000_000, 0)
        .unwrap()
        .fixed_offset();
    Incident {
        id: "kent-2023-11-abc".into(),
        title: "Officers' <b>names</b> & photos leaked".into(),
        forces: vec!["kent".into()],
        force_names: vec!["Kent Police".into()],
        data_types: vec![DataType::Name, DataType::Photo],
        not_exposed: vec![],
        affected: Some(Affected {
            count: 1200,
            qualifier: Qualifier::Exact,
            unit: Unit::People,
        }),
        cause: Cause::AccidentalDisclosure,
        third_party: None,
        supplier: None,
        first_reported: t,
        last_reported: t,
        occurred: None,
        sources: vec![],
        figures: vec![figure(1200, "https://news.example/1")],
        evidence: vec![],
        timeline: vec![],
        conflicts: vec![],
        members: vec![],
        related: vec![],
        opens_late: false,
        member_causes: vec![],
        member_types: vec![],
    }
}

fn figure(count: u64, url: &str) -> Figure {
    Figure {
        count,
        qualifier: Qualifier::Exact,
        unit: Unit::People,
        url: url.into(),
        published: None,
        sentence: String::new(),
        weight: 0,
    }
}

fn fine(url: &str) -> Development {
    Development {
        date: None,
        kind: DevelopmentKind::Fine,
        amount_minor: Some(75_000_000),
        currency: Some("GBP".into()),
        url: url.into(),
        sentence: String::new(),
    }
}

fn rule(toml_text: &str) -> AlertRule {
    toml::from_str(toml_text).unwrap()
}

#[test]
fn a_new_incident_is_one_event_and_each_later_change_one_more() {
    let first = incident();
    let new = events(None, &first);
    assert_eq!(new.len(), 1);
    assert_eq!((new[0].kind, new[0].key.as_str()), (EventKind::New, "new"));

    // Rewritten unchanged (a copy joined, reprocess): nothing.
    assert!(events(Some(&first), &first).is_empty());

    let mut later = first.clone();
    later.timeline.push(fine("https://news.example/fine"));
    later.figures.push(figure(2000, "https://news.example/2"));
    later.forces.push("essex".into());
    later.force_names.push("Essex Police".into());
    let changes = events(Some(&first), &later);
    let keys: Vec<&str> = changes.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "development:fine:https://news.example/fine",
            "figure:2000:people:https://news.example/2",
            "force:essex"
        ]
    );
    assert!(changes.iter().all(|e| e.kind == EventKind::Development));
    assert_eq!(changes[0].summary, "fine of 750,000 GBP");
    assert_eq!(changes[2].summary, "now also at Essex Police");
}

#[test]
fn filters_choose_the_alerts_an_event_goes_to() {
    let inc = incident();
    let new = &events(None, &inc)[0];
    let all = rule("id = \"all\"\nurl = \"http://127.0.0.1:9/hook\"");
    assert_eq!(all.events, [EventKind::New, EventKind::Development]);
    assert!(all.wants(&inc, new));
    assert!(rule("id = \"k\"\nurl = \"u\"\nforces = [\"essex\", \"kent\"]").wants(&inc, new));
    assert!(!rule("id = \"k\"\nurl = \"u\"\nforces = [\"essex\"]").wants(&inc, new));
    assert!(rule("id = \"k\"\nurl = \"u\"\ndata_types = [\"photo\"]").wants(&inc, new));
    assert!(!rule("id = \"k\"\nurl = \"u\"\ndata_types = [\"vetting_level\"]").wants(&inc, new));
    assert!(rule("id = \"k\"\nurl = \"u\"\nmin_affected = 1200").wants(&inc, new));
    assert!(!rule("id = \"k\"\nurl = \"u\"\nmin_affected = 1201").wants(&inc, new));
    let mut unknown = inc.clone();
    unknown.affected = None;
    assert!(!rule("id = \"k\"\nurl = \"u\"\nmin_affected = 1").wants(&unknown, new));
    assert!(!rule("id = \"k\"\nurl = \"u\"\nevents = [\"development\"]").wants(&inc, new));
    assert!(toml::from_str::<AlertRule>("id = \"k\"\nurl = \"u\"\ncolour = 1").is_err());
    assert!(toml::from_str::<AlertRule>("id = \"k\"\nurl = \"u\"\nformat = \"xml\"").is_err());
}

#[test]
fn bodies_are_the_contracts_json_or_one_escaped_chat_line() {
    let inc = incident();
    let new = &events(None, &inc)[0];
    let page = "https://bw.example/incidents/kent-2023-11-abc";
    let view = IncidentView::from(&inc);
    let json = rule("id = \"a\"\nurl = \"u\"").body(&view, new, page, "bw-1");
    assert_eq!(json["alert"], "a");
    assert_eq!(json["event"], "new");
    assert_eq!(json["url"], page);
    assert_eq!(json["incident"]["id"], "kent-2023-11-abc");
    assert_eq!(json["incident"]["forces"][0], "kent");
    assert_eq!(json["incident"]["affected"]["count"], 1200);

    assert_eq!(json["event_id"], "bw-1");
    let chat = rule("id = \"a\"\nurl = \"u\"\nformat = \"slack\"").body(&view, new, page, "bw-1");
    let text = chat["text"].as_str().unwrap();
    assert_eq!(chat.as_object().unwrap().len(), 1);
    assert!(text.starts_with("Kent Police: new incident"), "{text}");
    assert!(
        text.contains("&lt;b&gt;names&lt;/b&gt; &amp; photos"),
        "{text}"
    );
    assert!(text.ends_with(&format!("<{page}>")), "{text}");
}

#[test]
fn a_digest_lists_the_days_events_in_one_message() {
    let inc = incident();
    let mut later = inc.clone();
    later.timeline.push(fine("https://news.example/fine"));
    let new = events(None, &inc).remove(0);
    let dev = events(Some(&inc), &later).remove(0);
    let page = "https://bw.example/incidents/kent-2023-11-abc".to_string();
    let item = |i: &Incident, e: &Event| DigestItem {
        kind: e.kind,
        summary: e.summary.clone(),
        incident: IncidentView::from(i),
        page: page.clone(),
        event_id: event_id("d", &i.id, &e.key),
    };
    let items = [item(&inc, &new), item(&later, &dev)];
    let slack = rule("id = \"d\"\nurl = \"u\"\nformat = \"slack\"\ndigest = true")
        .digest_body("2026-12-04", &items);
    let text = slack["text"].as_str().unwrap();
    assert!(
        text.starts_with("breachwatch, 2026-12-04: 2 events\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3);
    let json = rule("id = \"d\"\nurl = \"u\"\ndigest = true").digest_body("2026-12-04", &items);
    assert_eq!(json["event"], "digest");
    assert_eq!(json["events"].as_array().unwrap().len(), 2);
    assert_eq!(json["events"][1]["event"], "development");
}

#[test]
fn retries_back_off_to_an_hour() {
    let secs: Vec<u64> = (1..=9).map(|n| retry_delay(n).as_secs()).collect();
    assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    assert_eq!(retry_delay(u32::MAX).as_secs(), 3600);
}

#[test]
fn money_is_grouped_in_thousands() {
    assert_eq!(money(75_000_000), "750,000");
    assert_eq!(money(123_456), "1,234.56");
    assert_eq!(money(5), "0.05");
}

#[test]
fn known_keys_make_a_rewrite_with_nothing_new_silent_and_ids_stable() {
    let first = incident();
    let known = known_keys(&first);
    assert!(events_since(Some(&known), &first).is_empty());
    assert_eq!(events_since(None, &first)[0].kind, EventKind::New);
    let mut later = first.clone();
    // The same fine reported by two articles' developments is one event per article URL,
    // and a repeat of one URL's is none.
    later.timeline.push(fine("https://news.example/fine"));
    later.timeline.push(fine("https://news.example/fine"));
    assert_eq!(events_since(Some(&known), &later).len(), 1);
    let id = event_id("a", "kent-2023-11-abc", "new");
    assert_eq!(id, event_id("a", "kent-2023-11-abc", "new"));
    assert_ne!(id, event_id("b", "kent-2023-11-abc", "new"));
    assert!(id.starts_with("bw-") && id.len() == 35, "{id}");
    assert_eq!(
        incident_page("https://bw.example", "kent 1/2"),
        "https://bw.example/incidents/kent%201%2F2"
    );
    assert_eq!(
        retry_delay_from(Duration::from_millis(100), 3),
        Duration::from_millis(400)
    );
}
