use clap::Parser;

/// sled keeps its page cache on the heap; glibc's allocator slows down as that heap grows
/// (measured: malloc time doubled at 30k articles), mimalloc stays flat.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = breachwatch::cli::Cli::parse();
    breachwatch::telemetry::init("warn", std::io::stderr);
    if let Err(e) = breachwatch::cli::run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
