//! The HTTP surface: JSON API (`/api/...`), dashboard pages (`/`, `/incidents/{id}`,
//! `/sources`), Atom feeds (`/feeds/...`) and Prometheus metrics (`/metrics`). Read-only:
//! handlers only query the store.
//!
//! Query strings are parsed here (never by an extractor that answers in plain text), so a
//! malformed parameter is a JSON `bad_request`. Store scans run in `spawn_blocking`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, Uri};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{Config, SourceKind};
use crate::model::Incident;
use crate::model::{Cause, DataType};
use crate::query::{self, Filter, IncidentView, Period, TrendKey, TrendRow, When};
use crate::store::Store;

use super::error::{ApiError, PageError};
use super::metrics::{self, Metrics};
use super::{atom, page};

/// What every handler gets: the store, the configuration (for source health) and the
/// metrics.
#[derive(Clone)]
pub struct AppState {
    /// The database; reads only.
    pub store: Store,
    /// The configured sources, listed by `/api/sources` and `/sources`.
    pub config: Arc<Config>,
    /// What `/metrics` exposes; the same registry the scheduler records polls in.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// A state with fresh metrics for `config`'s sources.
    pub fn new(store: Store, config: Arc<Config>) -> AppState {
        let metrics = Arc::new(Metrics::new(&config));
        AppState {
            store,
            config,
            metrics,
        }
    }
}

/// The most incidents the dashboard lists at once (the API has no such cap).
pub const DASHBOARD_LIMIT: usize = 200;

/// The router of the service. Every request, the fallback's too, is counted in the metrics.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(dashboard))
        .route("/incidents/{id}", get(incident_page))
        .route("/sources", get(sources_page))
        .route("/api/incidents", get(api_incidents))
        .route("/api/incidents/{id}", get(api_incident))
        .route("/api/trends", get(api_trends))
        .route("/api/sources", get(api_sources))
        .route("/feeds/incidents.atom", get(feed_all))
        .route("/feeds/force/{file}", get(feed_force))
        .route("/metrics", get(metrics::handler))
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track_requests,
        ))
        .with_state(state)
}

/// Incident filters as query parameters, as given (empty values count as absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterParams {
    pub force: Option<String>,
    pub data_type: Option<String>,
    pub cause: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub q: Option<String>,
    pub limit: Option<String>,
}

/// Parses a query string into a map; a repeated key keeps its last value; empty values
/// are dropped (a GET form sends `force=` for "any").
fn params(raw: Option<String>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
        .collect()
}

impl FilterParams {
    fn from_query(raw: Option<String>) -> FilterParams {
        let mut p = params(raw);
        FilterParams {
            force: p.remove("force"),
            data_type: p.remove("data_type").or_else(|| p.remove("data-type")),
            cause: p.remove("cause"),
            since: p.remove("since"),
            until: p.remove("until"),
            q: p.remove("q").or_else(|| p.remove("search")),
            limit: p.remove("limit"),
        }
    }

    /// The filters, checked.
    ///
    /// # Errors
    ///
    /// `bad_request` for an unknown data type or cause, a malformed date or limit, or `since`
    /// after `until`.
    pub fn to_filter(&self) -> Result<Filter, ApiError> {
        let day = |v: &Option<String>, name: &str| {
            v.as_deref()
                .map(|s| {
                    crate::cli::parse_day(s)
                        .map_err(|e| ApiError::BadRequest(format!("{name}: {e:#}")))
                })
                .transpose()
        };
        let (since, until) = (day(&self.since, "since")?, day(&self.until, "until")?);
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(ApiError::BadRequest(format!(
                    "since {s} is after until {u}"
                )));
            }
        }
        Ok(Filter {
            force: self.force.clone(),
            data_type: self
                .data_type
                .as_deref()
                .map(|t| {
                    DataType::from_id(&t.replace('-', "_"))
                        .ok_or_else(|| ApiError::BadRequest(format!("unknown data type {t:?}")))
                })
                .transpose()?,
            cause: self
                .cause
                .as_deref()
                .map(|c| {
                    Cause::from_id(&c.replace('-', "_"))
                        .ok_or_else(|| ApiError::BadRequest(format!("unknown cause {c:?}")))
                })
                .transpose()?,
            since,
            until,
            text: self.q.clone(),
            limit: self
                .limit
                .as_deref()
                .map(|l| {
                    l.parse::<usize>().map_err(|_| {
                        ApiError::BadRequest(format!("limit {l:?} is not a whole number"))
                    })
                })
                .transpose()?,
        })
    }
}

/// Runs a store read off the async workers.
async fn blocking<T, F>(store: &Store, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(Store) -> Result<T, ApiError> + Send + 'static,
{
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(store)).await?
}

async fn api_incidents(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<IncidentView>>, ApiError> {
    let filter = FilterParams::from_query(raw).to_filter()?;
    let views = blocking(&state.store, move |store| {
        Ok(query::incidents(&store, &filter)?
            .iter()
            .map(IncidentView::from)
            .collect())
    })
    .await?;
    Ok(Json(views))
}

async fn load_incident(store: &Store, id: String) -> Result<Incident, ApiError> {
    blocking(store, move |store| {
        query::incident(&store, &id)?
            .ok_or_else(|| ApiError::NotFound(format!("no incident {id:?}")))
    })
    .await
}

async fn api_incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(load_incident(&state.store, id).await?))
}

/// Parses `by` (`force`, `data-type`, `cause`).
pub fn trend_key(s: &str) -> Result<TrendKey, ApiError> {
    match s {
        "force" => Ok(TrendKey::Force),
        "data-type" | "data_type" | "type" => Ok(TrendKey::DataType),
        "cause" => Ok(TrendKey::Cause),
        other => Err(ApiError::BadRequest(format!(
            "by {other:?} is not one of force, data-type, cause"
        ))),
    }
}

/// Parses `period` (`month`, `quarter`, `year`, `all`).
pub fn period(s: &str) -> Result<Period, ApiError> {
    match s {
        "month" => Ok(Period::Month),
        "quarter" => Ok(Period::Quarter),
        "year" => Ok(Period::Year),
        "all" => Ok(Period::All),
        other => Err(ApiError::BadRequest(format!(
            "period {other:?} is not one of month, quarter, year, all"
        ))),
    }
}

/// Parses `when` (`reported`, `occurred`).
pub fn trend_when(s: &str) -> Result<When, ApiError> {
    match s {
        "reported" => Ok(When::Reported),
        "occurred" => Ok(When::Occurred),
        other => Err(ApiError::BadRequest(format!(
            "when {other:?} is not one of reported, occurred"
        ))),
    }
}

async fn api_trends(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<TrendRow>>, ApiError> {
    let mut p = params(raw);
    let by = trend_key(p.get("by").map(String::as_str).unwrap_or("force"))?;
    let period = period(p.get("period").map(String::as_str).unwrap_or("year"))?;
    let when = trend_when(p.get("when").map(String::as_str).unwrap_or("reported"))?;
    let dates = FilterParams {
        since: p.remove("since"),
        until: p.remove("until"),
        ..FilterParams::default()
    }
    .to_filter()?;
    let rows = blocking(&state.store, move |store| {
        Ok(query::trends_when(
            &store,
            by,
            period,
            when,
            dates.since,
            dates.until,
        )?)
    })
    .await?;
    Ok(Json(rows))
}

/// One configured source and its polling state, as `/api/sources` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    pub id: String,
    pub name: String,
    pub url: String,
    /// `feed` or `html`.
    pub kind: String,
    pub enabled: bool,
    pub last_success: Option<DateTime<Utc>>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub last_error: Option<String>,
    pub next_due: Option<DateTime<Utc>>,
    pub items_seen: u64,
    pub articles_new: u64,
}

/// The health of every configured source, in config order.
///
/// # Errors
///
/// `internal` when a stored state cannot be read.
pub fn source_health(config: &Config, store: &Store) -> Result<Vec<SourceHealth>, ApiError> {
    config
        .sources
        .iter()
        .map(|s| {
            let state = store.source_state(&s.id)?.unwrap_or_default();
            Ok(SourceHealth {
                id: s.id.clone(),
                name: s.name.clone(),
                url: s.url.to_string(),
                kind: match s.kind {
                    SourceKind::Feed { .. } => "feed".into(),
                    SourceKind::Html(_) => "html".into(),
                },
                enabled: s.enabled,
                last_success: state.last_success,
                last_attempt: state.last_attempt,
                consecutive_failures: state.consecutive_failures,
                last_error: state.last_error,
                next_due: state.next_due,
                items_seen: state.items_seen,
                articles_new: state.articles_new,
            })
        })
        .collect()
}

async fn api_sources(State(state): State<AppState>) -> Result<Json<Vec<SourceHealth>>, ApiError> {
    let config = state.config.clone();
    let health = blocking(&state.store, move |store| source_health(&config, &store)).await?;
    Ok(Json(health))
}

async fn sources_page(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    let config = state.config.clone();
    let health = blocking(&state.store, move |store| source_health(&config, &store)).await?;
    Ok(Html(page::sources_page(&health)))
}

async fn incident_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let inc = load_incident(&state.store, id).await?;
    Ok(Html(page::incident_page(&inc)))
}

fn totals(rows: &[TrendRow]) -> Vec<(String, u64)> {
    let mut map: std::collections::BTreeMap<String, u64> = Default::default();
    for r in rows {
        *map.entry(r.key.clone()).or_default() += r.incidents;
    }
    map.into_iter().collect()
}

async fn dashboard(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let params = FilterParams::from_query(raw);
    let (mut filter, filter_error) = match params.to_filter() {
        Ok(f) => (f, None),
        Err(e) => (Filter::default(), Some(e.to_string())),
    };
    let shown = filter.limit.unwrap_or(DASHBOARD_LIMIT).min(DASHBOARD_LIMIT);
    filter.limit = None;
    let data = blocking(&state.store, move |store| {
        let matched = query::incidents(&store, &filter)?;
        let (since, until) = (filter.since, filter.until);
        let by_force_all = query::trends(&store, TrendKey::Force, Period::All, since, until)?;
        let by_type = query::trends(&store, TrendKey::DataType, Period::All, since, until)?;
        let by_cause = query::trends(&store, TrendKey::Cause, Period::All, since, until)?;
        let yearly = query::trends(&store, TrendKey::Force, Period::Year, since, until)?;
        let mut years: Vec<&str> = yearly.iter().map(|r| r.period.as_str()).collect();
        years.dedup();
        // A year or two of data reads better per quarter.
        let (time_period, period, over_time) = if years.len() <= 2 {
            let rows = query::trends(&store, TrendKey::Force, Period::Quarter, since, until)?;
            ("quarter", Period::Quarter, rows)
        } else {
            ("year", Period::Year, yearly)
        };
        let per_period = query::trends(&store, TrendKey::Cause, period, since, until)?;
        Ok((
            matched,
            by_force_all,
            by_type,
            by_cause,
            time_period,
            over_time,
            per_period,
            store.incident_count(),
        ))
    })
    .await?;
    let (matched, by_force_all, by_type, by_cause, time_period, over_time, per_period, total) =
        data;
    let forces: Vec<(String, String)> = {
        let mut names: std::collections::BTreeMap<String, String> = Default::default();
        for inc in &matched {
            for (id, name) in inc.forces.iter().zip(page::force_labels(inc)) {
                names.insert(id.clone(), name);
            }
        }
        for r in &by_force_all {
            names.entry(r.key.clone()).or_insert_with(|| {
                crate::extract::force_name(&r.key)
                    .map(str::to_string)
                    .unwrap_or_else(|| r.key.clone())
            });
        }
        let mut v: Vec<(String, String)> = names.into_iter().collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    };
    let force_name = |id: &str| {
        forces
            .iter()
            .find(|f| f.0 == id)
            .map(|f| f.1.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let by_force: Vec<(String, u64)> = totals(&by_force_all)
        .into_iter()
        .map(|(k, n)| (force_name(&k), n))
        .collect();
    let people_affected = by_cause.iter().map(|r| r.people_affected).sum();
    let list: Vec<Incident> = matched.iter().take(shown).cloned().collect();
    let d = page::Dashboard {
        incidents: &list,
        matched: matched.len(),
        total_incidents: total,
        over_time: &over_time,
        per_period: &per_period,
        time_period,
        by_force,
        by_type: totals(&by_type)
            .into_iter()
            .map(|(k, n)| (page::words(&k), n))
            .collect(),
        by_cause: totals(&by_cause)
            .into_iter()
            .map(|(k, n)| (page::words(&k), n))
            .collect(),
        people_affected,
        forces,
        params: &params,
        filter_error,
    };
    Ok(Html(page::dashboard(&d)))
}

/// `http://host` as the client addressed us, for absolute links in feeds.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

fn atom_response(xml: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

async fn feed_all(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let base = base_url(&headers);
    let incidents = blocking(&state.store, |store| {
        Ok(query::incidents(&store, &Filter::default())?)
    })
    .await?;
    Ok(atom_response(atom::incidents_feed(&base, None, incidents)))
}

async fn feed_force(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let force = file
        .strip_suffix(".atom")
        .filter(|f| !f.is_empty())
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no feed {file:?}; try /feeds/force/<force-id>.atom"
            ))
        })?
        .to_string();
    let base = base_url(&headers);
    let filter = Filter {
        force: Some(force.clone()),
        ..Filter::default()
    };
    let incidents = blocking(&state.store, move |store| {
        Ok(query::incidents(&store, &filter)?)
    })
    .await?;
    Ok(atom_response(atom::incidents_feed(
        &base,
        Some(&force),
        incidents,
    )))
}

async fn fallback(uri: Uri) -> Response {
    let error = ApiError::NotFound(format!("no such path {}", uri.path()));
    if uri.path().starts_with("/api/") || uri.path().starts_with("/feeds/") {
        error.into_response()
    } else {
        error.into_html()
    }
}
