//! The service: schedule (paused time), HTTP API, dashboard, Atom feeds, remote_get,
//! shutdown and the demo. Incidents are written directly with `WriteSet::put_incident`
//! so these tests do not depend on the extractor's accuracy.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use breachwatch::config::Config;
use breachwatch::model::{Affected, Development, Evidence, Figure, Incident, SourceRef};
use breachwatch::model::{Cause, DataType, DevelopmentKind, Qualifier, Unit};
use breachwatch::poll::{SourceOutcome, SourceReport};
use breachwatch::query::{self, IncidentView, Period, TrendKey, TrendRow};
use breachwatch::serve::{self, schedule, AppState};
use breachwatch::store::{Store, WriteSet};
use chrono::{DateTime, FixedOffset, Utc};
use tokio::sync::oneshot;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

// ---------------------------------------------------------------- fixtures

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn source(url: &str, title: &str, published: &str) -> SourceRef {
    SourceRef {
        url: url.into(),
        canonical_url: None,
        title: title.into(),
        published: Some(at(published)),
        outlet: "Sample News".into(),
        article_key: format!("key-{url}"),
    }
}

fn incident(id: &str, force: &str, title: &str, first: &str, last: &str) -> Incident {
    let url = format!("https://news.example/{id}");
    Incident {
        id: id.into(),
        title: title.into(),
        forces: vec![force.into()],
        force_names: vec![format!("{force} police")],
        data_types: vec![DataType::Name, DataType::HomeAddress],
        not_exposed: vec![DataType::Financial],
        affected: Some(Affected {
            count: 1200,
            qualifier: Qualifier::Approx,
            unit: Unit::People,
        }),
        cause: Cause::AccidentalDisclosure,
        third_party: Some(false),
        supplier: None,
        first_reported: at(first),
        last_reported: at(last),
        occurred: None,
        sources: vec![source(&url, title, first)],
        figures: vec![Figure {
            count: 1200,
            qualifier: Qualifier::Approx,
            unit: Unit::People,
            url: url.clone(),
            published: Some(at(first)),
            sentence: "About 1,200 officers were affected.".into(),
            weight: 3,
        }],
        evidence: vec![Evidence {
            field: "data_type".into(),
            value: "home_address".into(),
            url: url.clone(),
            sentence: "The spreadsheet held home addresses.".into(),
        }],
        timeline: Vec::new(),
        conflicts: Vec::new(),
        members: Vec::new(),
        related: Vec::new(),
        opens_late: false,
        member_causes: Vec::new(),
        member_types: Vec::new(),
    }
}

fn put(store: &Store, incidents: &[Incident]) {
    let mut w = WriteSet::new();
    for i in incidents {
        w.put_incident(i);
    }
    store.apply(w).unwrap();
}

/// Three incidents: two at kent (one with hostile markup in its title), one at essex.
fn seeded_store() -> (tempfile::TempDir, Store) {
    let (dir, store) = temp_store();
    put(
        &store,
        &[
            incident(
                "kent-2023-03-aaaaaa",
                "kent",
                "Kent Police emailed officers' details",
                "2023-03-14T09:00:00+00:00",
                "2023-10-12T08:00:00+00:00",
            ),
            incident(
                "essex-2023-05-bbbbbb",
                "essex",
                "Essex FOI response exposed victims",
                "2023-05-17T10:00:00+00:00",
                "2023-05-17T10:00:00+00:00",
            ),
            incident(
                "kent-2024-01-cccccc",
                "kent",
                "<script>alert('x')</script> Kent laptop stolen",
                "2024-01-02T10:00:00+00:00",
                "2024-01-02T10:00:00+00:00",
            ),
        ],
    );
    (dir, store)
}

struct App {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl App {
    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("server stops")
            .unwrap()
            .unwrap();
    }
}

async fn spawn_app(store: Store, config: Config) -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    assert!(addr.ip().is_loopback());
    let (tx, rx) = oneshot::channel::<()>();
    let state = AppState::new(store, Arc::new(config));
    let task = tokio::spawn(serve::serve(listener, state, async move {
        let _ = rx.await;
    }));
    App {
        addr,
        stop: Some(tx),
        task,
    }
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A raw HTTP/1.0 GET (the crate's HTTP client lives in `fetch`; this stays independent).
async fn get(addr: SocketAddr, path: &str) -> Answer {
    let path = path.to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        Answer {
            status,
            headers: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    })
    .await
    .unwrap()
}

// ---------------------------------------------------------------- schedule

fn report(id: &str, outcome: SourceOutcome, next_in: chrono::Duration) -> SourceReport {
    SourceReport {
        id: id.into(),
        outcome,
        warnings: Vec::new(),
        next_due: Utc::now() + next_in,
        detail: Default::default(),
    }
}

/// Runs a source loop whose waits are recorded instead of slept; stops after `n_waits`.
async fn recorded_waits<F, Fut>(poll_now: F, n_waits: usize) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = SourceReport>,
{
    let (stop, token) = schedule::stop_channel();
    let waits = std::sync::Mutex::new(Vec::new());
    schedule::source_loop_with(poll_now, token, |wait| {
        let mut w = waits.lock().unwrap();
        w.push(wait);
        if w.len() >= n_waits {
            stop.stop();
        }
        async {}
    })
    .await;
    waits.into_inner().unwrap()
}

fn about(actual: Duration, expected: Duration) -> bool {
    actual <= expected && expected - actual < Duration::from_secs(2)
}

#[tokio::test]
async fn source_loop_polls_at_start_and_then_when_each_report_is_due() {
    // Arrange
    let polls = AtomicUsize::new(0);

    // Act
    let waits = recorded_waits(
        || {
            polls.fetch_add(1, Ordering::SeqCst);
            async { report("a", SourceOutcome::Unchanged, chrono::Duration::minutes(30)) }
        },
        3,
    )
    .await;

    // Assert: a poll before each wait, each wait up to the next due time.
    assert_eq!(polls.load(Ordering::SeqCst), 3);
    assert_eq!(waits.len(), 3);
    for wait in waits {
        assert!(about(wait, Duration::from_secs(1800)), "{wait:?}");
    }
}

#[tokio::test]
async fn a_failing_source_is_retried_on_its_backoff_and_never_dropped() {
    // Arrange: each failure doubles the wait, as poll::next_delay does.
    let polls = AtomicUsize::new(0);

    // Act
    let waits = recorded_waits(
        || {
            let n = polls.fetch_add(1, Ordering::SeqCst) as i32 + 1;
            async move {
                report(
                    "down",
                    SourceOutcome::Error("HTTP 500".into()),
                    chrono::Duration::minutes(1 << n.min(10)),
                )
            }
        },
        6,
    )
    .await;

    // Assert: still polled after six failures, on the growing backoff.
    assert_eq!(polls.load(Ordering::SeqCst), 6);
    for (i, wait) in waits.iter().enumerate() {
        let expected = Duration::from_secs(60 << (i + 1));
        assert!(about(*wait, expected), "{i}: {wait:?}");
    }
}

#[tokio::test]
async fn a_due_time_in_the_past_waits_the_minimum_instead_of_spinning() {
    let waits = recorded_waits(
        || async {
            report(
                "late",
                SourceOutcome::Unchanged,
                chrono::Duration::hours(-1),
            )
        },
        2,
    )
    .await;
    assert_eq!(waits, [schedule::MIN_WAIT, schedule::MIN_WAIT]);
}

#[tokio::test]
async fn a_poll_under_way_is_finished_when_the_stop_comes() {
    // Arrange: a poll that takes 300 ms.
    let finished = Arc::new(AtomicUsize::new(0));
    let (stop, token) = schedule::stop_channel();
    let done = finished.clone();
    let task = tokio::spawn(schedule::source_loop(
        move || {
            let done = done.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                done.fetch_add(1, Ordering::SeqCst);
                report("slow", SourceOutcome::Unchanged, chrono::Duration::hours(1))
            }
        },
        token,
    ));

    // Act: stop half-way through the first poll.
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.stop();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the loop ends after the poll, not after the hour")
        .unwrap();

    // Assert: the poll completed, and no second one started.
    assert_eq!(finished.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------- API

#[tokio::test]
async fn api_incidents_lists_incidents_newest_first_as_the_cli_does() {
    // Arrange
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    // Act
    let answer = get(app.addr, "/api/incidents").await;

    // Assert
    assert_eq!(answer.status, 200);
    assert!(answer.headers.contains("application/json"));
    let views: Vec<IncidentView> = answer.json();
    let ids: Vec<&str> = views.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "kent-2024-01-cccccc",
            "essex-2023-05-bbbbbb",
            "kent-2023-03-aaaaaa"
        ]
    );
    let raw: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let first = &raw[0];
    for field in [
        "id",
        "forces",
        "data_types",
        "not_exposed",
        "affected",
        "cause",
        "third_party",
        "first_reported",
        "occurred",
        "sources",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
    assert_eq!(first["data_types"][1], "home_address");
    assert_eq!(first["affected"]["qualifier"], "approx");
    assert_eq!(
        first["sources"][0]["url"],
        "https://news.example/kent-2024-01-cccccc"
    );
    app.stop().await;
}

#[tokio::test]
async fn api_incidents_takes_the_cli_filters_as_query_parameters() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let kent: Vec<IncidentView> = get(app.addr, "/api/incidents?force=kent").await.json();
    assert_eq!(kent.len(), 2);
    let y2023: Vec<IncidentView> = get(
        app.addr,
        "/api/incidents?since=2023-01-01&until=2023-12-31&data_type=home_address&cause=accidental_disclosure",
    )
    .await
    .json();
    assert_eq!(y2023.len(), 2);
    let searched: Vec<IncidentView> = get(app.addr, "/api/incidents?q=LAPTOP&limit=5")
        .await
        .json();
    assert_eq!(searched.len(), 1);
    let limited: Vec<IncidentView> = get(app.addr, "/api/incidents?limit=1").await.json();
    assert_eq!(limited.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn bad_query_parameters_are_json_bad_requests() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    for path in [
        "/api/incidents?since=yesterday",
        "/api/incidents?cause=aliens",
        "/api/incidents?limit=many",
        "/api/trends?by=colour",
        "/api/trends?by=force&period=decade",
        "/api/trends?since=2024-05-20&until=2024-05-01",
        "/api/incidents?since=2024-05-20&until=2024-05-01",
    ] {
        let answer = get(app.addr, path).await;
        assert_eq!(answer.status, 400, "{path}");
        let body: HashMap<String, String> = answer.json();
        assert_eq!(body["code"], "bad_request", "{path}");
        assert!(!body["message"].is_empty());
    }
    app.stop().await;
}

#[tokio::test]
async fn api_incident_gives_the_full_incident_or_a_json_404() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    let found = get(app.addr, "/api/incidents/kent-2023-03-aaaaaa").await;
    assert_eq!(found.status, 200);
    let inc: Incident = found.json();
    assert_eq!(inc, store.incident("kent-2023-03-aaaaaa").unwrap().unwrap());

    let missing = get(app.addr, "/api/incidents/no-such-incident").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("application/json"));
    let body: HashMap<String, String> = missing.json();
    assert_eq!(body["code"], "not_found");
    assert!(body["message"].contains("no-such-incident"));

    let nowhere = get(app.addr, "/api/nothing-here").await;
    assert_eq!(nowhere.status, 404);
    let body: HashMap<String, String> = nowhere.json();
    assert_eq!(body["code"], "not_found");
    app.stop().await;
}

/// One supplier's attack reaching two forces weeks apart is two incidents, related: through
/// an article that reports both, or the same named supplier. A round-up sharing an article
/// with breaches that did not happen at a supplier, the same force, or months apart is not.
#[tokio::test]
async fn related_incidents_at_other_forces_are_listed_in_the_api_the_page_and_show() {
    let (_dir, store) = temp_store();
    let shared = source(
        "https://news.example/badge-maker",
        "Badge maker hack hits a second force",
        "2023-09-14T09:00:00+00:00",
    );
    // An incident whose sources include the shared article; `cause`: it happened at a
    // supplier, for that cause.
    let story = |id: &str, force: &str, first: &str, last: &str, cause: Option<Cause>| {
        let mut i = incident(id, force, id, first, last);
        if let Some(cause) = cause {
            i.third_party = Some(true);
            i.cause = cause;
        }
        i.sources.push(shared.clone());
        i
    };
    let met = story(
        "metropolitan-2023-08-aaaaaa",
        "metropolitan",
        "2023-08-26T09:00:00+00:00",
        "2023-09-14T09:00:00+00:00",
        Some(Cause::CyberAttack),
    );
    let mut gmp = story(
        "greater-manchester-2023-09-bbbbbb",
        "greater-manchester",
        "2023-09-14T09:00:00+00:00",
        "2023-09-14T09:00:00+00:00",
        Some(Cause::Ransomware),
    );
    gmp.sources.remove(0); // only the shared article
                           // Shares the article but was not at a supplier (a round-up's other story).
    let kent = story(
        "kent-2023-09-cccccc",
        "kent",
        "2023-09-01T09:00:00+00:00",
        "2023-09-14T09:00:00+00:00",
        None,
    );
    // At a supplier and sharing the article, but a year later.
    let late = story(
        "essex-2024-10-dddddd",
        "essex",
        "2024-10-01T09:00:00+00:00",
        "2024-10-01T09:00:00+00:00",
        Some(Cause::CyberAttack),
    );
    // The same force as the Met's: one force's incidents are matching's business.
    let met_again = story(
        "metropolitan-2023-09-eeeeee",
        "metropolitan",
        "2023-09-20T09:00:00+00:00",
        "2023-09-20T09:00:00+00:00",
        Some(Cause::CyberAttack),
    );
    // Named the same supplier, no shared article.
    let mut a = incident(
        "sussex-2023-05-ffffff",
        "sussex",
        "Sussex printer",
        "2023-05-02T09:00:00+00:00",
        "2023-05-02T09:00:00+00:00",
    );
    a.supplier = Some("Digital ID".into());
    let mut b = incident(
        "surrey-2023-06-gggggg",
        "surrey",
        "Surrey printer",
        "2023-06-20T09:00:00+00:00",
        "2023-06-20T09:00:00+00:00",
    );
    b.supplier = Some("digital id ".into());
    put(&store, &[met, gmp, kent, late, met_again, a, b]);

    let ids = |id: &str| -> Vec<(String, String)> {
        query::incident(&store, id)
            .unwrap()
            .unwrap()
            .related
            .into_iter()
            .map(|r| (r.id, r.why))
            .collect()
    };
    let together = "reported together, both at a supplier".to_string();
    assert_eq!(
        ids("greater-manchester-2023-09-bbbbbb"),
        [
            ("metropolitan-2023-08-aaaaaa".to_string(), together.clone()),
            ("metropolitan-2023-09-eeeeee".to_string(), together.clone()),
        ]
    );
    assert_eq!(
        ids("metropolitan-2023-08-aaaaaa"),
        [("greater-manchester-2023-09-bbbbbb".to_string(), together)]
    );
    assert!(ids("kent-2023-09-cccccc").is_empty());
    assert!(ids("essex-2024-10-dddddd").is_empty());
    assert_eq!(
        ids("surrey-2023-06-gggggg"),
        [(
            "sussex-2023-05-ffffff".to_string(),
            "same supplier: digital id ".to_string()
        )]
    );
    // Worked out when read, never stored.
    assert!(store
        .incident("metropolitan-2023-08-aaaaaa")
        .unwrap()
        .unwrap()
        .related
        .is_empty());

    let app = spawn_app(store.clone(), Config::empty()).await;
    let api: Incident = get(app.addr, "/api/incidents/metropolitan-2023-08-aaaaaa")
        .await
        .json();
    assert_eq!(api.related.len(), 1);
    assert_eq!(api.related[0].id, "greater-manchester-2023-09-bbbbbb");
    assert_eq!(api.related[0].forces, ["greater-manchester"]);
    let page = get(app.addr, "/incidents/metropolitan-2023-08-aaaaaa").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Related incidents"));
    assert!(page
        .body
        .contains(r#"<a href="/incidents/greater-manchester-2023-09-bbbbbb">"#));
    let kent_page = get(app.addr, "/incidents/kent-2023-09-cccccc").await;
    assert!(!kent_page.body.contains("Related incidents"));
    app.stop().await;

    let mut text = Vec::new();
    breachwatch::render::incident_text(
        &mut text,
        &query::incident(&store, "greater-manchester-2023-09-bbbbbb")
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("related incidents at other forces:\n  2023-08-26  metropolitan-2023-08-aaaaaa  (reported together, both at a supplier)"),
        "{text}"
    );
}

#[tokio::test]
async fn api_trends_gives_the_same_rows_as_the_trends_command() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    let rows: Vec<TrendRow> = get(app.addr, "/api/trends?by=force&period=year")
        .await
        .json();
    assert_eq!(
        rows,
        query::trends(&store, TrendKey::Force, Period::Year, None, None).unwrap()
    );
    assert!(rows
        .iter()
        .any(|r| r.key == "kent" && r.period == "2023" && r.incidents == 1));

    let by_type: Vec<TrendRow> = get(
        app.addr,
        "/api/trends?by=data-type&period=all&since=2024-01-01",
    )
    .await
    .json();
    assert_eq!(
        by_type
            .iter()
            .find(|r| r.key == "home_address")
            .unwrap()
            .incidents,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn api_sources_reports_every_configured_source_with_its_state() {
    // Arrange: one source polled (and failing), one disabled.
    let (_dir, store) = temp_store();
    let config = Config::from_toml(
        r#"
[[source]]
id = "alpha"
kind = "feed"
url = "https://alpha.example/feed.xml"
[[source]]
id = "beta"
kind = "html"
url = "https://beta.example/news"
item_selector = "a"
enabled = false
"#,
    )
    .unwrap();
    let state = breachwatch::model::SourceState {
        consecutive_failures: 2,
        last_error: Some("HTTP 503".into()),
        next_due: Some(Utc::now()),
        ..Default::default()
    };
    store.put_source_state("alpha", &state).unwrap();
    let app = spawn_app(store, config).await;

    // Act
    let sources: Vec<serde_json::Value> = get(app.addr, "/api/sources").await.json();

    // Assert
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["id"], "alpha");
    assert_eq!(sources[0]["kind"], "feed");
    assert_eq!(sources[0]["consecutive_failures"], 2);
    assert_eq!(sources[0]["last_error"], "HTTP 503");
    assert!(sources[0]["next_due"].is_string());
    assert_eq!(sources[1]["kind"], "html");
    assert_eq!(sources[1]["enabled"], false);
    assert!(sources[1]["last_success"].is_null());
    for field in ["name", "url", "last_success"] {
        assert!(sources[0].get(field).is_some(), "missing {field}");
    }

    let page = get(app.addr, "/sources").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("HTTP 503"));
    assert!(page.body.contains("disabled"));
    app.stop().await;
}

// ---------------------------------------------------------------- dashboard

#[tokio::test]
async fn dashboard_shows_charts_and_the_incident_list_with_article_text_escaped() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let page = get(app.addr, "/").await;

    assert_eq!(page.status, 200);
    assert!(page.headers.contains("text/html"));
    assert!(page.body.contains("<svg"), "no chart");
    assert!(page
        .body
        .contains(r#"href="/incidents/kent-2023-03-aaaaaa""#));
    assert!(page
        .body
        .contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"));
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("http://") || !page.body.contains("src=\"http"));
    app.stop().await;
}

#[tokio::test]
async fn dashboard_filters_by_form_fields_and_ignores_empty_ones() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let page = get(app.addr, "/?force=essex&data_type=&cause=&since=&until=&q=").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/incidents/essex-2023-05-bbbbbb"));
    assert!(!page.body.contains("/incidents/kent-2023-03-aaaaaa"));

    let bad = get(app.addr, "/?since=not-a-date").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("not a date"));
    app.stop().await;
}

#[tokio::test]
async fn incident_page_shows_sources_oldest_first_timeline_figures_and_evidence() {
    // Arrange: a second, later source and a fine.
    let (_dir, store) = temp_store();
    let mut inc = incident(
        "kent-2023-03-aaaaaa",
        "kent",
        "Kent Police emailed officers' details",
        "2023-03-14T09:00:00+00:00",
        "2023-10-12T08:00:00+00:00",
    );
    inc.sources.insert(
        0,
        source(
            "https://news.example/kent-fined",
            "Kent Police fined <b>£50,000</b>",
            "2023-10-12T08:00:00+00:00",
        ),
    );
    inc.timeline.push(Development {
        date: Some(at("2023-10-12T08:00:00+00:00")),
        kind: DevelopmentKind::Fine,
        amount_minor: Some(5_000_000),
        currency: Some("GBP".into()),
        url: "https://news.example/kent-fined".into(),
        sentence: "The ICO fined the force £50,000.".into(),
    });
    inc.conflicts
        .push("one source says 1,200 people, another 1,300".into());
    put(&store, &[inc]);
    let app = spawn_app(store, Config::empty()).await;

    // Act
    let page = get(app.addr, "/incidents/kent-2023-03-aaaaaa").await;

    // Assert
    assert_eq!(page.status, 200);
    let body = &page.body;
    let older = body
        .find("Kent Police emailed officers&#39; details</a>")
        .unwrap();
    let newer = body
        .find("Kent Police fined &#60;b&#62;£50,000&#60;/b&#62;")
        .unwrap();
    assert!(older < newer, "sources must be oldest first");
    assert!(body.contains("The ICO fined the force £50,000."));
    assert!(body.contains("£50,000"));
    assert!(body.contains("About 1,200 officers were affected."));
    assert!(body.contains("The spreadsheet held home addresses."));
    assert!(body.contains("another 1,300"));

    let missing = get(app.addr, "/incidents/nope").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("text/html"));
    app.stop().await;
}

// ---------------------------------------------------------------- hostile text in pages

/// Markup, both quote kinds and an ampersand, as an article or a feed could carry them.
const HOSTILE: &str = r#"<script>alert('x')</script> "q" & 'y' <img src=x onerror=alert(1)>"#;

/// `HOSTILE` as askama escapes it.
const HOSTILE_ESCAPED: &str = "&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#34;q&#34; &#38; &#39;y&#39; &#60;img src=x onerror=alert(1)&#62;";

/// Link targets that must never become links: scripts and data, also spelt the ways a
/// browser still reads as those schemes.
const SCRIPT_URLS: [&str; 4] = [
    "javascript:alert('src')",
    " JaVa\tScRiPt:alert(2)",
    "data:text/html,<script>alert(3)</script>",
    "vbscript:msgbox(4)",
];

/// An incident whose every piece of article text is hostile, with two forces (one with a
/// hostile id) and sources that link to scripts.
fn hostile_incident() -> Incident {
    let mut inc = incident(
        "kent-2024-02-hhhhhh",
        "kent",
        HOSTILE,
        "2024-02-01T09:00:00+00:00",
        "2024-02-03T09:00:00+00:00",
    );
    inc.forces.push(r#"x"><script>alert(5)</script>"#.into());
    inc.force_names = vec![format!("Kent {HOSTILE}"), format!("Other {HOSTILE}")];
    inc.supplier = Some(format!("Supplier {HOSTILE}"));
    for (i, url) in SCRIPT_URLS.iter().enumerate() {
        let mut s = source(
            url,
            &format!("Headline {i} {HOSTILE}"),
            "2024-02-02T09:00:00+00:00",
        );
        s.outlet = format!("Outlet {i} {HOSTILE}");
        inc.sources.push(s);
    }
    inc.timeline.push(Development {
        date: None,
        kind: DevelopmentKind::Fine,
        amount_minor: Some(100),
        currency: Some(HOSTILE.into()),
        url: SCRIPT_URLS[0].into(),
        sentence: format!("Timeline {HOSTILE}"),
    });
    inc.figures.push(Figure {
        url: SCRIPT_URLS[2].into(),
        sentence: format!("Figure {HOSTILE}"),
        ..inc.figures[0].clone()
    });
    inc.evidence.push(Evidence {
        field: HOSTILE.into(),
        value: HOSTILE.into(),
        url: SCRIPT_URLS[1].into(),
        sentence: format!("Evidence {HOSTILE}"),
    });
    inc.conflicts.push(format!("Conflict {HOSTILE}"));
    inc
}

/// Checks a rendered page holds nothing live from the data: no script or image element, no
/// event-handler attribute, every link http(s) or relative, the hostile text escaped in the
/// source and shown as it was written in the document.
fn assert_inert(body: &str, what: &str) {
    let doc = scraper::Html::parse_document(body);
    let all = scraper::Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        assert!(
            !matches!(name, "script" | "img" | "iframe" | "object" | "embed"),
            "{what}: a <{name}> element came through"
        );
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{what}: <{name} {attr}={value:?}> came through"
            );
            if attr == "href" || attr == "src" || attr == "action" {
                let v = value.trim_start().to_ascii_lowercase();
                assert!(
                    v.starts_with('/')
                        || v.starts_with("http://")
                        || v.starts_with("https://")
                        || (name == "link" && v == "data:,"),
                    "{what}: <{name} {attr}={value:?}> is not an http(s) or relative link"
                );
            }
        }
    }
    assert!(
        !body.contains("<script"),
        "{what}: raw <script in the source"
    );
    assert!(
        body.contains(HOSTILE_ESCAPED),
        "{what}: the hostile text is not escaped as expected"
    );
    let shown = doc.root_element().text().collect::<String>();
    let in_attrs = doc
        .select(&all)
        .any(|el| el.value().attrs().any(|(_, v)| v.contains(HOSTILE)));
    assert!(
        shown.contains(HOSTILE) || in_attrs,
        "{what}: the hostile text is not shown as written"
    );
}

/// The texts of every element matching `selector`.
fn texts(body: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(body);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect()).collect()
}

#[tokio::test]
async fn hostile_article_text_is_escaped_on_the_dashboard_and_incident_page() {
    let (_dir, store) = seeded_store();
    put(&store, &[hostile_incident()]);
    let app = spawn_app(store, Config::empty()).await;

    // The dashboard: the list, the filter menu and the charts carry titles and force names.
    let dash = get(app.addr, "/").await;
    assert_eq!(dash.status, 200);
    assert_inert(&dash.body, "dashboard");
    assert!(texts(&dash.body, "#incidents td.title a").contains(&HOSTILE.to_string()));
    let force_links = texts(&dash.body, "#incidents td a[href^='/?force=']");
    assert!(
        force_links.contains(&format!("Other {HOSTILE}")),
        "{force_links:?}"
    );
    assert!(dash
        .body
        .contains(r#"<a href="/?force=x%22%3E%3Cscript%3Ealert%285%29%3C%2Fscript%3E">"#));
    let options = texts(&dash.body, "select[name=force] option");
    assert!(options.contains(&format!("Other {HOSTILE}")), "{options:?}");
    let svg_text = texts(&dash.body, "#trends svg text, .grid3 svg text");
    assert!(
        svg_text.iter().any(|t| t.starts_with("Other <script>")),
        "the hostile force name is not shown in a chart: {svg_text:?}"
    );

    // The incident page: title, forces, supplier, sources, timeline, figures, evidence,
    // conflicts; script URLs shown as text.
    let page = get(app.addr, "/incidents/kent-2024-02-hhhhhh").await;
    assert_eq!(page.status, 200);
    assert_inert(&page.body, "incident page");
    assert_eq!(texts(&page.body, "h1"), [HOSTILE]);
    assert_eq!(
        texts(&page.body, "title"),
        [format!("{HOSTILE} · breachwatch")]
    );
    let sources = texts(&page.body, "#sources td");
    for i in 0..SCRIPT_URLS.len() {
        assert!(
            sources.contains(&format!("Headline {i} {HOSTILE}")),
            "headline {i} missing: {sources:?}"
        );
    }
    // Only the one https source is a link among the sources.
    let links: Vec<String> = {
        let doc = scraper::Html::parse_document(&page.body);
        let sel = scraper::Selector::parse("#sources a").unwrap();
        doc.select(&sel)
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(links, ["https://news.example/kent-2024-02-hhhhhh"]);
    for section in ["#timeline", "#figures", "#evidence", "#conflicts"] {
        let text = texts(&page.body, section).concat();
        assert!(
            text.contains(HOSTILE),
            "{section} does not show the text: {text}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn hostile_query_parameters_and_paths_are_escaped_in_pages() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    // Filters are written back into the form.
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", HOSTILE)
        .append_pair(
            "until",
            &format!("2023\"><script>alert(6)</script>{HOSTILE}"),
        )
        .finish();
    let dash = get(app.addr, &format!("/?{query}")).await;
    assert_eq!(dash.status, 200);
    assert_inert(&dash.body, "dashboard with hostile filters");
    let doc = scraper::Html::parse_document(&dash.body);
    let value = |name: &str| {
        let sel = scraper::Selector::parse(&format!("input[name={name}]")).unwrap();
        doc.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .map(str::to_string)
    };
    assert_eq!(value("q").as_deref(), Some(HOSTILE));
    assert_eq!(
        value("until"),
        Some(format!("2023\"><script>alert(6)</script>{HOSTILE}"))
    );

    // A filter that cannot be understood is named in the error line.
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("data_type", HOSTILE)
        .finish();
    let dash = get(app.addr, &format!("/?{query}")).await;
    assert_eq!(dash.status, 200);
    assert!(!dash.body.contains("<script"));
    let error = texts(&dash.body, "p.err");
    assert_eq!(error.len(), 1, "{error:?}");
    assert!(
        error[0].starts_with("unknown data type")
            && error[0].contains("<script>alert('x')</script>"),
        "{error:?}"
    );

    // A 404 names the id it could not find.
    let id: String = url::form_urlencoded::byte_serialize(HOSTILE.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let missing = get(app.addr, &format!("/incidents/{id}")).await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("text/html"));
    let doc = scraper::Html::parse_document(&missing.body);
    assert!(doc
        .select(&scraper::Selector::parse("script").unwrap())
        .next()
        .is_none());
    assert!(!missing.body.contains("<script"));
    assert!(texts(&missing.body, "section.card p")[0].contains("<script>alert('x')</script>"));
    app.stop().await;
}

#[tokio::test]
async fn hostile_source_names_and_errors_are_escaped_on_the_sources_page() {
    let (_dir, store) = temp_store();
    let config = Config::from_toml(&format!(
        "[[source]]\nid = \"alpha\"\nname = {name}\nkind = \"feed\"\nurl = \"https://alpha.example/feed.xml?a=1&b=2\"\n",
        name = toml::Value::String(HOSTILE.into()),
    ))
    .unwrap();
    let state = breachwatch::model::SourceState {
        consecutive_failures: 1,
        last_error: Some(format!("HTTP 500: {HOSTILE}")),
        ..Default::default()
    };
    store.put_source_state("alpha", &state).unwrap();
    let app = spawn_app(store, config).await;

    let page = get(app.addr, "/sources").await;

    assert_eq!(page.status, 200);
    assert_inert(&page.body, "sources page");
    assert_eq!(texts(&page.body, "#source-health strong"), [HOSTILE]);
    assert_eq!(
        texts(&page.body, "#source-health .err"),
        [format!("HTTP 500: {HOSTILE}")]
    );
    assert!(page.body.contains(
        r#"<a href="https://alpha.example/feed.xml?a=1&#38;b=2" rel="noopener noreferrer">"#
    ));
    app.stop().await;
}

// ---------------------------------------------------------------- Atom

fn parse_feed(xml: &str) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

#[tokio::test]
async fn incidents_feed_is_atom_with_one_stable_entry_per_incident() {
    // Arrange
    let (_dir, store) = seeded_store();
    let app = spawn_app(store.clone(), Config::empty()).await;

    // Act
    let answer = get(app.addr, "/feeds/incidents.atom").await;

    // Assert
    assert_eq!(answer.status, 200);
    assert!(answer.headers.contains("application/atom+xml"));
    let feed = parse_feed(&answer.body);
    assert_eq!(feed.entries().len(), 3);
    assert!(feed
        .links()
        .iter()
        .any(|l| l.rel() == "self" && l.href().ends_with("/feeds/incidents.atom")));
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        [
            "tag:breachwatch,2023:incident/kent-2024-01-cccccc",
            "tag:breachwatch,2023:incident/kent-2023-03-aaaaaa",
            "tag:breachwatch,2023:incident/essex-2023-05-bbbbbb",
        ],
        "most recently updated first"
    );
    let kent = &feed.entries()[1];
    assert_eq!(kent.updated().to_rfc3339(), "2023-10-12T08:00:00+00:00");
    assert_eq!(feed.updated(), &at("2024-01-02T10:00:00+00:00"));
    assert!(kent
        .links()
        .iter()
        .any(|l| l.href().ends_with("/incidents/kent-2023-03-aaaaaa")));
    let summary = kent.summary().unwrap().as_str();
    for part in [
        "kent police",
        "home address",
        "about 1,200 people",
        "accidental disclosure",
    ] {
        assert!(summary.contains(part), "{part} not in {summary}");
    }

    // A new development: same entry id, new `updated`, back on top.
    let mut inc = store.incident("essex-2023-05-bbbbbb").unwrap().unwrap();
    let mut w = WriteSet::new();
    w.remove_incident(&inc.profile());
    inc.last_reported = at("2024-06-01T12:00:00+00:00");
    inc.sources.push(source(
        "https://news.example/essex-reprimand",
        "Essex Police reprimanded",
        "2024-06-01T12:00:00+00:00",
    ));
    w.put_incident(&inc);
    store.apply(w).unwrap();
    let again = parse_feed(&get(app.addr, "/feeds/incidents.atom").await.body);
    assert_eq!(again.entries().len(), 3);
    assert_eq!(
        again.entries()[0].id(),
        "tag:breachwatch,2023:incident/essex-2023-05-bbbbbb"
    );
    assert_eq!(
        again.entries()[0].updated(),
        &at("2024-06-01T12:00:00+00:00")
    );
    app.stop().await;
}

#[tokio::test]
async fn force_feed_lists_only_that_forces_incidents() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    let kent = parse_feed(&get(app.addr, "/feeds/force/kent.atom").await.body);
    assert_eq!(kent.entries().len(), 2);
    assert_eq!(kent.id(), "tag:breachwatch,2023:force/kent");
    assert!(kent.entries().iter().all(|e| e.id().contains("/kent-")));
    // The hostile title is text in the feed, not markup.
    assert!(kent
        .entries()
        .iter()
        .any(|e| e.title().as_str().starts_with("<script>")));

    let nobody = parse_feed(&get(app.addr, "/feeds/force/nowhere.atom").await.body);
    assert!(nobody.entries().is_empty());
    assert_eq!(get(app.addr, "/feeds/force/kent.rss").await.status, 404);
    app.stop().await;
}

// ---------------------------------------------------------------- remote_get

#[tokio::test]
async fn remote_get_returns_the_body_and_fails_with_the_services_message() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;
    let listen = app.addr.to_string();

    let (ok, missing) = tokio::task::spawn_blocking(move || {
        (
            serve::remote_get(&listen, "/api/incidents?force=essex"),
            serve::remote_get(&listen, "/api/incidents/nope"),
        )
    })
    .await
    .unwrap();

    let views: Vec<IncidentView> = serde_json::from_str(&ok.unwrap()).unwrap();
    assert_eq!(views.len(), 1);
    let message = format!("{:#}", missing.unwrap_err());
    assert!(message.contains("404"), "{message}");
    assert!(message.contains("no incident \"nope\""), "{message}");
    app.stop().await;

    // Nothing listening: a prompt error, not a hang.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap().to_string();
    drop(free);
    let started = Instant::now();
    assert!(serve::remote_get(&addr, "/api/incidents").is_err());
    assert!(started.elapsed() < Duration::from_secs(5));
}

// ---------------------------------------------------------------- service and shutdown

#[tokio::test]
async fn service_polls_at_start_serves_and_shuts_down_cleanly() {
    // Arrange: the sample sources on a mock server.
    let server = MockServer::start().await;
    mount_sample(&server).await;
    let config = Arc::new(sample_config(&server.uri()));
    let (_dir, store) = temp_store();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let service = tokio::spawn(serve::run(config, store.clone(), listener, async move {
        let _ = rx.await;
    }));

    // Act: wait for the first poll of every source to be recorded.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sources: Vec<serde_json::Value> = get(addr, "/api/sources").await.json();
        if sources.iter().all(|s| s["last_success"].is_string()) {
            break;
        }
        assert!(Instant::now() < deadline, "sources not polled: {sources:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let incidents: Vec<IncidentView> = get(addr, "/api/incidents").await.json();
    tx.send(()).unwrap();
    let stopped_at = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(10), service)
        .await
        .expect("the service stops within 10 s")
        .unwrap();

    // Assert
    assert!(result.is_ok(), "{result:?}");
    assert!(stopped_at.elapsed() < Duration::from_secs(9));
    assert!(!incidents.is_empty());
    assert!(store.article_count() > 0);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening"
    );
}

#[tokio::test]
async fn shutdown_abandons_a_hanging_poll_after_the_grace_period() {
    // Arrange: a source that answers after a minute; a one-second grace.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let config = Arc::new(
        Config::from_toml(&format!(
            r#"
[settings]
timeout_secs = 120
shutdown_grace_secs = 1
[[source]]
id = "slow"
kind = "feed"
url = "{}/feed.xml"
"#,
            server.uri()
        ))
        .unwrap(),
    );
    let (_dir, store) = temp_store();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let service = tokio::spawn(serve::run(config, store, listener, async move {
        let _ = rx.await;
    }));
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Act
    tx.send(()).unwrap();
    let stopped_at = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(10), service)
        .await
        .expect("the service stops within 10 s")
        .unwrap();

    // Assert
    assert!(result.is_ok(), "{result:?}");
    let took = stopped_at.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "{took:?}"
    );
}

// ---------------------------------------------------------------- demo

#[test]
fn demo_polls_the_bundled_samples_and_exits_when_asked() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_breachwatch"))
            .current_dir(dir.path())
            .arg("--db")
            .arg(&db)
            .arg("demo")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .env("BREACHWATCH_DEMO_EXIT_AFTER_POLL", "1")
            .output()
            .unwrap()
    };

    // Act
    let first = run();
    let second = run();

    // Assert
    for out in [&first, &second] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("national: new"), "{stdout}");
    assert!(stdout.contains("people affected"), "{stdout}");
    assert!(stdout.contains("incident(s)"), "{stdout}");
    // Same sample port both times (the usual case): the second run finds nothing new.
    let base = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find_map(|l| l.split("sample sources on ").nth(1).map(str::to_string))
    };
    if base(&first) == base(&second) {
        let again = String::from_utf8_lossy(&second.stdout);
        assert!(again.contains("national: unchanged"), "{again}");
    }
    let store = Store::open(&db).unwrap();
    assert!(store.incident_count() > 0);
}

#[test]
fn demo_sample_router_rewrites_the_sample_hosts() {
    let dir = breachwatch::serve::demo::sample_dir().unwrap();
    assert_eq!(dir, sample_dir());
    let text = "<a href=\"https://news.sample.example/uk/x\">";
    assert_eq!(
        breachwatch::serve::demo::rewrite_hosts(text, "http://127.0.0.1:9"),
        rewrite_hosts(text, "http://127.0.0.1:9")
    );
}
