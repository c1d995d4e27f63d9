//! HTML into clean article text, press-release index pages into links, and press-release pages
//! into items. Scripts, navigation, cookie banners and share widgets are dropped; paragraphs
//! are kept, one per line.
//!
//! scraper's `Html` is not `Send`: every function here parses and drops it synchronously, so
//! callers never hold one across an `.await`.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use ego_tree::NodeRef;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use super::parse_date;

/// A built-in selector.
fn builtin_selector(css: &str) -> Selector {
    Selector::parse(css).expect("built-in selector compiles")
}

/// Elements never part of article text.
const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe",
    "svg", "template", "select", "input", "textarea", "dialog", "menu",
];

/// Blocks whose text is one paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "figcaption",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "address",
];

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|[\s_-])(cookie|consent|gdpr|share|sharing|social|related|recommended|newsletter|promo|advert|ads?|sponsor|breadcrumbs?|comments?|subscribe|signup|sign-up|popup|modal|banner|menu|sidebar|site-header|site-footer|masthead|skip|outbrain|taboola|more-stories|read-more|trending|most-read|tags?)($|[\s_-])",
    )
    .expect("regex compiles")
});

/// True when `text` looks like markup rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(p|div|br|html|body|article|span|a|h[1-6]|ul|li|section|main|strong|em)\b[^>]*>")
            .expect("regex compiles")
    });
    TAG.find_iter(text).take(2).count() >= 2 || text.trim_start().starts_with('<')
}

fn dropped(el: &ElementRef) -> bool {
    let v = el.value();
    if DROP_TAGS.contains(&v.name()) {
        return true;
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        v.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "complementary" | "dialog")
    ) {
        return true;
    }
    let class = v.attr("class").unwrap_or("");
    let id = v.id().unwrap_or("");
    // `article-header` style classes inside the content are kept unless clearly chrome.
    (!class.is_empty() && BOILERPLATE.is_match(class))
        || (!id.is_empty() && BOILERPLATE.is_match(id))
}

/// The text of `node`'s inline content, `<br>` as a space, dropped elements skipped.
///
/// Walks with an explicit stack, not recursion: markup nested tens of thousands deep (which
/// html5ever builds as it is written) must not overflow a 2 MiB worker stack.
fn push_inline_text(node: NodeRef<'_, Node>, out: &mut String) {
    let mut stack: Vec<NodeRef<'_, Node>> = node.children().rev().collect();
    while let Some(child) = stack.pop() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if e.name() == "br" {
                    out.push(' ');
                    continue;
                }
                if let Some(el) = ElementRef::wrap(child) {
                    if dropped(&el) {
                        continue;
                    }
                }
                stack.extend(child.children().rev());
            }
            _ => {}
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One step of [`collect_blocks`]'s walk.
enum Walk<'a> {
    /// Read this node.
    Visit(NodeRef<'a, Node>),
    /// Leaving a container: a block boundary unless it was inline.
    Leave { flush: bool },
}

/// Paragraphs under `node` into `out`; text between blocks gathers in `stray`.
///
/// Walks with an explicit stack, not recursion (see [`push_inline_text`]).
fn collect_blocks(node: NodeRef<'_, Node>, out: &mut Vec<String>, stray: &mut String) {
    let mut stack: Vec<Walk<'_>> = node.children().rev().map(Walk::Visit).collect();
    while let Some(step) = stack.pop() {
        let child = match step {
            Walk::Visit(child) => child,
            Walk::Leave { flush: f } => {
                if f {
                    flush(stray, out);
                }
                continue;
            }
        };
        match child.value() {
            Node::Text(t) => stray.push_str(t),
            Node::Element(e) => {
                let Some(el) = ElementRef::wrap(child) else {
                    continue;
                };
                if dropped(&el) {
                    continue;
                }
                if BLOCK_TAGS.contains(&e.name()) && !has_block_child(child) {
                    flush(stray, out);
                    let mut s = String::new();
                    push_inline_text(child, &mut s);
                    let s = collapse(&s);
                    if !s.is_empty() {
                        out.push(s);
                    }
                } else if e.name() == "br" {
                    stray.push(' ');
                } else {
                    let inline = matches!(
                        e.name(),
                        "a" | "span"
                            | "strong"
                            | "em"
                            | "b"
                            | "i"
                            | "u"
                            | "small"
                            | "time"
                            | "abbr"
                            | "cite"
                            | "q"
                            | "sup"
                            | "sub"
                            | "mark"
                    );
                    if !inline {
                        flush(stray, out);
                    }
                    stack.push(Walk::Leave { flush: !inline });
                    stack.extend(child.children().rev().map(Walk::Visit));
                }
            }
            _ => {}
        }
    }
}

fn has_block_child(node: NodeRef<'_, Node>) -> bool {
    node.descendants().skip(1).any(|d| {
        d.value().as_element().is_some_and(|e| {
            matches!(
                e.name(),
                "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "table" | "ul" | "ol"
            )
        })
    })
}

fn flush(stray: &mut String, out: &mut Vec<String>) {
    let s = collapse(stray);
    // Stray text between blocks is kept only when it reads like prose.
    if s.len() >= 40 {
        out.push(s);
    }
    stray.clear();
}

fn blocks_of(root: ElementRef<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stray = String::new();
    collect_blocks(*root, &mut out, &mut stray);
    flush(&mut stray, &mut out);
    out.dedup();
    out
}

static MAIN_CANDIDATES: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "[itemprop=articleBody]",
        ".article-body, .article__body, .articleBody, .story-body, .entry-content, .post-content, .news-article__body, .content-body, .field--name-body",
        "article",
        "main, [role=main]",
        "#content, .content, #main",
    ]
    .iter()
    .map(|s| builtin_selector(s))
    .collect()
});

/// The main text of an HTML document or fragment: paragraphs joined by `\n`.
///
/// With `content` (a per-source selector) the matching elements are used; otherwise the first
/// of the usual article containers that holds a real amount of text, else the element with the
/// most paragraph text, else the whole body.
pub fn to_text(html: &str, content: Option<&Selector>) -> String {
    let doc = Html::parse_document(html);
    main_text(&doc, content)
}

fn main_text(doc: &Html, content: Option<&Selector>) -> String {
    if let Some(sel) = content {
        let blocks: Vec<String> = doc.select(sel).flat_map(blocks_of).collect();
        if !blocks.is_empty() {
            return blocks.join("\n");
        }
    }
    for cand in MAIN_CANDIDATES.iter() {
        let blocks: Vec<String> = doc.select(cand).take(1).flat_map(blocks_of).collect();
        if blocks.iter().map(String::len).sum::<usize>() >= 200 {
            return blocks.join("\n");
        }
    }
    // Densest container: the parent with the most direct <p> text.
    static P: LazyLock<Selector> = LazyLock::new(|| builtin_selector("p"));
    let mut best: Option<(usize, ElementRef)> = None;
    let mut scores: std::collections::HashMap<ego_tree::NodeId, (usize, ElementRef)> =
        Default::default();
    for p in doc.select(&P) {
        if let Some(parent) = p.parent().and_then(ElementRef::wrap) {
            let len = p.text().map(str::len).sum::<usize>();
            let e = scores.entry(parent.id()).or_insert((0, parent));
            e.0 += len;
        }
    }
    for (_, (score, el)) in scores {
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, el));
        }
    }
    if let Some((score, el)) = best {
        if score >= 200 {
            return blocks_of(el).join("\n");
        }
    }
    blocks_of(doc.root_element()).join("\n")
}

/// Plain text of `text` if it is HTML, else `text` with whitespace tidied per line.
pub fn clean_text(text: &str) -> String {
    let unescaped = unescape_literal(text);
    let text = unescaped.as_deref().unwrap_or(text);
    if looks_like_html(text) {
        let frag = Html::parse_fragment(text);
        let blocks = blocks_of(frag.root_element());
        if blocks.iter().map(String::len).sum::<usize>() >= 200 || !text.contains("<body") {
            // A fragment (feed content) or a page whose body is the content itself.
            let whole = main_text(&Html::parse_document(text), None);
            return if whole.len() > blocks.iter().map(String::len).sum::<usize>() / 2 {
                whole
            } else {
                blocks.join("\n")
            };
        }
        return main_text(&Html::parse_document(text), None);
    }
    text.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text that went through a JSON or C-style encoder twice (as some scrapers and search
/// indexes store it) carries its line breaks and quotes as literal `\n` and `\u201c`
/// sequences. Prose never contains a backslash before `n` or `u` and four hex digits, so
/// when such sequences occur they are decoded: `\n`, `\r`, `\t`, `\"`, `\'`, `\\` and
/// `\uXXXX` (surrogate pairs joined). `None` when the text has fewer than two.
pub fn unescape_literal(text: &str) -> Option<String> {
    static ESCAPES: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\\(?:[nrt]|u[0-9a-fA-F]{4})").expect("a valid pattern")
    });
    // Two at least: one `\n` may be a path ("C:\new").
    if !text.contains('\\') || ESCAPES.find_iter(text).nth(1).is_none() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('n') => {
                chars.next();
                out.push('\n');
            }
            Some('r') => {
                chars.next();
            }
            Some('t') => {
                chars.next();
                out.push(' ');
            }
            Some(q @ ('"' | '\'' | '\\')) => {
                chars.next();
                out.push(q);
            }
            Some('u') => {
                let rest: String = chars.clone().skip(1).take(4).collect();
                match u32::from_str_radix(&rest, 16) {
                    Ok(hi) if rest.len() == 4 => {
                        for _ in 0..5 {
                            chars.next();
                        }
                        let mut code = hi;
                        if (0xD800..0xDC00).contains(&hi) {
                            let tail: String = chars.clone().take(6).collect();
                            if let Some(lo) = tail
                                .strip_prefix("\\u")
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .filter(|lo| (0xDC00..0xE000).contains(lo))
                            {
                                for _ in 0..6 {
                                    chars.next();
                                }
                                code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            }
                        }
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    _ => out.push('\\'),
                }
            }
            _ => out.push('\\'),
        }
    }
    Some(out)
}

/// The absolute links an index page lists under `item`, deduplicated, in page order.
pub fn index_links(html: &str, base: &Url, item: &Selector, max: usize) -> Vec<Url> {
    let doc = Html::parse_document(html);
    let mut out: Vec<Url> = Vec::new();
    static A: LazyLock<Selector> = LazyLock::new(|| builtin_selector("a[href]"));
    for el in doc.select(item) {
        let href = el
            .value()
            .attr("href")
            .or_else(|| el.select(&A).next().and_then(|a| a.value().attr("href")));
        let Some(href) = href else { continue };
        let Ok(mut u) = base.join(href.trim()) else {
            continue;
        };
        if !matches!(u.scheme(), "http" | "https") {
            continue;
        }
        u.set_fragment(None);
        if !out.contains(&u) {
            out.push(u);
            if out.len() >= max {
                break;
            }
        }
    }
    out
}

/// The next page of a paginated listing: the first element `next` selects (default: a
/// `rel="next"` link or anchor) with an http(s) `href` other than the page itself.
pub fn next_page(html: &str, base: &Url, next: Option<&Selector>) -> Option<Url> {
    static REL_NEXT: LazyLock<Selector> =
        LazyLock::new(|| builtin_selector("link[rel~=next][href], a[rel~=next][href]"));
    static A: LazyLock<Selector> = LazyLock::new(|| builtin_selector("a[href]"));
    let doc = Html::parse_document(html);
    doc.select(next.unwrap_or(&REL_NEXT)).find_map(|el| {
        let href = el
            .value()
            .attr("href")
            .or_else(|| el.select(&A).next().and_then(|a| a.value().attr("href")))?;
        let mut u = base.join(href.trim()).ok()?;
        u.set_fragment(None);
        (matches!(u.scheme(), "http" | "https") && u != *base).then_some(u)
    })
}

/// One article page read with a source's selectors (or generic ones).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The title: the source's selector, else `h1`, `og:title` or `<title>`.
    pub title: String,
    /// The date: the source's selector, else the usual meta and `<time>` elements.
    pub published: Option<DateTime<FixedOffset>>,
    /// The main text, paragraphs joined by `\n`.
    pub text: String,
    /// `<link rel=canonical>` or `og:url`, when the page names one.
    pub canonical: Option<String>,
    /// `og:site_name`, when the page names one.
    pub site_name: Option<String>,
}

/// Reads an article page with a source's selectors for its title, date and content (each
/// `None` for the generic ones).
pub fn parse_page(
    html: &str,
    title: Option<&Selector>,
    date: Option<&Selector>,
    content: Option<&Selector>,
) -> Page {
    let doc = Html::parse_document(html);
    static H1: LazyLock<Selector> = LazyLock::new(|| builtin_selector("h1"));
    static OG_TITLE: LazyLock<Selector> =
        LazyLock::new(|| builtin_selector("meta[property='og:title']"));
    static TITLE: LazyLock<Selector> = LazyLock::new(|| builtin_selector("title"));
    static CANON: LazyLock<Selector> = LazyLock::new(|| builtin_selector("link[rel=canonical]"));
    static OG_URL: LazyLock<Selector> =
        LazyLock::new(|| builtin_selector("meta[property='og:url']"));
    static SITE: LazyLock<Selector> =
        LazyLock::new(|| builtin_selector("meta[property='og:site_name']"));
    static DATES: LazyLock<Selector> = LazyLock::new(|| {
        builtin_selector("meta[property='article:published_time'], meta[name=date], meta[name='dc.date'], meta[itemprop=datePublished], time[datetime], [itemprop=datePublished]")
    });
    let text_of = |el: ElementRef| collapse(&el.text().collect::<String>());
    let title_text = title
        .and_then(|s| doc.select(s).next().map(text_of))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            doc.select(&H1)
                .next()
                .map(text_of)
                .filter(|t| !t.is_empty())
        })
        .or_else(|| {
            doc.select(&OG_TITLE)
                .next()
                .and_then(|m| m.value().attr("content"))
                .map(collapse)
        })
        .or_else(|| doc.select(&TITLE).next().map(text_of))
        .unwrap_or_default();
    let date_of = |el: ElementRef| {
        let v = el.value();
        v.attr("datetime")
            .or(v.attr("content"))
            .and_then(parse_date)
            .or_else(|| parse_date(&text_of(el)))
            .or_else(|| find_date_in(&text_of(el)))
    };
    static LD_JSON: LazyLock<Selector> =
        LazyLock::new(|| builtin_selector("script[type='application/ld+json']"));
    let published = date
        .and_then(|s| doc.select(s).find_map(date_of))
        .or_else(|| doc.select(&DATES).find_map(date_of))
        .or_else(|| {
            doc.select(&LD_JSON).find_map(|script| {
                let json: serde_json::Value =
                    serde_json::from_str(&script.text().collect::<String>()).ok()?;
                ld_date_published(&json)
            })
        })
        .or_else(|| labelled_date(&doc));
    let canonical = doc
        .select(&CANON)
        .next()
        .and_then(|l| l.value().attr("href"))
        .or_else(|| {
            doc.select(&OG_URL)
                .next()
                .and_then(|m| m.value().attr("content"))
        })
        .map(str::to_owned);
    let site_name = doc
        .select(&SITE)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(collapse);
    Page {
        title: title_text,
        published,
        text: main_text(&doc, content),
        canonical,
        site_name,
    }
}

/// A date the page shows only as a label: a short element reading "Published: 14:05
/// 09/08/2023" (the force-website platform), "Posted on 15th August 2023", "Date published:
/// August 15, 2023". Only when the page has no date in its metadata.
fn labelled_date(doc: &Html) -> Option<DateTime<FixedOffset>> {
    static LABELLED: LazyLock<Selector> =
        LazyLock::new(|| builtin_selector("p, span, div, li, dd, small, time, header"));
    doc.select(&LABELLED).find_map(|el| {
        // Own text only, short: a label, not a paragraph that mentions a date.
        let text: String = el.text().take(8).collect();
        let text = text.trim();
        if text.len() > 80 {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        let rest = ["published", "date published", "posted", "first published"]
            .iter()
            .find_map(|label| lower.strip_prefix(label))?;
        let rest = rest
            .trim_start_matches([':', ' '])
            .trim_start_matches("on ");
        find_date_in(&text[text.len() - rest.len()..])
    })
}

/// A date written inside running text such as "Published: 15 August 2023".
/// The first `datePublished` in a JSON-LD document (at any depth: `@graph`, arrays).
fn ld_date_published(json: &serde_json::Value) -> Option<DateTime<FixedOffset>> {
    match json {
        serde_json::Value::Object(map) => map
            .get("datePublished")
            .and_then(|v| v.as_str())
            .and_then(parse_date)
            .or_else(|| map.values().find_map(ld_date_published)),
        serde_json::Value::Array(items) => items.iter().find_map(ld_date_published),
        _ => None,
    }
}

fn find_date_in(s: &str) -> Option<DateTime<FixedOffset>> {
    static D: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)? (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b|\b(\d{4}-\d{2}-\d{2})\b|\b(\d{1,2}:\d{2} \d{1,2}/\d{1,2}/\d{4})\b|\b((?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}(?:st|nd|rd|th)?, \d{4})\b")
            .expect("regex compiles")
    });
    let c = D.captures(s)?;
    if let Some(other) = c.get(4).or(c.get(5)).or(c.get(6)) {
        return parse_date(other.as_str());
    }
    parse_date(&format!("{} {} {}", &c[1], &c[2], &c[3]))
}

#[cfg(test)]
mod tests {

    /// Runs `f` on a thread with a tokio worker's 2 MiB stack, where the poller reads pages.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    /// Regression (found by prop_tests): markup nested tens of thousands deep overflowed the
    /// stack in the recursive walks over the tree, aborting the whole process.
    #[test]
    fn page_dates_from_json_ld_and_newsroom_text() {
        let ld = r#"<html><head><script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},
             {"@type": "NewsArticle", "datePublished": "2023-08-15T09:30:00+01:00"}]}
            </script></head><body><h1>T</h1><p>Text.</p></body></html>"#;
        let p = parse_page(ld, None, None, None);
        assert_eq!(
            p.published.unwrap().to_rfc3339(),
            "2023-08-15T09:30:00+01:00"
        );
        for (html, want) in [
            (
                "<h1>T</h1><p class=\"date\">Published: 09:30 15/08/2023</p>",
                "2023-08-15T09:30:00+01:00",
            ),
            (
                "<h1>T</h1><p class=\"date\">15th August 2023</p>",
                "2023-08-15T00:00:00+00:00",
            ),
            (
                "<h1>T</h1><p class=\"date\">Posted August 15, 2023</p>",
                "2023-08-15T00:00:00+00:00",
            ),
        ] {
            let date = builtin_selector(".date");
            let p = parse_page(html, None, Some(&date), None);
            assert_eq!(
                p.published.map(|d| d.to_rfc3339()).as_deref(),
                Some(want),
                "{html}"
            );
        }
    }

    #[test]
    fn deeply_nested_markup_does_not_overflow_the_stack() {
        // Inline elements: html5ever nests them in linear time (block elements it nests in
        // quadratic time, see prop_tests), so the walks are what is tested here.
        let n = 100_000;
        for html in [
            format!("{}<p>deep text</p>", "<span>".repeat(n)),
            format!("<p>{}deep text</p>", "<span>".repeat(n)),
        ] {
            let got = on_small_stack(move || {
                (
                    to_text(&html, None),
                    clean_text(&html),
                    parse_page(&html, None, None, None).text,
                )
            });
            assert_eq!(got.0, "deep text");
            assert_eq!(got.1, "deep text");
            assert_eq!(got.2, "deep text");
        }
    }

    #[test]
    fn literally_escaped_text_is_decoded() {
        let raw =
            r#"First paragraph says \u201chello\u201d.\n\nSecond one.\tEnd \ud83d\ude00 \\ back"#;
        assert_eq!(
            clean_text(raw),
            "First paragraph says \u{201c}hello\u{201d}.\nSecond one. End \u{1f600} \\ back"
        );
        // Ordinary text with a stray backslash is left alone.
        assert_eq!(unescape_literal(r"a path C:\data\new"), None);
        assert_eq!(unescape_literal("no escapes"), None);
    }
    use super::*;

    const PAGE: &str = r##"<html><head><title>Site | Story</title>
        <meta property="article:published_time" content="2023-08-15T12:00:00+01:00">
        <link rel="canonical" href="https://force.example/news/story"></head>
        <body><header><nav><a href="/">Home</a><a href="/news">News</a></nav></header>
        <div class="cookie-banner"><p>We use cookies to improve your experience on our website.</p></div>
        <main><article><h1>Statement on data breach</h1>
        <p>We have identified that a data breach occurred in response to Freedom of Information requests.</p>
        <p>The information was included in error in a hidden part of the response. We apologise.</p>
        <div class="share-tools"><a href="#">Share on Facebook</a></div>
        <p>Anyone with concerns should contact us.<script>track()</script></p></article>
        <aside class="related"><h2>Related news</h2><ul><li>Man charged after burglary</li></ul></aside></main>
        <footer><p>Copyright Police</p></footer></body></html>"##;

    #[test]
    fn page_text_keeps_paragraphs_and_drops_chrome() {
        let p = parse_page(PAGE, None, None, None);
        assert_eq!(p.title, "Statement on data breach");
        assert_eq!(
            p.published.unwrap().to_rfc3339(),
            "2023-08-15T12:00:00+01:00"
        );
        assert_eq!(
            p.canonical.as_deref(),
            Some("https://force.example/news/story")
        );
        assert!(
            p.text.contains("Freedom of Information requests."),
            "{}",
            p.text
        );
        assert!(
            p.text.contains("\nThe information was included"),
            "{}",
            p.text
        );
        for junk in [
            "cookies",
            "Share on",
            "Related news",
            "burglary",
            "Copyright",
            "track()",
            "Home",
        ] {
            assert!(!p.text.contains(junk), "{junk} leaked into {:?}", p.text);
        }
    }

    #[test]
    fn per_source_selector_wins() {
        let s = Selector::parse("article p:first-of-type").unwrap();
        let t = to_text(PAGE, Some(&s));
        assert!(t.starts_with("We have identified"));
        assert!(!t.contains("apologise"));
    }

    #[test]
    fn index_links_are_absolute_and_unique() {
        let html = r#"<ul class="news"><li><a href="/news/a">A</a></li><li><a href="/news/a#x">A again</a></li>
            <li><a href="https://other.example/b">B</a></li><li><a href="mailto:x@y">mail</a></li></ul>"#;
        let base = Url::parse("https://force.example/news/").unwrap();
        let links = index_links(html, &base, &Selector::parse(".news li a").unwrap(), 10);
        let got: Vec<_> = links.iter().map(Url::as_str).collect();
        assert_eq!(
            got,
            ["https://force.example/news/a", "https://other.example/b"]
        );
    }

    #[test]
    fn a_page_dated_only_by_a_label_gets_that_date() {
        let page = |label: &str| {
            format!(
                "<html><body><h1>Release</h1><div class=\"meta\"><span>{label}</span></div>\
                 <p>On 3 March 2021 the force said something happened.</p></body></html>"
            )
        };
        let date = |label: &str| parse_page(&page(label), None, None, None).published;
        let at = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
        assert_eq!(
            date("Published: 14:05 09/08/2023"),
            at("2023-08-09T14:05:00+01:00")
        );
        assert_eq!(
            date("Posted on 15th August 2023"),
            at("2023-08-15T00:00:00+00:00")
        );
        assert_eq!(
            date("Date published: August 15, 2023"),
            at("2023-08-15T00:00:00+00:00")
        );
        assert_eq!(
            date("Share this page"),
            None,
            "a date in running text is not a label"
        );
    }

    #[test]
    fn next_page_is_the_rel_next_link_or_the_configured_selector() {
        let base = Url::parse("https://force.example/news?page=1").unwrap();
        let html = r#"<head><link rel="next" href="/news?page=2"></head>
            <body><nav class="pager"><a href="?page=1">1</a><a class="more" href="?page=3">Older</a></nav></body>"#;
        assert_eq!(
            next_page(html, &base, None).unwrap().as_str(),
            "https://force.example/news?page=2"
        );
        let older = Selector::parse(".pager a.more").unwrap();
        assert_eq!(
            next_page(html, &base, Some(&older)).unwrap().as_str(),
            "https://force.example/news?page=3"
        );
        let to_itself = r#"<a rel="next" href="/news?page=1#top">again</a>"#;
        assert_eq!(next_page(to_itself, &base, None), None);
        assert_eq!(next_page("<p>no pager</p>", &base, None), None);
    }

    #[test]
    fn plain_text_passes_through_and_html_is_detected() {
        assert!(!looks_like_html("Police said 5 < 6 and that was that."));
        assert!(looks_like_html("<p>One</p><p>Two</p>"));
        assert_eq!(clean_text("  a  b \n\n c "), "a b\nc");
        let t = clean_text("<p>First paragraph of the story.</p><p>Second <b>bold</b> one.</p>");
        assert_eq!(t, "First paragraph of the story.\nSecond bold one.");
    }
}
