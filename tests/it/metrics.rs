//! `GET /metrics` on the real service: a wiremock feed that works, one that fails, a few
//! requests, then the exposition checked line by line and for well-formedness.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use breachwatch::config::Config;
use breachwatch::serve;
use chrono::Utc;
use tokio::sync::oneshot;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

/// The value of the sample line `series` (name and labels exactly as exposed), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        let value = l.strip_prefix(series)?.strip_prefix(' ')?;
        Some(match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|e| panic!("{l:?}: {e}")),
        })
    })
}

/// Checks the text format's rules this service relies on: each family has one HELP and one
/// TYPE line before its samples; sample names belong to a declared family (histograms
/// through `_bucket`, `_sum` and `_count`); label sets are `k="v"` pairs; values parse.
/// Returns the families by name with their type.
fn check_exposition(text: &str) -> BTreeMap<String, String> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut helps: BTreeSet<String> = BTreeSet::new();
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    };
    assert!(text.ends_with('\n'), "the exposition ends with a newline");
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap();
            assert!(helps.insert(name.to_string()), "second HELP for {name}");
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(
                ["counter", "gauge", "histogram"].contains(&kind),
                "{line:?}"
            );
            assert!(helps.contains(name), "TYPE before HELP: {line:?}");
            assert!(
                types.insert(name.into(), kind.into()).is_none(),
                "second TYPE for {name}"
            );
            continue;
        }
        assert!(!line.starts_with('#') && !line.is_empty(), "{line:?}");
        let (series, value) = line.rsplit_once(' ').unwrap();
        assert!(
            value == "+Inf" || value == "NaN" || value.parse::<f64>().is_ok(),
            "{line:?}"
        );
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => (n, Some(l.strip_suffix('}').expect("labels close"))),
            None => (series, None),
        };
        assert!(name_ok(name), "{line:?}");
        let family = types.get(name).map(|_| name).or_else(|| {
            ["_bucket", "_sum", "_count"].iter().find_map(|s| {
                let base = name.strip_suffix(s)?;
                (types.get(base)? == "histogram").then_some(base)
            })
        });
        assert!(family.is_some(), "sample of an undeclared family: {line:?}");
        if let Some(labels) = labels {
            // Values here hold no `"`, `,` or `\`: a plain split is enough.
            for pair in labels.split(',') {
                let (k, v) = pair.split_once('=').unwrap();
                assert!(name_ok(k), "{line:?}");
                assert!(
                    v.len() >= 2 && v.starts_with('"') && v.ends_with('"'),
                    "{line:?}"
                );
            }
        }
    }
    types
}

#[tokio::test]
async fn metrics_count_polls_failures_articles_and_requests_by_route() {
    // Arrange: a working feed and one answering 503, served by the real service.
    let server = MockServer::start().await;
    mount_sample(&server).await;
    Mock::given(method("GET"))
        .and(path("/broken.xml"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let config = Arc::new(
        Config::from_toml(&format!(
            r#"
[settings]
timeout_secs = 5
[[source]]
id = "national"
kind = "feed"
url = "{base}/feeds/national.xml"
[[source]]
id = "broken"
kind = "feed"
url = "{base}/broken.xml"
[[source]]
id = "idle"
kind = "feed"
url = "{base}/idle.xml"
enabled = false
"#,
            base = server.uri()
        ))
        .unwrap(),
    );
    let (_dir, store) = temp_store();
    let started = Utc::now().timestamp() as f64;
    let service = spawn_service(config, store.clone()).await;
    let addr = service.addr;

    // Act: wait for the first poll of both sources, then make some requests.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = get(addr, "/metrics").await.body;
        let polled = |id: &str| {
            sample(
                &text,
                &format!("breachwatch_source_polls_total{{source=\"{id}\"}}"),
            ) == Some(1.0)
        };
        if polled("national") && polled("broken") {
            break;
        }
        assert!(Instant::now() < deadline, "sources not polled:\n{text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let incidents: Vec<serde_json::Value> =
        serde_json::from_str(&get(addr, "/api/incidents").await.body).unwrap();
    assert_eq!(get(addr, "/api/incidents?force=kent").await.status, 200);
    assert_eq!(get(addr, "/api/incidents/no-such-id").await.status, 404);
    assert_eq!(get(addr, "/api/incidents/other-id").await.status, 404);
    assert_eq!(get(addr, "/no/such/page").await.status, 404);
    assert_eq!(request(addr, "BREW", "/api/incidents").await.status, 405);
    let answer = get(addr, "/metrics").await;
    service.stop.send(()).unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(10), service.task)
        .await
        .expect("the service stops")
        .unwrap();

    // Assert
    assert!(stopped.is_ok(), "{stopped:?}");
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .headers
            .contains("content-type: text/plain; version=0.0.4; charset=utf-8"),
        "{}",
        answer.headers
    );
    let text = &answer.body;
    let types = check_exposition(text);
    for (name, kind) in [
        ("breachwatch_source_polls_total", "counter"),
        ("breachwatch_source_poll_failures_total", "counter"),
        ("breachwatch_source_last_success_timestamp_seconds", "gauge"),
        ("breachwatch_articles_fetched_total", "counter"),
        ("breachwatch_articles_new_total", "counter"),
        ("breachwatch_breach_articles_total", "counter"),
        ("breachwatch_breach_reports_total", "counter"),
        ("breachwatch_incidents_written_total", "counter"),
        ("breachwatch_incidents", "gauge"),
        ("breachwatch_articles", "gauge"),
        ("breachwatch_alert_deliveries_total", "counter"),
        ("breachwatch_http_requests_total", "counter"),
        ("breachwatch_http_request_duration_seconds", "histogram"),
    ] {
        assert_eq!(types.get(name).map(String::as_str), Some(kind), "{name}");
    }
    assert!(text.contains("# HELP breachwatch_source_polls_total Polls of a source"));
    let value =
        |series: &str| sample(text, series).unwrap_or_else(|| panic!("no {series} in\n{text}"));

    // Polls: the feed's three items all new; the 503 counted by kind; no success for it.
    assert_eq!(
        value(r#"breachwatch_source_polls_total{source="national"}"#),
        1.0
    );
    assert_eq!(
        value(r#"breachwatch_source_polls_total{source="broken"}"#),
        1.0
    );
    assert_eq!(
        value(r#"breachwatch_source_poll_failures_total{source="broken",kind="http_503"}"#),
        1.0
    );
    assert!(!text.contains(r#"breachwatch_source_poll_failures_total{source="national""#));
    assert!(
        !text.contains(r#"source="idle""#),
        "disabled sources are not listed"
    );
    assert_eq!(
        value(r#"breachwatch_articles_fetched_total{source="national"}"#),
        3.0
    );
    assert_eq!(
        value(r#"breachwatch_articles_new_total{source="national"}"#),
        3.0
    );
    assert_eq!(
        value(r#"breachwatch_articles_new_total{source="broken"}"#),
        0.0
    );
    let last = value(r#"breachwatch_source_last_success_timestamp_seconds{source="national"}"#);
    assert!(last >= started - 1.0 && last <= Utc::now().timestamp() as f64 + 1.0);
    assert!(sample(
        text,
        r#"breachwatch_source_last_success_timestamp_seconds{source="broken"}"#
    )
    .is_none());

    // Articles and incidents: the store gauges match the store; what the poll wrote adds up.
    assert_eq!(value("breachwatch_articles"), 3.0);
    assert_eq!(value("breachwatch_incidents"), incidents.len() as f64);
    let breach = value(r#"breachwatch_breach_articles_total{source="national"}"#);
    let reports = value(r#"breachwatch_breach_reports_total{source="national"}"#);
    let written = value(r#"breachwatch_incidents_written_total{source="national"}"#);
    assert!(breach <= 3.0 && reports >= breach, "{breach} {reports}");
    assert!(written >= incidents.len() as f64, "{written}");
    assert_eq!(breach > 0.0, !incidents.is_empty());

    // Requests: by route template, not raw path, and by status.
    let requests = |route: &str, status: u16| {
        sample(
            text,
            &format!(
                r#"breachwatch_http_requests_total{{method="GET",route="{route}",status="{status}"}}"#
            ),
        )
    };
    assert_eq!(requests("/api/incidents", 200), Some(2.0));
    assert_eq!(requests("/api/incidents/{id}", 404), Some(2.0));
    assert_eq!(requests("unmatched", 404), Some(1.0));
    assert!(requests("/metrics", 200).unwrap() >= 1.0);
    assert!(!text.contains("no-such-id") && !text.contains("/no/such/page"));
    assert_eq!(
        value(
            r#"breachwatch_http_requests_total{method="OTHER",route="/api/incidents",status="405"}"#
        ),
        1.0
    );

    // The latency histogram: cumulative buckets ending in +Inf, sum and count.
    let h = "breachwatch_http_request_duration_seconds";
    let labels = r#"method="GET",route="/api/incidents""#;
    let mut previous = 0.0;
    for le in [
        "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf",
    ] {
        let n = value(&format!(r#"{h}_bucket{{{labels},le="{le}"}}"#));
        assert!(n >= previous, "buckets are cumulative: le={le}");
        previous = n;
    }
    assert_eq!(previous, 2.0);
    assert_eq!(value(&format!("{h}_count{{{labels}}}")), 2.0);
    let sum = value(&format!("{h}_sum{{{labels}}}"));
    assert!(sum > 0.0 && sum < 20.0, "{sum}");
    assert_eq!(
        value(&format!(
            r#"{h}_count{{method="GET",route="/api/incidents/{{id}}"}}"#
        )),
        2.0
    );
}

#[tokio::test]
async fn the_plain_server_serves_metrics_too() {
    // `serve` without polling (as the demo uses it): requests are still counted.
    let (_dir, store) = temp_store();
    let config = Arc::new(Config::from_toml("").unwrap());
    let (listener, addr) = loopback_listener().await;
    let (tx, rx) = oneshot::channel::<()>();
    let state = serve::AppState::new(store, config);
    let metrics = state.metrics.clone();
    let task = tokio::spawn(serve::serve(listener, state, async move {
        let _ = rx.await;
    }));

    get(addr, "/api/trends?by=force").await;
    get(addr, "/api/trends?by=nonsense").await;
    let text = get(addr, "/metrics").await.body;
    tx.send(()).unwrap();
    task.await.unwrap().unwrap();

    check_exposition(&text);
    assert_eq!(
        sample(
            &text,
            r#"breachwatch_http_requests_total{method="GET",route="/api/trends",status="200"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            r#"breachwatch_http_requests_total{method="GET",route="/api/trends",status="400"}"#
        ),
        Some(1.0)
    );
    assert_eq!(sample(&text, "breachwatch_incidents"), Some(0.0));
    // The alert counter is declared and reachable, though nothing delivers alerts yet.
    assert!(text.contains("# TYPE breachwatch_alert_deliveries_total counter"));
    metrics.alert_delivered("hook", serve::metrics::AlertOutcome::Delivered);
    assert!(metrics
        .render()
        .contains(r#"breachwatch_alert_deliveries_total{alert="hook",outcome="delivered"} 1"#));
}
