//! The worker's bookkeeping on real sled: baselines, events once, renamed incidents,
//! digests. (Delivery over HTTP, restarts and kill -9 are in `tests/it/alerts.rs`.)

use chrono::{DateTime, Duration as Span, Utc};

use super::watch::{self, Memory};
use super::*;
use crate::model::{Development, DevelopmentKind, Figure, Incident, Qualifier, SourceRef, Unit};
use crate::store::WriteSet;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn incident(id: &str, article: &str) -> Incident {
    let at = DateTime::parse_from_rfc3339("2026-01-05T10:00:00+00:00").unwrap();
    let mut i: Incident = serde_json::from_value(serde_json::json!({
        "id": id, "title": format!("title of {id}"), "forces": ["kent"],
        "force_names": ["Kent Police"], "data_types": ["name"], "not_exposed": [],
        "affected": null, "cause": "unknown", "third_party": null, "supplier": null,
        "first_reported": at, "last_reported": at, "sources": [], "figures": [],
        "evidence": [], "timeline": [], "conflicts": [], "members": []
    }))
    .unwrap();
    i.sources.push(SourceRef {
        url: format!("https://news.example/{article}"),
        canonical_url: None,
        title: i.title.clone(),
        published: Some(at),
        outlet: "News".into(),
        article_key: article.into(),
    });
    i
}

fn put(store: &Store, removed: &[&Incident], written: &[&Incident]) {
    let mut w = WriteSet::new();
    for i in removed {
        w.remove_incident(&i.profile());
    }
    for i in written {
        w.put_incident(i);
    }
    store.apply(w).unwrap();
    store.commit().unwrap();
}

fn config(extra: &str) -> Config {
    Config::from_toml(&format!(
        "[settings]\npublic_url = 'https://bw.example'\n[[alert]]\nid = 'all'\nurl = 'http://127.0.0.1:9/hook'\n{extra}"
    ))
    .unwrap()
}

fn pending(store: &Store) -> Vec<Delivery> {
    deliveries(store)
        .unwrap()
        .into_iter()
        .filter(|d| d.state == State::Pending)
        .collect()
}

/// What the worker does on each pass: scan, arm what is new, close digests.
fn pass(store: &Store, config: &Config, memory: &mut Memory, now: DateTime<Utc>) {
    watch::scan(store, config, "https://bw.example", 86_400, now, memory).unwrap();
    watch::arm(store, config, now).unwrap();
    watch::close_digests(store, config, 86_400, now).unwrap();
}

#[test]
fn stored_incidents_are_the_baseline_and_later_events_queue_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let old = incident("kent-2026-01-aaaaaa", "a1");
    put(&store, &[], &[&old]);
    let config = config("");
    let now = t("2026-01-06T00:00:00Z");
    pass(&store, &config, &mut Memory::default(), now);
    assert!(
        pending(&store).is_empty(),
        "the stored incident is the baseline"
    );

    let new = incident("kent-2026-01-bbbbbb", "b1");
    put(&store, &[], &[&new]);
    // A fresh memory each time, as after a restart: the records decide, not the memory.
    pass(&store, &config, &mut Memory::default(), now);
    let queued = pending(&store);
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (queued[0].event.as_str(), queued[0].key.as_str()),
        ("new", "new")
    );
    assert_eq!(queued[0].body["incident"]["id"], "kent-2026-01-bbbbbb");
    assert_eq!(
        queued[0].body["url"],
        "https://bw.example/incidents/kent-2026-01-bbbbbb"
    );
    assert_eq!(queued[0].body["event_id"], queued[0].id.as_str());

    let mut fined = old.clone();
    fined.timeline.push(Development {
        date: None,
        kind: DevelopmentKind::Fine,
        amount_minor: Some(1_000_000),
        currency: Some("GBP".into()),
        url: "https://news.example/fine".into(),
        sentence: String::new(),
    });
    put(&store, &[&old], &[&fined]);
    pass(&store, &config, &mut Memory::default(), now);
    pass(&store, &config, &mut Memory::default(), now);
    let queued = pending(&store);
    assert_eq!(queued.len(), 2, "one development, queued once");
    assert!(queued
        .iter()
        .any(|d| d.key == "development:fine:https://news.example/fine"));
}

#[test]
fn a_renamed_incident_is_not_new_and_brings_only_its_new_facts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let config = config("");
    let now = t("2026-01-06T00:00:00Z");
    let mut memory = Memory::default();
    pass(&store, &config, &mut memory, now);
    let first = incident("kent-2026-01-cccccc", "c2");
    put(&store, &[], &[&first]);
    pass(&store, &config, &mut memory, now);
    assert_eq!(pending(&store).len(), 1, "new");

    // An earlier report is found: the incident's id changes, a figure comes with it.
    let mut renamed = incident("kent-2025-12-dddddd", "c1");
    renamed.sources.push(first.sources[0].clone());
    renamed.figures.push(Figure {
        count: 300,
        qualifier: Qualifier::Exact,
        unit: Unit::People,
        url: "https://news.example/c1".into(),
        published: None,
        sentence: String::new(),
        weight: 0,
    });
    put(&store, &[&first], &[&renamed]);
    pass(&store, &config, &mut memory, now);
    let keys: Vec<String> = pending(&store).into_iter().map(|d| d.key).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains(&"figure:300:people:https://news.example/c1".to_string()));
    assert!(
        store
            .alert_get::<serde_json::Value>("seen/kent-2026-01-cccccc")
            .unwrap()
            .is_none(),
        "the old name's record went"
    );
}

#[test]
fn filters_choose_the_alerts_and_a_digest_collects_a_days_events() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let config = config(
        "forces = ['essex']\n[[alert]]\nid = 'daily'\nurl = 'http://127.0.0.1:9/d'\nformat = 'slack'\ndigest = true\n",
    );
    let day = t("2026-01-06T09:00:00Z");
    let mut memory = Memory::default();
    pass(&store, &config, &mut memory, day);
    put(
        &store,
        &[],
        &[
            &incident("kent-2026-01-eeeeee", "e1"),
            &incident("kent-2026-01-ffffff", "f1"),
        ],
    );
    pass(&store, &config, &mut memory, day);
    assert!(
        pending(&store).is_empty(),
        "kent is not essex; the digest waits"
    );
    pass(&store, &config, &mut memory, day + Span::hours(10));
    assert!(pending(&store).is_empty(), "the day is not over");
    pass(&store, &config, &mut memory, day + Span::hours(16));
    let queued = pending(&store);
    assert_eq!(queued.len(), 1);
    let d = &queued[0];
    assert_eq!((d.alert.as_str(), d.event.as_str()), ("daily", "digest"));
    let text = d.body["text"].as_str().unwrap();
    assert!(
        text.starts_with("breachwatch, 2026-01-06: 2 events\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3);
    assert!(store
        .alert_scan::<serde_json::Value>("dig/")
        .unwrap()
        .is_empty());
    pass(&store, &config, &mut memory, day + Span::days(3));
    assert_eq!(pending(&store).len(), 1, "no empty digests, none twice");
}
