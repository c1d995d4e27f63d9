use std::path::{Path, PathBuf};

use breachwatch::config::Config;
use breachwatch::store::Store;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample")
}

/// A sample file with its `https://*.sample.example` hosts pointed at `base`.
pub fn sample(rel: &str, base: &str) -> String {
    let text = std::fs::read_to_string(sample_dir().join(rel)).unwrap();
    rewrite_hosts(&text, base)
}

pub fn rewrite_hosts(text: &str, base: &str) -> String {
    let mut out = text.to_string();
    for host in ["news", "security", "trade", "force"] {
        out = out.replace(&format!("https://{host}.sample.example"), base);
    }
    out
}

pub fn ok(body: String, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into_bytes(), content_type)
}

/// Mounts the bundled sample sources: three feeds, a press-release index and its pages.
pub async fn mount_sample(server: &MockServer) {
    let base = server.uri();
    let routes = [
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
            "text/html",
        ),
        ("/news", "pages/newsroom.html", "text/html"),
        (
            "/news/statement-data-incident-foi",
            "pages/statement-data-incident-foi.html",
            "text/html",
        ),
        (
            "/news/appeal-burglary-chelmsford",
            "pages/appeal-burglary-chelmsford.html",
            "text/html",
        ),
    ];
    for (p, file, ct) in routes {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ok(sample(file, &base), ct))
            .mount(server)
            .await;
    }
}

/// The sample sources as a config against `base`.
pub fn sample_config(base: &str) -> Config {
    Config::from_toml(&format!(
        r#"
[settings]
timeout_secs = 5
[[source]]
id = "national"
kind = "feed"
url = "{base}/feeds/national.xml"
[[source]]
id = "security"
kind = "feed"
url = "{base}/feeds/security.atom"
[[source]]
id = "trade"
kind = "feed"
url = "{base}/feeds/trade.json"
[[source]]
id = "essex-newsroom"
kind = "html"
url = "{base}/news"
item_selector = ".news-list .news-item a"
title_selector = "h1"
date_selector = "time[datetime]"
content_selector = ".news-article__body"
"#
    ))
    .unwrap()
}

pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}
