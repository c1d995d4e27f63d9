//! The HTTP surface: JSON API (`/api/...`), dashboard pages (`/`, `/incidents/{id}`,
//! `/sources`), Atom feeds (`/feeds/...`) and Prometheus metrics (`/metrics`). Read-only:
//! handlers only query the store; the analysts' corrections are written by the routes of
//! `writes.rs`, merged in here.
//!
//! Query strings are parsed here (never by an extractor that answers in plain text), so a
//! malformed parameter is a JSON `bad_request`. Store scans run in `spawn_blocking`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{Config, SourceKind};
use crate::model::Incident;
use crate::query::review::{self, ReviewItem};
use crate::query::{self, Filter, FilterSpec, IncidentView};
use crate::query::{Period, TrendKey, TrendQuery, TrendRow, When};
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
        .route("/review", get(review_page))
        .route("/api/review", get(api_review))
        .route("/api/incidents", get(api_incidents))
        .route("/api/incidents/{id}", get(api_incident))
        .route("/api/trends", get(api_trends))
        .route("/api/sources", get(api_sources))
        .route("/feeds/incidents.atom", get(atom::feed_all))
        .route("/feeds/force/{file}", get(atom::feed_force))
        .route("/metrics", get(metrics::handler))
        .merge(super::writes::routes())
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track_requests,
        ))
        .with_state(state)
}

/// Parses a query string into a map; a repeated key keeps its last value; empty values
/// are dropped (a GET form sends `force=` for "any").
fn params(raw: Option<String>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
        .collect()
}

/// The incident filters of a query string, as given, for [`FilterSpec::parse`] (which the
/// command line uses too): `force`, `data_type` (or `data-type`), `cause`, `since`, `until`,
/// `q` (or `search`) and `limit`.
pub fn filter_spec(raw: Option<String>) -> FilterSpec {
    let mut params = params(raw);
    FilterSpec {
        force: params.remove("force"),
        data_type: params
            .remove("data_type")
            .or_else(|| params.remove("data-type")),
        cause: params.remove("cause"),
        since: params.remove("since"),
        until: params.remove("until"),
        text: params.remove("q").or_else(|| params.remove("search")),
        limit: params.remove("limit"),
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
    let filter = filter_spec(raw).parse()?;
    let views = blocking(&state.store, move |store| {
        Ok(query::incidents(&store, &filter)?
            .iter()
            .map(IncidentView::from)
            .collect())
    })
    .await?;
    Ok(Json(views))
}

async fn api_incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<query::IncidentDetail>, ApiError> {
    Ok(Json(load_detail(&state.store, id).await?))
}

/// The incident with what analysts did to it (see [`query::incident_detail`]).
async fn load_detail(store: &Store, id: String) -> Result<query::IncidentDetail, ApiError> {
    blocking(store, move |store| {
        query::incident_detail(&store, &id)?
            .ok_or_else(|| ApiError::NotFound(format!("no incident {id:?}")))
    })
    .await
}

/// A `bad_request` for a parameter `name` whose `value` is none of `ids`.
fn not_one_of<const N: usize>(name: &str, value: &str, ids: [&str; N]) -> ApiError {
    ApiError::BadRequest(format!("{name} {value:?} is not one of {}", ids.join(", ")))
}

async fn api_trends(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<TrendRow>>, ApiError> {
    let mut params = params(raw);
    let param = |name: &str, default: &'static str| {
        params
            .get(name)
            .map(String::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let by_id = param("by", TrendKey::Force.id());
    let by = TrendKey::from_id(&by_id)
        .ok_or_else(|| not_one_of("by", &by_id, TrendKey::ALL.map(TrendKey::id)))?;
    let period_id = param("period", Period::Year.id());
    let period = Period::from_id(&period_id)
        .ok_or_else(|| not_one_of("period", &period_id, Period::ALL.map(Period::id)))?;
    let when_id = param("when", When::Reported.id());
    let when = When::from_id(&when_id)
        .ok_or_else(|| not_one_of("when", &when_id, When::ALL.map(When::id)))?;
    let dates = FilterSpec {
        since: params.remove("since"),
        until: params.remove("until"),
        ..FilterSpec::default()
    }
    .parse()?;
    let query = TrendQuery {
        by,
        period,
        when,
        since: dates.since,
        until: dates.until,
    };
    let rows = blocking(&state.store, move |store| {
        Ok(query::trends_for(&store, &query)?)
    })
    .await?;
    Ok(Json(rows))
}

/// One configured source and its polling state, as `/api/sources` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    /// The source's id in the config.
    pub id: String,
    /// Its name for people.
    pub name: String,
    /// What is polled.
    pub url: String,
    /// `feed` or `html`.
    pub kind: String,
    /// Whether it is polled at all.
    pub enabled: bool,
    /// When a poll last succeeded.
    pub last_success: Option<DateTime<Utc>>,
    /// When it was last polled, successfully or not.
    pub last_attempt: Option<DateTime<Utc>>,
    /// Failed polls since the last success.
    pub consecutive_failures: u32,
    /// Why the last poll failed, when it did.
    pub last_error: Option<String>,
    /// When it is polled next.
    pub next_due: Option<DateTime<Utc>>,
    /// Items its polls have listed, all told.
    pub items_seen: u64,
    /// New articles its polls have stored, all told.
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
    let detail = load_detail(&state.store, id).await?;
    Ok(Html(page::incident_page(&detail)))
}

/// Incidents per key over every period of `rows`, by key.
fn totals(rows: &[TrendRow]) -> Vec<(String, u64)> {
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows {
        *totals.entry(row.key.clone()).or_default() += row.incidents;
    }
    totals.into_iter().collect()
}

/// What the dashboard reads from the store for one set of filters.
struct DashboardData {
    /// Every incident matching the filters (no limit), newest first.
    matched: Vec<Incident>,
    /// Trend rows by force, all time (within the filters' dates).
    by_force: Vec<TrendRow>,
    /// Trend rows by data type, likewise.
    by_type: Vec<TrendRow>,
    /// Trend rows by cause, likewise.
    by_cause: Vec<TrendRow>,
    /// `year`, or `quarter` when the data spans a year or two.
    time_period: &'static str,
    /// Trend rows by force per `time_period`.
    over_time: Vec<TrendRow>,
    /// Trend rows by cause per `time_period`.
    per_period: Vec<TrendRow>,
    /// Every incident in the store.
    total_incidents: usize,
}

/// Reads what the dashboard shows for `filter` (whose limit is ignored).
fn dashboard_data(store: &Store, filter: &Filter) -> Result<DashboardData, ApiError> {
    let matched = query::incidents(store, filter)?;
    let (since, until) = (filter.since, filter.until);
    let trend = |by, period| query::trends(store, by, period, since, until);
    let yearly = trend(TrendKey::Force, Period::Year)?;
    let mut years: Vec<&str> = yearly.iter().map(|r| r.period.as_str()).collect();
    years.dedup();
    // A year or two of data reads better per quarter.
    let (time_period, period, over_time) = if years.len() <= 2 {
        let quarterly = trend(TrendKey::Force, Period::Quarter)?;
        ("quarter", Period::Quarter, quarterly)
    } else {
        ("year", Period::Year, yearly)
    };
    Ok(DashboardData {
        matched,
        by_force: trend(TrendKey::Force, Period::All)?,
        by_type: trend(TrendKey::DataType, Period::All)?,
        by_cause: trend(TrendKey::Cause, Period::All)?,
        time_period,
        over_time,
        per_period: trend(TrendKey::Cause, period)?,
        total_incidents: store.incident_count(),
    })
}

/// The forces of the filter menu, `(id, name)` by name: those of the matched incidents
/// (named as they name them) and those with incidents in the trend rows `by_force`.
fn force_menu(matched: &[Incident], by_force: &[TrendRow]) -> Vec<(String, String)> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for incident in matched {
        for (id, name) in incident.forces.iter().zip(page::force_labels(incident)) {
            names.insert(id.clone(), name);
        }
    }
    for row in by_force {
        names.entry(row.key.clone()).or_insert_with(|| {
            crate::extract::force_name(&row.key)
                .map(str::to_string)
                .unwrap_or_else(|| row.key.clone())
        });
    }
    let mut menu: Vec<(String, String)> = names.into_iter().collect();
    menu.sort_by(|a, b| a.1.cmp(&b.1));
    menu
}

async fn dashboard(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let params = filter_spec(raw);
    let (mut filter, filter_error) = match params.parse() {
        Ok(filter) => (filter, None),
        Err(error) => (Filter::default(), Some(ApiError::from(error).to_string())),
    };
    let shown = filter.limit.unwrap_or(DASHBOARD_LIMIT).min(DASHBOARD_LIMIT);
    filter.limit = None;
    let data = blocking(&state.store, move |store| dashboard_data(&store, &filter)).await?;
    let forces = force_menu(&data.matched, &data.by_force);
    let force_name = |id: &str| {
        forces
            .iter()
            .find(|(force_id, _)| force_id == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let by_force: Vec<(String, u64)> = totals(&data.by_force)
        .into_iter()
        .map(|(id, incidents)| (force_name(&id), incidents))
        .collect();
    let in_words = |rows: &[TrendRow]| -> Vec<(String, u64)> {
        totals(rows)
            .into_iter()
            .map(|(id, incidents)| (page::words(&id), incidents))
            .collect()
    };
    let shown_incidents: Vec<Incident> = data.matched.iter().take(shown).cloned().collect();
    let dashboard = page::Dashboard {
        incidents: &shown_incidents,
        matched: data.matched.len(),
        total_incidents: data.total_incidents,
        over_time: &data.over_time,
        per_period: &data.per_period,
        time_period: data.time_period,
        by_force,
        by_type: in_words(&data.by_type),
        by_cause: in_words(&data.by_cause),
        people_affected: data.by_cause.iter().map(|r| r.people_affected).sum(),
        forces,
        params: &params,
        filter_error,
    };
    Ok(Html(page::dashboard(&dashboard)))
}

/// The review queue, looking at `?recent=` (default 1000) recently stored articles.
async fn review_items(
    store: &Store,
    raw: Option<String>,
) -> Result<(Vec<ReviewItem>, usize), ApiError> {
    let recent = match params(raw).remove("recent") {
        Some(n) => n
            .parse::<usize>()
            .map_err(|_| ApiError::BadRequest(format!("recent {n:?} is not a whole number")))?,
        None => review::Window::default().recent_articles,
    };
    let window = review::Window {
        recent_articles: recent,
    };
    let items = blocking(store, move |store| {
        Ok(review::collect(&store, window, page::review::judge)?)
    })
    .await?;
    Ok((items, recent))
}

async fn api_review(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<ReviewItem>>, ApiError> {
    Ok(Json(review_items(&state.store, raw).await?.0))
}

async fn review_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let (items, recent) = review_items(&state.store, raw).await?;
    Ok(Html(page::review_page(&items, recent)))
}

async fn fallback(uri: Uri) -> Response {
    let error = ApiError::NotFound(format!("no such path {}", uri.path()));
    if uri.path().starts_with("/api/") || uri.path().starts_with("/feeds/") {
        error.into_response()
    } else {
        error.into_html()
    }
}
