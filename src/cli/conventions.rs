//! What every command does the same way, as users of command-line tools expect it: how much
//! it logs (`--quiet`, `-v`, `RUST_LOG`), how an error is printed (each cause once, one
//! line), that a closed stdout (`| head`) ends it quietly, and the shell completions and
//! manual page generated from the clap definition. The README's "Command-line conventions"
//! says the same for users.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use tracing_subscriber::filter::LevelFilter;

use crate::render::terminal_text;
use crate::telemetry::Logging;

/// The end of `--help` and the man page: environment and exit status.
pub const AFTER_HELP: &str = "\
Environment:
  BREACHWATCH_DB       database directory, as --db
  BREACHWATCH_CONFIG   configuration file, as --config
  RUST_LOG             log filter (tracing EnvFilter syntax) when neither -q nor -v is given
  NO_COLOR             set (non-empty) for no colour on stderr; colour is also off when
                       stderr is not a terminal

Exit status: 0 on success (also when stdout is closed early, as by `| head`), 1 on an
error (one line on stderr), 2 on a usage error.";

/// Log levels from least to most detail; `--quiet` is the first, each `-v` one step on.
const LEVELS: [LevelFilter; 5] = [
    LevelFilter::ERROR,
    LevelFilter::WARN,
    LevelFilter::INFO,
    LevelFilter::DEBUG,
    LevelFilter::TRACE,
];

/// How much to log. `--quiet`: errors only. Otherwise the command's default, warn, or info for
/// the long-running commands (`service`), one step more per `-v`. `RUST_LOG` replaces the
/// default but not an explicit `-q`/`-v`: the command line wins over the environment.
pub fn logging(quiet: bool, verbose: u8, service: bool) -> Logging {
    let base = if service { 2 } else { 1 };
    let step = if quiet {
        0
    } else {
        (base + usize::from(verbose)).min(LEVELS.len() - 1)
    };
    Logging {
        level: LEVELS[step],
        env_overrides: !quiet && verbose == 0,
        ansi: crate::telemetry::stderr_wants_colour(),
    }
}

/// Whether `error` comes from writing to a closed pipe (stdout of `breachwatch ... | head`):
/// somewhere in its chain an `io::Error` of kind `BrokenPipe`, directly or inside a CSV or
/// JSON error. The command then ends quietly with status 0, as `cat` or `grep` would for the
/// reader that stopped reading.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::BrokenPipe;
        }
        if let Some(csv) = cause.downcast_ref::<csv::Error>() {
            return matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe);
        }
        if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            return json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe);
        }
        false
    })
}

/// The one line printed for a failed command: `error: ` and the chain of causes joined by
/// `: `, each cause once. Many of our error types show their source in their own message
/// (`database error: {0}`) and also return it as `source()`, so a plain `{:#}` would print
/// it twice; a cause whose text is already in the line is skipped. Untrusted text (a
/// service's answer, a file name) is made safe for the terminal.
pub fn error_report(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = terminal_text(&cause.to_string());
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    format!("error: {line}")
}

/// `breachwatch completions SHELL`: the completion script on `out`.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> Result<()> {
    // Generated into memory first: clap_complete panics when its writer fails.
    let mut script = Vec::new();
    clap_complete::generate(
        shell,
        &mut super::Cli::command(),
        "breachwatch",
        &mut script,
    );
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}

/// `breachwatch man`: the top page (every option and command) in roff on `out`; with `dir`,
/// `breachwatch.1` and a `breachwatch-COMMAND.1` per command written there instead.
///
/// # Errors
///
/// When `out` or the directory cannot be written.
pub fn man(dir: Option<&Path>, out: &mut impl Write) -> Result<()> {
    let command = super::Cli::command();
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("cannot write the man pages to {}", dir.display()))?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            out.write_all(&page)?;
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum Inner {
        #[error("database error: {0}")]
        Io(#[from] std::io::Error),
    }

    #[test]
    fn a_cause_already_in_the_message_is_printed_once() {
        let io = std::io::Error::other("IO error: disk on fire");
        let error = anyhow::Error::from(Inner::from(io)).context("cannot open the database");
        assert_eq!(
            error_report(&error),
            "error: cannot open the database: database error: IO error: disk on fire"
        );
    }

    #[test]
    fn distinct_causes_are_all_kept_on_one_line() {
        let error = anyhow::anyhow!("line 1\nline 2").context("cannot read x");
        assert_eq!(error_report(&error), "error: cannot read x: line 1 line 2");
    }

    #[test]
    fn broken_pipes_are_found_inside_other_errors() {
        let pipe = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(&anyhow::Error::from(pipe()).context("x")));
        assert!(is_broken_pipe(&anyhow::Error::from(csv::Error::from(
            pipe()
        ))));
        assert!(is_broken_pipe(&anyhow::Error::from(serde_json::Error::io(
            pipe()
        ))));
        assert!(!is_broken_pipe(&anyhow::Error::from(std::io::Error::from(
            std::io::ErrorKind::NotFound
        ))));
    }

    #[test]
    fn verbosity_steps_from_the_commands_default() {
        let level = |q, v, s| logging(q, v, s).level;
        assert_eq!(level(false, 0, false), LevelFilter::WARN);
        assert_eq!(level(false, 0, true), LevelFilter::INFO);
        assert_eq!(level(false, 1, false), LevelFilter::INFO);
        assert_eq!(level(false, 2, false), LevelFilter::DEBUG);
        assert_eq!(level(false, 9, true), LevelFilter::TRACE);
        assert_eq!(level(true, 0, true), LevelFilter::ERROR);
        assert!(logging(false, 0, false).env_overrides);
        assert!(!logging(false, 1, false).env_overrides);
        assert!(!logging(true, 0, false).env_overrides);
    }
}
