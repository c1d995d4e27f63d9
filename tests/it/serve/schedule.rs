//! The polling schedule, with recorded waits instead of sleeps: a poll at start and then
//! when each report is due, backoff for failing sources, and a clean stop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use breachwatch::poll::{SourceOutcome, SourceReport};
use breachwatch::serve::schedule;
use chrono::Utc;

fn report(id: &str, outcome: SourceOutcome, next_in: chrono::Duration) -> SourceReport {
    SourceReport {
        id: id.into(),
        outcome,
        warnings: Vec::new(),
        next_due: Utc::now() + next_in,
        detail: Default::default(),
    }
}

/// Runs a source loop whose waits are recorded instead of slept; stops after `n_waits`.
async fn recorded_waits<F, Fut>(poll_now: F, n_waits: usize) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = SourceReport>,
{
    let (stop, token) = schedule::stop_channel();
    let waits = std::sync::Mutex::new(Vec::new());
    schedule::source_loop_with(poll_now, token, |wait| {
        let mut w = waits.lock().unwrap();
        w.push(wait);
        if w.len() >= n_waits {
            stop.stop();
        }
        async {}
    })
    .await;
    waits.into_inner().unwrap()
}

fn about(actual: Duration, expected: Duration) -> bool {
    actual <= expected && expected - actual < Duration::from_secs(2)
}

#[tokio::test]
async fn source_loop_polls_at_start_and_then_when_each_report_is_due() {
    // Arrange
    let polls = AtomicUsize::new(0);

    // Act
    let waits = recorded_waits(
        || {
            polls.fetch_add(1, Ordering::SeqCst);
            async { report("a", SourceOutcome::Unchanged, chrono::Duration::minutes(30)) }
        },
        3,
    )
    .await;

    // Assert: a poll before each wait, each wait up to the next due time.
    assert_eq!(polls.load(Ordering::SeqCst), 3);
    assert_eq!(waits.len(), 3);
    for wait in waits {
        assert!(about(wait, Duration::from_secs(1800)), "{wait:?}");
    }
}

#[tokio::test]
async fn a_failing_source_is_retried_on_its_backoff_and_never_dropped() {
    // Arrange: each failure doubles the wait, as poll::next_delay does.
    let polls = AtomicUsize::new(0);

    // Act
    let waits = recorded_waits(
        || {
            let n = polls.fetch_add(1, Ordering::SeqCst) as i32 + 1;
            async move {
                report(
                    "down",
                    SourceOutcome::Error("HTTP 500".into()),
                    chrono::Duration::minutes(1 << n.min(10)),
                )
            }
        },
        6,
    )
    .await;

    // Assert: still polled after six failures, on the growing backoff.
    assert_eq!(polls.load(Ordering::SeqCst), 6);
    for (i, wait) in waits.iter().enumerate() {
        let expected = Duration::from_secs(60 << (i + 1));
        assert!(about(*wait, expected), "{i}: {wait:?}");
    }
}

#[tokio::test]
async fn a_due_time_in_the_past_waits_the_minimum_instead_of_spinning() {
    let waits = recorded_waits(
        || async {
            report(
                "late",
                SourceOutcome::Unchanged,
                chrono::Duration::hours(-1),
            )
        },
        2,
    )
    .await;
    assert_eq!(waits, [schedule::MIN_WAIT, schedule::MIN_WAIT]);
}

#[tokio::test]
async fn a_poll_under_way_is_finished_when_the_stop_comes() {
    // Arrange: a poll that takes 300 ms.
    let finished = Arc::new(AtomicUsize::new(0));
    let (stop, token) = schedule::stop_channel();
    let done = finished.clone();
    let task = tokio::spawn(schedule::source_loop(
        move || {
            let done = done.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                done.fetch_add(1, Ordering::SeqCst);
                report("slow", SourceOutcome::Unchanged, chrono::Duration::hours(1))
            }
        },
        token,
    ));

    // Act: stop half-way through the first poll.
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.stop();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the loop ends after the poll, not after the hour")
        .unwrap();

    // Assert: the poll completed, and no second one started.
    assert_eq!(finished.load(Ordering::SeqCst), 1);
}
