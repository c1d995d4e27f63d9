//! An ordered parallel map: items fed on the caller's thread are worked on by a pool of threads
//! and their results consumed, in feeding order, on one thread of its own.
//!
//! Ingest uses it to analyse articles (pure CPU work: cleaning, classification, extraction,
//! MinHash) ahead of the single writer that merges and stores them. The two overlap, so
//! ingest takes about its total CPU time over the cores instead of the sum of both on one;
//! storing stays in input order, so the result is the same as a serial run's.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// Items go to the workers, and results to the consumer, this many at a time: handing over
/// one item at a time woke a sleeping thread for nearly every item, and those context
/// switches cost as much CPU as the work they overlapped (measured on 10k articles).
const BATCH: usize = 32;
/// Batches waiting for a worker, per worker.
const INPUT_PER_WORKER: usize = 16;
/// Batches of results waiting for the consumer, per worker: the buffer that absorbs the
/// consumer's uneven pace. The writer spends nothing on an article that reports no breach
/// and a few hundred microseconds merging one that does, so a run of breach articles stalls
/// it while workers keep their pace. With 4 batches a worker, on 2 cores, workers sat
/// blocked on a full queue (230 ms of 10k articles into a 90k store) while at other times
/// the writer waited for the next batch in order (95 ms), and the cores were 82% busy;
/// with 32 they are 92% busy and those 10k articles took 0.93 s instead of 1.07 s (README,
/// Measured). Memory: at most this many batches of analysed articles per worker (about
/// 8 KB an article on the synthetic corpus: 16 MB on 2 cores).
const OUTPUT_PER_WORKER: usize = 32;

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
pub fn run<T, U, E>(
    workers: usize,
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
    std::thread::scope(|s| {
        let (in_tx, in_rx) = mpsc::sync_channel::<(u64, Vec<T>)>(INPUT_PER_WORKER * workers);
        // Owned by the workers only: when the last one stops, the receiver goes and the
        // producer's next send fails instead of blocking.
        let in_rx = Arc::new(Mutex::new(in_rx));
        let (out_tx, out_rx) =
            mpsc::sync_channel::<(u64, Vec<Result<U, E>>)>(OUTPUT_PER_WORKER * workers);
        let work = &work;
        for _ in 0..workers {
            let (in_rx, out_tx) = (Arc::clone(&in_rx), out_tx.clone());
            let worker = move || loop {
                let next = in_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((i, batch)) = next else { break };
                let done = batch.into_iter().map(work).collect();
                if out_tx.send((i, done)).is_err() {
                    break;
                }
            };
            spawn(s, "worker", worker);
        }
        drop((in_rx, out_tx));
        let consumer = spawn(s, "writer", move || -> Result<(), E> {
            let mut waiting = BTreeMap::new();
            let mut next = 0u64;
            for (i, batch) in out_rx {
                waiting.insert(i, batch);
                while let Some(batch) = waiting.remove(&next) {
                    next += 1;
                    for r in batch {
                        consume(r?)?;
                    }
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
