//! Setup shared by the integration tests: the demo's sample sources on a wiremock server
//! with the demo's own config ([`breachwatch::cli::demo`]), temporary stores, the HTTP
//! service on a loopback port ([`spawn_app`], [`spawn_service`]) and a raw HTTP client
//! independent of the crate's own ([`get`], [`request`]).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use breachwatch::cli::demo;
use breachwatch::config::Config;
use breachwatch::serve::{self, AppState, ServiceError};
use breachwatch::store::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The bundled samples `breachwatch demo` serves.
pub fn sample_dir() -> PathBuf {
    demo::sample_dir().unwrap()
}

/// A sample file with its `https://*.sample.example` hosts pointed at `base`.
pub fn sample(rel: &str, base: &str) -> String {
    let text = std::fs::read_to_string(sample_dir().join(rel)).unwrap();
    demo::rewrite_hosts(&text, base)
}

/// A 200 answer with `body` as `content_type`.
pub fn ok(body: String, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into_bytes(), content_type)
}

/// Mounts the bundled sample sources as the demo serves them: three feeds, a
/// press-release index and its pages.
pub async fn mount_sample(server: &MockServer) {
    let base = server.uri();
    for (route, file, content_type) in demo::SAMPLE_ROUTES {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ok(sample(file, &base), content_type))
            .mount(server)
            .await;
    }
}

/// The demo's config of the sample sources, against `base`.
pub fn sample_config(base: &str) -> Config {
    demo::sample_config(base)
}

/// A store in a fresh temporary directory (kept while the `TempDir` lives).
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

/// A loopback listener on a free port.
pub async fn loopback_listener() -> (tokio::net::TcpListener, SocketAddr) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    assert!(addr.ip().is_loopback());
    (listener, addr)
}

/// The HTTP server alone ([`serve::serve`], no polling), as the demo runs it.
pub struct App {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl App {
    /// Stops it and waits (at most 5 s) for it to finish cleanly.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("server stops")
            .unwrap()
            .unwrap();
    }
}

/// Serves `store` with `config` on a loopback port until [`App::stop`].
pub async fn spawn_app(store: Store, config: Config) -> App {
    let (listener, addr) = loopback_listener().await;
    let (stop, stopped) = oneshot::channel::<()>();
    let state = AppState::new(store, Arc::new(config));
    let task = tokio::spawn(serve::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    App {
        addr,
        stop: Some(stop),
        task,
    }
}

/// The whole service ([`serve::run`]: polling and HTTP), running.
pub struct Service {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Send to shut it down.
    pub stop: oneshot::Sender<()>,
    /// Ends when it has shut down.
    pub task: JoinHandle<Result<(), ServiceError>>,
}

/// Runs the service for `config` on `store` on a loopback port.
pub async fn spawn_service(config: Arc<Config>, store: Store) -> Service {
    let (listener, addr) = loopback_listener().await;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve::run(config, store, listener, async move {
        let _ = stopped.await;
    }));
    Service { addr, stop, task }
}

/// An HTTP answer, read raw.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The header lines, lowercased.
    pub headers: String,
    /// The body.
    pub body: String,
}

impl Answer {
    /// The body as JSON of type `T`; panics with the body when it is not.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A raw HTTP/1.0 request, independent of the crate's own HTTP code (`fetch` for polling,
/// the command line's remote client).
pub async fn request(addr: SocketAddr, verb: &str, target: &str) -> Answer {
    use std::io::{Read, Write};
    let (verb, target) = (verb.to_string(), target.to_string());
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(stream, "{verb} {target} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        Answer {
            status: head.split_whitespace().nth(1).unwrap().parse().unwrap(),
            headers: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    })
    .await
    .unwrap()
}

/// A raw HTTP/1.0 GET (see [`request`]).
pub async fn get(addr: SocketAddr, target: &str) -> Answer {
    request(addr, "GET", target).await
}
