//! Logging: tracing to stderr (or an injected writer). How much is the caller's choice,
//! passed in as a [`Logging`] (the command line chooses it from `--quiet`, `-v` and the
//! command's default of `warn`, or `info` for `run`, `poll` and `demo`), with `RUST_LOG` in
//! place of that default; colour only on a terminal and never with `NO_COLOR`
//! ([`stderr_wants_colour`]). This module knows nothing of the command line.

use std::ffi::OsString;
use std::io::IsTerminal;

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::EnvFilter;

/// How the subscriber logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logging {
    /// The most detailed level of breachwatch's own events. Dependencies log at most
    /// warnings (errors only at `ERROR`), so `-vv` shows our debug lines, not hyper's.
    pub level: LevelFilter,
    /// Whether a valid `RUST_LOG` replaces `level` (false when `-q` or `-v` was given).
    pub env_overrides: bool,
    /// ANSI colours in the output.
    pub ansi: bool,
}

/// Installs the global subscriber writing to `writer`. A second call does nothing.
pub fn init<W>(logging: &Logging, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let from_env = logging
        .env_overrides
        .then(|| EnvFilter::try_from_default_env().ok())
        .flatten();
    let filter = from_env.unwrap_or_else(|| {
        let dependencies = logging.level.min(LevelFilter::WARN);
        EnvFilter::new(format!("breachwatch={},{dependencies}", logging.level))
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(logging.ansi)
        .with_target(false)
        .try_init();
}

/// Whether the log on stderr may be coloured: stderr is a terminal, `NO_COLOR` is unset or
/// empty (<https://no-color.org>) and `TERM` is not `dumb`.
pub fn stderr_wants_colour() -> bool {
    wants_colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR"),
        std::env::var_os("TERM"),
    )
}

/// [`stderr_wants_colour`] for the given facts.
pub fn wants_colour(is_terminal: bool, no_color: Option<OsString>, term: Option<OsString>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(wants_colour(true, None, None));
        assert!(wants_colour(true, Some("".into()), Some("xterm".into())));
        assert!(!wants_colour(false, None, None));
        assert!(!wants_colour(true, Some("1".into()), None));
        assert!(!wants_colour(true, None, Some("dumb".into())));
    }
}
