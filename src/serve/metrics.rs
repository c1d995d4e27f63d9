//! `GET /metrics`: what the service has done since it started, in the Prometheus text
//! format (see [`prom`] for the registry and why it is hand-written).
//!
//! One [`Metrics`] per service, shared through [`AppState`] as an `Arc`: the scheduler
//! records each poll ([`Metrics::record_poll`]), the [`track_requests`] middleware each HTTP
//! request, and the handler reads the store's incident and article counts at scrape time.
//!
//! Labels stay bounded: `source` is a source id from the config, `kind` one of
//! [`FailureKind`](crate::poll::FailureKind)'s values, `route` the matched route template (`/api/incidents/{id}`,
//! never the raw path; `unmatched` for anything no route took), `method` a standard method
//! or `OTHER`, `outcome` an [`AlertOutcome`].

use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::error::ApiError;
use super::prom::{self, CounterVec, GaugeVec, HistogramVec};
use super::routes::AppState;
use crate::config::Config;
use crate::poll::{SourceOutcome, SourceReport};
use crate::store::Store;

/// Upper bounds (seconds) of the HTTP latency buckets: 5 ms (a cached page) to 10 s (a
/// dashboard over a large store on a busy machine).
pub const HTTP_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The `route` of a request no route matched (404s of random paths share it).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// How one attempt to deliver an alert ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertOutcome {
    /// The receiver answered 2xx.
    Delivered,
    /// The receiver failed or did not answer; the delivery will be retried.
    Failed,
}

impl AlertOutcome {
    /// The label value: `delivered` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertOutcome::Delivered => "delivered",
            AlertOutcome::Failed => "failed",
        }
    }
}

/// Every metric the service exposes. See the README for the list.
pub struct Metrics {
    polls: CounterVec<1>,
    poll_failures: CounterVec<2>,
    last_success: GaugeVec<1>,
    articles_fetched: CounterVec<1>,
    articles_new: CounterVec<1>,
    breach_articles: CounterVec<1>,
    breach_reports: CounterVec<1>,
    incidents_written: CounterVec<1>,
    incidents: GaugeVec<0>,
    articles: GaugeVec<0>,
    alert_deliveries: CounterVec<2>,
    http_requests: CounterVec<3>,
    http_duration: HistogramVec<2>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            polls: CounterVec::new(
                "breachwatch_source_polls_total",
                "Polls of a source, whatever their outcome.",
                ["source"],
            ),
            poll_failures: CounterVec::new(
                "breachwatch_source_poll_failures_total",
                "Polls of a source that failed, by kind: timeout, network, http_<status>, \
                 too_large, redirects, blocked (bot protection), parse, store, interrupted or other.",
                ["source", "kind"],
            ),
            last_success: GaugeVec::new(
                "breachwatch_source_last_success_timestamp_seconds",
                "Unix time of the last successful poll of a source (from the stored state \
                 at start, then from this process's polls).",
                ["source"],
            ),
            articles_fetched: CounterVec::new(
                "breachwatch_articles_fetched_total",
                "Items a source listed (feed entries, or press releases followed).",
                ["source"],
            ),
            articles_new: CounterVec::new(
                "breachwatch_articles_new_total",
                "New articles stored from a source.",
                ["source"],
            ),
            breach_articles: CounterVec::new(
                "breachwatch_breach_articles_total",
                "New articles from a source that report a police data breach.",
                ["source"],
            ),
            breach_reports: CounterVec::new(
                "breachwatch_breach_reports_total",
                "Breach reports extracted from a source's new articles.",
                ["source"],
            ),
            incidents_written: CounterVec::new(
                "breachwatch_incidents_written_total",
                "Incidents created or updated by a source's new articles.",
                ["source"],
            ),
            incidents: GaugeVec::new("breachwatch_incidents", "Incidents in the store.", []),
            articles: GaugeVec::new("breachwatch_articles", "Articles in the store.", []),
            alert_deliveries: CounterVec::new(
                "breachwatch_alert_deliveries_total",
                "Attempts to deliver an alert to its webhook, by outcome (delivered or failed).",
                ["alert", "outcome"],
            ),
            http_requests: CounterVec::new(
                "breachwatch_http_requests_total",
                "HTTP requests answered, by method, route template and status.",
                ["method", "route", "status"],
            ),
            http_duration: HistogramVec::new(
                "breachwatch_http_request_duration_seconds",
                "Time to answer an HTTP request (until the response head), by method and \
                 route template.",
                ["method", "route"],
                HTTP_BUCKETS,
            ),
        }
    }
}

impl Metrics {
    /// Metrics with a zero series per enabled source of `config`, so every source is
    /// listed from the start (a rate over a series that appears late misses its first
    /// events).
    pub fn new(config: &Config) -> Metrics {
        let m = Metrics::default();
        for source in config.sources.iter().filter(|s| s.enabled) {
            let id = [source.id.as_str()];
            m.polls.touch(id);
            m.articles_fetched.touch(id);
            m.articles_new.touch(id);
            m.breach_articles.touch(id);
            m.breach_reports.touch(id);
            m.incidents_written.touch(id);
        }
        m
    }

    /// Sets each enabled source's last-success time from its stored state, so the gauge
    /// survives a restart. A state that cannot be read is skipped (the poll will set it).
    pub fn seed_from_store(&self, config: &Config, store: &Store) {
        for source in config.sources.iter().filter(|s| s.enabled) {
            if let Ok(Some(state)) = store.source_state(&source.id) {
                if let Some(t) = state.last_success {
                    self.last_success
                        .set([source.id.as_str()], timestamp_seconds(t));
                }
            }
        }
    }

    /// Counts one poll of a source: its outcome, what it fetched and stored, or why it
    /// failed.
    pub fn record_poll(&self, report: &SourceReport) {
        let id = [report.id.as_str()];
        self.polls.inc(id);
        match &report.outcome {
            SourceOutcome::Fetched {
                items,
                new,
                relevant,
            } => {
                self.articles_fetched.add(id, *items as u64);
                self.articles_new.add(id, *new as u64);
                self.breach_articles.add(id, *relevant as u64);
                self.breach_reports.add(id, report.detail.reports as u64);
                self.incidents_written
                    .add(id, report.detail.incidents as u64);
                self.last_success.set(id, timestamp_seconds(Utc::now()));
            }
            SourceOutcome::Unchanged => {
                self.last_success.set(id, timestamp_seconds(Utc::now()));
            }
            SourceOutcome::Error(_) => {
                let kind = report
                    .detail
                    .failure
                    .map_or_else(|| "other".to_string(), |k| k.to_string());
                self.poll_failures.inc([report.id.as_str(), kind.as_str()]);
            }
        }
    }

    /// Counts one attempt to deliver alert `alert` (its config id): the alert worker
    /// ([`crate::notify`]) calls it once per POST.
    pub fn alert_delivered(&self, alert: &str, outcome: AlertOutcome) {
        self.alert_deliveries.inc([alert, outcome.as_str()]);
    }

    /// Counts one answered HTTP request and its latency.
    pub fn http_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.http_requests
            .inc([method, route, status.to_string().as_str()]);
        self.http_duration
            .observe([method, route], elapsed.as_secs_f64());
    }

    /// Sets the store gauges (read at scrape time).
    pub fn set_store_counts(&self, incidents: usize, articles: usize) {
        self.incidents.set([], incidents as f64);
        self.articles.set([], articles as f64);
    }

    /// Every metric in the text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        self.polls.render(&mut out);
        self.poll_failures.render(&mut out);
        self.last_success.render(&mut out);
        self.articles_fetched.render(&mut out);
        self.articles_new.render(&mut out);
        self.breach_articles.render(&mut out);
        self.breach_reports.render(&mut out);
        self.incidents_written.render(&mut out);
        self.incidents.render(&mut out);
        self.articles.render(&mut out);
        self.alert_deliveries.render(&mut out);
        self.http_requests.render(&mut out);
        self.http_duration.render(&mut out);
        out
    }
}

fn timestamp_seconds(t: chrono::DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 1000.0
}

/// The `method` label: a standard method by name, anything else `OTHER` (clients choose
/// methods; a label must not take whatever they send).
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}

/// Middleware: counts every request by method, route template and status, and observes its
/// latency. Added with `Router::layer`, so it runs after routing and sees [`MatchedPath`].
pub async fn track_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| UNMATCHED_ROUTE.to_string(), |p| p.as_str().to_string());
    let response = next.run(req).await;
    state.metrics.http_request(
        method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// `GET /metrics`.
pub async fn handler(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let (incidents, articles) =
        tokio::task::spawn_blocking(move || (store.incident_count(), store.article_count()))
            .await?;
    state.metrics.set_store_counts(incidents, articles);
    Ok((
        [(header::CONTENT_TYPE, prom::CONTENT_TYPE)],
        state.metrics.render(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poll::{FailureKind, PollDetail};

    fn config() -> Config {
        Config::from_toml(
            r#"
[[source]]
id = "a"
kind = "feed"
url = "https://a.example/feed.xml"
[[source]]
id = "off"
kind = "feed"
url = "https://off.example/feed.xml"
enabled = false
"#,
        )
        .unwrap()
    }

    fn report(id: &str, outcome: SourceOutcome, detail: PollDetail) -> SourceReport {
        SourceReport {
            id: id.into(),
            outcome,
            warnings: Vec::new(),
            next_due: Utc::now(),
            detail,
        }
    }

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    #[test]
    fn enabled_sources_are_listed_at_zero_before_any_poll() {
        let text = Metrics::new(&config()).render();
        let l = lines(&text);
        assert!(l.contains(&"breachwatch_source_polls_total{source=\"a\"} 0"));
        assert!(l.contains(&"breachwatch_articles_new_total{source=\"a\"} 0"));
        assert!(!text.contains("source=\"off\""), "{text}");
        // Every family has its header even without series.
        for name in [
            "breachwatch_source_poll_failures_total counter",
            "breachwatch_source_last_success_timestamp_seconds gauge",
            "breachwatch_alert_deliveries_total counter",
            "breachwatch_http_request_duration_seconds histogram",
        ] {
            assert!(l.contains(&format!("# TYPE {name}").as_str()), "{name}");
        }
    }

    #[test]
    fn polls_count_articles_reports_and_failures_by_kind() {
        let m = Metrics::new(&config());
        let before = Utc::now().timestamp() as f64;
        m.record_poll(&report(
            "a",
            SourceOutcome::Fetched {
                items: 5,
                new: 3,
                relevant: 2,
            },
            PollDetail {
                reports: 4,
                incidents: 2,
                failure: None,
            },
        ));
        m.record_poll(&report(
            "a",
            SourceOutcome::Unchanged,
            PollDetail::default(),
        ));
        for _ in 0..2 {
            m.record_poll(&report(
                "a",
                SourceOutcome::Error("HTTP 503".into()),
                PollDetail {
                    failure: Some(FailureKind::Status(503)),
                    ..PollDetail::default()
                },
            ));
        }
        m.record_poll(&report(
            "a",
            SourceOutcome::Error("timed out".into()),
            PollDetail {
                failure: Some(FailureKind::Timeout),
                ..PollDetail::default()
            },
        ));

        let text = m.render();
        let l = lines(&text);
        for expected in [
            "breachwatch_source_polls_total{source=\"a\"} 5",
            "breachwatch_source_poll_failures_total{source=\"a\",kind=\"http_503\"} 2",
            "breachwatch_source_poll_failures_total{source=\"a\",kind=\"timeout\"} 1",
            "breachwatch_articles_fetched_total{source=\"a\"} 5",
            "breachwatch_articles_new_total{source=\"a\"} 3",
            "breachwatch_breach_articles_total{source=\"a\"} 2",
            "breachwatch_breach_reports_total{source=\"a\"} 4",
            "breachwatch_incidents_written_total{source=\"a\"} 2",
        ] {
            assert!(l.contains(&expected), "missing {expected:?} in\n{text}");
        }
        let last = m.last_success.get(["a"]).unwrap();
        assert!(last >= before && last <= Utc::now().timestamp() as f64 + 1.0);
    }

    #[test]
    fn alert_deliveries_and_requests_are_counted_by_their_labels() {
        let m = Metrics::default();
        m.alert_delivered("kent-federation", AlertOutcome::Delivered);
        m.alert_delivered("kent-federation", AlertOutcome::Failed);
        m.alert_delivered("kent-federation", AlertOutcome::Delivered);
        m.http_request("GET", "/api/incidents/{id}", 404, Duration::from_millis(3));
        m.http_request("GET", "/api/incidents/{id}", 200, Duration::from_millis(30));
        m.set_store_counts(12, 40);

        let text = m.render();
        let l = lines(&text);
        for expected in [
            "breachwatch_alert_deliveries_total{alert=\"kent-federation\",outcome=\"delivered\"} 2",
            "breachwatch_alert_deliveries_total{alert=\"kent-federation\",outcome=\"failed\"} 1",
            "breachwatch_http_requests_total{method=\"GET\",route=\"/api/incidents/{id}\",status=\"200\"} 1",
            "breachwatch_http_requests_total{method=\"GET\",route=\"/api/incidents/{id}\",status=\"404\"} 1",
            "breachwatch_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/incidents/{id}\",le=\"0.005\"} 1",
            "breachwatch_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/incidents/{id}\",le=\"0.05\"} 2",
            "breachwatch_http_request_duration_seconds_count{method=\"GET\",route=\"/api/incidents/{id}\"} 2",
            "breachwatch_incidents 12",
            "breachwatch_articles 40",
        ] {
            assert!(l.contains(&expected), "missing {expected:?} in\n{text}");
        }
    }

    #[test]
    fn last_success_is_seeded_from_the_stored_source_state() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let when = chrono::DateTime::parse_from_rfc3339("2024-05-01T12:00:00.5Z")
            .unwrap()
            .with_timezone(&Utc);
        let state = crate::model::SourceState {
            last_success: Some(when),
            ..Default::default()
        };
        store.put_source_state("a", &state).unwrap();
        // A disabled source's state is left out, like the source itself.
        store.put_source_state("off", &state).unwrap();

        let m = Metrics::new(&config());
        m.seed_from_store(&config(), &store);

        let text = m.render();
        assert!(
            lines(&text).contains(
                &"breachwatch_source_last_success_timestamp_seconds{source=\"a\"} 1714564800.5"
            ),
            "{text}"
        );
        assert!(!text.contains("source=\"off\""), "{text}");
    }

    #[test]
    fn methods_outside_the_standard_set_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::POST), "POST");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "OTHER");
    }
}
