//! Property tests of the file reader (moved from parse's, which may not know ingest).

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::{Format, Input};
use crate::parse::jsonl;
use crate::parse::prop_tests::jsonl::line;
use crate::parse::prop_tests::timed;

proptest! {
    #![proptest_config(Config { cases: 64, failure_persistence: None, ..Config::default() })]

    /// The file reader `ingest` and `explain --file` use: every non-blank line is one item or
    /// one problem naming its line, whatever the bytes.
    #[test]
    fn jsonl_file_reader_accounts_for_every_line(
        lines in prop::collection::vec(
            prop_oneof![
                4 => line().prop_map(|l| l.render().into_bytes()),
                1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(|mut b| { b.retain(|&c| c != b'\n'); b }),
                1 => Just(Vec::new()),
                1 => Just(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec()),
            ],
            0..30,
        ),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let mut bytes = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            bytes.extend_from_slice(l);
            if i + 1 < lines.len() || final_newline {
                bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
        }
        let mut want_items = 0;
        let mut want_bad = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            match std::str::from_utf8(l).map(jsonl::parse_line) {
                Ok(Ok(Some(_))) => want_items += 1,
                Ok(Ok(None)) => {}
                _ => want_bad.push(i + 1),
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let input = Input::open(&path, Format::Jsonl).unwrap();
        let (mut problems, mut items, mut read) = (Vec::new(), 0, 0u64);
        timed("Input::read", bytes.len(), || {
            input
                .read(&mut problems, &mut |n| read += n, &mut |_| {
                    items += 1;
                    true
                })
                .unwrap()
        });
        prop_assert_eq!(items, want_items);
        prop_assert_eq!(problems.iter().map(|p| p.line.unwrap()).collect::<Vec<_>>(), want_bad);
        prop_assert_eq!(read, bytes.len() as u64);
    }
}
