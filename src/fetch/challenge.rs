//! Bot-protection pages: a CDN or firewall that answers a poller with a challenge ("Just a
//! moment...", a CAPTCHA, "Access Denied") instead of the feed or page. Such an answer must be
//! reported as "blocked: bot protection", never read as a feed with no items.
//!
//! A status alone does not tell: Imperva answers 200 with its challenge, AWS WAF 202, and a
//! real 403 or 503 is not always a firewall. So a response is a challenge when a vendor's
//! own header says it challenged, or when its markers are in the body: a strong marker (one
//! no page about anything else carries) in a small body, or two markers. A page footer that
//! mentions Cloudflare or a Ray ID is not enough.

use reqwest::header::HeaderMap;

/// A challenge page, and whose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge {
    /// The vendor, as people know it (`Cloudflare`, `Akamai`...).
    pub vendor: &'static str,
}

impl std::fmt::Display for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "blocked: bot protection ({})", self.vendor)
    }
}

/// A body larger than this is a real page that happens to mention a marker.
const SMALL_BODY: usize = 64 * 1024;

struct Vendor {
    name: &'static str,
    /// A header (lowercase name) and a value it must contain (`""`: any value): the vendor
    /// saying it challenged.
    headers: &'static [(&'static str, &'static str)],
    /// Body markers (lowercase) found only on its challenge pages.
    strong: &'static [&'static str],
    /// Body markers (lowercase) that also turn up elsewhere.
    weak: &'static [&'static str],
}

const VENDORS: &[Vendor] = &[
    Vendor {
        name: "Cloudflare",
        headers: &[("cf-mitigated", "challenge")],
        strong: &[
            "challenge-platform",
            "cf-chl-",
            "cf_chl_opt",
            "<title>just a moment...</title>",
            "attention required! | cloudflare",
        ],
        weak: &[
            "enable javascript and cookies to continue",
            "checking your browser",
            "cloudflare ray id",
            "cf-ray",
        ],
    },
    Vendor {
        name: "AWS WAF",
        headers: &[("x-amzn-waf-action", "")],
        strong: &[
            "awswafcookiedomainlist",
            "window.gokuprops",
            "token.awswaf.com",
        ],
        weak: &[],
    },
    Vendor {
        name: "Imperva",
        headers: &[],
        strong: &["_incapsula_resource", "incapsula incident id"],
        weak: &["request unsuccessful"],
    },
    Vendor {
        name: "Akamai",
        headers: &[],
        strong: &["errors.edgesuite.net"],
        weak: &[
            "<title>access denied</title>",
            "you don't have permission to access",
            "reference&#32;&#35;",
            "reference #18.",
        ],
    },
    Vendor {
        name: "Radware",
        headers: &[],
        strong: &[
            "validate.perfdrive.com",
            "captcha.perfdrive.com",
            "shieldsquare",
        ],
        weak: &[],
    },
    Vendor {
        name: "PerimeterX",
        headers: &[],
        strong: &["px-captcha", "captcha.px-cdn.net"],
        weak: &["press & hold", "press &amp; hold"],
    },
    Vendor {
        name: "DataDome",
        headers: &[("x-datadome", "")],
        strong: &["captcha-delivery.com"],
        weak: &[],
    },
    Vendor {
        name: "Sucuri",
        headers: &[],
        strong: &["sucuri website firewall - access denied"],
        weak: &["sucuri"],
    },
    Vendor {
        name: "AWS CloudFront",
        headers: &[],
        strong: &["<title>error: the request could not be satisfied</title>"],
        weak: &[],
    },
    Vendor {
        name: "DDoS-Guard",
        headers: &[],
        strong: &["ddos-guard.net/"],
        weak: &["ddos-guard"],
    },
];

/// Whether a response is a bot-protection page, and whose. `body` may be the first part of
/// the body only (the first 64 KiB is plenty).
pub fn detect(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<Challenge> {
    for v in VENDORS {
        let said_so = v.headers.iter().any(|(name, wanted)| {
            headers.get_all(*name).iter().any(|value| {
                value
                    .to_str()
                    .is_ok_and(|value| value.to_ascii_lowercase().contains(wanted))
            })
        });
        if said_so {
            return Some(Challenge { vendor: v.name });
        }
    }
    // A redirect to a vendor's challenge host.
    if (300..400).contains(&status) {
        let location = headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if let Some(v) = VENDORS
            .iter()
            .find(|v| v.strong.iter().any(|m| location.contains(m)))
        {
            return Some(Challenge { vendor: v.name });
        }
        return None;
    }
    let head = &body[..body.len().min(SMALL_BODY)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let small = body.len() <= SMALL_BODY;
    for v in VENDORS {
        let strong = v.strong.iter().filter(|m| text.contains(*m)).count();
        let weak = v.weak.iter().filter(|m| text.contains(*m)).count();
        if (strong > 0 && small) || strong + weak >= 2 {
            return Some(Challenge { vendor: v.name });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    /// Status, headers, body and (for a challenge) the vendor.
    type Case<'a> = (u16, &'a [(&'a str, &'a str)], &'a str, &'a str);
    /// Status, headers and body.
    type Page<'a> = (u16, &'a [(&'a str, &'a str)], &'a str);

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    #[test]
    fn challenge_pages_are_recognised_by_header_body_or_redirect() {
        let cases: &[Case] = &[
            (403, &[("cf-mitigated", "challenge"), ("server", "cloudflare")], "", "Cloudflare"),
            (
                403,
                &[("server", "cloudflare")],
                "<html><head><title>Just a moment...</title></head><body><script src=\"/cdn-cgi/challenge-platform/x.js\"></script></body></html>",
                "Cloudflare",
            ),
            (202, &[("x-amzn-waf-action", "challenge")], "", "AWS WAF"),
            (
                200,
                &[],
                "<html><body><iframe src=\"/_Incapsula_Resource?x=1\">Request unsuccessful. Incapsula incident ID: 123</iframe></body></html>",
                "Imperva",
            ),
            (
                403,
                &[("server", "AkamaiGHost")],
                "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>You don't have permission to access \"http://x/\" on this server.<P>Reference #18.1234</BODY></HTML>",
                "Akamai",
            ),
            (302, &[("location", "https://validate.perfdrive.com/?ssk=abc")], "", "Radware"),
            (403, &[], "<div id=\"px-captcha\"></div>", "PerimeterX"),
            (403, &[("x-datadome", "protected")], "", "DataDome"),
        ];
        for (status, pairs, body, vendor) in cases {
            let got = detect(*status, &headers(pairs), body.as_bytes());
            assert_eq!(got.map(|c| c.vendor), Some(*vendor), "{status} {pairs:?}");
        }
        assert_eq!(
            detect(403, &headers(&[("cf-mitigated", "challenge")]), b"")
                .unwrap()
                .to_string(),
            "blocked: bot protection (Cloudflare)"
        );
    }

    #[test]
    fn ordinary_pages_and_errors_are_not_challenges() {
        let big_page_with_footer = format!(
            "<html><body>{}<footer>Performance and security by Cloudflare. Cloudflare Ray ID: 8f</footer></body></html>",
            "<p>Police news.</p>".repeat(5000)
        );
        let cases: &[Page] = &[
            (
                200,
                &[("server", "cloudflare"), ("cf-ray", "8f-LHR")],
                "<rss version=\"2.0\"><channel><title>News</title></channel></rss>",
            ),
            (
                403,
                &[("server", "nginx")],
                "<html><title>403 Forbidden</title></html>",
            ),
            (503, &[], "Service Unavailable"),
            (200, &[], big_page_with_footer.as_str()),
            (301, &[("location", "https://www.example.org/news/")], ""),
            // One weak marker in a small page: an article about a firewall, say.
            (
                200,
                &[],
                "<p>The site was checking your browser, users said.</p>",
            ),
        ];
        for (status, pairs, body) in cases {
            assert_eq!(
                detect(*status, &headers(pairs), body.as_bytes()),
                None,
                "{status} {body:.60}"
            );
        }
    }

    #[test]
    fn a_strong_marker_in_a_large_page_needs_a_second_marker() {
        let filler = "x".repeat(SMALL_BODY + 10);
        let one = format!("<script src=\"/cdn-cgi/challenge-platform/a.js\"></script>{filler}");
        assert_eq!(detect(200, &HeaderMap::new(), one.as_bytes()), None);
        let two = format!("<title>Just a moment...</title><script src=\"/cdn-cgi/challenge-platform/a.js\"></script>{filler}");
        assert_eq!(
            detect(200, &HeaderMap::new(), two.as_bytes()).map(|c| c.vendor),
            Some("Cloudflare")
        );
    }
}
