//! robots.txt as RFC 9309 reads it, for the pages the poller follows (article pages of a feed,
//! links of a newsroom listing). The feeds and listings an operator configured are fetched
//! whatever robots.txt says: a publisher's feed is meant to be polled.
//!
//! - The rules are those of the groups whose `user-agent` matches our product token
//!   (case-insensitively), else those of the `*` groups, else none.
//! - The longest matching rule decides; between an `allow` and a `disallow` of the same
//!   length, `allow`. `*` matches any characters, and a final `$` the end of the path.
//! - A robots.txt answered with 4xx means no rules; one that cannot be fetched (5xx, network
//!   failure) means stay out for now (RFC 9309 §2.3.1).
//! - `crawl-delay`, though not in the RFC, is honoured as a floor on the gap between two
//!   requests to the host.

use std::time::Duration;

/// One host's rules for us.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Robots {
    rules: Vec<Rule>,
    /// Stay out altogether (robots.txt could not be fetched).
    closed: bool,
    /// The host's `crawl-delay` for us, if it gives one.
    pub crawl_delay: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    allow: bool,
    pattern: String,
}

impl Robots {
    /// No rules: everything may be fetched.
    pub fn open() -> Robots {
        Robots::default()
    }

    /// Nothing may be fetched (robots.txt could not be fetched).
    pub fn closed() -> Robots {
        Robots {
            closed: true,
            ..Robots::default()
        }
    }

    /// What a robots.txt answer means when its body is not read: no rules after a 4xx,
    /// stay out after a 5xx.
    pub fn for_status(status: u16) -> Robots {
        if (400..500).contains(&status) {
            Robots::open()
        } else {
            Robots::closed()
        }
    }

    /// The rules of a robots.txt for the product token `agent` (`breachwatch`).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // (agents of the group, rules, crawl-delay)
        let mut groups: Vec<(Vec<String>, Vec<Rule>, Option<Duration>)> = Vec::new();
        let mut in_rules = true;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        groups.push((Vec::new(), Vec::new(), None));
                        in_rules = false;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    if let Some(g) = groups.last_mut() {
                        // An empty disallow allows everything: it is no rule at all.
                        if !value.is_empty() {
                            g.1.push(Rule {
                                allow: key == "allow",
                                pattern: value.to_string(),
                            });
                        }
                    }
                }
                "crawl-delay" => {
                    in_rules = true;
                    if let (Some(g), Ok(secs)) = (groups.last_mut(), value.parse::<f64>()) {
                        if secs.is_finite() && secs >= 0.0 {
                            g.2 = Some(Duration::from_secs_f64(secs.min(3600.0)));
                        }
                    }
                }
                _ => {}
            }
        }
        let ours = |g: &&(Vec<String>, Vec<Rule>, Option<Duration>)| {
            g.0.iter()
                .any(|a| a != "*" && agent.starts_with(a.as_str()))
        };
        let any = |g: &&(Vec<String>, Vec<Rule>, Option<Duration>)| g.0.iter().any(|a| a == "*");
        let chosen: Vec<&(Vec<String>, Vec<Rule>, Option<Duration>)> =
            if groups.iter().any(|g| ours(&g)) {
                groups.iter().filter(ours).collect()
            } else {
                groups.iter().filter(any).collect()
            };
        Robots {
            rules: chosen.iter().flat_map(|g| g.1.iter().cloned()).collect(),
            closed: false,
            crawl_delay: chosen.iter().filter_map(|g| g.2).max(),
        }
    }

    /// Whether robots.txt could not be fetched, so nothing may be.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Whether a path (with its query) may be fetched.
    pub fn allowed(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        if self.closed {
            return false;
        }
        let best = self
            .rules
            .iter()
            .filter(|r| matches(&r.pattern, path))
            .max_by_key(|r| (r.pattern.len(), r.allow));
        best.is_none_or(|r| r.allow)
    }
}

/// Whether `pattern` (with `*` and a final `$`) matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 && anchored {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    !anchored || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# comments are ignored
User-agent: *
Disallow: /private/
Allow: /private/press/
Disallow: /*.pdf$
Crawl-delay: 2

User-agent: BreachWatch
User-agent: otherbot
Disallow: /news/internal
Allow: /news/internal/public$
Crawl-delay: 5

User-agent: badbot
Disallow: /
";

    #[test]
    fn our_group_decides_by_the_longest_rule() {
        let r = Robots::parse(TEXT, "breachwatch");
        assert!(
            r.allowed("/private/anything"),
            "only our group's rules apply"
        );
        assert!(!r.allowed("/news/internal/x"));
        assert!(r.allowed("/news/internal/public"));
        assert!(!r.allowed("/news/internal/public/more"));
        assert!(r.allowed("/news/"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(5)));
    }

    #[test]
    fn without_a_group_of_our_own_the_star_group_applies() {
        let r = Robots::parse(TEXT, "someone-else");
        assert!(!r.allowed("/private/x"));
        assert!(r.allowed("/private/press/release-1"));
        assert!(!r.allowed("/files/report.pdf"));
        assert!(r.allowed("/files/report.pdf?download=1"));
        assert!(r.allowed("/"));
        assert!(r.allowed("/robots.txt"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(2)));
    }

    #[test]
    fn equal_length_rules_go_to_allow_and_empty_disallow_allows() {
        let r = Robots::parse("User-agent: *\nDisallow: /a\nAllow: /a\n", "bw");
        assert!(r.allowed("/a/b"));
        let r = Robots::parse("User-agent: *\nDisallow:\n", "bw");
        assert!(r.allowed("/anything"));
        let r = Robots::parse("User-agent: *\nDisallow: /\n", "bw");
        assert!(!r.allowed("/anything"));
        assert!(r.allowed("/robots.txt"));
    }

    #[test]
    fn unreadable_robots_closes_and_missing_robots_opens() {
        assert!(Robots::for_status(404).allowed("/x"));
        assert!(Robots::for_status(403).allowed("/x"));
        assert!(!Robots::for_status(503).allowed("/x"));
        assert!(!Robots::closed().allowed("/x"));
        assert!(Robots::parse("", "bw").allowed("/x"));
        assert!(Robots::parse("garbage\nno colon lines\n", "bw").allowed("/x"));
    }

    #[test]
    fn wildcards_match_anywhere_and_dollar_at_the_end() {
        assert!(matches("/*/print", "/news/2023/print"));
        assert!(matches("/news*", "/news-release"));
        assert!(!matches("/a*b$", "/a-b-c"));
        assert!(matches("/a*b$", "/a-c-b"));
        assert!(matches("*", "/"));
        assert!(!matches("/x", "/"));
    }
}
