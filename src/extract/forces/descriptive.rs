//! Descriptive names of UK forces: "Britain's largest force", "the UK's third-largest police
//! force", "Scotland's national force", "the Met", "Surrey and Sussex police".

use std::sync::LazyLock;

use regex::Regex;

use super::mentions::{followed_by_non_force, DocumentContext, NOT_A_FORCE_AFTER_SHORT_NAME};
use super::Mention;

/// One descriptive name and the forces it stands for.
struct DescriptiveName {
    pattern: Regex,
    ids: &'static [&'static str],
}

static DESCRIPTIVE_NAMES: LazyLock<Vec<DescriptiveName>> = LazyLock::new(|| {
    let f = r"(?:police )?(?:force|power|service|constabulary)";
    let poss = r"['’]?s";
    let table: Vec<(String, &'static [&'static str])> = vec![
        (
            format!(
                r"(?i)(?-u:\b)(?:Britain|the UK|the United Kingdom|England)(?:{poss})? (?:largest|biggest) {f}(?-u:\b)"
            ),
            &["metropolitan"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)(?:London|the capital)(?:{poss}) (?:police )?(?:force|power)(?-u:\b)"
            ),
            &["metropolitan"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)(?:Britain|the UK|the United Kingdom|England)(?:{poss})? (?:third|3rd)[- ](?:largest|biggest) {f}(?-u:\b)"
            ),
            &["greater-manchester"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)the (?:third|3rd)[- ](?:largest|biggest) {f} in (?:Britain|the UK|England)(?-u:\b)"
            ),
            &["greater-manchester"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)(?:Britain|the UK)(?:{poss})? second[- ](?:largest|biggest) {f}(?-u:\b)"
            ),
            &["police-scotland"],
        ),
        (
            format!(r"(?i)(?-u:\b)Scotland(?:{poss}) (?:national |single )?{f}(?-u:\b)"),
            &["police-scotland"],
        ),
        (
            format!(r"(?i)(?-u:\b)the (?:single |national )+{f} (?:for|in) Scotland(?-u:\b)"),
            &["police-scotland"],
        ),
        (
            format!(r"(?i)(?-u:\b)Northern Ireland(?:{poss}) {f}(?-u:\b)"),
            &["northern-ireland"],
        ),
        (
            format!(r"(?i)(?-u:\b){f} (?:of|in) Northern Ireland(?-u:\b)"),
            &["northern-ireland"],
        ),
        (
            format!(r"(?i)(?-u:\b)Wales(?:{poss}) (?:largest|biggest) {f}(?-u:\b)"),
            &["south-wales"],
        ),
        (r"(?-u:\b)the Yard(?-u:\b)".to_string(), &["metropolitan"]),
        (r"(?-u:\b)the Met(?-u:\b)".to_string(), &["metropolitan"]),
        (r"(?-u:\b)Met(?-u:\b)".to_string(), &["metropolitan"]),
        (
            r"(?i)(?-u:\b)(?:Surrey and Sussex|Sussex and Surrey)(?: police| constabularies| forces)?(?-u:\b)".to_string(),
            &["surrey", "sussex"],
        ),
    ];
    table
        .into_iter()
        .filter_map(|(p, ids)| {
            Regex::new(&p)
                .ok()
                .map(|pattern| DescriptiveName { pattern, ids })
        })
        .collect()
});

/// All descriptive names in one regex, to find them in one pass.
static ANY_DESCRIPTIVE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    let parts: Vec<String> = DESCRIPTIVE_NAMES
        .iter()
        .map(|d| {
            let p = d.pattern.as_str();
            match p.strip_prefix("(?i)") {
                Some(rest) => format!("(?i:{rest})"),
                None => format!("(?:{p})"),
            }
        })
        .collect();
    Regex::new(&parts.join("|")).unwrap_or_else(|_| Regex::new("$^").unwrap())
});

/// Mentions by descriptive name; none in a story set in the United States. "Met" and "the
/// Met" count only in a document about the police and not before "Office", "Gala", ...
pub fn descriptive_mentions(ctx: &DocumentContext) -> Vec<Mention> {
    let doc = ctx.doc;
    let mut mentions = Vec::new();
    if ctx.suppress_uk {
        return mentions;
    }
    for m in ANY_DESCRIPTIVE_NAME.find_iter(doc) {
        let Some(name) = DESCRIPTIVE_NAMES.iter().find(|d| {
            d.pattern
                .find(m.as_str())
                .is_some_and(|x| x.start() == 0 && x.end() == m.len())
        }) else {
            continue;
        };
        if m.as_str() == "Met" || m.as_str() == "the Met" {
            let rest = doc[m.end()..].trim_start();
            let other_thing = NOT_A_FORCE_AFTER_SHORT_NAME
                .iter()
                .chain(&["Police Department"])
                .any(|w| rest.starts_with(w));
            if !ctx.police_context || other_thing {
                continue;
            }
        }
        if followed_by_non_force(doc, m.end()) {
            continue;
        }
        mentions.push(Mention {
            start: m.start(),
            end: m.end(),
            ids: name.ids.iter().map(|s| s.to_string()).collect(),
        });
    }
    mentions
}
