//! The command line of `shared/contract.md`. anyhow lives here and in `main.rs` only.
//!
//! The conventions every command keeps (environment variables, `--quiet`/`--verbose`, colour,
//! exit codes, broken pipes, error chains, completions and the man page) are in
//! [`conventions`], and listed in the README's "Command-line conventions".

pub mod conventions;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::ingest::{self, Format};
use crate::model::{Cause, DataType};
use crate::query::{self, Filter, IncidentView, Period, TrendKey, When};
use crate::render::terminal_text;
use crate::store::Store;

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
        #[command(flatten)]
        filter: FilterArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
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

/// Formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Table,
    Json,
}

/// Formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Veris,
    Jsonl,
}

/// Filters shared by `incidents` and the API.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Force id, e.g. `metropolitan`.
    #[arg(long)]
    pub force: Option<String>,
    /// Data type id, e.g. `home_address`.
    #[arg(long)]
    pub data_type: Option<String>,
    /// Cause id, e.g. `ransomware`.
    #[arg(long)]
    pub cause: Option<String>,
    /// First reported on or after (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// First reported on or before (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Text in a source's title.
    #[arg(long)]
    pub search: Option<String>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<usize>,
}

/// Parses a `YYYY-MM-DD` date argument.
pub fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("{s:?} is not a date like 2023-08-31"))
}

impl FilterArgs {
    /// The same filters as API query parameters.
    pub fn query_string(&self) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("force", &self.force),
            ("data_type", &self.data_type),
            ("cause", &self.cause),
            ("since", &self.since),
            ("until", &self.until),
            ("q", &self.search),
        ] {
            if let Some(v) = v {
                q.push(format!(
                    "{k}={}",
                    url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
                ));
            }
        }
        if let Some(l) = self.limit {
            q.push(format!("limit={l}"));
        }
        q.join("&")
    }

    pub fn to_filter(&self) -> Result<Filter> {
        let since = self.since.as_deref().map(parse_day).transpose()?;
        let until = self.until.as_deref().map(parse_day).transpose()?;
        if let (Some(s), Some(u)) = (since, until) {
            anyhow::ensure!(s <= u, "--since {s} is after --until {u}");
        }
        Ok(Filter {
            force: self.force.clone(),
            data_type: self
                .data_type
                .as_deref()
                .map(|t| DataType::from_id(t).with_context(|| format!("unknown data type {t:?}")))
                .transpose()?,
            cause: self
                .cause
                .as_deref()
                .map(|c| Cause::from_id(c).with_context(|| format!("unknown cause {c:?}")))
                .transpose()?,
            since,
            until,
            text: self.search.clone(),
            limit: self.limit,
        })
    }
}

fn load_config(path: &Path, explicit: bool) -> Result<Config> {
    if !path.exists() && !explicit {
        return Ok(Config::empty());
    }
    Ok(Config::load(path)?)
}

/// Runs the parsed command.
///
/// # Errors
///
/// Any failure of the command, with its causes; a write to a closed stdout is an
/// `io::ErrorKind::BrokenPipe` in the chain (see [`conventions::is_broken_pipe`]).
pub fn run(cli: Cli) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let quiet = cli.quiet;
    let config = match cli.command {
        // These need neither a config nor a database.
        Command::Completions { .. } | Command::Man { .. } => Config::empty(),
        _ => load_config(&cli.config, cli.config_named)?,
    };
    let db = cli
        .db
        .clone()
        .unwrap_or_else(|| config.settings.db_path.clone());
    let open = || Store::open(&db).map_err(anyhow::Error::from);
    // Read-only commands ask a running service when it holds the database.
    let open_or_remote = |api: &str| -> Result<Access> {
        match Store::open(&db) {
            Ok(s) => Ok(Access::Local(s)),
            Err(crate::store::StoreError::Locked { .. }) => {
                Ok(Access::Remote(crate::serve::remote_get(
                    &crate::serve::service_addr(&db, &config.settings.listen),
                    api,
                )?))
            }
            Err(e) => Err(e.into()),
        }
    };
    match cli.command {
        Command::Ingest { format, paths } => {
            // Reading and analysing start while the store opens (see `Opening`).
            let opening = crate::store::Opening::start(&db);
            let total_bytes: u64 = paths
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum();
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total_bytes),
                if quiet {
                    indicatif::ProgressDrawTarget::hidden()
                } else {
                    indicatif::ProgressDrawTarget::stderr()
                },
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} ingesting [{bar:30}] {bytes}/{total_bytes} {msg}",
                )
                .expect("template")
                .progress_chars("=> "),
            );
            let mut sum = ingest::Summary::default();
            let mut problems = Vec::new();
            let started = std::time::Instant::now();
            for p in &paths {
                let before = problems.len();
                let file_started = std::time::Instant::now();
                let s =
                    ingest::ingest_path(&opening, p, format, &mut problems, &mut |n| bar.inc(n))?;
                for pr in problems[before..].iter().filter(|_| !quiet) {
                    bar.suspend(|| {
                        eprintln!("warning: {} (skipped)", terminal_text(&pr.to_string()))
                    });
                }
                if paths.len() > 1 && !quiet {
                    bar.suspend(|| {
                        eprintln!(
                            "{}: {} article(s), {} new, in {:.2}s",
                            p.display(),
                            s.read,
                            s.new,
                            file_started.elapsed().as_secs_f64()
                        )
                    });
                }
                sum.read += s.read;
                sum.new += s.new;
                sum.relevant += s.relevant;
                sum.unchanged += s.unchanged;
                sum.bad += s.bad;
            }
            bar.finish_and_clear();
            let store = opening.into_store()?;
            let incidents = store.incident_count();
            // Flushed before the summary is printed; the store is then let go (see there).
            store.close_for_exit()?;
            writeln!(
                out,
                "ingested {} article(s) in {:.1}s: {} new ({} about police breaches), {} already stored, {} bad input(s) skipped; {} incident(s) stored",
                sum.read,
                started.elapsed().as_secs_f64(),
                sum.new,
                sum.relevant,
                sum.unchanged,
                sum.bad,
                incidents
            )?;
        }
        Command::Poll => {
            let store = open()?;
            if config.sources.iter().all(|s| !s.enabled) {
                bail!("no enabled sources in {}", cli.config.display());
            }
            let fetcher = crate::fetch::Fetcher::new(&config.settings)?;
            let rt = tokio::runtime::Runtime::new()?;
            let reports = rt.block_on(crate::poll::poll_once(&config, &store, &fetcher));
            store.flush()?;
            for r in &reports {
                writeln!(out, "{}", terminal_text(&r.to_string()))?;
            }
            let failed = reports
                .iter()
                .filter(|r| matches!(r.outcome, crate::poll::SourceOutcome::Error(_)))
                .count();
            if failed == reports.len() && failed > 0 {
                bail!("every source failed");
            }
        }
        Command::Incidents { filter, format } => {
            let f = filter.to_filter()?;
            let views: Vec<IncidentView> =
                match open_or_remote(&format!("/api/incidents?{}", filter.query_string()))? {
                    Access::Local(store) => query::incidents(&store, &f)?
                        .iter()
                        .map(IncidentView::from)
                        .collect(),
                    Access::Remote(body) => serde_json::from_str(&body)?,
                };
            print_incidents(&mut out, &views, format)?;
        }
        Command::Show { id, format } => {
            let inc: crate::model::Incident =
                match open_or_remote(&format!("/api/incidents/{id}"))? {
                    Access::Local(store) => query::incident(&store, &id)?
                        .with_context(|| format!("no incident {id:?}"))?,
                    Access::Remote(body) => serde_json::from_str(&body)?,
                };
            match format {
                OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&inc)?)?,
                OutFormat::Csv => crate::render::sources_csv(&mut out, &inc)?,
                OutFormat::Table => crate::render::incident_text(&mut out, &inc)?,
            }
        }
        Command::Trends {
            by,
            period,
            when,
            since,
            until,
            format,
            chart,
        } => {
            let since_d = since.as_deref().map(parse_day).transpose()?;
            let until_d = until.as_deref().map(parse_day).transpose()?;
            if let (Some(s), Some(u)) = (since_d, until_d) {
                anyhow::ensure!(s <= u, "--since {s} is after --until {u}");
            }
            let mut q = format!("/api/trends?by={}&period={}", by_id(by), period_id(period));
            if when != When::Reported {
                q.push_str(&format!("&when={}", when.id()));
            }
            for (k, v) in [("since", &since), ("until", &until)] {
                if let Some(v) = v {
                    q.push_str(&format!("&{k}={v}"));
                }
            }
            let rows: Vec<query::TrendRow> = match open_or_remote(&q)? {
                Access::Local(store) => {
                    query::trends_when(&store, by, period, when, since_d, until_d)?
                }
                Access::Remote(body) => serde_json::from_str(&body)?,
            };
            match format {
                OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
                OutFormat::Csv => crate::render::trends_csv(&mut out, &rows)?,
                OutFormat::Table => crate::render::trends_table(&mut out, &rows, by_id(by))?,
            }
            if let Some(path) = chart {
                let svg = crate::chart::trend_svg(&rows, by_id(by), period_id(period));
                std::fs::write(&path, svg)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                if !quiet {
                    eprintln!("chart written to {}", path.display());
                }
            }
        }
        Command::Export { format } => {
            let store = open()?;
            crate::export::export(&store, format, &mut out)?;
        }
        Command::Explain { url, file, format } => {
            let items = match (file, url) {
                (Some(path), _) => {
                    let mut problems = Vec::new();
                    let items = crate::explain::explain_file(&path, Format::Auto, &mut problems)?;
                    for p in problems.iter().filter(|_| !quiet) {
                        eprintln!("warning: {} (skipped)", terminal_text(&p.to_string()));
                    }
                    if items.is_empty() {
                        match problems.first() {
                            Some(p) => bail!("no article read from {}: {p}", path.display()),
                            None => bail!("no article in {}", path.display()),
                        }
                    }
                    items
                }
                (None, Some(url)) => {
                    if !db.exists() {
                        bail!(
                            "no stored article with URL {url} (no database at {})",
                            db.display()
                        );
                    }
                    let store = match Store::open(&db) {
                        Ok(s) => s,
                        Err(crate::store::StoreError::Locked { .. }) => bail!(
                            "the database {} is held by a running `breachwatch run`: stop it, or use `explain --file`",
                            db.display()
                        ),
                        Err(e) => return Err(e.into()),
                    };
                    let article = crate::explain::find_stored(&store, &url)?
                        .with_context(|| format!("no stored article with URL {url}"))?;
                    let from_page = article.source_id.as_deref().is_some_and(|id| {
                        config.sources.iter().any(|s| {
                            s.id == id && matches!(s.kind, crate::config::SourceKind::Html(_))
                        })
                    });
                    vec![crate::explain::explain_article(&article, from_page)]
                }
                (None, None) => bail!("give a stored article's URL or --file PATH"),
            };
            match format {
                ExplainFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?,
                ExplainFormat::Table => crate::explain::table(&mut out, &items)?,
            }
        }
        Command::Run { listen } => crate::serve::cli_run(&config, &db, listen.as_deref())?,
        Command::Demo { listen } => {
            crate::serve::cli_demo(&config, cli.db.as_deref(), listen.as_deref())?
        }
        Command::Completions { shell } => conventions::completions(shell, &mut out)?,
        Command::Man { out: dir } => conventions::man(dir.as_deref(), &mut out)?,
        Command::Reprocess => {
            let store = open()?;
            let started = std::time::Instant::now();
            let (articles, incidents) = crate::pipeline::reprocess(&store)?;
            store.flush()?;
            writeln!(
                out,
                "reprocessed {articles} article(s) in {:.1}s; {incidents} incident(s) stored",
                started.elapsed().as_secs_f64()
            )?;
        }
    }
    Ok(())
}

/// Where a read-only command gets its answer: the database, or the service holding it.
enum Access {
    Local(Store),
    /// The JSON body the running service answered.
    Remote(String),
}

/// The id used on the command line and in the API for a trend key.
pub fn by_id(by: TrendKey) -> &'static str {
    match by {
        TrendKey::Force => "force",
        TrendKey::DataType => "data-type",
        TrendKey::Cause => "cause",
    }
}

/// The id of a period.
pub fn period_id(p: Period) -> &'static str {
    match p {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "year",
        Period::All => "all",
    }
}

fn print_incidents(out: &mut impl Write, views: &[IncidentView], format: OutFormat) -> Result<()> {
    match format {
        OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(views)?)?,
        OutFormat::Csv => crate::render::incidents_csv(out, views)?,
        OutFormat::Table => crate::render::incidents_table(out, views)?,
    }
    Ok(())
}
