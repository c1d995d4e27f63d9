use breachwatch::ingest::{ingest_path, Format};

use crate::helpers::*;

#[test]
fn jsonl_bad_line_is_reported_by_number_and_the_rest_stored() {
    let (dir, store) = temp_store();
    let file = dir.path().join("in.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"url":"https://a.example/1","title":"One","published":"2023-08-08T10:00:00+01:00","source":"A","text":"First body."}"#, "\n",
            "{this is not json\n",
            "\n",
            r#"{"url":"https://a.example/3","title":"Three","text":"Third body."}"#, "\n",
            r#"{"title":"no url","text":"x"}"#, "\n",
        ),
    )
    .unwrap();
    let mut problems = Vec::new();
    let sum = ingest_path(&store, &file, Format::Auto, &mut problems, &mut |_| {}).unwrap();
    assert_eq!((sum.new, sum.bad), (2, 2));
    let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(2), Some(5)]);
    assert!(
        problems[1]
            .to_string()
            .contains("in.jsonl:5: missing field `url`"),
        "{}",
        problems[1]
    );
    // Again: nothing changes.
    let again = ingest_path(&store, &file, Format::Jsonl, &mut Vec::new(), &mut |_| {}).unwrap();
    assert_eq!((again.new, again.unchanged), (0, 2));
    assert_eq!(store.article_count(), 2);
}

#[test]
fn local_feed_and_html_files_go_through_the_same_pipeline() {
    let (_dir, store) = temp_store();
    let mut problems = Vec::new();
    let s = sample_dir();
    let a = ingest_path(
        &store,
        &s.join("feeds/national.xml"),
        Format::Auto,
        &mut problems,
        &mut |_| {},
    )
    .unwrap();
    let b = ingest_path(
        &store,
        &s.join("feeds/trade.json"),
        Format::Rss,
        &mut problems,
        &mut |_| {},
    )
    .unwrap();
    let c = ingest_path(
        &store,
        &s.join("pages/statement-data-incident-foi.html"),
        Format::Auto,
        &mut problems,
        &mut |_| {},
    )
    .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((a.new, b.new, c.new), (3, 2, 1));
    let page = store
        .articles()
        .map(Result::unwrap)
        .find(|a| a.title.starts_with("Statement"))
        .unwrap();
    assert!(page.url.starts_with("file://"));
    assert!(page.text.contains("hidden tab"));
    assert!(!page.text.contains("cookies"));
}

/// Several files through one pipeline: each file's totals and problems are told in order,
/// an empty file among them included, and the totals add up.
#[test]
fn several_files_are_told_one_by_one_in_order() {
    use breachwatch::ingest::{ingest_paths, FileDone};
    use std::sync::Mutex;

    let (dir, store) = temp_store();
    let line = |n: u32| {
        format!(r#"{{"url":"https://a.example/{n}","title":"Item {n}","text":"Body {n}."}}"#)
    };
    let a = dir.path().join("a.jsonl");
    let empty = dir.path().join("empty.jsonl");
    let b = dir.path().join("b.jsonl");
    // 70 lines: more than one of the pipeline's batches of 32.
    let many: Vec<String> = (0..70).map(line).collect();
    std::fs::write(&a, many.join("\n") + "\n").unwrap();
    std::fs::write(&empty, "").unwrap();
    std::fs::write(&b, format!("{}\nnot json\n{}\n", line(1), line(100))).unwrap();
    let told = Mutex::new(Vec::new());
    let paths = [a, empty, b];
    let total = ingest_paths(
        &store,
        &paths,
        Format::Jsonl,
        &mut |_| {},
        &|f: &FileDone<'_>| {
            let lines: Vec<_> = f.problems.iter().map(|p| p.line).collect();
            told.lock()
                .unwrap()
                .push((f.index, f.summary.clone(), lines));
        },
    )
    .unwrap();
    let told = told.into_inner().unwrap();
    let indexes: Vec<usize> = told.iter().map(|t| t.0).collect();
    assert_eq!(indexes, [0, 1, 2]);
    let (_, a_sum, a_lines) = &told[0];
    assert_eq!((a_sum.read, a_sum.new, a_sum.bad), (70, 70, 0));
    assert!(a_lines.is_empty());
    assert_eq!(told[1].1, Default::default());
    let (_, b_sum, b_lines) = &told[2];
    assert_eq!(
        (b_sum.read, b_sum.new, b_sum.unchanged, b_sum.bad),
        (2, 1, 1, 1)
    );
    assert_eq!(b_lines, &[Some(2)]);
    assert_eq!(
        (total.read, total.new, total.unchanged, total.bad),
        (72, 71, 1, 1)
    );
    assert_eq!(store.article_count(), 71);
}

/// A file that cannot be opened stops the run there; what came before it is stored.
#[test]
fn a_missing_file_stops_the_run_after_the_files_before_it() {
    use breachwatch::ingest::{ingest_paths, IngestError};

    let (dir, store) = temp_store();
    let a = dir.path().join("a.jsonl");
    std::fs::write(
        &a,
        r#"{"url":"https://a.example/1","title":"One","text":"First body."}"#.to_owned() + "\n",
    )
    .unwrap();
    let paths = [a, dir.path().join("missing.jsonl")];
    let err = ingest_paths(&store, &paths, Format::Jsonl, &mut |_| {}, &|_| {}).unwrap_err();
    assert!(
        matches!(err, IngestError::Open(ref p, _) if p.ends_with("missing.jsonl")),
        "{err}"
    );
    assert_eq!(store.article_count(), 1);
}
