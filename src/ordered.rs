//! An ordered parallel map: items fed on the caller's thread are worked on by a pool of threads
//! and their results consumed, in feeding order, on one thread of its own.
//!
//! Ingest uses it to analyse articles (pure CPU work: cleaning, classification, extraction,
//! MinHash) ahead of the single writer that merges and stores them. The two overlap, so
//! ingest takes about its total CPU time over the cores instead of the sum of both on one;
//! storing stays in input order, so the result is the same as a serial run's.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Items go to the workers, and results to the consumer, this many at a time: handing over
/// one item at a time woke a sleeping thread for nearly every item, and those context
/// switches cost as much CPU as the work they overlapped (measured on 10k articles).
const BATCH: usize = 32;
/// Batches waiting for a worker, per worker.
const INPUT_PER_WORKER: usize = 16;
/// Bytes of results (see [`run_weighed`]) waiting for the consumer: the buffer that absorbs the
/// consumer's uneven pace. The writer spends nothing on an article that reports no breach
/// and a few hundred microseconds merging one that does, so a run of breach articles stalls
/// it while workers keep their pace. Counted in batches (32 a worker), workers sat blocked
/// on a full queue on 2 cores with 4 batches a worker, and the cores were 92% busy with 32
/// (10k articles into a 90k store took 0.93 s instead of 1.07 s). Counted in bytes, the
/// queue holds as much whatever an article's size: 8 MiB is about 1,000 synthetic articles
/// (about 8 KB each analysed), 16 batches a worker on 2 cores, and a run of long articles no
/// longer holds more (see [decisions/bounded-memory](../docs/decisions/bounded-memory.md)).
pub const QUEUE_BYTES: usize = 8 << 20;
/// What [`run`] counts a result as, not knowing its size: an analysed synthetic article.
const ITEM_BYTES: usize = 8 << 10;

/// How many analysis workers to run beside the writer: `BREACHWATCH_JOBS` if it is set to a
/// positive number, else one per core.
///
/// One per core, although the writer needs a core too: analysis is most of an article's CPU
/// time, and the writer is idle part of the time. Measured on 2 cores (README, Measured),
/// 2 workers took 10k synthetic articles in 0.75 s into an empty store and 1.23 s into one
/// holding 90k; 1 worker 0.99 s and 1.45 s; the serial build 1.36 s and 1.99 s.
pub fn default_workers() -> usize {
    std::env::var("BREACHWATCH_JOBS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `work` over every item `produce` feeds (through the function it is given, which
/// returns `false` once the pipeline has stopped: then `produce` should stop feeding), on
/// `workers` threads, and hands each result to `consume` in feeding order.
///
/// The first error stops the pipeline: a `work` error reaches `consume`'s position in order
/// and is returned from there, as is a `consume` error; results after it are dropped. Items
/// before it have all been consumed. An error of `produce` is returned after everything it fed
/// has been consumed. A panic in any thread is resumed on the caller's.
///
/// Results waiting for `consume` are bounded as if each were 8 KiB (see [`run_weighed`]).
pub fn run<T, U, E>(
    workers: usize,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> Result<(), E>,
    work: impl Fn(T) -> Result<U, E> + Sync,
    consume: impl FnMut(U) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Send,
    U: Send,
    E: Send,
{
    let queue = QUEUE_BYTES / ITEM_BYTES * ITEM_BYTES;
    run_weighed(workers, queue, |_| ITEM_BYTES, produce, work, consume)
}

/// [`run`], with the results waiting for `consume` (sent, or waiting for an earlier one in
/// order) bounded by their `weigh`t: a worker holds its finished batch until the waiting
/// results and it weigh at most `queue_bytes`. The batch the consumer needs next is always
/// let through (else a full queue of later batches would wait for it forever), and so is
/// one batch into an empty queue, so the queue may hold one batch more than `queue_bytes`.
pub fn run_weighed<T, U, E>(
    workers: usize,
    queue_bytes: usize,
    weigh: impl Fn(&U) -> usize + Sync,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> Result<(), E>,
    work: impl Fn(T) -> Result<U, E> + Sync,
    mut consume: impl FnMut(U) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Send,
    U: Send,
    E: Send,
{
    let workers = workers.max(1);
    let budget = Budget::new(queue_bytes);
    std::thread::scope(|s| {
        let (in_tx, in_rx) = mpsc::sync_channel::<(u64, Vec<T>)>(INPUT_PER_WORKER * workers);
        // Owned by the workers only: when the last one stops, the receiver goes and the
        // producer's next send fails instead of blocking.
        let in_rx = Arc::new(Mutex::new(in_rx));
        // Bounded by `budget` rather than by its length.
        let (out_tx, out_rx) = mpsc::channel::<(u64, Vec<Result<U, E>>, usize)>();
        let (work, weigh, budget) = (&work, &weigh, &budget);
        for _ in 0..workers {
            let (in_rx, out_tx) = (Arc::clone(&in_rx), out_tx.clone());
            let worker = move || loop {
                let next = in_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((i, batch)) = next else { break };
                let done: Vec<Result<U, E>> = batch.into_iter().map(work).collect();
                let bytes = done.iter().map(|r| r.as_ref().map_or(0, weigh)).sum();
                if !budget.take(i, bytes) || out_tx.send((i, done, bytes)).is_err() {
                    break;
                }
            };
            spawn(s, "worker", worker);
        }
        drop((in_rx, out_tx));
        let consumer = spawn(s, "writer", move || -> Result<(), E> {
            // However the consumer ends, workers waiting for room stop waiting.
            let _close = budget.closer();
            let mut waiting = BTreeMap::new();
            let mut next = 0u64;
            for (i, batch, bytes) in out_rx {
                waiting.insert(i, (batch, bytes));
                while let Some((batch, bytes)) = waiting.remove(&next) {
                    next += 1;
                    for r in batch {
                        consume(r?)?;
                    }
                    budget.give_back(bytes, next);
                }
            }
            Ok(())
        });
        let mut batches = 0u64;
        let mut batch = Vec::with_capacity(BATCH);
        let mut send = |batch: Vec<T>| {
            let sent = in_tx.send((batches, batch)).is_ok();
            batches += 1;
            sent
        };
        let mut open = true;
        let produced = produce(&mut |item| {
            batch.push(item);
            if batch.len() == BATCH {
                open = send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
            open
        });
        if open && !batch.is_empty() {
            send(batch);
        }
        drop(in_tx);
        let consumed = consumer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        consumed.and(produced)
    })
}

/// The bytes of results on their way to the consumer (see [`run_weighed`]).
struct Budget {
    max: usize,
    state: Mutex<BudgetState>,
    /// Signalled when bytes are given back, the consumer moves on, or it stops.
    changed: Condvar,
}

#[derive(Default)]
struct BudgetState {
    /// Bytes sent and not yet consumed.
    used: usize,
    /// The batch the consumer needs next.
    next: u64,
    /// The consumer has stopped.
    closed: bool,
}

impl Budget {
    fn new(max: usize) -> Budget {
        Budget {
            max,
            state: Mutex::default(),
            changed: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, BudgetState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until batch `i` of `bytes` may be sent, and counts it; `false`: the consumer has
    /// stopped.
    fn take(&self, i: u64, bytes: usize) -> bool {
        let mut st = self.state();
        while !(st.closed || st.used == 0 || st.used + bytes <= self.max || i == st.next) {
            st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        st.used += bytes;
        !st.closed
    }

    /// A batch of `bytes` was consumed; the consumer now needs batch `next`.
    fn give_back(&self, bytes: usize, next: u64) {
        let mut st = self.state();
        st.used -= bytes;
        st.next = next;
        self.changed.notify_all();
    }

    /// Marks the consumer stopped when dropped.
    fn closer(&self) -> impl Drop + '_ {
        struct Closer<'a>(&'a Budget);
        impl Drop for Closer<'_> {
            fn drop(&mut self) {
                self.0.state().closed = true;
                self.0.changed.notify_all();
            }
        }
        Closer(self)
    }
}

/// A named scoped thread (names show in debuggers, perf tools and panic messages).
fn spawn<'scope, R: Send + 'scope>(
    s: &'scope std::thread::Scope<'scope, '_>,
    name: &str,
    f: impl FnOnce() -> R + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, R> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn_scoped(s, f)
        .expect("cannot start a thread")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(n: u64) -> impl FnOnce(&mut dyn FnMut(u64) -> bool) -> Result<(), String> {
        move |send| {
            for i in 0..n {
                if !send(i) {
                    break;
                }
            }
            Ok(())
        }
    }

    #[test]
    fn results_are_consumed_in_feeding_order_whatever_the_workers_take() {
        for workers in [1, 2, 5] {
            let mut seen = Vec::new();
            run(
                workers,
                feed(500),
                // Uneven work, so later items often finish first.
                |i| {
                    if i % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    Ok::<_, String>(i * 2)
                },
                |r| {
                    seen.push(r);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..500).map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn results_waiting_for_the_consumer_are_bounded_by_their_weight() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let done = AtomicUsize::new(0);
        let (mut consumed, mut most_waiting) = (0, 0);
        // Two batches' worth of 100-byte results.
        let queue = 2 * BATCH * 100;
        run_weighed(
            2,
            queue,
            |_: &u64| 100,
            feed(3_000),
            |i| {
                done.fetch_add(1, Ordering::SeqCst);
                Ok::<_, String>(i)
            },
            |i| {
                assert_eq!(i, consumed as u64, "in order");
                consumed += 1;
                most_waiting = most_waiting.max(done.load(Ordering::SeqCst) - consumed);
                if i % 64 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(consumed, 3_000);
        // The queue, the one batch always let through, and in each worker's hands a finished
        // batch and one being worked on; counted in batches, 64 of them could wait.
        let bound = queue / 100 + BATCH + 2 * 2 * BATCH;
        assert!(
            most_waiting <= bound,
            "{most_waiting} results waited (bound {bound})"
        );
    }

    #[test]
    fn a_batch_heavier_than_the_whole_queue_still_goes_through_in_order() {
        let mut seen = Vec::new();
        run_weighed(
            3,
            10,
            |_: &u64| 1_000,
            feed(500),
            Ok::<u64, String>,
            |i| {
                seen.push(i);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..500).collect::<Vec<_>>());
    }

    #[test]
    fn a_work_error_stops_in_order_after_everything_before_it() {
        let mut seen = Vec::new();
        let r = run(
            2,
            feed(10_000),
            |i| {
                if i == 300 {
                    Err(format!("bad {i}"))
                } else {
                    Ok(i)
                }
            },
            |r| {
                seen.push(r);
                Ok(())
            },
        );
        assert_eq!(r, Err("bad 300".to_string()));
        assert_eq!(seen, (0..300).collect::<Vec<_>>());
    }

    #[test]
    fn a_consumer_error_stops_the_producer_instead_of_blocking_it() {
        let mut fed = 0;
        let r = run(
            2,
            |send: &mut dyn FnMut(u64) -> bool| {
                for i in 0..1_000_000 {
                    fed += 1;
                    if !send(i) {
                        break;
                    }
                }
                Ok(())
            },
            Ok::<u64, String>,
            |i| {
                if i == 10 {
                    Err("full disk".to_string())
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("full disk".to_string()));
        assert!(fed < 1_000_000, "the producer went on to the end: {fed}");
    }

    #[test]
    fn a_producer_error_comes_after_what_it_fed() {
        let mut seen = Vec::new();
        let r = run(
            2,
            |send: &mut dyn FnMut(u64) -> bool| {
                for i in 0..50 {
                    send(i);
                }
                Err("read error at line 51".to_string())
            },
            Ok::<u64, String>,
            |i| {
                seen.push(i);
                Ok(())
            },
        );
        assert_eq!(r, Err("read error at line 51".to_string()));
        assert_eq!(seen.len(), 50);
    }
}
