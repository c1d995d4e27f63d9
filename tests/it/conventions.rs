//! Command-line conventions (README "Command-line conventions"), on the real binary: the
//! environment variables, `--quiet`/`-v`, no colour off a terminal, a closed stdout, errors
//! with each cause once, help on every argument, completions and the man page, and untrusted
//! article text kept out of spreadsheets' formulas and the terminal's control sequences.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;

/// An invented breach whose title and outlet are hostile: a spreadsheet formula, an OSC
/// window-title sequence, a bidi override, a screen-clearing CSI sequence and a tab.
const HOSTILE: &str = r#"{"url":"https://news.example/kent-list","title":"=HYPERLINK(\"https://evil.example\",\"open\") \u001b]0;owned\u0007Kent Police \u202estaff list\u202c emailed\u001b[2J in error","published":"2024-03-05T09:30:00+00:00","source":"@Evil\tNews\u001b[31m","text":"Kent Police has apologised after a list with the names of 40 officers was emailed to the wrong person by mistake.\nThe force said the email was sent in error by a member of staff."}"#;

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_breachwatch"));
    // The test's own environment must not choose the database or the log level.
    for var in [
        "BREACHWATCH_DB",
        "BREACHWATCH_CONFIG",
        "RUST_LOG",
        "NO_COLOR",
    ] {
        command.env_remove(var);
    }
    command
}

fn stdout_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A temp dir (the working directory: no feeds.toml) with the hostile article ingested into
/// `db`; returns it and the incident's id.
fn hostile_store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), format!("{HOSTILE}\n")).unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["--db", "db", "ingest", "a.jsonl"])
        .output()
        .unwrap();
    stdout_of(&out);
    let json = stdout_of(
        &bin()
            .current_dir(dir.path())
            .args(["--db", "db", "incidents", "--format", "json"])
            .output()
            .unwrap(),
    );
    let incidents: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(incidents.as_array().unwrap().len(), 1, "{json}");
    let id = incidents[0]["id"].as_str().unwrap().to_string();
    (dir, id)
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn column(text: &str, name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let k = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {text}"));
    csv_rows(text).into_iter().map(|r| r[k].clone()).collect()
}

#[test]
fn database_and_config_come_from_the_environment() {
    // Arrange
    let (dir, id) = hostile_store();
    let db = dir.path().join("db");
    let elsewhere = tempfile::tempdir().unwrap();

    // Act: from another directory, with the database named only by BREACHWATCH_DB.
    let out = bin()
        .current_dir(elsewhere.path())
        .env("BREACHWATCH_DB", &db)
        .args(["incidents", "--format", "json"])
        .output()
        .unwrap();

    // Assert
    assert!(stdout_of(&out).contains(&id));

    // A config named by BREACHWATCH_CONFIG is read, and must exist like one named by --config.
    let out = bin()
        .current_dir(elsewhere.path())
        .env("BREACHWATCH_CONFIG", elsewhere.path().join("missing.toml"))
        .args(["--db", db.to_str().unwrap(), "incidents"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read config") && err.contains("missing.toml"),
        "{err}"
    );
    let cfg = elsewhere.path().join("typo.toml");
    std::fs::write(&cfg, "[settings]\nlisen = \"127.0.0.1:1\"\n").unwrap();
    let out = bin()
        .env("BREACHWATCH_CONFIG", &cfg)
        .args(["--db", db.to_str().unwrap(), "incidents"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"));
    // The flag wins over the variable.
    let out = bin()
        .env("BREACHWATCH_DB", elsewhere.path().join("not-this-one"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "incidents",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(stdout_of(&out).contains(&id));
}

#[test]
fn a_database_error_prints_each_cause_once_on_one_line() {
    // Arrange: --db names a regular file, so sled cannot make its directory.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();

    // Act
    let out = bin()
        .current_dir(dir.path())
        .arg("--db")
        .arg(&file)
        .args(["incidents"])
        .output()
        .unwrap();

    // Assert
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let line = err.trim().strip_prefix("error: ").expect("error: prefix");
    let parts: Vec<&str> = line.split(": ").collect();
    for (k, part) in parts.iter().enumerate() {
        assert_eq!(
            line.matches(part).count(),
            1,
            "cause {k} ({part:?}) repeated in {line:?}"
        );
    }
    assert!(line.starts_with("database error"), "{line}");
}

#[test]
fn a_closed_stdout_ends_every_printing_command_quietly() {
    // Arrange
    let (dir, id) = hostile_store();
    let commands: Vec<Vec<&str>> = vec![
        vec!["incidents"],
        vec!["incidents", "--format", "json"],
        vec!["incidents", "--format", "csv"],
        vec!["show", &id],
        vec!["show", &id, "--format", "json"],
        vec!["show", &id, "--format", "csv"],
        vec!["trends", "--by", "force"],
        vec!["trends", "--by", "cause", "--format", "csv"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "veris"],
        vec!["export", "--format", "jsonl"],
        vec!["explain", "--file", "a.jsonl"],
        vec![
            "explain",
            "https://news.example/kent-list",
            "--format",
            "json",
        ],
        vec!["completions", "bash"],
        vec!["man"],
    ];
    for args in commands {
        // Act: the reader is gone before the command writes a byte.
        let mut child = bin()
            .current_dir(dir.path())
            .args(["--db", "db"])
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();

        // Assert
        assert!(status.success(), "{args:?}: {status} {err}");
        assert!(
            !err.to_lowercase().contains("broken pipe"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A config whose one source refuses connections (port 9 on loopback): `poll` logs a
/// warning for it, then fails because every source failed.
fn failing_source_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\ntimeout_secs = 2\n[[source]]\nid = \"gone\"\nkind = \"feed\"\nurl = \"http://127.0.0.1:9/feed.xml\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn logs_have_no_colour_off_a_terminal_and_quiet_leaves_only_the_error() {
    // Arrange
    let dir = failing_source_dir();
    let poll = |extra: &[&str], rust_log: Option<&str>| {
        let mut command = bin();
        command.current_dir(dir.path()).args(["--db", "db"]);
        if let Some(filter) = rust_log {
            command.env("RUST_LOG", filter);
        }
        let out = command.args(extra).arg("poll").output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stderr).unwrap()
    };

    // Act
    let default = poll(&[], None);
    let quiet = poll(&["-q"], None);
    let env_off = poll(&[], Some("off"));
    let flag_over_env = poll(&["-v"], Some("off"));

    // Assert: stderr is a pipe here, so no ANSI escapes.
    assert!(default.contains("Source failed"), "{default}");
    assert!(!default.contains('\u{1b}'), "{default:?}");
    assert_eq!(quiet.trim(), "error: every source failed", "{quiet}");
    assert!(!env_off.contains("Source failed"), "{env_off}");
    assert!(flag_over_env.contains("Source failed"), "{flag_over_env}");
}

#[test]
fn quiet_silences_warnings_and_quiet_with_verbose_is_a_usage_error() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.jsonl"),
        "{\"url\":\"https://a.example/1\",\"text\":\"body\"}\nnot json\n",
    )
    .unwrap();

    // Act
    let loud = run_in(dir.path(), &["--db", "db1", "ingest", "a.jsonl"]);
    let quiet = run_in(dir.path(), &["--db", "db2", "ingest", "-q", "a.jsonl"]);
    let both = run_in(dir.path(), &["-q", "-v", "incidents"]);

    // Assert
    assert!(String::from_utf8_lossy(&loud.stderr).contains("a.jsonl:2:"));
    assert!(stdout_of(&quiet).contains("1 new"));
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn every_argument_and_command_has_help() {
    let mut root = breachwatch::cli::Cli::command();
    root.build();
    let mut missing = Vec::new();
    let mut stack = vec![(root.get_name().to_string(), root)];
    while let Some((path, command)) = stack.pop() {
        if command.get_about().is_none() && command.get_long_about().is_none() {
            missing.push(path.clone());
        }
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in command.get_subcommands() {
            stack.push((format!("{path} {}", sub.get_name()), sub.clone()));
        }
    }
    assert!(missing.is_empty(), "without help: {missing:?}");
}

#[test]
fn completions_and_man_page_name_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&run_in(dir.path(), &["completions", shell]));
        for command in ["incidents", "trends", "explain"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
    let page = stdout_of(&run_in(dir.path(), &["man"]));
    assert!(
        page.starts_with(".ie") || page.contains(".TH breachwatch"),
        "{page}"
    );
    for command in [
        "ingest",
        "incidents",
        "show",
        "trends",
        "export",
        "completions",
    ] {
        assert!(page.contains(command), "no {command} in the man page");
    }
    assert!(page.contains("BREACHWATCH_DB"), "{page}");
    let pages = dir.path().join("man1");
    stdout_of(&run_in(dir.path(), &["man", "--out", "man1"]));
    for name in [
        "breachwatch.1",
        "breachwatch-incidents.1",
        "breachwatch-trends.1",
    ] {
        let text = std::fs::read_to_string(pages.join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
}

#[test]
fn csv_cells_from_articles_cannot_start_a_formula() {
    // Arrange
    let (dir, id) = hostile_store();

    // Act
    let incidents = stdout_of(&run_in(
        dir.path(),
        &["--db", "db", "incidents", "--format", "csv"],
    ));
    let export = stdout_of(&run_in(
        dir.path(),
        &["--db", "db", "export", "--format", "csv"],
    ));
    let show = stdout_of(&run_in(
        dir.path(),
        &["--db", "db", "show", &id, "--format", "csv"],
    ));
    let trends = stdout_of(&run_in(
        dir.path(),
        &["--db", "db", "trends", "--by", "force", "--format", "csv"],
    ));

    // Assert: the hostile title is text in every CSV, whole after the guard.
    for (what, csv) in [
        ("incidents", &incidents),
        ("export", &export),
        ("show", &show),
    ] {
        let titles = column(csv, "title");
        assert_eq!(titles.len(), 1, "{what}: {csv}");
        assert!(titles[0].starts_with("'=HYPERLINK("), "{what}: {titles:?}");
    }
    // Numbers stay numbers.
    assert_eq!(column(&incidents, "affected_count"), ["40"]);
    assert_eq!(column(&export, "source_count"), ["1"]);
    // `show --format csv` is the sources, one row each.
    assert_eq!(column(&show, "incident_id"), [id.as_str()]);
    assert_eq!(column(&show, "outlet")[0], "'@Evil\tNews\u{1b}[31m");
    assert_eq!(column(&show, "url"), ["https://news.example/kent-list"]);
    assert_eq!(column(&trends, "key"), ["kent"]);
    assert_eq!(column(&trends, "incidents"), ["1"]);
    // JSON is not a spreadsheet: it keeps the text as it came.
    let json = stdout_of(&run_in(
        dir.path(),
        &["--db", "db", "show", &id, "--format", "json"],
    ));
    let incident: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(incident["sources"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("=HYPERLINK("));
}

#[test]
fn terminal_output_carries_no_escape_sequences_or_bidi_overrides() {
    // Arrange
    let (dir, id) = hostile_store();

    // Act
    let outputs = [
        run_in(dir.path(), &["--db", "db", "incidents"]),
        run_in(dir.path(), &["--db", "db", "show", &id]),
        run_in(dir.path(), &["--db", "db", "trends", "--by", "force"]),
        run_in(
            dir.path(),
            &["--db", "db", "explain", "https://news.example/kent-list"],
        ),
        run_in(dir.path(), &["explain", "--file", "a.jsonl"]),
    ];

    // Assert
    for out in &outputs {
        let text = stdout_of(out);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{202c}', '\t', '\r'] {
            assert!(!text.contains(bad), "{bad:?} in {text:?}");
        }
    }
    let show = stdout_of(&outputs[1]);
    assert!(
        show.contains(
            "=HYPERLINK(\"https://evil.example\",\"open\") Kent Police staff list emailed in error"
        ),
        "{show}"
    );
    assert!(show.contains("[@Evil News]"), "{show}");
}
