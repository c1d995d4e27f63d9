//! HTTP fetching: the only module that knows reqwest.
//!
//! One shared client (timeouts, named User-Agent, gzip/brotli/deflate, a redirect limit), a
//! global concurrency limit plus a per-host one, conditional GET from stored validators, and a
//! body-size cap enforced while streaming: a 2 GiB body or a gzip bomb is cut off at the cap,
//! never read into memory.

pub mod challenge;
pub mod charset;
pub mod polite;
pub mod robots;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use reqwest::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::config::Settings;

/// Why a fetch failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// The request did not complete in time (connect or total).
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// DNS, connection refused, TLS or a broken stream.
    #[error("connection failed: {0}")]
    Connect(String),
    /// The server answered with an error status.
    #[error("HTTP {status}")]
    Status {
        /// The status code.
        status: u16,
        /// From `Retry-After` on 429 and 503.
        retry_after: Option<Duration>,
    },
    /// The body exceeded the configured cap (after decompression).
    #[error("body larger than {limit} bytes")]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// More redirects than allowed.
    #[error("too many redirects")]
    Redirects,
    /// A bot-protection page (a CDN or firewall challenge) instead of the content, whatever
    /// its status: never read as a feed or page with no items.
    #[error("{challenge}")]
    Blocked {
        /// The HTTP status the challenge came with.
        status: u16,
        /// Whose challenge it was.
        challenge: challenge::Challenge,
    },
    /// The host's robots.txt asks us not to fetch the page, or could not be fetched, which
    /// means stay out for now (RFC 9309). Only pages the poller follows are checked.
    #[error("{}", if *.unreachable { "robots.txt unreachable: staying out" } else { "disallowed by robots.txt" })]
    Disallowed {
        /// robots.txt could not be fetched (the host is down or failing).
        unreachable: bool,
    },
    /// Anything else reqwest reports.
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// Whether the server asked us to slow down, and for how long.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Validators from the previous successful fetch of a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// A successful response.
// One value per request, moved straight into its match: boxing the body would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: the stored copy is current.
    NotModified,
    /// A full body.
    Body(Body),
}

/// A response body with the metadata the poller keeps.
#[derive(Debug, Clone)]
pub struct Body {
    /// The HTTP status (a success).
    pub status: u16,
    /// The body, decompressed, at most the cap.
    pub bytes: Vec<u8>,
    /// The URL after redirects: relative links resolve against it.
    pub final_url: Url,
    /// For the next conditional GET.
    pub validators: Validators,
    /// `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// `Cache-Control: max-age`, a floor for the polling interval.
    pub max_age: Option<Duration>,
}

/// How much of an error response is read to tell a challenge page.
const CHALLENGE_PEEK: usize = 64 * 1024;

/// Limits for one request.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    /// Time the whole request may take.
    pub timeout: Duration,
    /// Cap on the body, after decompression.
    pub max_body_bytes: u64,
}

/// A shared HTTP client with global and per-host concurrency limits, a least gap between
/// requests to one host, and robots.txt for followed pages ([`polite`]).
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    global: Arc<Semaphore>,
    per_host: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    per_host_limit: usize,
    polite: Arc<polite::Politeness>,
    respect_robots: bool,
}

/// The limits robots.txt is fetched with.
const ROBOTS_LIMITS: RequestLimits = RequestLimits {
    timeout: Duration::from_secs(15),
    max_body_bytes: 512 * 1024,
};

impl Fetcher {
    /// Builds the client from settings.
    pub fn new(settings: &Settings) -> Result<Fetcher, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(settings.max_redirects))
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()
            .map_err(|e| FetchError::Other(e.to_string()))?;
        Ok(Fetcher {
            client,
            global: Arc::new(Semaphore::new(settings.max_concurrent_fetches)),
            per_host: Arc::new(Mutex::new(HashMap::new())),
            per_host_limit: settings.per_host_concurrency,
            polite: Arc::new(polite::Politeness::new(settings.min_host_delay)),
            respect_robots: settings.respect_robots,
        })
    }

    async fn permits(&self, url: &Url) -> (OwnedSemaphorePermit, OwnedSemaphorePermit) {
        let host = polite::host_key(url);
        let host_sem = {
            let mut map = self.per_host.lock().expect("per-host map lock");
            map.entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host_limit)))
                .clone()
        };
        // Per-host first, and the host's turn, so a slow or rate-limited host does not hold
        // global slots while it waits.
        let h = host_sem
            .acquire_owned()
            .await
            .expect("semaphore never closed");
        self.polite.wait_turn(url).await;
        let g = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore never closed");
        (h, g)
    }

    /// GETs a page the poller follows (an article a feed item or a listing links to): as
    /// [`Fetcher::get`], after checking the host's robots.txt ([`FetchError::Disallowed`]).
    pub async fn get_page(&self, url: &Url, limits: RequestLimits) -> Result<Fetched, FetchError> {
        if self.respect_robots {
            let rules = self.robots(url).await;
            if !rules.allowed(&path_and_query(url)) {
                return Err(FetchError::Disallowed {
                    unreachable: rules.is_closed(),
                });
            }
        }
        self.get(url, None, limits).await
    }

    /// The rules of `url`'s host's robots.txt for us (fetched once per host and kept a day;
    /// see [`robots`] for what an error answer means).
    pub async fn robots(&self, url: &Url) -> robots::Robots {
        self.polite
            .robots(url, |robots_url| async move {
                match self.get(&robots_url, None, ROBOTS_LIMITS).await {
                    Ok(Fetched::Body(b)) => robots::Robots::parse(
                        &String::from_utf8_lossy(&b.bytes),
                        crate::config::PRODUCT_TOKEN,
                    ),
                    Ok(Fetched::NotModified) => robots::Robots::open(),
                    Err(FetchError::Status { status, .. }) => robots::Robots::for_status(status),
                    // A challenge instead of robots.txt: the page itself will say blocked.
                    Err(FetchError::Blocked { .. }) | Err(FetchError::TooLarge { .. }) => {
                        robots::Robots::open()
                    }
                    Err(_) => robots::Robots::closed(),
                }
            })
            .await
    }

    /// GETs `url`, conditionally when `validators` are given.
    pub async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        limits: RequestLimits,
    ) -> Result<Fetched, FetchError> {
        let _permits = self.permits(url).await;
        let mut req = self.client.get(url.clone()).timeout(limits.timeout);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut resp = req.send().await.map_err(|e| classify(e, limits.timeout))?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let headers = resp.headers().clone();
            // A challenge page is usually small: its first part tells.
            let mut head = Vec::new();
            while head.len() < CHALLENGE_PEEK {
                match resp.chunk().await {
                    Ok(Some(chunk)) => head.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            if let Some(challenge) = challenge::detect(status.as_u16(), &headers, &head) {
                return Err(FetchError::Blocked {
                    status: status.as_u16(),
                    challenge,
                });
            }
            let retry_after = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            )
            .then(|| retry_after(&headers))
            .flatten();
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after,
            });
        }
        let headers = resp.headers().clone();
        let final_url = resp.url().clone();
        // A declared length over the cap is refused before reading. Compressed responses
        // declare the compressed size, so the streaming check below is what really bounds memory.
        if let Some(len) = resp.content_length() {
            if len > limits.max_body_bytes {
                return Err(FetchError::TooLarge {
                    limit: limits.max_body_bytes,
                });
            }
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| classify(e, limits.timeout))?
        {
            if bytes.len() as u64 + chunk.len() as u64 > limits.max_body_bytes {
                return Err(FetchError::TooLarge {
                    limit: limits.max_body_bytes,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if let Some(challenge) = challenge::detect(status.as_u16(), &headers, &bytes) {
            return Err(FetchError::Blocked {
                status: status.as_u16(),
                challenge,
            });
        }
        let text_header = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(Fetched::Body(Body {
            status: status.as_u16(),
            bytes,
            final_url,
            validators: Validators {
                etag: text_header(header::ETAG),
                last_modified: text_header(header::LAST_MODIFIED),
            },
            content_type: text_header(header::CONTENT_TYPE),
            max_age: text_header(header::CACHE_CONTROL).and_then(|c| max_age(&c)),
        }))
    }
}

/// A URL's path and query, as robots.txt rules match them.
fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The [`FetchError`] for what reqwest reported.
fn classify(e: reqwest::Error, timeout: Duration) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout(timeout)
    } else if e.is_redirect() {
        FetchError::Redirects
    } else if e.is_connect() || e.is_request() || e.is_body() || e.is_decode() {
        // Show the innermost cause: "connection refused" beats "error sending request".
        let mut msg = e.to_string();
        let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        while let Some(s) = src {
            msg = s.to_string();
            src = s.source();
        }
        FetchError::Connect(msg)
    } else {
        FetchError::Other(e.to_string())
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// `max-age` from a Cache-Control value.
pub fn max_age(cache_control: &str) -> Option<Duration> {
    cache_control.split(',').find_map(|d| {
        let d = d.trim();
        d.strip_prefix("max-age=")
            .and_then(|n| n.trim_matches('"').parse::<u64>().ok())
            .map(Duration::from_secs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control_and_retry_after() {
        assert_eq!(
            max_age("public, max-age=600"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(max_age("no-cache"), None);
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(120)));
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }
}
