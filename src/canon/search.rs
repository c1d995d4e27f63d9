//! Links of news-search and alert feeds, which point at the search engine, not the article.
//! The article's URL is its identity (see [`crate::canon::article_key`]), so a wrapped link
//! is unwrapped before anything else; a link to an interstitial page that cannot be unwrapped
//! without asking the engine leaves the item headline-only (its page is not fetched: it
//! would be the engine's page, not the article).
//!
//! - Bing News: `https://www.bing.com/news/apiclick.aspx?...&url=<the article>&...`.
//! - Google Alerts and Google redirects: `https://www.google.com/url?...&url=<the article>`
//!   (or `q=`).
//! - Google News: `https://news.google.com/rss/articles/<token>` is an interstitial; the
//!   older `https://news.google.com/news/url?...&url=<the article>` unwraps.

use url::Url;

/// What a link of a search feed leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchLink {
    /// The article's own URL, taken out of the engine's wrapper.
    Article(String),
    /// The engine's own page about the article: there is no article URL to fetch.
    Interstitial,
}

/// What a search engine's link leads to; `None` for any other link.
pub fn unwrap(link: &str) -> Option<SearchLink> {
    let url = Url::parse(link).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path = url.path();
    let param = |names: &[&str]| {
        url.query_pairs()
            .find(|(k, _)| names.contains(&k.as_ref()))
            .map(|(_, v)| v.into_owned())
            .filter(|v| v.starts_with("http://") || v.starts_with("https://"))
            .filter(|v| Url::parse(v).is_ok())
    };
    let is = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if is("bing.com") && path.eq_ignore_ascii_case("/news/apiclick.aspx") {
        return Some(param(&["url"]).map_or(SearchLink::Interstitial, SearchLink::Article));
    }
    if host == "news.google.com" {
        if path.starts_with("/rss/articles/") || path.starts_with("/articles/") {
            return Some(SearchLink::Interstitial);
        }
        if path == "/news/url" {
            return Some(param(&["url"]).map_or(SearchLink::Interstitial, SearchLink::Article));
        }
        return None;
    }
    if (host == "google.com" || host.starts_with("google.")) && path == "/url" {
        return Some(param(&["url", "q"]).map_or(SearchLink::Interstitial, SearchLink::Article));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_links_give_the_article() {
        let cases = [
            (
                "http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=AB12&url=https%3a%2f%2fwww.example-news.co.uk%2fnews%2fpolice-breach%3fid%3d7&c=3&mkt=en-gb",
                "https://www.example-news.co.uk/news/police-breach?id=7",
            ),
            (
                "https://www.google.com/url?rct=j&sa=t&url=https://paper.example/story/123&ct=ga&cd=x&usg=y",
                "https://paper.example/story/123",
            ),
            (
                "https://www.google.co.uk/url?q=https://paper.example/a&sa=U",
                "https://paper.example/a",
            ),
            (
                "https://news.google.com/news/url?sa=t&fd=R&url=http://old.example/b&usg=z",
                "http://old.example/b",
            ),
        ];
        for (link, want) in cases {
            assert_eq!(
                unwrap(link),
                Some(SearchLink::Article(want.to_string())),
                "{link}"
            );
        }
    }

    #[test]
    fn interstitials_and_broken_wrappers_leave_no_article() {
        for link in [
            "https://news.google.com/rss/articles/CBMiEXAMPLE?oc=5",
            "https://news.google.com/articles/CBMiEXAMPLE",
            "http://www.bing.com/news/apiclick.aspx?ref=FexRss&tid=1",
            "http://www.bing.com/news/apiclick.aspx?url=javascript:alert(1)",
            "https://www.google.com/url?q=not-a-url",
        ] {
            assert_eq!(unwrap(link), Some(SearchLink::Interstitial), "{link}");
        }
    }

    #[test]
    fn other_links_are_not_search_links() {
        for link in [
            "https://www.bbc.co.uk/news/uk-123",
            "https://www.bing.com/search?q=police",
            "https://news.google.com/topics/abc",
            "https://notgoogle.example/url?q=https://x.example/",
            "https://www.google.com/search?q=x",
            "not a url",
        ] {
            assert_eq!(unwrap(link), None, "{link}");
        }
    }
}
