//! Source health (`/sources`): every configured source, its state and when it is polled
//! next, for `templates/sources.html`.

use askama::Template;

use crate::serve::routes::SourceHealth;

use super::{filters, render_page, Link};

/// Source health, for `templates/sources.html`.
#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage<'a> {
    title: &'a str,
    active: &'a str,
    rows: Vec<SourceHealthRow<'a>>,
}

/// A source's row: its health, a badge and its URL as a link where it may be one.
struct SourceHealthRow<'a> {
    source: &'a SourceHealth,
    /// The badge's class and words.
    badge: (&'static str, &'static str),
    url: Link,
}

/// The badge of a source: its CSS class and words.
fn badge(source: &SourceHealth) -> (&'static str, &'static str) {
    if !source.enabled {
        ("off", "disabled")
    } else if source.consecutive_failures >= 3 {
        ("bad", "failing")
    } else if source.consecutive_failures > 0 {
        ("warn", "retrying")
    } else if source.last_success.is_some() {
        ("ok", "ok")
    } else {
        ("off", "not polled yet")
    }
}

/// The health of every configured source.
pub fn sources_page(sources: &[SourceHealth]) -> String {
    render_page(&SourcesPage {
        title: "Source health",
        active: "sources",
        rows: sources
            .iter()
            .map(|source| SourceHealthRow {
                source,
                badge: badge(source),
                url: Link::new(&source.url, source.url.clone()),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_that_may_not_be_one_renders_as_escaped_text() {
        let page = sources_page(&[SourceHealth {
            id: "a".into(),
            name: "A".into(),
            url: "javascript:alert('x')".into(),
            kind: "feed".into(),
            enabled: true,
            last_success: None,
            last_attempt: None,
            consecutive_failures: 0,
            last_error: None,
            next_due: None,
            items_seen: 0,
            articles_new: 0,
        }]);
        assert!(page.contains(r#"<div class="sub">javascript:alert(&#39;x&#39;)</div>"#));
        assert!(!page.contains("href=\"javascript"));
    }
}
