//! The command line of `shared/contract.md`. anyhow lives here and in `main.rs` only.
//!
//! This file holds the clap definition ([`Cli`], [`Command`]) and the dispatch ([`run()`]);
//! each command runs in a file of its own, given a [`Context`]:
//!
//! * `ingest.rs` (with its progress bar), `poll.rs`, `reprocess.rs` — writing commands.
//! * `incidents.rs`, `show.rs`, `trends.rs` — reading commands; while `run` holds the
//!   database they ask the service instead, through [`remote`].
//! * `export.rs`, `explain.rs`.
//! * `correct.rs` — the analysts' corrections (`correct`, `merge`, `split`, `dismiss`,
//!   `restore`) and `incidents --dismissed`; while `run` holds the database they go to the
//!   service's write API.
//! * `run.rs` — the service; [`demo`] — the offline quick start.
//! * [`conventions`] — what every command does the same way (environment variables,
//!   `--quiet`/`--verbose`, colour, exit codes, broken pipes, error chains, completions and
//!   the man page), as the README's "Command-line conventions" lists it.

mod alerts;
pub mod conventions;
mod correct;
pub mod demo;
mod explain;
mod export;
mod incidents;
mod ingest;
mod poll;
pub mod remote;
mod reprocess;
mod review;
mod run;
mod show;
pub mod sources;
mod trends;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::export::ExportFormat;
use crate::ingest::Format;
use crate::query::{Filter, FilterError, FilterSpec, Period, TrendKey, When};
use crate::store::{Store, StoreError};

pub use explain::ExplainFormat;
pub use incidents::FilterArgs;

/// Watches the news for police data breaches and keeps a queryable record of incidents.
#[derive(Debug, Parser)]
#[command(name = "breachwatch", version, about, after_long_help = conventions::AFTER_HELP)]
pub struct Cli {
    /// Database directory (default: the config's `db_path`, else ./breachwatch.db).
    #[arg(long, global = true, env = "BREACHWATCH_DB", value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Configuration file; a missing file is an error only when named here or in the
    /// environment.
    #[arg(
        long,
        global = true,
        env = "BREACHWATCH_CONFIG",
        default_value = "feeds.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// Print only errors: no warnings, progress or info lines (the command's output on stdout
    /// is unchanged).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail on stderr, one step each: warn, info, debug, trace (`run`, `poll` and
    /// `demo` start at info, the others at warn). Wins over `RUST_LOG`.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Whether `--config` (or `BREACHWATCH_CONFIG`) named the config, rather than its default:
    /// set by [`Cli::parse_args`].
    #[arg(skip)]
    pub config_named: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments (exiting with clap's message and status 2 on a usage
    /// error, 0 after `--help`/`--version`) and notes where the config path came from.
    pub fn parse_args() -> Cli {
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.config_named =
            matches.value_source("config") != Some(clap::parser::ValueSource::DefaultValue);
        cli
    }

    /// How much to log: see [`conventions::logging`].
    pub fn logging(&self) -> crate::telemetry::Logging {
        conventions::logging(self.quiet, self.verbose, self.command.is_service())
    }
}

/// Output formats of the listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// Aligned columns for a person.
    Table,
    /// As the HTTP API answers.
    Json,
    /// Comma-separated, text cells guarded against spreadsheet formulas.
    Csv,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run local files (JSONL, RSS/Atom/JSON Feed, HTML pages) through the pipeline.
    Ingest {
        /// What the files are (`auto` tells by extension and content).
        #[arg(long, value_enum, default_value = "auto")]
        format: Format,
        /// Files to ingest.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// One pass over every enabled source, then exit.
    Poll,
    /// Incidents, newest first.
    Incidents {
        /// Which incidents.
        #[command(flatten)]
        filter: FilterArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
        /// List the incidents analysts dismissed instead (the filters do not apply).
        #[arg(long)]
        dismissed: bool,
    },
    /// One incident with every source, oldest first, and its timeline.
    Show {
        /// The incident's id, as `incidents` lists it.
        id: String,
        /// Output format; `csv` is the sources, one row each, oldest first.
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
    },
    /// Re-run extraction and deduplication over every stored article.
    Reprocess,
    /// Incident counts and people affected per force, data type or cause and period.
    Trends {
        /// What to group by.
        #[arg(long, value_enum)]
        by: TrendKey,
        /// How long a period is.
        #[arg(long, value_enum, default_value = "year")]
        period: Period,
        /// Which date puts an incident in a period: when it was first reported, or when it
        /// occurred (as the reports state it; incidents without one count under `unknown`).
        #[arg(long, value_enum, default_value = "reported")]
        when: When,
        /// On or after (YYYY-MM-DD), by the date `--when` chooses.
        #[arg(long)]
        since: Option<String>,
        /// On or before (YYYY-MM-DD), by the date `--when` chooses.
        #[arg(long)]
        until: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
        /// Also draw the trend as an SVG chart to this file.
        #[arg(long)]
        chart: Option<PathBuf>,
    },
    /// Every incident (csv, json, veris) or every stored article (jsonl, a backup `ingest` restores).
    Export {
        /// What to write to stdout.
        #[arg(long, value_enum)]
        format: ExportFormat,
    },
    /// The service: poll on schedule and serve the API, dashboard and Atom feeds.
    Run {
        /// Address to listen on (default: the config's `listen`, else 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Why an article is (or is not) a police breach: the decision and its reason, each
    /// report's facts and the sentence each came from.
    Explain {
        /// A stored article's URL (as the feed gave it, or its canonical form).
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        url: Option<String>,
        /// Explain the articles of this file instead (JSONL, RSS/Atom/JSON Feed or an HTML
        /// page, detected as `ingest` does): extracted, not stored; no database needed.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: ExplainFormat,
    },
    /// Offline quick start: serve the bundled sample sources locally, poll them, show the dashboard.
    Demo {
        /// Address for the dashboard (default: the config's `listen`, else 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Every configured source (templates expanded) with its health; see its subcommands for
    /// coverage, OPML and a dry-run check.
    Sources {
        /// Coverage, OPML import/export or a check (default: list the sources).
        #[command(subcommand)]
        command: Option<sources::SourcesCommand>,
        /// Output format of the listing.
        #[arg(long, value_enum, default_value = "table")]
        format: sources::SourcesFormat,
    },
    /// Set facts of an incident (an analyst's correction, kept across new articles and
    /// `reprocess`); prints the incident's id.
    Correct {
        /// The incident's id.
        id: String,
        /// A fact and its value, e.g. `affected.count=1500`, `cause=ransomware`,
        /// `data_types=name,home_address`, `occurred=2024-03` (fields: forces, data_types,
        /// not_exposed, affected.count, affected.qualifier, affected.unit, cause, third_party,
        /// occurred). Repeatable.
        #[arg(long = "set", required = true, value_name = "FIELD=VALUE")]
        set: Vec<String>,
        /// Why, in the analyst's words.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Make one incident of two (an analyst's correction); prints the merged incident's id.
    Merge {
        /// The two incidents' ids.
        #[arg(num_args = 2, required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Why, in the analyst's words.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take an article out of an incident into one of its own (an analyst's correction);
    /// prints both incidents' ids.
    Split {
        /// The incident's id.
        id: String,
        /// The article's URL, as `show` lists it.
        #[arg(long, value_name = "URL")]
        article: String,
        /// Why, in the analyst's words.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Dismiss an incident as not a police data breach: it leaves `incidents`, `trends` and
    /// exports (`incidents --dismissed` lists it).
    Dismiss {
        /// The incident's id.
        id: String,
        /// Why, in the analyst's words (required).
        #[arg(long, required = true)]
        reason: String,
    },
    /// Undo a dismissal.
    Restore {
        /// The incident's id.
        id: String,
        /// Why, in the analyst's words.
        #[arg(long)]
        reason: Option<String>,
    },
    /// What most needs a person: sources that disagree, incidents from a headline alone,
    /// low-confidence decisions, near misses; each with its reason and `explain` command.
    Review {
        /// How many of the most recently stored articles to look at for near misses.
        #[arg(long, default_value_t = 1000, value_name = "N")]
        recent: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: review::ReviewFormat,
    },
    /// Webhook alerts (`[[alert]]` in the config): send a sample event to check one.
    Alerts {
        /// What to do.
        #[command(subcommand)]
        command: alerts::AlertsCommand,
    },
    /// Shell completions on stdout, e.g. `breachwatch completions bash > breachwatch.bash`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on stdout, or with `--out` one page per command in a directory.
    Man {
        /// Write breachwatch.1 and breachwatch-COMMAND.1 pages into this directory instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

impl Command {
    /// The long-running commands (and `poll`, a service's pass run by hand), which log at
    /// info by default so an operator sees what they do.
    pub fn is_service(&self) -> bool {
        matches!(
            self,
            Command::Run { .. } | Command::Demo { .. } | Command::Poll
        )
    }
}

/// The configuration at `path`. A missing file is an empty configuration, unless the user
/// named it (`explicit`).
fn load_config(path: &Path, explicit: bool) -> Result<Config> {
    if !path.exists() && !explicit {
        return Ok(Config::empty());
    }
    Ok(Config::load(path)?)
}

/// What a command gets besides its own arguments: the configuration, the database and how
/// much to say.
pub struct Context {
    /// The configuration (empty when the default file does not exist).
    pub config: Config,
    /// Where the configuration came from, for messages.
    pub config_path: PathBuf,
    /// The database: `--db`, else the config's `db_path`.
    pub db: PathBuf,
    /// `--db` as given: the demo has a database of its own unless one is named.
    pub db_given: Option<PathBuf>,
    /// `--quiet`: no warnings or progress on stderr.
    pub quiet: bool,
}

/// `spec` checked by the parser the API shares ([`FilterSpec::parse`]), its errors worded
/// for the command line: a reversed range names the flags (`--since`, `--until`).
///
/// # Errors
///
/// When a filter does not parse.
pub(crate) fn parse_filters(spec: &FilterSpec) -> Result<Filter> {
    spec.parse().map_err(|error| match error {
        FilterError::DatesReversed { since, until } => {
            anyhow!("--since {since} is after --until {until}")
        }
        error => error.into(),
    })
}

/// Where a reading command gets its answer: the database, or the service holding it.
pub(crate) enum Access {
    /// The database, opened.
    Local(Store),
    /// The JSON body the running service answered.
    Remote(String),
}

impl Context {
    /// The database, opened.
    ///
    /// # Errors
    ///
    /// When it cannot be opened (also when a running `breachwatch run` holds it).
    pub(crate) fn open_store(&self) -> Result<Store> {
        Ok(Store::open(&self.db)?)
    }

    /// The database, or, when a running service holds it, that service's answer to the
    /// API request `path_and_query` (see [`remote`]).
    ///
    /// # Errors
    ///
    /// When the database cannot be opened, or the service does not answer well.
    pub(crate) fn open_or_ask_service(&self, path_and_query: &str) -> Result<Access> {
        match Store::open(&self.db) {
            Ok(store) => Ok(Access::Local(store)),
            Err(StoreError::Locked { .. }) => {
                let service = remote::service_addr(&self.db, &self.config.settings.listen);
                Ok(Access::Remote(remote::get(&service, path_and_query)?))
            }
            Err(error) => Err(error.into()),
        }
    }
}

/// Runs the parsed command.
///
/// # Errors
///
/// Any failure of the command, with its causes; a write to a closed stdout is an
/// `io::ErrorKind::BrokenPipe` in the chain (see [`conventions::is_broken_pipe`]).
pub fn run(cli: Cli) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let config = match cli.command {
        // These need neither a config nor a database.
        Command::Completions { .. } | Command::Man { .. } => Config::empty(),
        _ => load_config(&cli.config, cli.config_named)?,
    };
    if let Some(bytes) = config.settings.db_cache_bytes {
        crate::store::set_cache_bytes(bytes);
    }
    let context = Context {
        db: cli
            .db
            .clone()
            .unwrap_or_else(|| config.settings.db_path.clone()),
        db_given: cli.db,
        config,
        config_path: cli.config,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Ingest { format, paths } => ingest::run(&context, format, &paths, &mut out),
        Command::Poll => poll::run(&context, &mut out),
        Command::Incidents {
            dismissed: true,
            format,
            ..
        } => correct::list_dismissed(&context, format, &mut out),
        Command::Incidents { filter, format, .. } => {
            incidents::run(&context, &filter, format, &mut out)
        }
        Command::Correct { id, set, reason } => {
            let ask = correct::Ask::Correct { id, set };
            correct::run(&context, ask, reason.as_deref(), &mut out)
        }
        Command::Merge { ids, reason } => correct::run(
            &context,
            correct::Ask::Merge { ids },
            reason.as_deref(),
            &mut out,
        ),
        Command::Split {
            id,
            article,
            reason,
        } => {
            let ask = correct::Ask::Split { id, article };
            correct::run(&context, ask, reason.as_deref(), &mut out)
        }
        Command::Dismiss { id, reason } => correct::run(
            &context,
            correct::Ask::Dismiss { id },
            Some(&reason),
            &mut out,
        ),
        Command::Restore { id, reason } => correct::run(
            &context,
            correct::Ask::Restore { id },
            reason.as_deref(),
            &mut out,
        ),
        Command::Show { id, format } => show::run(&context, &id, format, &mut out),
        Command::Trends {
            by,
            period,
            when,
            since,
            until,
            format,
            chart,
        } => {
            let question = trends::TrendArgs {
                by,
                period,
                when,
                since,
                until,
            };
            trends::run(&context, &question, format, chart.as_deref(), &mut out)
        }
        Command::Export { format } => export::run(&context, format, &mut out),
        Command::Explain { url, file, format } => {
            explain::run(&context, url.as_deref(), file.as_deref(), format, &mut out)
        }
        Command::Run { listen } => run::run(&context, listen.as_deref()),
        Command::Demo { listen } => demo::run(&context, listen.as_deref()),
        Command::Completions { shell } => conventions::completions(shell, &mut out),
        Command::Man { out: dir } => conventions::man(dir.as_deref(), &mut out),
        Command::Reprocess => reprocess::run(&context, &mut out),
        Command::Sources { command, format } => sources::run(&context, command, format, &mut out),
        Command::Alerts { command } => alerts::run(&context, command, &mut out),
        Command::Review { recent, format } => review::run(&context, recent, format, &mut out),
    }
}
