//! RSS 0.9x/1.0/2.0, Atom and JSON Feed through feed-rs (which wants bytes, not text).

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::{ParseError, RawItem};

/// A parsed feed: its items plus what the scheduler may use.
#[derive(Debug, Clone)]
pub struct ParsedFeed {
    /// The feed's own title, when not blank.
    pub title: Option<String>,
    /// The feed's own `<ttl>` in minutes, a floor for the polling interval.
    pub ttl_minutes: Option<u32>,
    /// The entries, in feed order.
    pub items: Vec<RawItem>,
}

/// Parses feed bytes. `base` resolves relative links; `source_name` is used when the feed has
/// no title of its own.
pub fn parse_feed(
    bytes: &[u8],
    base: Option<&Url>,
    source_name: &str,
) -> Result<ParsedFeed, ParseError> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| ParseError::Feed(e.to_string()))?;
    let title = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let outlet = if source_name.is_empty() {
        title.clone().unwrap_or_default()
    } else {
        source_name.to_string()
    };
    let mut items = Vec::with_capacity(feed.entries.len());
    for e in feed.entries {
        // feed-rs invents a random id for items with neither guid nor link, so the id is used
        // only when it is itself a URL (an RSS permalink guid). Links to comments (RSS
        // `<comments>`, `wfw:commentRss`) are never the article.
        let mut links = e.links.iter().filter(|l| l.target.is_none());
        let link = links
            .clone()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| links.next())
            .map(|l| l.href.trim().to_string())
            .filter(|h| !h.is_empty())
            .or_else(|| {
                (e.id.starts_with("http://") || e.id.starts_with("https://")).then(|| e.id.clone())
            });
        let url = link.map(|l| match base {
            Some(b) if Url::parse(&l).is_err() => b.join(&l).map(|u| u.to_string()).unwrap_or(l),
            _ => l,
        });
        let content = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        let summary = e
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .unwrap_or_default();
        let text = if content.trim().len() >= summary.trim().len() {
            content
        } else {
            summary
        };
        let published: Option<DateTime<FixedOffset>> =
            e.published.or(e.updated).map(|d| d.fixed_offset());
        items.push(RawItem {
            url,
            title: e
                .title
                .map(|t| t.content.trim().to_string())
                .unwrap_or_default(),
            published,
            source: outlet.clone(),
            text,
        });
    }
    Ok(ParsedFeed {
        title,
        ttl_minutes: feed.ttl,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_atom_and_json_feed() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title><ttl>60</ttl>
            <item><title>A</title><link>https://x.org/a?utm_source=rss</link><pubDate>Tue, 08 Aug 2023 10:00:00 +0100</pubDate><description>&lt;p&gt;Hello&lt;/p&gt;</description></item>
            <item><title>No link</title><description>Body only</description></item>
            </channel></rss>"#;
        let f = parse_feed(rss, None, "").unwrap();
        assert_eq!(f.ttl_minutes, Some(60));
        assert_eq!(f.items.len(), 2);
        assert_eq!(
            f.items[0].url.as_deref(),
            Some("https://x.org/a?utm_source=rss")
        );
        assert_eq!(f.items[0].source, "Outlet");
        assert!(f.items[0].text.contains("Hello"));
        assert_eq!(
            f.items[1].url, None,
            "no invented id may stand in for a link"
        );

        let atom = br#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><updated>2023-08-08T10:00:00Z</updated>
            <entry><title>E</title><id>urn:e</id><link href="/news/e"/><updated>2023-08-08T10:00:00Z</updated><content type="html">&lt;p&gt;Full text&lt;/p&gt;</content></entry></feed>"#;
        let base = Url::parse("https://force.example/news/").unwrap();
        let f = parse_feed(atom, Some(&base), "Force").unwrap();
        assert_eq!(
            f.items[0].url.as_deref(),
            Some("https://force.example/news/e")
        );
        assert!(f.items[0].text.contains("Full text"));

        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.org/1","title":"J1","content_html":"<p>x</p>","date_published":"2023-08-08T10:00:00Z"}]}"#;
        let f = parse_feed(json, None, "").unwrap();
        assert_eq!(f.items[0].url.as_deref(), Some("https://j.org/1"));
        assert_eq!(
            f.items[0].published.unwrap().to_rfc3339(),
            "2023-08-08T10:00:00+00:00"
        );
    }

    #[test]
    fn comment_links_are_not_the_article() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/"><channel><title>O</title>
            <item><title>A</title><comments>https://x.org/a#comments</comments><link>https://x.org/a</link></item>
            <item><title>B</title><comments>https://x.org/b/comments</comments><wfw:commentRss>https://x.org/b/comments.xml</wfw:commentRss><description>No link</description></item>
            </channel></rss>"#;
        let f = parse_feed(rss, None, "").unwrap();
        assert_eq!(f.items[0].url.as_deref(), Some("https://x.org/a"));
        assert_eq!(f.items[1].url, None);
    }

    #[test]
    fn malformed_feed_is_an_error() {
        assert!(parse_feed(b"<rss><channel><item>", None, "").is_err());
        assert!(parse_feed(b"<html><body>not a feed</body></html>", None, "").is_err());
    }
}
