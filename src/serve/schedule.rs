//! The polling schedule of `run`: one task per enabled source that polls at start and then
//! whenever the last [`SourceReport::next_due`] says (interval, jitter, ttl floor, capped
//! backoff and Retry-After are already in it, see [`crate::poll::next_delay`]). A failing
//! source is retried on its backoff, never disabled for good.
//!
//! In: a [`Config`], a [`Store`], a [`Fetcher`], a [`StopToken`] and the service's
//! [`Metrics`]. Out: nothing but stored state, metrics and log lines. It must not cancel a
//! poll that is under way when the stop comes: [`Scheduler::finish`] gives in-flight polls a
//! grace period and only then abandons them.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::fetch::Fetcher;
use crate::poll::{self, SourceReport};
use crate::store::Store;

use super::metrics::Metrics;

/// The shortest wait between two polls of a source, so a `next_due` in the past (a clock
/// jump, a slow poll) never makes a loop spin.
pub const MIN_WAIT: Duration = Duration::from_secs(1);

/// Fires the stop: every [`StopToken`] made from it sees it. Dropping it also stops.
#[derive(Debug)]
pub struct StopHandle(watch::Sender<bool>);

/// Waits for the stop; cheap to clone, one per task.
#[derive(Debug, Clone)]
pub struct StopToken(watch::Receiver<bool>);

/// A new stop handle and its token.
pub fn stop_channel() -> (StopHandle, StopToken) {
    let (tx, rx) = watch::channel(false);
    (StopHandle(tx), StopToken(rx))
}

impl StopHandle {
    /// Tells every token to stop.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl StopToken {
    /// Whether the stop has fired (or its handle is gone).
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow() || self.0.has_changed().is_err()
    }

    /// Resolves once the stop has fired (or its handle is gone).
    pub async fn stopped(&mut self) {
        // An error means the handle was dropped, which also means stop.
        let _ = self.0.wait_for(|stopped| *stopped).await;
    }
}

/// How long to wait at `now` before a poll due at `next_due`: never less than [`MIN_WAIT`].
pub fn wait_until(next_due: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (next_due - now)
        .to_std()
        .unwrap_or(Duration::ZERO)
        .max(MIN_WAIT)
}

/// Polls with `poll_now` at once and then whenever its last report is due, until `stop`
/// fires. A poll under way when the stop comes is finished, not cut short; the loop exits
/// right after it.
pub async fn source_loop<F, Fut>(poll_now: F, stop: StopToken)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = SourceReport>,
{
    source_loop_with(poll_now, stop, tokio::time::sleep).await
}

/// [`source_loop`] with the wait injected: tests pass a `sleep` that records the waits the
/// schedule asks for instead of sleeping them.
pub async fn source_loop_with<F, Fut, S, SleepFut>(
    mut poll_now: F,
    mut stop: StopToken,
    mut sleep: S,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = SourceReport>,
    S: FnMut(Duration) -> SleepFut,
    SleepFut: Future<Output = ()>,
{
    while !stop.is_stopped() {
        let report = poll_now().await;
        let wait = wait_until(report.next_due, Utc::now());
        tracing::info!(
            source = %report.id,
            outcome = %report,
            next_in_secs = wait.as_secs(),
            "Polled source."
        );
        tokio::select! {
            _ = sleep(wait) => {}
            _ = stop.stopped() => break,
        }
    }
}

/// The running per-source tasks.
pub struct Scheduler {
    tasks: JoinSet<()>,
    /// Ids of the sources whose poll is under way, to say which ones a shutdown abandons.
    busy: Arc<Mutex<BTreeSet<String>>>,
}

/// Starts one polling task per enabled source of `config`; each poll is recorded in
/// `metrics`.
pub fn spawn(
    config: Arc<Config>,
    store: Store,
    fetcher: Fetcher,
    stop: StopToken,
    metrics: Arc<Metrics>,
) -> Scheduler {
    let busy: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let mut tasks = JoinSet::new();
    for (index, source) in config.sources.iter().enumerate() {
        if !source.enabled {
            tracing::info!(source = %source.id, "Source is disabled in the config; not polling it.");
            continue;
        }
        let (config, store, fetcher, busy, metrics) = (
            config.clone(),
            store.clone(),
            fetcher.clone(),
            busy.clone(),
            metrics.clone(),
        );
        tasks.spawn(source_loop(
            move || {
                let (config, store, fetcher, busy, metrics) = (
                    config.clone(),
                    store.clone(),
                    fetcher.clone(),
                    busy.clone(),
                    metrics.clone(),
                );
                async move {
                    let source = &config.sources[index];
                    lock(&busy).insert(source.id.clone());
                    let report =
                        poll::poll_source(&config.settings, source, &store, &fetcher).await;
                    lock(&busy).remove(&source.id);
                    metrics.record_poll(&report);
                    report
                }
            },
            stop.clone(),
        ));
    }
    Scheduler { tasks, busy }
}

fn lock(busy: &Mutex<BTreeSet<String>>) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
    // A panic while holding this lock leaves a plain set of ids behind: still usable.
    busy.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Scheduler {
    /// How many sources are scheduled.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether no source is scheduled.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// After the stop has fired: waits up to `grace` for polls under way to finish, then
    /// abandons the rest. Returns the ids of the sources abandoned mid-poll.
    pub async fn finish(mut self, grace: Duration) -> Vec<String> {
        let drained = tokio::time::timeout(grace, async {
            while let Some(joined) = self.tasks.join_next().await {
                if let Err(error) = joined {
                    if error.is_panic() {
                        tracing::error!(error = %error, "A polling task panicked.");
                    }
                }
            }
        })
        .await;
        if drained.is_ok() {
            return Vec::new();
        }
        let abandoned: Vec<String> = lock(&self.busy).iter().cloned().collect();
        tracing::warn!(
            sources = ?abandoned,
            grace_secs = grace.as_secs(),
            "Abandoning polls still under way after the shutdown grace period."
        );
        self.tasks.abort_all();
        abandoned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_until_counts_down_to_next_due() {
        let now = Utc::now();
        let due = now + chrono::Duration::seconds(1800);
        assert_eq!(wait_until(due, now), Duration::from_secs(1800));
    }

    #[test]
    fn wait_until_a_past_due_time_is_the_minimum_wait() {
        let now = Utc::now();
        assert_eq!(wait_until(now - chrono::Duration::hours(3), now), MIN_WAIT);
        assert_eq!(wait_until(now, now), MIN_WAIT);
    }

    #[test]
    fn a_dropped_handle_counts_as_stop() {
        let (handle, token) = stop_channel();
        assert!(!token.is_stopped());
        drop(handle);
        assert!(token.is_stopped());
    }
}
