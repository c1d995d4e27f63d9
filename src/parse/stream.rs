//! A large XML feed file, item by item: where each item lies, found in one streaming pass
//! (quick-xml, nothing kept but byte offsets), then each item read back and parsed by feed-rs
//! as a feed of its own: the file's head (everything before the first item: the XML
//! declaration, the root and channel with their namespaces, title and base), the item, and the
//! closing tags of the elements still open.
//!
//! feed-rs builds the whole document in memory, several times its size; a feed file of a
//! gigabyte could not be ingested in bounded memory otherwise. What each item gives is what
//! the whole document gives for it (a test checks it on RSS 2.0, RSS 1.0 and Atom), and one
//! unreadable item is reported and skipped instead of losing the file.

use std::io::{BufRead, Read, Seek, SeekFrom};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::feed::parse_feed;
use super::{ParseError, RawItem};

/// Where a feed file's items lie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Bytes before the first item (the document every item is parsed in).
    pub head_len: u64,
    /// Each item's byte range, in file order.
    pub items: Vec<(u64, u64)>,
    /// Closing tags of the elements open around the first item, innermost first.
    pub tail: Vec<u8>,
}

/// Whether an element of this local name, under these open elements, is a feed's item: an
/// RSS `item` (under `channel`, or beside it under RSS 1.0's `rdf:RDF`) or an Atom `entry`
/// directly under `feed`.
fn is_item(local: &[u8], open: &[Vec<u8>]) -> bool {
    let parent = open.last().map(|p| local_name(p));
    match local {
        b"item" => matches!(parent, Some(b"channel") | Some(b"RDF")),
        b"entry" => open.len() == 1 && parent == Some(b"feed"),
        _ => false,
    }
}

/// `rdf:RDF` → `RDF`.
fn local_name(qname: &[u8]) -> &[u8] {
    qname
        .iter()
        .rposition(|b| *b == b':')
        .map_or(qname, |i| &qname[i + 1..])
}

/// A quick-xml error, with where it was found.
fn xml_error<R>(reader: &Reader<R>, e: quick_xml::Error) -> ParseError {
    ParseError::Feed(format!(
        "XML error at byte {}: {e}",
        reader.error_position()
    ))
}

/// Finds the items of the feed `input` holds, reading it once. `None`: it has no items.
pub fn layout(input: impl BufRead) -> Result<Option<Layout>, ParseError> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut found: Option<Layout> = None;
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(&reader, e))?;
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().as_bytes().to_vec();
                if is_item(e.local_name().as_ref().as_bytes(), &open) {
                    let end = e.to_end().into_owned();
                    reader
                        .read_to_end_into(end.name(), &mut buf)
                        .map_err(|e| xml_error(&reader, e))?;
                    let range = (before, reader.buffer_position());
                    found
                        .get_or_insert_with(|| Layout {
                            head_len: before,
                            items: Vec::new(),
                            tail: open
                                .iter()
                                .rev()
                                .flat_map(|n| [b"</".as_slice(), n, b">"].concat())
                                .collect(),
                        })
                        .items
                        .push(range);
                } else {
                    open.push(name);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(found)
}

/// Reads the items of the feed file `file` lays out as `layout` says, parses each as a feed of
/// its own, and hands its items to `take` until it answers false. An item that does not parse
/// goes to `skip` with its number (from 1) and the rest go on; `progress` is told the bytes
/// read.
pub fn for_each_item(
    file: &mut (impl Read + Seek),
    layout: &Layout,
    progress: &mut dyn FnMut(u64),
    skip: &mut dyn FnMut(String),
    take: &mut dyn FnMut(RawItem) -> bool,
) -> std::io::Result<()> {
    let mut head = vec![0; layout.head_len as usize];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut head)?;
    progress(layout.head_len);
    let mut doc = Vec::new();
    let mut read_to = layout.head_len;
    for (n, &(start, end)) in layout.items.iter().enumerate() {
        doc.clear();
        doc.extend_from_slice(&head);
        let at = doc.len();
        doc.resize(at + (end - start) as usize, 0);
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut doc[at..])?;
        doc.extend_from_slice(&layout.tail);
        // What lies between items is read past, and counted with the item after it.
        progress(end.saturating_sub(read_to));
        read_to = end;
        match parse_feed(&doc, None, "") {
            Ok(feed) => {
                for item in feed.items {
                    if !take(item) {
                        return Ok(());
                    }
                }
            }
            Err(e) => skip(format!("item {}: {e}", n + 1)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn streamed(doc: &str) -> (Vec<RawItem>, Vec<String>) {
        let layout = layout(Cursor::new(doc.as_bytes())).unwrap().expect("items");
        let (mut items, mut skipped) = (Vec::new(), Vec::new());
        for_each_item(
            &mut Cursor::new(doc.as_bytes()),
            &layout,
            &mut |_| {},
            &mut |m| skipped.push(m),
            &mut |i| {
                items.push(i);
                true
            },
        )
        .unwrap();
        (items, skipped)
    }

    fn assert_same(doc: &str) {
        let whole = parse_feed(doc.as_bytes(), None, "").unwrap().items;
        let (items, skipped) = streamed(doc);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(format!("{items:?}"), format!("{whole:?}"));
        assert!(!items.is_empty());
    }

    const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>The Example Courier</title><link>https://courier.example/</link>
<item><title>Force apologises for data error</title><link>https://courier.example/a</link>
<pubDate>Tue, 08 Aug 2023 10:00:00 +0100</pubDate><description>Short.</description>
<content:encoded><![CDATA[<p>The names of <b>200</b> officers were published in error.</p>]]></content:encoded></item>
<item><title>Second &amp; last</title><guid isPermaLink="true">https://courier.example/b</guid>
<description>&lt;p&gt;Escaped body.&lt;/p&gt;</description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_read_one_by_one_are_the_whole_documents_items() {
        assert_same(RSS2);
        let layout = layout(Cursor::new(RSS2.as_bytes())).unwrap().unwrap();
        assert_eq!(layout.items.len(), 2);
        assert_eq!(layout.tail, b"</channel></rss>");
    }

    #[test]
    fn rss1_and_atom_items_too() {
        assert_same(
            r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://w.example/"><title>Weekly</title><link>https://w.example/</link></channel>
<item rdf:about="https://w.example/1"><title>One</title><link>https://w.example/1</link>
<dc:date>2023-08-08T10:00:00Z</dc:date><description>First.</description></item>
<item rdf:about="https://w.example/2"><title>Two</title><link>https://w.example/2</link></item>
</rdf:RDF>"#,
        );
        assert_same(
            r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Example</title>
<entry><title>An entry</title><link href="https://a.example/e1"/><id>urn:x:1</id>
<updated>2023-08-08T10:00:00Z</updated><content type="html">&lt;p&gt;Body&lt;/p&gt;</content>
<author><name>A. Writer</name></author></entry>
<entry><title>Another</title><link rel="alternate" href="https://a.example/e2"/><id>urn:x:2</id>
<updated>2023-08-09T10:00:00Z</updated><summary>Two.</summary></entry></feed>"#,
        );
    }

    #[test]
    fn a_feed_without_items_has_no_layout_and_broken_xml_is_an_error() {
        let empty = "<rss><channel><title>x</title></channel></rss>";
        assert_eq!(layout(Cursor::new(empty.as_bytes())).unwrap(), None);
        let broken = "<rss><channel><item><title>x</wrong></item></channel></rss>";
        assert!(layout(Cursor::new(broken.as_bytes())).is_err());
    }
}
