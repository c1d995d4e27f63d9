//! `breachwatch demo`, the offline quick start: serves the bundled `examples/sample`
//! sources on a loopback port (their `https://*.sample.example` links rewritten to it),
//! polls them with the real poller into a local database, prints the trends and the
//! incidents, then serves the dashboard until Ctrl-C.
//!
//! Set `BREACHWATCH_DEMO_EXIT_AFTER_POLL=1` to stop after printing (for tests and CI).

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use axum::http::header;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::fetch::Fetcher;
use crate::poll::{self, SourceReport};
use crate::query::{self, Filter, IncidentView, Period, TrendKey};
use crate::render;
use crate::serve::{self, schedule, AppState};
use crate::store::Store;

use super::Context;

/// The database `demo` uses when `--db` is not given.
pub const DEFAULT_DB: &str = "breachwatch-demo.db";

/// The environment variable that makes `demo` exit after printing.
pub const EXIT_AFTER_POLL_ENV: &str = "BREACHWATCH_DEMO_EXIT_AFTER_POLL";

/// The loopback port the sample sources are served on when it is free. A fixed port keeps
/// the article URLs the same from one run to the next, so re-running the demo on the same
/// database finds nothing new. When it is taken, any free port is used.
pub const PREFERRED_SAMPLE_PORT: u16 = 47811;

/// The hosts the sample files link to, rewritten to the local server.
const SAMPLE_HOSTS: [&str; 4] = ["news", "security", "trade", "force"];

/// The sample sources: URL path, file under `examples/sample`, content type.
pub const SAMPLE_ROUTES: [(&str, &str, &str); 7] = [
    (
        "/feeds/national.xml",
        "feeds/national.xml",
        "application/rss+xml",
    ),
    (
        "/feeds/security.atom",
        "feeds/security.atom",
        "application/atom+xml",
    ),
    (
        "/feeds/trade.json",
        "feeds/trade.json",
        "application/feed+json",
    ),
    (
        "/uk/kent-police-fined-email-officers",
        "pages/kent-police-fined-email-officers.html",
        "text/html; charset=utf-8",
    ),
    ("/news", "pages/newsroom.html", "text/html; charset=utf-8"),
    (
        "/news/statement-data-incident-foi",
        "pages/statement-data-incident-foi.html",
        "text/html; charset=utf-8",
    ),
    (
        "/news/appeal-burglary-chelmsford",
        "pages/appeal-burglary-chelmsford.html",
        "text/html; charset=utf-8",
    ),
];

/// Where the bundled samples are: next to the crate's manifest when built from source,
/// else `./examples/sample`.
///
/// # Errors
///
/// When neither directory exists.
pub fn sample_dir() -> Result<PathBuf> {
    let candidates = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample"),
        PathBuf::from("examples/sample"),
    ];
    for dir in &candidates {
        if dir.join("feeds").is_dir() {
            return Ok(dir.clone());
        }
    }
    bail!(
        "cannot find the bundled sample sources (looked in {} and ./examples/sample); run the demo from a breachwatch checkout",
        candidates[0].display()
    )
}

/// `text` with the sample hosts (`https://news.sample.example` ...) pointed at `base`.
pub fn rewrite_hosts(text: &str, base: &str) -> String {
    let mut out = text.to_string();
    for host in SAMPLE_HOSTS {
        out = out.replace(&format!("https://{host}.sample.example"), base);
    }
    out
}

/// A router serving the sample files under `dir`, with links rewritten to `base`.
///
/// # Errors
///
/// When a sample file cannot be read.
pub fn sample_router(dir: &Path, base: &str) -> Result<Router> {
    let mut router = Router::new();
    for (path, file, content_type) in SAMPLE_ROUTES {
        let text = std::fs::read_to_string(dir.join(file))
            .with_context(|| format!("cannot read sample {}", dir.join(file).display()))?;
        let body = rewrite_hosts(&text, base);
        router = router.route(
            path,
            get(move || {
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, content_type)], body) }
            }),
        );
    }
    Ok(router)
}

/// The configuration of the sample sources served at `base`.
///
/// # Panics
///
/// Never with a `base` like `http://127.0.0.1:PORT`: the TOML is fixed and valid.
pub fn sample_config(base: &str) -> Config {
    Config::from_toml(&format!(
        r#"
[settings]
timeout_secs = 5
# The sample feeds carry their stories in full except one summary-only item (151
# characters), whose page the sample server has; only that one is fetched.
min_text_chars = 160
# The sample server is our own, in this process: no gap between its requests.
min_host_delay_ms = 0
[[source]]
id = "national"
name = "National News (sample)"
kind = "feed"
url = "{base}/feeds/national.xml"
[[source]]
id = "security"
name = "Security Weekly (sample)"
kind = "feed"
url = "{base}/feeds/security.atom"
[[source]]
id = "trade"
name = "Police Trade Journal (sample)"
kind = "feed"
url = "{base}/feeds/trade.json"
[[source]]
id = "essex-newsroom"
name = "Force newsroom (sample)"
kind = "html"
url = "{base}/news"
item_selector = ".news-list .news-item a"
title_selector = "h1"
date_selector = "time[datetime]"
content_selector = ".news-article__body"
"#
    ))
    .expect("the sample config is valid")
}

/// A loopback listener for the sample sources: on [`PREFERRED_SAMPLE_PORT`] when free.
async fn bind_sample_listener() -> Result<TcpListener> {
    match TcpListener::bind(("127.0.0.1", PREFERRED_SAMPLE_PORT)).await {
        Ok(l) => Ok(l),
        Err(_) => TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot bind a loopback port for the sample sources"),
    }
}

/// What the poll did, then the trends by force and year, then the incidents.
fn print_results(store: &Store, reports: &[SourceReport]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "Polled the bundled sample sources:")?;
    for report in reports {
        writeln!(out, "  {report}")?;
    }
    writeln!(out)?;
    let rows = query::trends(store, TrendKey::Force, Period::Year, None, None)?;
    writeln!(out, "Incidents by force and year:")?;
    render::trends_table(&mut out, &rows, TrendKey::Force.id())?;
    writeln!(out)?;
    let views: Vec<IncidentView> = query::incidents(store, &Filter::default())?
        .iter()
        .map(IncidentView::from)
        .collect();
    writeln!(out, "Incidents, newest first:")?;
    render::incidents_table(&mut out, &views)?;
    out.flush()?;
    Ok(())
}

/// The demo: sample server, one poll, printed summary, then the dashboard on `listen`
/// (default: the config's `listen`, 127.0.0.1:8080) until `shutdown` resolves.
///
/// # Errors
///
/// When the samples are missing, the database cannot be opened or a port cannot be bound.
pub async fn run_demo(
    config: &Config,
    db: Option<&Path>,
    listen: Option<&str>,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let dir = sample_dir()?;
    let sample_listener = bind_sample_listener().await?;
    let base = format!("http://{}", sample_listener.local_addr()?);
    let (stop, token) = schedule::stop_channel();
    let mut sample_token = token.clone();
    let sample_app = sample_router(&dir, &base)?;
    let sample_server = tokio::spawn(async move {
        axum::serve(sample_listener, sample_app)
            .with_graceful_shutdown(async move { sample_token.stopped().await })
            .await
    });

    let demo_config = Arc::new(sample_config(&base));
    let db_path = db
        .map(Path::to_path_buf)
        .unwrap_or_else(|| DEFAULT_DB.into());
    let store = Store::open(&db_path)?;
    eprintln!(
        "breachwatch demo: sample sources on {base}, database {}",
        db_path.display()
    );
    let fetcher = Fetcher::new(&demo_config.settings)?;
    let reports = poll::poll_once(&demo_config, &store, &fetcher).await;
    store.flush()?;
    print_results(&store, &reports)?;

    if std::env::var(EXIT_AFTER_POLL_ENV).is_ok_and(|v| v == "1") {
        stop.stop();
        let _ = sample_server.await;
        return Ok(());
    }

    let addr = listen.unwrap_or(&config.settings.listen);
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (pass --listen 127.0.0.1:PORT)"))?;
    let local = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "\nDashboard: http://{local}/  (Ctrl-C to stop)")?;
        out.flush()?;
    }
    let state = AppState::new(store.clone(), demo_config);
    for report in &reports {
        state.metrics.record_poll(report);
    }
    let mut server_token = token.clone();
    let server = tokio::spawn(serve::serve(listener, state, async move {
        server_token.stopped().await;
    }));
    shutdown.await;
    stop.stop();
    let grace = config.settings.shutdown_grace;
    let _ = tokio::time::timeout(grace, server).await;
    let _ = tokio::time::timeout(grace, sample_server).await;
    store.flush()?;
    Ok(())
}

/// `breachwatch demo`: [`run_demo`] with the context's config and `--db`, until SIGINT or
/// SIGTERM.
///
/// # Errors
///
/// When the sample files are missing, the database cannot be opened or an address cannot
/// be bound.
pub(super) fn run(context: &Context, listen: Option<&str>) -> Result<()> {
    let runtime = super::run::runtime()?;
    let result = runtime.block_on(run_demo(
        &context.config,
        context.db_given.as_deref(),
        listen,
        serve::shutdown_signal(),
    ));
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}
