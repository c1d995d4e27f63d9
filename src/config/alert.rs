//! `[[alert]]`: webhook rules as the config writes them (the contract's fields), and their
//! checks. What an alert does with them (events, filters, bodies, retries) is
//! [`crate::alert`]'s; these types live here so the config can hold them without knowing
//! the incidents they are about.

use std::collections::HashSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::model::DataType;

use super::{invalid, ConfigError};

/// What kind of event an alert may ask for (`events = ["new", "development"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// An incident not seen before.
    New,
    /// A new development (fine, reprimand, arrest...), a new figure or a new force on an
    /// incident already seen.
    Development,
}

/// How an alert's body is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{"alert", "event", "incident", "url"}` (the contract's body).
    #[default]
    Json,
    /// `{"text": ...}`, which Slack, Mattermost and Teams workflows accept.
    Slack,
}

/// Whether an alert sends each event at once or one message a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Digest {
    /// One POST per event (`digest = false`, or no `digest`).
    #[default]
    Off,
    /// One POST a day listing that day's events (`digest = true` or `digest = "daily"`).
    Daily,
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Digest::Off => s.serialize_bool(false),
            Digest::Daily => s.serialize_str("daily"),
        }
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Digest, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Flag(bool),
            Word(String),
        }
        match Written::deserialize(d)? {
            Written::Flag(true) => Ok(Digest::Daily),
            Written::Flag(false) => Ok(Digest::Off),
            Written::Word(w) if w == "daily" => Ok(Digest::Daily),
            Written::Word(w) if w == "off" || w == "none" => Ok(Digest::Off),
            Written::Word(w) => Err(serde::de::Error::custom(format!(
                "digest {w:?}: expected true, false or \"daily\""
            ))),
        }
    }
}

fn all_events() -> Vec<EventKind> {
    vec![EventKind::New, EventKind::Development]
}

/// One `[[alert]]` of the config: where to send which events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Unique id, in the delivery records and `/metrics`.
    pub id: String,
    /// The receiver: a POST per event; a 2xx answer is delivery.
    pub url: String,
    /// The body's form.
    #[serde(default)]
    pub format: Format,
    /// Only incidents at one of these forces (none: every force).
    #[serde(default)]
    pub forces: Vec<String>,
    /// Only incidents that exposed one of these (none: any data).
    #[serde(default)]
    pub data_types: Vec<DataType>,
    /// Only incidents whose best figure is at least this.
    #[serde(default)]
    pub min_affected: Option<u64>,
    /// Which events.
    #[serde(default = "all_events")]
    pub events: Vec<EventKind>,
    /// One message a day listing the day's events, instead of one per event.
    #[serde(default)]
    pub digest: Digest,
}

/// Checks every `[[alert]]`: ids unique and plain, the url http(s), the forces known, at
/// least one event. Errors name the alert (`alert[1].url`).
pub(super) fn validate(alerts: &[AlertRule]) -> Result<(), ConfigError> {
    let mut seen = HashSet::new();
    for (i, a) in alerts.iter().enumerate() {
        let at = |field: &str| format!("alert[{i}].{field}");
        super::check_id(&a.id).map_err(|message| invalid(at("id"), message))?;
        if !seen.insert(a.id.as_str()) {
            return Err(invalid(at("id"), format!("duplicate alert id {:?}", a.id)));
        }
        http_url(&a.url).map_err(|message| invalid(at("url"), message))?;
        for f in &a.forces {
            if !crate::extract::is_body_id(f) {
                return Err(invalid(
                    at("forces"),
                    format!("unknown force id {f:?} (see data/uk_forces.json)"),
                ));
            }
        }
        if a.events.is_empty() {
            return Err(invalid(
                at("events"),
                "name at least one of \"new\", \"development\"",
            ));
        }
    }
    Ok(())
}

/// `text` as an http(s) URL, or why it is not one.
pub(super) fn http_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{text:?} must be an http or https URL"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    use super::*;

    fn load(text: &str) -> Result<Config, String> {
        Config::from_toml(text).map_err(|e| e.to_string())
    }

    #[test]
    fn alerts_and_public_url_load_with_defaults() {
        let c = load(
            "[settings]\npublic_url = 'https://bw.example/base/'\n\
             [[alert]]\nid = 'kent-federation'\nurl = 'http://127.0.0.1:9000/hook'\nforces = ['kent']\n\
             [[alert]]\nid = 'daily'\nurl = 'https://hooks.example/x'\nformat = 'slack'\ndigest = 'daily'\n",
        )
        .unwrap();
        assert_eq!(
            c.settings.public_url.as_deref(),
            Some("https://bw.example/base")
        );
        assert_eq!(c.alerts.len(), 2);
        assert_eq!(c.alerts[0].events, all_events());
        assert_eq!(c.alerts[0].digest, Digest::Off);
        assert_eq!(
            (c.alerts[1].format, c.alerts[1].digest),
            (Format::Slack, Digest::Daily)
        );
        let flag = load("[[alert]]\nid = 'a'\nurl = 'http://x.example/'\ndigest = true\n").unwrap();
        assert_eq!(flag.alerts[0].digest, Digest::Daily);
    }

    #[test]
    fn bad_alerts_are_named_in_the_error() {
        let cases = [
            ("[[alert]]\nid = 'a'\nurl = 'ftp://x.example/'\n", "alert[0].url"),
            ("[[alert]]\nid = 'a'\nurl = 'not a url'\n", "alert[0].url"),
            (
                "[[alert]]\nid = 'a'\nurl = 'http://x.example/'\n[[alert]]\nid = 'a'\nurl = 'http://y.example/'\n",
                "alert[1].id",
            ),
            ("[[alert]]\nid = 'a b'\nurl = 'http://x.example/'\n", "alert[0].id"),
            (
                "[[alert]]\nid = 'a'\nurl = 'http://x.example/'\nforces = ['atlantis']\n",
                "alert[0].forces",
            ),
            (
                "[[alert]]\nid = 'a'\nurl = 'http://x.example/'\nevents = []\n",
                "alert[0].events",
            ),
            (
                "[[alert]]\nid = 'a'\nurl = 'http://x.example/'\ndata_types = ['shoe_size']\n",
                "shoe_size",
            ),
            (
                "[[alert]]\nid = 'a'\nurl = 'http://x.example/'\ndigest = 'weekly'\n",
                "weekly",
            ),
            ("[[alert]]\nid = 'a'\nurl = 'http://x.example/'\ncolour = 1\n", "colour"),
            ("[settings]\npublic_url = 'javascript:alert(1)'\n", "settings.public_url"),
        ];
        for (text, key) in cases {
            let err = load(text).unwrap_err();
            assert!(err.contains(key), "{err:?} should name {key:?}");
        }
    }
}
