//! `breachwatch demo`: the bundled samples polled, printed, and (in CI) the exit.

use std::path::Path;

use breachwatch::cli::demo;
use breachwatch::store::Store;

#[test]
fn demo_polls_the_bundled_samples_and_exits_when_asked() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_breachwatch"))
            .current_dir(dir.path())
            .arg("--db")
            .arg(&db)
            .arg("demo")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .env("BREACHWATCH_DEMO_EXIT_AFTER_POLL", "1")
            .output()
            .unwrap()
    };

    // Act
    let first = run();
    let second = run();

    // Assert
    for out in [&first, &second] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("national: new"), "{stdout}");
    assert!(stdout.contains("people affected"), "{stdout}");
    assert!(stdout.contains("incident(s)"), "{stdout}");
    // Same sample port both times (the usual case): the second run finds nothing new.
    let base = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find_map(|l| l.split("sample sources on ").nth(1).map(str::to_string))
    };
    if base(&first) == base(&second) {
        let again = String::from_utf8_lossy(&second.stdout);
        assert!(again.contains("national: unchanged"), "{again}");
    }
    let store = Store::open(&db).unwrap();
    assert!(store.incident_count() > 0);
}

#[test]
fn demo_samples_are_found_and_their_hosts_rewritten() {
    let dir = demo::sample_dir().unwrap();
    assert_eq!(
        dir,
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample")
    );
    let text = "<a href=\"https://news.sample.example/uk/x\"> <a href=\"https://force.sample.example/news\">";
    assert_eq!(
        demo::rewrite_hosts(text, "http://127.0.0.1:9"),
        "<a href=\"http://127.0.0.1:9/uk/x\"> <a href=\"http://127.0.0.1:9/news\">"
    );
}
