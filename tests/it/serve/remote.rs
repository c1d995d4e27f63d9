//! The command line's remote client ([`breachwatch::cli::remote::get`]), which asks a
//! running service while `run` holds the database.

use std::time::{Duration, Instant};

use breachwatch::cli::remote;
use breachwatch::config::Config;
use breachwatch::query::IncidentView;

use super::seeded_store;
use crate::helpers::*;

#[tokio::test]
async fn remote_get_returns_the_body_and_fails_with_the_services_message() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;
    let listen = app.addr.to_string();

    let (ok, missing) = tokio::task::spawn_blocking(move || {
        (
            remote::get(&listen, "/api/incidents?force=essex"),
            remote::get(&listen, "/api/incidents/nope"),
        )
    })
    .await
    .unwrap();

    let views: Vec<IncidentView> = serde_json::from_str(&ok.unwrap()).unwrap();
    assert_eq!(views.len(), 1);
    let message = format!("{:#}", missing.unwrap_err());
    assert!(message.contains("404"), "{message}");
    assert!(message.contains("no incident \"nope\""), "{message}");
    app.stop().await;

    // Nothing listening: a prompt error, not a hang.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap().to_string();
    drop(free);
    let started = Instant::now();
    assert!(remote::get(&addr, "/api/incidents").is_err());
    assert!(started.elapsed() < Duration::from_secs(5));
}
