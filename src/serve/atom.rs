//! Atom 1.0 feeds of incidents (`/feeds/incidents.atom`, `/feeds/force/{id}.atom`), built
//! with atom_syndication. One entry per incident, most recently updated first. An entry's
//! id never changes (`tag:breachwatch,2023:incident/<id>`) and its `updated` is the
//! incident's `last_reported`, so a reader shows an incident again when it gains a source
//! or a development.
//!
//! # Polled cheaply
//!
//! Each answer carries an `ETag` (a hash of the feed) and a `Last-Modified` (when this feed,
//! with these parameters, last changed in this process); a reader that sends them back
//! (`If-None-Match`, `If-Modified-Since`) gets `304 Not Modified` and no body while nothing
//! changed. `If-None-Match` wins when both come (RFC 9110). A feed lists the latest
//! [`DEFAULT_LIMIT`] entries (`?limit=`, at most [`MAX_LIMIT`]); `/feeds/incidents.atom`
//! takes the filters of `/api/incidents`. Links are under `[settings] public_url` when set,
//! else the request's host; a source link that is not http(s) is left out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use sha2::{Digest, Sha256};

use crate::model::Incident;
use crate::query::{self, FilterError};

use super::error::ApiError;
use super::page;
use super::routes::{filter_spec, AppState};

/// Entries a feed lists when `?limit=` does not say.
pub const DEFAULT_LIMIT: usize = 50;
/// The most entries a feed lists, whatever `?limit=` says.
pub const MAX_LIMIT: usize = 500;

/// The stable Atom id of an incident's entry.
pub fn entry_id(incident_id: &str) -> String {
    format!("tag:breachwatch,2023:incident/{incident_id}")
}

/// The id of a feed: all incidents, or one force's.
pub fn feed_id(force: Option<&str>) -> String {
    match force {
        None => "tag:breachwatch,2023:incidents".into(),
        Some(f) => format!("tag:breachwatch,2023:force/{f}"),
    }
}

fn link(href: String, rel: &str, mime: Option<&str>, title: Option<String>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l.set_title(title);
    l
}

/// The entry summary: forces, data types, affected and cause in one line of plain text.
pub fn summary(inc: &Incident) -> String {
    let forces = page::force_labels(inc).join(", ");
    let types = if inc.data_types.is_empty() {
        "not stated".to_string()
    } else {
        inc.data_types
            .iter()
            .map(|t| page::words(t.id()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let affected = inc
        .affected
        .as_ref()
        .map(page::affected_text)
        .unwrap_or_else(|| "not stated".into());
    let mut s = format!(
        "Forces: {forces}. Data exposed: {types}. Affected: {affected}. Cause: {}.",
        page::words(inc.cause.id())
    );
    if let Some(supplier) = &inc.supplier {
        s.push_str(&format!(" At supplier: {supplier}."));
    }
    s.push_str(&format!(
        " Reported by {} source(s); {} later development(s).",
        inc.sources.len(),
        inc.timeline.len()
    ));
    s
}

fn entry(base: &str, inc: &Incident) -> Entry {
    let mut e = Entry::default();
    e.set_id(entry_id(&inc.id));
    e.set_title(Text::plain(inc.title.clone()));
    e.set_updated(inc.last_reported);
    e.set_published(Some(inc.first_reported));
    e.set_summary(Some(Text::plain(summary(inc))));
    let mut links = vec![link(
        format!("{base}/incidents/{}", page::segment(&inc.id)),
        "alternate",
        Some("text/html"),
        None,
    )];
    // Article URLs come from feeds: only http(s) ones become links.
    for s in inc.sources.iter().filter(|s| is_web_url(&s.url)) {
        links.push(link(s.url.clone(), "related", None, Some(s.title.clone())));
    }
    e.set_links(links);
    let mut categories = Vec::new();
    for (scheme, term) in inc
        .forces
        .iter()
        .map(|f| ("force", f.as_str()))
        .chain(inc.data_types.iter().map(|t| ("data_type", t.id())))
        .chain(std::iter::once(("cause", inc.cause.id())))
    {
        let mut c = Category::default();
        c.set_term(term.to_string());
        c.set_scheme(Some(format!("tag:breachwatch,2023:{scheme}")));
        categories.push(c);
    }
    e.set_categories(categories);
    e
}

/// The feed of `incidents` (all of them, or those of `force`), most recently updated first,
/// with links under `base` (e.g. `http://127.0.0.1:8080`).
pub fn incidents_feed(base: &str, force: Option<&str>, mut incidents: Vec<Incident>) -> String {
    incidents.sort_by(|a, b| {
        b.last_reported
            .cmp(&a.last_reported)
            .then(b.first_reported.cmp(&a.first_reported))
            .then(a.id.cmp(&b.id))
    });
    let mut feed = Feed::default();
    feed.set_id(feed_id(force));
    let (title, self_path, html_path) = match force {
        None => (
            "breachwatch: police data breach incidents".to_string(),
            "/feeds/incidents.atom".to_string(),
            "/".to_string(),
        ),
        Some(f) => {
            let name = incidents
                .iter()
                .find_map(|i| {
                    let pos = i.forces.iter().position(|x| x == f)?;
                    page::force_labels(i).get(pos).cloned()
                })
                .or_else(|| crate::extract::force_name(f).map(str::to_string))
                .unwrap_or_else(|| f.to_string());
            (
                format!("breachwatch: data breach incidents at {name}"),
                format!("/feeds/force/{}.atom", page::segment(f)),
                format!("/?force={}", page::segment(f)),
            )
        }
    };
    feed.set_title(Text::plain(title));
    let epoch: DateTime<FixedOffset> = Utc.timestamp_opt(0, 0).unwrap().fixed_offset();
    feed.set_updated(
        incidents
            .iter()
            .map(|i| i.last_reported)
            .max()
            .unwrap_or(epoch),
    );
    feed.set_links(vec![
        link(
            format!("{base}{self_path}"),
            "self",
            Some("application/atom+xml"),
            None,
        ),
        link(
            format!("{base}{html_path}"),
            "alternate",
            Some("text/html"),
            None,
        ),
    ]);
    let mut author = Person::default();
    author.set_name("breachwatch");
    feed.set_authors(vec![author]);
    let mut generator = Generator::default();
    generator.set_value("breachwatch");
    generator.set_version(Some(env!("CARGO_PKG_VERSION").to_string()));
    feed.set_generator(Some(generator));
    feed.set_entries(incidents.iter().map(|i| entry(base, i)).collect::<Vec<_>>());
    feed.to_string()
}

/// Whether `url` is an absolute http(s) URL (never `javascript:`, `data:`...).
pub fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Where links point: `public_url`, else `http://host` as the client addressed us.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(public) = &state.config.settings.public_url {
        return public.clone();
    }
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

/// `GET /feeds/incidents.atom[?force=&data_type=&cause=&since=&until=&q=&limit=]`.
pub async fn feed_all(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let key = format!("/feeds/incidents.atom?{}", raw.as_deref().unwrap_or(""));
    feed(state, None, raw, headers, key).await
}

/// `GET /feeds/force/{force_id}.atom[?limit=]` (and the other filters).
pub async fn feed_force(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
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
    let key = format!("/feeds/force/{file}?{}", raw.as_deref().unwrap_or(""));
    feed(state, Some(force), raw, headers, key).await
}

async fn feed(
    state: AppState,
    force: Option<String>,
    raw: Option<String>,
    headers: HeaderMap,
    key: String,
) -> Result<Response, ApiError> {
    let mut spec = filter_spec(raw);
    let limit = match spec.limit.take() {
        Some(l) => l
            .parse::<usize>()
            .map_err(|_| FilterError::BadLimit(l.clone()))?
            .clamp(1, MAX_LIMIT),
        None => DEFAULT_LIMIT,
    };
    if force.is_some() {
        spec.force = force.clone();
    }
    let filter = spec.parse()?;
    let base = base_url(&state, &headers);
    let store = state.store.clone();
    let xml = tokio::task::spawn_blocking(move || -> Result<String, ApiError> {
        let mut incidents = query::incidents(&store, &filter)?;
        newest_updated_first(&mut incidents);
        incidents.truncate(limit);
        Ok(incidents_feed(&base, force.as_deref(), incidents))
    })
    .await??;
    Ok(conditional(&headers, &key, xml))
}

fn newest_updated_first(incidents: &mut [Incident]) {
    incidents.sort_by(|a, b| {
        b.last_reported
            .cmp(&a.last_reported)
            .then(b.first_reported.cmp(&a.first_reported))
            .then(a.id.cmp(&b.id))
    });
}

/// When each feed (path and query) last changed, with the ETag it then got. Bounded: when
/// full it starts again (a forgotten feed is answered in full once more).
static CHANGED: Mutex<Option<HashMap<String, (String, SystemTime)>>> = Mutex::new(None);
const REMEMBERED_FEEDS: usize = 1024;

/// The answer for `xml`: 304 when the request's validators still hold, else the feed, both
/// with `ETag` and `Last-Modified`.
fn conditional(headers: &HeaderMap, key: &str, xml: String) -> Response {
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(xml.as_bytes())[..16]));
    let changed = {
        let mut map = CHANGED.lock().unwrap_or_else(|e| e.into_inner());
        let map = map.get_or_insert_with(HashMap::new);
        if map.len() >= REMEMBERED_FEEDS && !map.contains_key(key) {
            map.clear();
        }
        let entry = map
            .entry(key.to_string())
            .or_insert_with(|| (etag.clone(), SystemTime::now()));
        if entry.0 != etag {
            *entry = (etag.clone(), SystemTime::now());
        }
        entry.1
    };
    let last_modified = httpdate::fmt_http_date(changed);
    let fresh = match headers.get(header::IF_NONE_MATCH) {
        Some(tags) => tags.to_str().is_ok_and(|tags| {
            tags.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
        }),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            // Last-Modified has whole seconds: compare at that precision.
            .is_some_and(|since| {
                httpdate::parse_http_date(&last_modified).is_ok_and(|lm| lm <= since)
            }),
    };
    let validators = [
        (
            header::ETAG,
            HeaderValue::from_str(&etag).expect("hex is a header value"),
        ),
        (
            header::LAST_MODIFIED,
            HeaderValue::from_str(&last_modified).expect("an HTTP date is a header value"),
        ),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    (
        validators,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        xml,
    )
        .into_response()
}
