//! Source templates: a source written once with `{variables}`, and a table of rows it is
//! expanded for. About forty police newsrooms run on one platform whose feeds differ only in
//! the domain and a slug; one template and a row per force replaces forty hand-copied blocks.
//!
//! ```toml
//! [[template]]
//! id = "{force}-news"
//! name = "{name}"                  # the force's name from the gazetteer, unless a row gives one
//! kind = "feed"
//! url = "https://www.{domain}/news/{slug}/{path}/GetNewsRss/"
//! defaults = { path = "news" }     # values for variables a row does not give
//! rows = [
//!   { force = "kent", domain = "kent.police.uk", slug = "kent", path = "latest" },
//!   { force = "essex", domain = "essex.police.uk", slug = "essex", enabled = false },
//! ]
//! ```
//!
//! Each row becomes an ordinary `[[source]]`: every string of the template (and of its
//! arrays) has its `{variables}` replaced by the row's values, `forces = [force]` is added
//! unless the template sets `forces`, and a row's `enabled` overrides the template's. Any
//! other key of a row is a variable, and must be a string. An unknown variable, a missing
//! `force`, or a key no source has is an error naming the template and the row.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{invalid, ConfigError, RawSource};

/// One `[[template]]` as written.
#[derive(Debug, Deserialize)]
pub struct RawTemplate {
    /// Values of variables a row does not give.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// One source per row: `force` (a gazetteer id), variables, and optionally `enabled`.
    pub rows: Vec<toml::Table>,
    /// The source: any key of `[[source]]`, strings with `{variable}`s.
    #[serde(flatten)]
    pub source: toml::Table,
}

/// The sources of template number `index`, each with the label its errors use
/// (`template[0].rows[3]`).
pub fn expand(
    index: usize,
    template: RawTemplate,
) -> Result<Vec<(String, RawSource)>, ConfigError> {
    let mut out = Vec::with_capacity(template.rows.len());
    for (r, row) in template.rows.iter().enumerate() {
        let label = format!("template[{index}].rows[{r}]");
        let mut vars = template.defaults.clone();
        let mut enabled = None;
        for (key, value) in row {
            match (key.as_str(), value) {
                ("enabled", toml::Value::Boolean(b)) => enabled = Some(*b),
                ("enabled", _) => {
                    return Err(invalid(format!("{label}.enabled"), "must be true or false"))
                }
                (_, toml::Value::String(s)) => {
                    vars.insert(key.clone(), s.clone());
                }
                _ => {
                    return Err(invalid(
                        format!("{label}.{key}"),
                        "a row's values are strings (and `enabled`, a bool)",
                    ))
                }
            }
        }
        let Some(force) = vars.get("force").cloned() else {
            return Err(invalid(
                format!("{label}.force"),
                "every row needs a force id",
            ));
        };
        if !vars.contains_key("name") {
            let name = crate::extract::body_name(&force)
                .unwrap_or(&force)
                .to_string();
            vars.insert("name".into(), name);
        }
        let mut source = toml::Table::new();
        for (key, value) in &template.source {
            let filled = fill(value, &vars).map_err(|unknown| {
                invalid(
                    format!("{label}.{key}"),
                    format!("unknown variable {{{unknown}}} (not in the row or defaults)"),
                )
            })?;
            source.insert(key.clone(), filled);
        }
        if !source.contains_key("forces") {
            source.insert(
                "forces".into(),
                toml::Value::Array(vec![toml::Value::String(force)]),
            );
        }
        if let Some(e) = enabled {
            source.insert("enabled".into(), toml::Value::Boolean(e));
        }
        let raw: RawSource = source
            .try_into()
            .map_err(|e: toml::de::Error| invalid(label.clone(), e.message().replace('\n', " ")))?;
        out.push((label, raw));
    }
    Ok(out)
}

/// `value` with `{variable}`s replaced in every string; the name of an unknown variable.
fn fill(value: &toml::Value, vars: &BTreeMap<String, String>) -> Result<toml::Value, String> {
    Ok(match value {
        toml::Value::String(s) => toml::Value::String(substitute(s, vars)?),
        toml::Value::Array(items) => toml::Value::Array(
            items
                .iter()
                .map(|v| fill(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// `text` with each `{name}` replaced by its value; `{{` and `}}` are literal braces (a CSS
/// selector needs none, but a URL template might).
fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(t) = tail.strip_prefix("{{") {
            out.push('{');
            rest = t;
        } else if let Some(t) = tail.strip_prefix("}}") {
            out.push('}');
            rest = t;
        } else if tail.starts_with('{') {
            let Some(end) = tail.find('}') else {
                return Err(tail.to_string());
            };
            let name = &tail[1..end];
            out.push_str(vars.get(name).ok_or_else(|| name.to_string())?);
            rest = &tail[end + 1..];
        } else {
            out.push('}');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    const TEXT: &str = r#"
[[source]]
id = "bbc-uk"
kind = "feed"
url = "https://feeds.example/uk.xml"

[[template]]
id = "{force}-news"
name = "{name}"
kind = "feed"
url = "https://www.{domain}/news/{slug}/{path}/GetNewsRss/"
fetch_full_text = true
defaults = { path = "news" }
rows = [
  { force = "kent", domain = "kent.police.uk", slug = "kent", path = "latest" },
  { force = "essex", domain = "essex.police.uk", slug = "essex", enabled = false },
  { force = "west-midlands", domain = "westmidlands.police.uk", slug = "west-midlands", name = "WMP" },
]

[[template]]
id = "{force}-html"
kind = "html"
url = "https://{host}/news"
item_selector = "a[href*='/news/{slug}/']"
forces = ["{force}", "suffolk"]
rows = [{ force = "norfolk", host = "norfolk.example", slug = "n" }]
"#;

    #[test]
    fn each_row_becomes_an_ordinary_source() {
        let config = Config::from_toml(TEXT).unwrap();
        let summary: Vec<(&str, &str, &str, Vec<&str>, bool)> = config
            .sources
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.name.as_str(),
                    s.url.as_str(),
                    s.forces.iter().map(String::as_str).collect(),
                    s.enabled,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "bbc-uk",
                    "bbc-uk",
                    "https://feeds.example/uk.xml",
                    vec![],
                    true
                ),
                (
                    "kent-news",
                    "Kent Police",
                    "https://www.kent.police.uk/news/kent/latest/GetNewsRss/",
                    vec!["kent"],
                    true
                ),
                (
                    "essex-news",
                    "Essex Police",
                    "https://www.essex.police.uk/news/essex/news/GetNewsRss/",
                    vec!["essex"],
                    false
                ),
                (
                    "west-midlands-news",
                    "WMP",
                    "https://www.westmidlands.police.uk/news/west-midlands/news/GetNewsRss/",
                    vec!["west-midlands"],
                    true
                ),
                (
                    "norfolk-html",
                    "norfolk-html",
                    "https://norfolk.example/news",
                    vec!["norfolk", "suffolk"],
                    true
                ),
            ]
        );
    }

    #[test]
    fn template_errors_name_the_row_and_key() {
        let cases = [
            ("url = \"https://{nope}/\"\nrows = [{ force = \"kent\" }]", "template[0].rows[0].url: unknown variable {nope}"),
            ("url = \"https://x.example/\"\nrows = [{ slug = \"k\" }]", "template[0].rows[0].force: every row needs a force id"),
            ("url = \"https://x.example/\"\nrows = [{ force = \"kent\", n = 3 }]", "template[0].rows[0].n: a row's values are strings"),
            ("url = \"https://x.example/\"\ncolour = \"red\"\nrows = [{ force = \"kent\" }]", "template[0].rows[0]: unknown field `colour`"),
            ("url = \"https://x.example/\"\nrows = [{ force = \"kentt\" }]", "template[0].rows[0].forces: unknown force id \"kentt\""),
            ("url = \"https://x.example/{force}\"\nrows = [{ force = \"kent\" }, { force = \"kent\" }]", "template[0].rows[1].id: duplicate source id"),
        ];
        for (body, want) in cases {
            let text = format!("[[template]]\nid = \"{{force}}-x\"\nkind = \"feed\"\n{body}\n");
            let err = Config::from_toml(&text).unwrap_err().to_string();
            assert!(err.contains(want), "{body}\n got: {err}\nwant: {want}");
        }
    }

    #[test]
    fn braces_can_be_written_and_unclosed_ones_are_errors() {
        let vars: BTreeMap<String, String> = [("a".to_string(), "1".to_string())].into();
        assert_eq!(substitute("x{a}y{{z}}", &vars).unwrap(), "x1y{z}");
        assert_eq!(substitute("{a", &vars).unwrap_err(), "{a");
        assert_eq!(substitute("}", &vars).unwrap(), "}");
    }

    #[test]
    fn a_source_names_only_known_forces() {
        let ok = "[[source]]\nid = \"s\"\nkind = \"feed\"\nurl = \"https://x.example/\"\nforces = [\"kent\", \"us-tulsa-police-department\", \"kent\"]\n";
        assert_eq!(
            Config::from_toml(ok).unwrap().sources[0].forces,
            ["kent", "us-tulsa-police-department"]
        );
        let bad = ok.replace("\"kent\", \"us", "\"Kent Police\", \"us");
        assert!(Config::from_toml(&bad)
            .unwrap_err()
            .to_string()
            .contains("source[0].forces: unknown force id \"Kent Police\""));
    }
}
