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
