use clap::Parser;

fn main() {
    let cli = breachwatch::cli::Cli::parse();
    breachwatch::telemetry::init("warn", std::io::stderr);
    if let Err(e) = breachwatch::cli::run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
