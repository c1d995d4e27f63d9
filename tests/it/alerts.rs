//! Webhook alerts on the real binary: `run` delivering to a local receiver (wiremock on
//! 127.0.0.1) that is down for a while, across a clean restart and across a kill -9, each
//! event once; filters, the chat body, the daily digest (a short period here), and
//! `alerts test`. The worker's timings are shortened through its hidden environment
//! variables (`notify::Options::from_env`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const FIXTURES: &str = include_str!("../fixtures/incidents.jsonl");

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_breachwatch"));
    for var in [
        "BREACHWATCH_DB",
        "BREACHWATCH_CONFIG",
        "RUST_LOG",
        "NO_COLOR",
    ] {
        command.env_remove(var);
    }
    command
        .env("BREACHWATCH_ALERT_RETRY_MS", "150")
        .env("BREACHWATCH_ALERT_SCAN_MS", "150")
        .env("BREACHWATCH_ALERT_DIGEST_SECS", "2");
    command
}

/// A fixture line (1-based), as its own JSONL file, ingested into `dir/db`.
fn ingest(dir: &Path, lines: &[usize]) {
    let all: Vec<&str> = FIXTURES.lines().collect();
    let text: String = lines.iter().map(|n| format!("{}\n", all[n - 1])).collect();
    let file = dir.join(format!("part-{}.jsonl", lines[0]));
    std::fs::write(&file, text).unwrap();
    let out = bin()
        .current_dir(dir)
        .args(["--db", "db", "ingest"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `breachwatch run` in `dir`, its stderr read line by line.
struct Running {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Running {
    fn start(dir: &Path) -> Running {
        let mut child = bin()
            .current_dir(dir)
            .args(["--db", "db", "run", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let running = Running { child, lines };
        running.wait_for("serving http://", 1);
        running
    }

    fn count(&self, needle: &str) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(needle))
            .count()
    }

    /// Waits (at most 20 s) until `n` stderr lines contain `needle`.
    fn wait_for(&self, needle: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.count(needle) < n {
            assert!(
                Instant::now() < deadline,
                "no {n} lines with {needle:?} in:\n{}",
                self.lines.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, and a clean exit.
    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(
            exit.success(),
            "{exit}: {}",
            self.lines.lock().unwrap().join("\n")
        );
    }

    /// SIGKILL: no shutdown at all.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// A free loopback port: the receiver's, before it is up.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The receiver, up on `port`, answering every POST with 200.
async fn receiver(port: u16) -> MockServer {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn config(dir: &Path, port: u16) {
    std::fs::write(
        dir.join("feeds.toml"),
        format!(
            "[settings]\npublic_url = 'https://bw.example'\n\
             [[alert]]\nid = 'all'\nurl = 'http://127.0.0.1:{port}/all'\n\
             [[alert]]\nid = 'dorset-chat'\nurl = 'http://127.0.0.1:{port}/chat'\nformat = 'slack'\nforces = ['dorset']\nevents = ['new']\n\
             [[alert]]\nid = 'daily'\nurl = 'http://127.0.0.1:{port}/daily'\ndigest = 'daily'\n"
        ),
    )
    .unwrap();
}

/// Waits (at most 20 s) until the receiver has `n` requests on `path`.
async fn wait_requests(server: &MockServer, path: &str, n: usize) -> Vec<Request> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got: Vec<Request> = server
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.url.path() == path)
            .collect();
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {n} requests on {path}",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn key(r: &Request) -> String {
    r.headers
        .get("idempotency-key")
        .expect("every POST has an Idempotency-Key")
        .to_str()
        .unwrap()
        .to_string()
}

/// Arms the alerts on an empty database: a first run, stopped.
fn arm(dir: &Path) {
    let run = Running::start(dir);
    run.wait_for("Alerts armed", 1);
    run.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn each_event_is_delivered_once_through_a_receiver_outage_and_restarts() {
    // Arrange: armed on an empty database, the receiver not up yet.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    config(dir.path(), port);
    arm(dir.path());
    ingest(dir.path(), &[1]);

    // Act 1: the receiver is down, then comes up.
    let run = Running::start(dir.path());
    run.wait_for("Alert not delivered", 3);
    let server = receiver(port).await;
    wait_requests(&server, "/all", 1).await;
    run.stop();

    // Act 2: two more incidents (one at Dorset), then a fine on one, each after a restart.
    ingest(dir.path(), &[2, 6]);
    let run = Running::start(dir.path());
    wait_requests(&server, "/all", 3).await;
    wait_requests(&server, "/chat", 1).await;
    run.stop();
    ingest(dir.path(), &[5]);
    let run = Running::start(dir.path());
    wait_requests(&server, "/all", 4).await;
    // The day's digest covers the same events: wait until its lines add up.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let digests = wait_requests(&server, "/daily", 1).await;
        let lines: usize = digests
            .iter()
            .map(|r| {
                r.body_json::<Value>().unwrap()["events"]
                    .as_array()
                    .unwrap()
                    .len()
            })
            .sum();
        let all_now = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == "/all")
            .count();
        if lines == all_now {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{lines} digest lines, {all_now} events"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Settle: nothing more may come.
    tokio::time::sleep(Duration::from_millis(800)).await;
    run.stop();

    // Assert
    let requests = server.received_requests().await.unwrap();
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for r in &requests {
        *per_key.entry(key(r)).or_default() += 1;
    }
    assert!(
        per_key.values().all(|n| *n == 1),
        "an event delivered twice: {per_key:?}"
    );
    let bodies: Vec<Value> = requests
        .iter()
        .filter(|r| r.url.path() == "/all")
        .map(|r| r.body_json().unwrap())
        .collect();
    let new: Vec<&Value> = bodies.iter().filter(|b| b["event"] == "new").collect();
    assert_eq!(new.len(), 3, "{bodies:#?}");
    for b in &bodies {
        assert_eq!(b["alert"], "all");
        let id = b["incident"]["id"].as_str().unwrap();
        assert_eq!(b["url"], format!("https://bw.example/incidents/{id}"));
        assert!(b["incident"]["sources"].is_array());
    }
    let developments: Vec<&Value> = bodies
        .iter()
        .filter(|b| b["event"] == "development")
        .collect();
    assert!(!developments.is_empty(), "the fine is a development");
    assert!(developments
        .iter()
        .all(|b| b["incident"]["forces"][0] == "wiltshire"));
    assert!(developments
        .iter()
        .any(|b| b["summary"].as_str().unwrap().starts_with("fine")));

    let chat: Vec<Value> = requests
        .iter()
        .filter(|r| r.url.path() == "/chat")
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(chat.len(), 1, "only Dorset's incident, only new: {chat:?}");
    assert_eq!(chat[0].as_object().unwrap().len(), 1, "just text");
    let text = chat[0]["text"].as_str().unwrap();
    assert!(text.starts_with("Dorset Police: new incident"), "{text}");
    assert!(
        text.contains("<https://bw.example/incidents/dorset-"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_delivery_survives_kill_9_and_is_delivered_once() {
    // Arrange: armed; an incident whose delivery fails while the receiver is down.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    config(dir.path(), port);
    arm(dir.path());
    ingest(dir.path(), &[6]);
    let run = Running::start(dir.path());
    run.wait_for("Alert not delivered", 2);

    // Act: killed outright, the receiver comes up, the service starts again.
    run.kill_9();
    let server = receiver(port).await;
    let run = Running::start(dir.path());
    wait_requests(&server, "/all", 1).await;
    wait_requests(&server, "/chat", 1).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    run.stop();
    // And once more: nothing is sent again.
    let run = Running::start(dir.path());
    tokio::time::sleep(Duration::from_millis(800)).await;
    run.stop();

    // Assert
    let requests = server.received_requests().await.unwrap();
    let for_all: Vec<&Request> = requests.iter().filter(|r| r.url.path() == "/all").collect();
    assert_eq!(for_all.len(), 1);
    let body: Value = for_all[0].body_json().unwrap();
    assert_eq!(body["event"], "new");
    assert_eq!(body["event_id"].as_str().unwrap(), key(for_all[0]));
    assert_eq!(
        requests.iter().filter(|r| r.url.path() == "/chat").count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_test_posts_a_sample_and_reports_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/broken"))
        .respond_with(ResponseTemplate::new(500).set_body_string("receiver fell over"))
        .mount(&server)
        .await;
    std::fs::write(
        dir.path().join("feeds.toml"),
        format!(
            "[[alert]]\nid = 'ok'\nurl = '{0}/ok'\nformat = 'slack'\n[[alert]]\nid = 'broken'\nurl = '{0}/broken'\n",
            server.uri()
        ),
    )
    .unwrap();
    let alerts_test = |id: &str| {
        let dir = dir.path().to_owned();
        let id = id.to_string();
        async move {
            tokio::task::spawn_blocking(move || {
                bin()
                    .current_dir(dir)
                    .args(["alerts", "test", &id])
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        }
    };

    let ok = alerts_test("ok").await;
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(stdout.contains("-> HTTP 200"), "{stdout}");
    let got = wait_requests(&server, "/ok", 1).await;
    let text = got[0].body_json::<Value>().unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("test message from breachwatch"), "{text}");

    let broken = alerts_test("broken").await;
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(!broken.status.success());
    assert!(stderr.contains("not delivered: HTTP 500"), "{stderr}");
    assert!(
        String::from_utf8_lossy(&broken.stdout).contains("receiver fell over"),
        "the receiver's answer is shown"
    );

    let unknown = alerts_test("nope").await;
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(!unknown.status.success());
    assert!(stderr.contains("no alert \"nope\""), "{stderr}");
    assert!(stderr.contains("configured: ok, broken"), "{stderr}");
}
