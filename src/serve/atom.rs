//! Atom 1.0 feeds of incidents (`/feeds/incidents.atom`, `/feeds/force/{id}.atom`), built
//! with atom_syndication. One entry per incident, most recently updated first. An entry's
//! id never changes (`tag:breachwatch,2023:incident/<id>`) and its `updated` is the
//! incident's `last_reported`, so a reader shows an incident again when it gains a source
//! or a development.

use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text};
use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::model::Incident;

use super::page;

/// The stable Atom id of an incident's entry.
pub fn entry_id(incident_id: &str) -> String {
    format!("tag:breachwatch,2023:incident/{incident_id}")
}

/// The id of a feed: all incidents, or one force's.
pub fn feed_id(force: Option<&str>) -> String {
    match force {
        None => "tag:breachwatch,2023:incidents".into(),
        Some(f) => format!("tag:breachwatch,2023:force/{f}"),
    }
}

fn link(href: String, rel: &str, mime: Option<&str>, title: Option<String>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l.set_title(title);
    l
}

/// The entry summary: forces, data types, affected and cause in one line of plain text.
pub fn summary(inc: &Incident) -> String {
    let forces = page::force_labels(inc).join(", ");
    let types = if inc.data_types.is_empty() {
        "not stated".to_string()
    } else {
        inc.data_types
            .iter()
            .map(|t| page::words(t.id()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let affected = inc
        .affected
        .as_ref()
        .map(page::affected_text)
        .unwrap_or_else(|| "not stated".into());
    let mut s = format!(
        "Forces: {forces}. Data exposed: {types}. Affected: {affected}. Cause: {}.",
        page::words(inc.cause.id())
    );
    if let Some(supplier) = &inc.supplier {
        s.push_str(&format!(" At supplier: {supplier}."));
    }
    s.push_str(&format!(
        " Reported by {} source(s); {} later development(s).",
        inc.sources.len(),
        inc.timeline.len()
    ));
    s
}

fn entry(base: &str, inc: &Incident) -> Entry {
    let mut e = Entry::default();
    e.set_id(entry_id(&inc.id));
    e.set_title(Text::plain(inc.title.clone()));
    e.set_updated(inc.last_reported);
    e.set_published(Some(inc.first_reported));
    e.set_summary(Some(Text::plain(summary(inc))));
    let mut links = vec![link(
        format!("{base}/incidents/{}", page::segment(&inc.id)),
        "alternate",
        Some("text/html"),
        None,
    )];
    for s in &inc.sources {
        links.push(link(s.url.clone(), "related", None, Some(s.title.clone())));
    }
    e.set_links(links);
    let mut categories = Vec::new();
    for (scheme, term) in inc
        .forces
        .iter()
        .map(|f| ("force", f.as_str()))
        .chain(inc.data_types.iter().map(|t| ("data_type", t.id())))
        .chain(std::iter::once(("cause", inc.cause.id())))
    {
        let mut c = Category::default();
        c.set_term(term.to_string());
        c.set_scheme(Some(format!("tag:breachwatch,2023:{scheme}")));
        categories.push(c);
    }
    e.set_categories(categories);
    e
}

/// The feed of `incidents` (all of them, or those of `force`), most recently updated first,
/// with links under `base` (e.g. `http://127.0.0.1:8080`).
pub fn incidents_feed(base: &str, force: Option<&str>, mut incidents: Vec<Incident>) -> String {
    incidents.sort_by(|a, b| {
        b.last_reported
            .cmp(&a.last_reported)
            .then(b.first_reported.cmp(&a.first_reported))
            .then(a.id.cmp(&b.id))
    });
    let mut feed = Feed::default();
    feed.set_id(feed_id(force));
    let (title, self_path, html_path) = match force {
        None => (
            "breachwatch: police data breach incidents".to_string(),
            "/feeds/incidents.atom".to_string(),
            "/".to_string(),
        ),
        Some(f) => {
            let name = incidents
                .iter()
                .find_map(|i| {
                    let pos = i.forces.iter().position(|x| x == f)?;
                    page::force_labels(i).get(pos).cloned()
                })
                .or_else(|| crate::extract::force_name(f).map(str::to_string))
                .unwrap_or_else(|| f.to_string());
            (
                format!("breachwatch: data breach incidents at {name}"),
                format!("/feeds/force/{}.atom", page::segment(f)),
                format!("/?force={}", page::segment(f)),
            )
        }
    };
    feed.set_title(Text::plain(title));
    let epoch: DateTime<FixedOffset> = Utc.timestamp_opt(0, 0).unwrap().fixed_offset();
    feed.set_updated(
        incidents
            .iter()
            .map(|i| i.last_reported)
            .max()
            .unwrap_or(epoch),
    );
    feed.set_links(vec![
        link(
            format!("{base}{self_path}"),
            "self",
            Some("application/atom+xml"),
            None,
        ),
        link(
            format!("{base}{html_path}"),
            "alternate",
            Some("text/html"),
            None,
        ),
    ]);
    let mut author = Person::default();
    author.set_name("breachwatch");
    feed.set_authors(vec![author]);
    let mut generator = Generator::default();
    generator.set_value("breachwatch");
    generator.set_version(Some(env!("CARGO_PKG_VERSION").to_string()));
    feed.set_generator(Some(generator));
    feed.set_entries(incidents.iter().map(|i| entry(base, i)).collect::<Vec<_>>());
    feed.to_string()
}
