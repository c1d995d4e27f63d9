//! OPML 2.0 in and out, the list format every feed reader imports and exports. Pure: reading
//! an OPML document into outlines, writing one from the configured feeds, and turning an
//! imported outline into a `[[source]]` block for `feeds.toml`.
//!
//! Reading takes every `<outline>` with an `xmlUrl`, at any depth; an outline without one is
//! a folder, whose `text` becomes the category of the feeds inside it. Everything else in the
//! document is ignored, so the lists of other readers (with their own attributes) import.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One feed of an OPML list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// Its title (`text`, else `title`, else the URL).
    pub title: String,
    /// The feed's URL (`xmlUrl`).
    pub xml_url: String,
    /// The site's URL (`htmlUrl`), if given.
    pub html_url: Option<String>,
    /// The folder it was in, if any (the innermost one).
    pub category: Option<String>,
}

/// An OPML document that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    /// Not well-formed XML.
    #[error("not well-formed XML at byte {position}: {message}")]
    Xml {
        /// Where the reader stopped.
        position: u64,
        /// What it found.
        message: String,
    },
    /// Well-formed, but not an OPML document.
    #[error("not an OPML document (the root element is <{0}>, not <opml>)")]
    NotOpml(String),
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
}

/// The feeds of an OPML document, in document order.
pub fn read(text: &str) -> Result<Vec<Outline>, OpmlError> {
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    // The folders the reader is inside: `Some(name)` for a folder outline, `None` for a
    // feed outline written with a closing tag (it has children of its own, rarely).
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut root_seen = false;
    loop {
        let event = reader.read_event().map_err(|e| OpmlError::Xml {
            position: reader.buffer_position(),
            message: e.to_string(),
        })?;
        let (element, has_children) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if e.name().as_ref() == "outline" => {
                folders.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = element.name();
        if !root_seen {
            root_seen = true;
            if !name.as_ref().eq_ignore_ascii_case("opml") {
                return Err(OpmlError::NotOpml(name.as_ref().to_string()));
            }
            continue;
        }
        if name.as_ref() != "outline" {
            continue;
        }
        let title = attribute(element, "text").or_else(|| attribute(element, "title"));
        match attribute(element, "xmlUrl") {
            Some(xml_url) => {
                out.push(Outline {
                    title: title.unwrap_or_else(|| xml_url.clone()),
                    xml_url,
                    html_url: attribute(element, "htmlUrl"),
                    category: folders.iter().rev().flatten().next().cloned(),
                });
                if has_children {
                    folders.push(None);
                }
            }
            None if has_children => folders.push(title),
            None => {}
        }
    }
    if !root_seen {
        return Err(OpmlError::NotOpml(String::new()));
    }
    Ok(out)
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An OPML 2.0 document listing `outlines`, grouped in folders by category (outlines
/// without one first), in the order given within each.
pub fn write(title: &str, outlines: &[Outline], created: DateTime<Utc>) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
    out.push_str(&format!("    <title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!(
        "    <dateCreated>{}</dateCreated>\n",
        created.to_rfc2822()
    ));
    out.push_str("  </head>\n  <body>\n");
    let line = |o: &Outline, indent: &str| {
        let html = o
            .html_url
            .as_deref()
            .map(|h| format!(" htmlUrl=\"{}\"", xml_escape(h)))
            .unwrap_or_default();
        format!(
            "{indent}<outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{}\"{html}/>\n",
            xml_escape(&o.xml_url),
            t = xml_escape(&o.title),
        )
    };
    for o in outlines.iter().filter(|o| o.category.is_none()) {
        out.push_str(&line(o, "    "));
    }
    let mut categories: Vec<&str> = Vec::new();
    for o in outlines {
        if let Some(c) = o.category.as_deref() {
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
    }
    for c in categories {
        out.push_str(&format!(
            "    <outline text=\"{0}\" title=\"{0}\">\n",
            xml_escape(c)
        ));
        for o in outlines.iter().filter(|o| o.category.as_deref() == Some(c)) {
            out.push_str(&line(o, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// A source id for an imported feed, made from its title (else its host): lowercase ASCII
/// letters, digits and `-`, at most 40 characters, and not one of `taken` (a number is
/// added until it is free).
pub fn source_id(outline: &Outline, taken: &HashSet<String>) -> String {
    let from = if outline.title.chars().any(|c| c.is_ascii_alphanumeric()) {
        outline.title.clone()
    } else {
        url::Url::parse(&outline.xml_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "feed".into())
    };
    let mut base = String::new();
    for c in from.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let mut base = base.trim_end_matches('-').to_string();
    base.truncate(40);
    let base = match base.trim_end_matches('-') {
        "" => "feed".to_string(),
        b => b.to_string(),
    };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .expect("some number is free")
}

/// A TOML string: a basic string with TOML's escapes.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The `[[source]]` block for an imported feed, ready to append to `feeds.toml`.
pub fn source_block(id: &str, outline: &Outline) -> String {
    let mut out = String::new();
    if let Some(c) = &outline.category {
        out.push_str(&format!(
            "# imported from OPML, folder {}\n",
            toml_string(c)
        ));
    } else {
        out.push_str("# imported from OPML\n");
    }
    out.push_str("[[source]]\n");
    out.push_str(&format!("id = {}\n", toml_string(id)));
    out.push_str(&format!("name = {}\n", toml_string(&outline.title)));
    out.push_str("kind = \"feed\"\n");
    out.push_str(&format!("url = {}\n", toml_string(&outline.xml_url)));
    out
}

#[cfg(test)]
mod tests;
