use breachwatch::cli;

/// sled keeps its page cache on the heap; glibc's allocator slows down as that heap grows
/// (measured: malloc time doubled at 30k articles), mimalloc stays flat.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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
