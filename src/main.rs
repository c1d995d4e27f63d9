use breachwatch::cli;

/// sled keeps its page cache on the heap; glibc's allocator slows down as that heap grows
/// (measured: malloc time doubled at 30k articles), mimalloc stays flat.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3's `mi_option_purge_delay` (its place in `mi_option_e`; checked by a test).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// How long freed memory may stay resident before mimalloc gives it back, in milliseconds.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Freed memory goes back to the system after 10 ms (mimalloc 2's default) instead of
/// mimalloc 3's 1 s. Ingest frees as fast as it allocates (each article's text, analysis and
/// write set), and in a second's worth of freed pages the 80k-article ingest of issue 22
/// peaked at 218-223 MB; with 10 ms at 170 MB, in the same time. 0 (at once) gave the same
/// peak but cost a quarter more system time in page faults and TLB shootdowns (see
/// docs/decisions/bounded-memory.md). `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn return_freed_memory_promptly() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets one of mimalloc's options; any value is valid for this one.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

fn main() {
    return_freed_memory_promptly();
    let args = cli::Cli::parse_args();
    breachwatch::telemetry::init(&args.logging(), std::io::stderr);
    match cli::run(args) {
        Ok(()) => {}
        // The reader went away (`breachwatch incidents | head -1`): nothing is wrong, and there
        // is nobody left to tell.
        Err(e) if cli::conventions::is_broken_pipe(&e) => {}
        Err(e) => {
            eprintln!("{}", cli::conventions::error_report(&e));
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads and sets mimalloc's options.
        unsafe {
            // mimalloc 3's default for it: a renumbered enum would read another option here.
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            return_freed_memory_promptly();
            assert_eq!(
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
                PURGE_DELAY_MS
            );
        }
    }
}
