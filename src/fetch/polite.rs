//! Politeness towards the hosts breachwatch reads: a least gap between two requests to one
//! host, and robots.txt for the pages the poller follows, fetched once per host and kept.
//!
//! A host here is an origin's host and port (`news.example.org:443`): two test servers on
//! 127.0.0.1 are two hosts, as two virtual hosts on one address are.
//!
//! The gap is kept per host and nowhere else: a host that is slow, blocked or rate-limiting
//! holds up only its own requests, never another host's (the wait happens before a global
//! fetch slot is taken).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use super::robots::Robots;

/// How long a robots.txt is kept before it is fetched again.
pub const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

/// How long "stay out" (robots.txt could not be fetched) is kept before trying again.
pub const ROBOTS_RETRY: Duration = Duration::from_secs(3600);

/// The key of a URL's host: `host:port`, lower-cased.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or("").to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// One host's state.
#[derive(Default)]
struct Host {
    /// When the last request to the host was let go.
    last: Option<Instant>,
    /// The host's robots.txt `crawl-delay`, once known.
    crawl_delay: Option<Duration>,
}

/// Per-host gaps and robots.txt rules, shared by every clone of a fetcher.
pub struct Politeness {
    min_gap: Duration,
    hosts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Host>>>>,
    robots: Mutex<HashMap<String, RobotsSlot>>,
}

/// One host's robots.txt rules and when they expire, once fetched; locked while fetching.
type RobotsSlot = Arc<tokio::sync::Mutex<Option<(Robots, Instant)>>>;

impl Politeness {
    /// At least `min_gap` between two requests to one host.
    pub fn new(min_gap: Duration) -> Politeness {
        Politeness {
            min_gap,
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, key: &str) -> Arc<tokio::sync::Mutex<Host>> {
        self.hosts
            .lock()
            .expect("host map lock")
            .entry(key.to_owned())
            .or_default()
            .clone()
    }

    /// Waits until a request to `url`'s host may go: `min_gap` (or the host's crawl-delay,
    /// if longer) after the last one. Requests to one host queue here in turn.
    pub async fn wait_turn(&self, url: &Url) {
        let host = self.host(&host_key(url));
        let mut host = host.lock().await;
        let gap = host.crawl_delay.unwrap_or_default().max(self.min_gap);
        if let Some(last) = host.last {
            tokio::time::sleep_until(last + gap).await;
        }
        host.last = Some(Instant::now());
    }

    /// The rules for `url`'s host, fetching robots.txt with `fetch` when they are not known
    /// or have expired. Concurrent callers for one host wait for one fetch.
    pub async fn robots<F, Fut>(&self, url: &Url, fetch: F) -> Robots
    where
        F: FnOnce(Url) -> Fut,
        Fut: std::future::Future<Output = Robots>,
    {
        let key = host_key(url);
        let slot = self
            .robots
            .lock()
            .expect("robots map lock")
            .entry(key.clone())
            .or_default()
            .clone();
        let mut slot = slot.lock().await;
        if let Some((rules, until)) = slot.as_ref() {
            if Instant::now() < *until {
                return rules.clone();
            }
        }
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let rules = fetch(robots_url).await;
        let ttl = if rules.is_closed() {
            ROBOTS_RETRY
        } else {
            ROBOTS_TTL
        };
        if let Some(delay) = rules.crawl_delay {
            let host = self.host(&key);
            host.lock().await.crawl_delay = Some(delay.min(Duration::from_secs(60)));
        }
        *slot = Some((rules.clone(), Instant::now() + ttl));
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn hosts_are_keyed_by_host_and_port() {
        assert_eq!(
            host_key(&url("https://News.Example.org/a")),
            "news.example.org:443"
        );
        assert_eq!(host_key(&url("http://127.0.0.1:8081/x")), "127.0.0.1:8081");
        assert_ne!(
            host_key(&url("http://127.0.0.1:8081/x")),
            host_key(&url("http://127.0.0.1:8082/x"))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced_and_other_hosts_do_not_wait() {
        let p = Politeness::new(Duration::from_millis(500));
        let t0 = Instant::now();
        p.wait_turn(&url("http://a.example/1")).await;
        p.wait_turn(&url("http://b.example/1")).await;
        assert_eq!(t0.elapsed(), Duration::ZERO, "first requests go at once");
        p.wait_turn(&url("http://a.example/2")).await;
        assert_eq!(t0.elapsed(), Duration::from_millis(500));
        p.wait_turn(&url("http://a.example/3")).await;
        assert_eq!(t0.elapsed(), Duration::from_millis(1000));
    }

    #[tokio::test(start_paused = true)]
    async fn robots_is_fetched_once_per_host_and_its_crawl_delay_widens_the_gap() {
        let p = Politeness::new(Duration::from_millis(100));
        let fetches = std::sync::atomic::AtomicUsize::new(0);
        let fetch = |u: Url| {
            assert_eq!(u.path(), "/robots.txt");
            fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async { Robots::parse("User-agent: *\nDisallow: /private\nCrawl-delay: 2\n", "x") }
        };
        let r = p.robots(&url("http://a.example/news?page=2"), fetch).await;
        assert!(!r.allowed("/private/1"));
        let r = p.robots(&url("http://a.example/other"), fetch).await;
        assert!(r.allowed("/news/1"));
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
        let t0 = Instant::now();
        p.wait_turn(&url("http://a.example/1")).await;
        p.wait_turn(&url("http://a.example/2")).await;
        assert_eq!(t0.elapsed(), Duration::from_secs(2));
    }
}
