//! `ingest`: local files through the same pipeline as polling.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::parse::{feed, html, jsonl, RawItem};
use crate::pipeline::{self, Outcome};
use crate::store::{StoreError, Target};

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// By extension, else by content.
    Auto,
    /// One JSON article a line.
    Jsonl,
    /// An RSS, Atom or JSON feed.
    Rss,
    /// One HTML article page.
    Html,
}

/// Totals of an ingest run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Articles read.
    pub read: usize,
    /// Articles stored that were not stored before.
    pub new: usize,
    /// Of the new ones, those about police data breaches.
    pub relevant: usize,
    /// Articles already stored (the first version stays).
    pub unchanged: usize,
    /// Inputs skipped: a bad line, an unreadable feed, a page without text.
    pub bad: usize,
}

/// A problem with one input that did not stop the run.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The file, as given.
    pub path: String,
    /// The line (of a JSONL file), from 1.
    pub line: Option<usize>,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

fn detect(path: &Path, head: &[u8]) -> Format {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => return Format::Jsonl,
        "xml" | "rss" | "atom" | "rdf" => return Format::Rss,
        "html" | "htm" | "xhtml" => return Format::Html,
        _ => {}
    }
    let s = String::from_utf8_lossy(head)
        .trim_start()
        .to_ascii_lowercase();
    if s.starts_with("<?xml")
        || s.starts_with("<rss")
        || s.starts_with("<feed")
        || s.starts_with("<rdf")
    {
        Format::Rss
    } else if s.starts_with('<') {
        Format::Html
    } else if s.starts_with("{\"version\"") && s.contains("jsonfeed") {
        Format::Rss
    } else {
        Format::Jsonl
    }
}

/// Ingests one file; per-item problems are pushed to `problems`, the rest goes on.
/// `progress` is called after each item. Everything stored is committed before it returns,
/// also when it stops on a database error (what was staged are whole articles).
pub fn ingest_path(
    store: &(impl Target + ?Sized),
    path: &Path,
    format: Format,
    problems: &mut Vec<Problem>,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, IngestError> {
    let result = ingest_file(store, path, format, problems, progress);
    let committed = store.wait().and_then(|s| s.commit());
    let sum = result?;
    committed?;
    Ok(sum)
}

fn ingest_file(
    store: &(impl Target + ?Sized),
    path: &Path,
    format: Format,
    problems: &mut Vec<Problem>,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, IngestError> {
    let input = Input::open(path, format)?;
    // Read and parsed here; analysed on worker threads; stored in file order by the writer.
    let mut stored = Summary::default();
    let before = problems.len();
    let count = |o: Outcome| {
        stored.read += 1;
        match o {
            Outcome::Unchanged => stored.unchanged += 1,
            Outcome::New { relevant, .. } => {
                stored.new += 1;
                stored.relevant += relevant as usize;
            }
        }
    };
    let produce = |take: &mut dyn FnMut(RawItem) -> bool| input.read(problems, progress, take);
    pipeline::ingest_items(store, None, produce, count)?;
    stored.bad = problems.len() - before;
    Ok(stored)
}

/// A local input file, opened, with its format settled (`Auto`: by extension, else by
/// content). `ingest` stores what it reads; `explain --file` only analyses it.
pub struct Input {
    path: PathBuf,
    shown: String,
    reader: BufReader<std::fs::File>,
    format: Format,
}

impl Input {
    /// Opens `path` and settles its format.
    pub fn open(path: &Path, format: Format) -> Result<Input, IngestError> {
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| IngestError::Open(shown.clone(), e))?;
        let mut reader = BufReader::new(file);
        let head = reader
            .fill_buf()
            .map_err(|e| IngestError::Open(shown.clone(), e))?
            .to_vec();
        let format = if format == Format::Auto {
            detect(path, &head)
        } else {
            format
        };
        Ok(Input {
            path: path.to_owned(),
            shown,
            reader,
            format,
        })
    }

    /// The format it is read as (never `Auto`).
    pub fn format(&self) -> Format {
        self.format
    }

    /// Feeds its items to `take` in file order, until `take` answers false. A skipped input
    /// (a bad JSONL line, an unreadable feed, a page without text) is pushed to `problems`
    /// and the rest goes on. `progress` is told the bytes read.
    pub fn read(
        self,
        problems: &mut Vec<Problem>,
        progress: &mut dyn FnMut(u64),
        take: &mut dyn FnMut(RawItem) -> bool,
    ) -> Result<(), IngestError> {
        let Input {
            path,
            shown,
            mut reader,
            format,
        } = self;
        // A skipped input, reported; the rest goes on.
        let mut skip = |line: Option<usize>, message: String| {
            problems.push(Problem {
                path: shown.clone(),
                line,
                message,
            })
        };
        // The whole file, for the formats that are parsed as one document.
        let mut read_all = || -> Result<Vec<u8>, IngestError> {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| IngestError::Open(shown.clone(), e))?;
            progress(bytes.len() as u64);
            Ok(bytes)
        };
        match format {
            Format::Jsonl | Format::Auto => {
                let mut buf = Vec::new();
                let mut line_no = 0;
                loop {
                    buf.clear();
                    let n = reader
                        .read_until(b'\n', &mut buf)
                        .map_err(|e| IngestError::Open(shown.clone(), e))?;
                    if n == 0 {
                        break;
                    }
                    line_no += 1;
                    progress(n as u64);
                    let line = match std::str::from_utf8(&buf) {
                        Ok(l) => l,
                        Err(e) => {
                            skip(Some(line_no), format!("not UTF-8: {e}"));
                            continue;
                        }
                    };
                    match jsonl::parse_line(line) {
                        Ok(None) => {}
                        Ok(Some(item)) => {
                            if !take(item) {
                                break;
                            }
                        }
                        Err(e) => skip(Some(line_no), e.to_string()),
                    }
                }
            }
            Format::Rss => {
                let bytes = read_all()?;
                match feed::parse_feed(&bytes, None, "") {
                    Ok(f) => {
                        for item in f.items {
                            if !take(item) {
                                break;
                            }
                        }
                    }
                    Err(e) => skip(None, e.to_string()),
                }
            }
            Format::Html => {
                let bytes = read_all()?;
                let text = String::from_utf8_lossy(&bytes);
                let page = html::parse_page(&text, None, None, None);
                if page.text.trim().is_empty() {
                    skip(None, "no article text found".into());
                } else {
                    let url = page.canonical.clone().unwrap_or_else(|| {
                        std::fs::canonicalize(&path)
                            .ok()
                            .and_then(|p| url::Url::from_file_path(p).ok())
                            .map(|u| u.to_string())
                            .unwrap_or_else(|| shown.clone())
                    });
                    take(RawItem {
                        url: Some(url),
                        title: page.title,
                        published: page.published,
                        source: page.site_name.unwrap_or_default(),
                        text: page.text,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Why an ingest stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A file could not be opened or read.
    #[error("cannot read {0}")]
    Open(String, #[source] std::io::Error),
    /// The database failed; what was stored stays stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod prop_tests;
