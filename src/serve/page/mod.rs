//! Server-rendered HTML for the dashboard: the overview (`/`, [`mod@dashboard`]), an
//! incident (`/incidents/{id}`, [`mod@incident`]), source health (`/sources`,
//! [`mod@sources`]), the review queue (`/review`, [`mod@review`]) and error pages (here). Askama templates under `templates/` with inline CSS and inline SVG (the charts
//! of [`crate::chart`]): no scripts, no CDN, no external assets. This module holds what the
//! pages share: rendering, [`Markup`], links and the formatting of numbers, dates and ids.
//!
//! Askama escapes every value a template writes (`&`, `<`, `>`, `"` and `'`), so article and
//! feed text needs no escaping by hand. Link targets from articles and feeds go through
//! [`link_target`]: only http(s) and relative URLs become links, anything else
//! (`javascript:`, `data:`) is shown as text. The only unescaped insertions are the
//! stylesheet (a constant of this crate) and [`Markup`], which can only be made by
//! rendering another template. Nothing here does I/O: handlers in `routes` gather the data
//! and pass it in.

pub mod dashboard;
pub mod incident;
pub mod review;
pub mod sources;

use std::fmt;

use askama::Template;
use chrono::{DateTime, FixedOffset, Utc};

use crate::model::{Affected, Incident, Qualifier};

pub use dashboard::{dashboard, Dashboard};
pub use incident::incident_page;
pub use review::review_page;
pub use sources::sources_page;

/// The stylesheet, inlined in every page's `<style>`.
pub(crate) const CSS: &str = include_str!("../style.css");

/// The version in the footer.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The navigation: key (see `active`), target, label.
pub(crate) const NAV: [(&str, &str, &str); 5] = [
    ("dashboard", "/", "Dashboard"),
    ("review", "/review", "Review queue"),
    ("sources", "/sources", "Source health"),
    ("feed", "/feeds/incidents.atom", "Atom feed"),
    ("api", "/api/incidents", "JSON API"),
];

/// The output of a rendered template, to put inside another one as it is: it was escaped
/// when it was rendered. It can only be made by [`Markup::render`], never from a string.
pub struct Markup(String);

impl Markup {
    /// Renders `template`.
    pub fn render<T: Template>(template: &T) -> Markup {
        Markup(render(template))
    }
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Markup {}

/// `template` rendered. Rendering fails only when a value's `Display` fails, which none of
/// the values here can; an empty page is logged rather than a panic in a request.
fn render<T: Template>(template: &T) -> String {
    template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "A page template failed to render.");
        String::new()
    })
}

/// A whole page rendered, ending in a newline (askama drops the template file's last one).
fn render_page<T: Template>(template: &T) -> String {
    let mut page = render(template);
    page.push('\n');
    page
}

/// Formatting for the templates (`{{ value|name }}`). Askama escapes what they return.
mod filters {
    use std::fmt::Display;

    use askama::{Result, Values};
    use chrono::{DateTime, FixedOffset, Utc};

    /// `1234567` as `1,234,567`.
    pub fn thousands(n: impl Display, _: &dyn Values) -> Result<String> {
        Ok(super::group_digits(&n.to_string()))
    }

    /// An id from the vocabularies as words (see [`super::words`]).
    pub fn words(id: impl AsRef<str>, _: &dyn Values) -> Result<String> {
        Ok(super::words(id.as_ref()))
    }

    /// A path segment, percent-encoded (see [`super::segment`]).
    pub fn segment(id: impl AsRef<str>, _: &dyn Values) -> Result<String> {
        Ok(super::segment(id.as_ref()))
    }

    /// `14 Mar 2023`.
    pub fn day(t: &DateTime<FixedOffset>, _: &dyn Values) -> Result<String> {
        Ok(super::day(t))
    }

    /// `2 Jan 2024 03:04 UTC`, or `—`.
    pub fn utc_time(t: &Option<DateTime<Utc>>, _: &dyn Values) -> Result<String> {
        Ok(super::utc_time(t))
    }
}

/// The target of a link to an article or a source, when it may be one: an `http:` or
/// `https:` URL, or a relative one (no scheme). `None` for any other scheme
/// (`javascript:`, `data:`, `vbscript:` ...) and for an empty URL: pages show those as text.
///
/// The scheme is read as a browser reads it: after dropping leading and trailing spaces and
/// control characters and every tab and newline, so `java\tscript:` counts as `javascript:`.
pub fn link_target(url: &str) -> Option<&str> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let scheme_len = cleaned
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(cleaned.len());
    let has_scheme = scheme_len > 0
        && cleaned.starts_with(|c: char| c.is_ascii_alphabetic())
        && cleaned[scheme_len..].starts_with(':');
    if !has_scheme {
        return Some(url);
    }
    let scheme = cleaned[..scheme_len].to_ascii_lowercase();
    (scheme == "http" || scheme == "https").then_some(url)
}

/// A link in a page: `href` is `None` when the URL may not be a link target (see
/// [`link_target`]), and the template shows `text` alone.
pub struct Link {
    /// Where it leads, when it may lead anywhere.
    pub href: Option<String>,
    /// What it reads.
    pub text: String,
}

impl Link {
    /// A link to `url` reading `text`.
    pub fn new(url: &str, text: impl Into<String>) -> Link {
        Link {
            href: link_target(url).map(str::to_string),
            text: text.into(),
        }
    }
}

/// A path segment (an incident or force id) percent-encoded for use in a link.
pub fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `1234567` as `1,234,567`.
pub fn thousands(number: u64) -> String {
    group_digits(&number.to_string())
}

/// A run of digits with a comma every three from the right.
fn group_digits(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The best figure in words: `about 1,200 people`, `at least 30 records`.
pub fn affected_text(affected: &Affected) -> String {
    let prefix = match affected.qualifier {
        Qualifier::Exact => "",
        Qualifier::Approx => "about ",
        Qualifier::AtLeast => "at least ",
        Qualifier::AtMost => "at most ",
    };
    format!(
        "{prefix}{} {}",
        thousands(affected.count),
        affected.unit.id()
    )
}

/// An id from the vocabularies as words: `home_address` → `home address`.
pub fn words(id: &str) -> String {
    id.replace(['_', '-'], " ")
}

/// `14 Mar 2023`.
fn day(time: &DateTime<FixedOffset>) -> String {
    time.format("%-d %b %Y").to_string()
}

/// `14 Mar 2023`, or `none` for no date.
fn day_or(time: Option<&DateTime<FixedOffset>>, none: &str) -> String {
    time.map(day).unwrap_or_else(|| none.into())
}

/// `2 Jan 2024 03:04 UTC`, or `—`.
fn utc_time(time: &Option<DateTime<Utc>>) -> String {
    time.map(|t| t.format("%-d %b %Y %H:%M UTC").to_string())
        .unwrap_or_else(|| "—".into())
}

/// The display names of an incident's forces (ids where names are missing).
pub fn force_labels(incident: &Incident) -> Vec<String> {
    incident
        .forces
        .iter()
        .enumerate()
        .map(|(index, id)| {
            incident
                .force_names
                .get(index)
                .filter(|name| {
                    !name.is_empty() && incident.force_names.len() == incident.forces.len()
                })
                .cloned()
                .unwrap_or_else(|| id.clone())
        })
        .collect()
}

/// A force as a link to the dashboard filtered by it.
struct ForceLink {
    /// The id, percent-encoded.
    segment: String,
    name: String,
}

/// An incident's forces as links to the dashboard filtered by each.
fn force_links(incident: &Incident) -> Vec<ForceLink> {
    incident
        .forces
        .iter()
        .zip(force_labels(incident))
        .map(|(id, name)| ForceLink {
            segment: segment(id),
            name,
        })
        .collect()
}

/// A failed request, for `templates/error.html`.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    active: &'a str,
    status: u16,
    message: &'a str,
}

/// A small page for a failed request.
pub fn error_page(status: u16, message: &str) -> String {
    render_page(&ErrorPage {
        title: &format!("Error {status}"),
        active: "",
        status,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_target_allows_http_https_and_relative_urls() {
        for url in [
            "https://a.example/x?a=1&b=\"2\"",
            "http://a.example/",
            "HTTPS://A.EXAMPLE/",
            " https://a.example/",
            "/incidents/kent",
            "news/kent?x=a:b",
            "//cdn.example/x",
        ] {
            assert_eq!(link_target(url), Some(url), "{url:?}");
        }
    }

    #[test]
    fn link_target_refuses_every_other_scheme_however_spelt() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "mailto:a@b.example",
            "",
            "  ",
        ] {
            assert_eq!(link_target(url), None, "{url:?}");
        }
    }

    #[test]
    fn error_page_escapes_the_message_and_keeps_the_layout() {
        let page = error_page(404, r#"no incident "<b>O'Neil</b>""#);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("<title>Error 404 · breachwatch</title>"));
        assert!(page.contains("<p>no incident &#34;&#60;b&#62;O&#39;Neil&#60;/b&#62;&#34;</p>"));
        assert!(page.trim_end().ends_with("</html>"));
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
