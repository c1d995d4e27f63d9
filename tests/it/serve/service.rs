//! The whole service: it polls at start, serves, and shuts down cleanly, abandoning a
//! hanging poll after the grace period.

use std::sync::Arc;
use std::time::{Duration, Instant};

use breachwatch::config::Config;
use breachwatch::query::IncidentView;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

#[tokio::test]
async fn service_polls_at_start_serves_and_shuts_down_cleanly() {
    // Arrange: the sample sources on a mock server.
    let server = MockServer::start().await;
    mount_sample(&server).await;
    let config = Arc::new(sample_config(&server.uri()));
    let (_dir, store) = temp_store();
    let service = spawn_service(config, store.clone()).await;
    let addr = service.addr;

    // Act: wait for the first poll of every source to be recorded.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sources: Vec<serde_json::Value> = get(addr, "/api/sources").await.json();
        if sources.iter().all(|s| s["last_success"].is_string()) {
            break;
        }
        assert!(Instant::now() < deadline, "sources not polled: {sources:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let incidents: Vec<IncidentView> = get(addr, "/api/incidents").await.json();
    service.stop.send(()).unwrap();
    let stopped_at = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(10), service.task)
        .await
        .expect("the service stops within 10 s")
        .unwrap();

    // Assert
    assert!(result.is_ok(), "{result:?}");
    assert!(stopped_at.elapsed() < Duration::from_secs(9));
    assert!(!incidents.is_empty());
    assert!(store.article_count() > 0);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening"
    );
}

#[tokio::test]
async fn shutdown_abandons_a_hanging_poll_after_the_grace_period() {
    // Arrange: a source that answers after a minute; a one-second grace.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let config = Arc::new(
        Config::from_toml(&format!(
            r#"
[settings]
timeout_secs = 120
shutdown_grace_secs = 1
[[source]]
id = "slow"
kind = "feed"
url = "{}/feed.xml"
"#,
            server.uri()
        ))
        .unwrap(),
    );
    let (_dir, store) = temp_store();
    let service = spawn_service(config, store).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Act
    service.stop.send(()).unwrap();
    let stopped_at = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(10), service.task)
        .await
        .expect("the service stops within 10 s")
        .unwrap();

    // Assert
    assert!(result.is_ok(), "{result:?}");
    let took = stopped_at.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "{took:?}"
    );
}
