//! Our own stable key for every article.
//!
//! The key is a hash of the canonical URL: lowercase scheme and host (the `url` crate already
//! lowercases them), no fragment, no tracking parameters (`utm_*`, `fbclid`, `gclid`, `mc_*`,
//! ...), trailing slash and AMP variants folded. Items with neither guid nor link (for which
//! feed-rs invents a random id) fall back to a hash of title + date + text, so polling them
//! twice gives the same key.

pub mod search;

use sha2::{Digest, Sha256};
use url::Url;

const TRACKING_EXACT: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "ocid",
    "cmpid",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "at_medium",
    "at_campaign",
    "ito",
    "amp",
    "outputtype",
    "_ga",
    "ref_src",
    "s_cid",
];

fn is_tracking(param: &str) -> bool {
    let p = param.to_ascii_lowercase();
    p.starts_with("utm_") || p.starts_with("mc_") || TRACKING_EXACT.contains(&p.as_str())
}

/// The canonical form of an article URL, or `None` when `raw` is not an absolute http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    // Drop default ports.
    if url.port() == url.port_or_known_default() && url.port().is_some() {
        let _ = url.set_port(None);
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    // AMP variants: /amp, /amp/, .amp, and an /amp/ first segment.
    let mut path = url.path().to_string();
    for suffix in ["/amp/", "/amp", ".amp"] {
        if path.len() > suffix.len() && path.ends_with(suffix) {
            path.truncate(path.len() - suffix.len());
        }
    }
    if let Some(rest) = path.strip_prefix("/amp/") {
        path = format!("/{rest}");
    }
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    url.set_path(&path);
    // Fold an `amp.` host prefix (amp.example.com serves the same articles as example.com).
    if let Some(host) = url
        .host_str()
        .and_then(|h| h.strip_prefix("amp."))
        .map(str::to_owned)
    {
        let _ = url.set_host(Some(&host));
    }
    Some(url.to_string())
}

fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..12])
}

/// The stable key of an article: from its canonical URL when it has one, else from its content.
pub fn article_key(url: Option<&str>, title: &str, published: Option<&str>, text: &str) -> String {
    match url.and_then(canonical_url) {
        Some(c) => digest(&["url", &c]),
        None => digest(&[
            "content",
            title.trim(),
            published.unwrap_or(""),
            &text.split_whitespace().collect::<Vec<_>>().join(" "),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_fold_variants() {
        let cases = [
            (
                "HTTPS://WWW.Example.ORG/News/Story/",
                "https://www.example.org/News/Story",
            ),
            (
                "https://example.org/a?utm_source=x&utm_medium=rss",
                "https://example.org/a",
            ),
            (
                "https://example.org/a?id=7&fbclid=abc#comments",
                "https://example.org/a?id=7",
            ),
            (
                "https://example.org/a?gclid=1&mc_cid=2&mc_eid=3",
                "https://example.org/a",
            ),
            (
                "https://example.org/news/story/amp",
                "https://example.org/news/story",
            ),
            (
                "https://example.org/news/story.amp",
                "https://example.org/news/story",
            ),
            (
                "https://example.org/amp/news/story",
                "https://example.org/news/story",
            ),
            (
                "https://amp.example.org/news/story/",
                "https://example.org/news/story",
            ),
            ("https://example.org:443/", "https://example.org/"),
        ];
        for (raw, want) in cases {
            assert_eq!(canonical_url(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(canonical_url("urn:uuid:1234"), None);
        assert_eq!(canonical_url("not a url"), None);
    }

    #[test]
    fn keys_are_stable_and_distinguish() {
        let a = article_key(Some("https://x.org/a?utm_source=rss"), "T", None, "body");
        let b = article_key(Some("https://X.org/a/"), "other title", None, "other");
        assert_eq!(a, b);
        let c = article_key(None, "T", Some("2023-01-01"), "some  text");
        let d = article_key(None, "T", Some("2023-01-01"), "some text");
        assert_eq!(c, d);
        assert_ne!(c, article_key(None, "T", Some("2023-01-02"), "some text"));
        assert_ne!(a, c);
    }
}
