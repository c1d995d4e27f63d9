//! The analysts' corrections: `correct ID --set FIELD=VALUE...`, `merge ID ID`, `split ID
//! --article URL`, `dismiss ID --reason TEXT`, `restore ID`, and `incidents --dismissed`.
//! Each correction is logged and applied at once (see `crate::pipeline`'s `correct`), and
//! prints the incident id(s) it leaves, one a line. While `run` holds the database, the
//! write goes to the running service's write API with the configured admin token.

use std::io::Write;

use anyhow::{bail, Context as _, Result};
use chrono::Utc;
use serde_json::{json, Map, Value as Json};

use crate::correction::parse_assignment;
use crate::pipeline::{self, Request};
use crate::query::{self, IncidentView};
use crate::render;
use crate::store::{Store, StoreError};

use super::{remote, Context, OutFormat};

/// What the command line asks for, before its values are checked.
#[derive(Debug, Clone)]
pub(super) enum Ask {
    /// `correct ID --set FIELD=VALUE...`
    Correct {
        /// The incident.
        id: String,
        /// The `FIELD=VALUE` texts.
        set: Vec<String>,
    },
    /// `merge ID ID`
    Merge {
        /// The two incidents.
        ids: Vec<String>,
    },
    /// `split ID --article URL`
    Split {
        /// The incident.
        id: String,
        /// The article's URL.
        article: String,
    },
    /// `dismiss ID`
    Dismiss {
        /// The incident.
        id: String,
    },
    /// `restore ID`
    Restore {
        /// The incident.
        id: String,
    },
}

/// The request of `ask`, its values checked (before the database is opened).
fn request_of(ask: Ask) -> Result<Request> {
    Ok(match ask {
        Ask::Correct { id, set } => {
            let mut fields = Vec::new();
            for text in &set {
                fields.push(parse_assignment(text).with_context(|| format!("--set {text}"))?);
            }
            Request::Set { id, set: fields }
        }
        Ask::Merge { ids } => match <[String; 2]>::try_from(ids) {
            Ok(ids) => Request::Merge { ids },
            Err(_) => bail!("merge takes two incident ids"),
        },
        Ask::Split { id, article } => Request::Split { id, article },
        Ask::Dismiss { id } => Request::Dismiss { id },
        Ask::Restore { id } => Request::Restore { id },
    })
}

/// The write API's path and JSON body for `request` (see `crate::serve`'s write routes).
pub(crate) fn api_call(request: &Request, reason: &str) -> (String, Json) {
    let path = |id: &str, what: &str| {
        format!(
            "/api/incidents/{}/{what}",
            url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        )
    };
    match request {
        Request::Set { id, set } => {
            let fields: Map<String, Json> = set
                .iter()
                .map(|(f, v)| (f.id().to_string(), v.to_json()))
                .collect();
            (
                path(id, "corrections"),
                json!({ "set": fields, "reason": reason }),
            )
        }
        Request::Merge { ids } => (
            "/api/merges".to_string(),
            json!({ "ids": ids, "reason": reason }),
        ),
        Request::Split { id, article } => (
            path(id, "split"),
            json!({ "article": article, "reason": reason }),
        ),
        Request::Dismiss { id } => (path(id, "dismiss"), json!({ "reason": reason })),
        Request::Restore { id } => (path(id, "restore"), json!({ "reason": reason })),
    }
}

/// Makes the correction `ask` with `reason` and prints the ids it leaves.
///
/// # Errors
///
/// A field or value that does not read, an unknown incident, an article not in it; the
/// database neither opens nor is held by a service that takes the write.
pub(super) fn run(
    context: &Context,
    ask: Ask,
    reason: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    let reason = reason.unwrap_or("").trim();
    let request = request_of(ask)?;
    let ids = match Store::open(&context.db) {
        Ok(store) => {
            let ids = pipeline::correct(&store, request, reason, Utc::now())?;
            store.flush()?;
            ids
        }
        Err(StoreError::Locked { .. }) => {
            let service = remote::service_addr(&context.db, &context.config.settings.listen);
            let token = context.config.settings.admin_token();
            if token.is_none() {
                bail!(
                    "the database is in use by a running service, and no admin token is \
                     configured to send it the correction ([settings] admin_token or \
                     BREACHWATCH_ADMIN_TOKEN)"
                );
            }
            let (path, body) = api_call(&request, reason);
            let answer = remote::post(
                &service,
                &path,
                token.as_ref().map(|t| t.0.as_str()),
                &body.to_string(),
            )?;
            let answer: Json = serde_json::from_str(&answer)
                .context("the service's answer to a correction is not JSON")?;
            answer["ids"]
                .as_array()
                .context("the service's answer has no \"ids\"")?
                .iter()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .collect()
        }
        Err(error) => return Err(error.into()),
    };
    for id in ids {
        writeln!(out, "{id}")?;
    }
    Ok(())
}

/// `incidents --dismissed`: the incidents analysts dismissed, newest first, in `format`.
///
/// # Errors
///
/// When neither the database nor the service answers, or stdout cannot be written.
pub(super) fn list_dismissed(
    context: &Context,
    format: OutFormat,
    out: &mut impl Write,
) -> Result<()> {
    let views: Vec<IncidentView> = match context.open_or_ask_service("/api/dismissed")? {
        super::Access::Local(store) => query::dismissed(&store)?
            .iter()
            .map(IncidentView::from)
            .collect(),
        super::Access::Remote(body) => serde_json::from_str(&body)?,
    };
    match format {
        OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&views)?)?,
        OutFormat::Csv => render::incidents_csv(out, &views)?,
        OutFormat::Table => render::incidents_table(out, &views)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_assignment_is_refused_before_the_database_is_opened() {
        let err = request_of(Ask::Correct {
            id: "x".into(),
            set: vec!["colour=red".into()],
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("unknown field"), "{err:#}");
        assert!(request_of(Ask::Merge {
            ids: vec!["a".into()]
        })
        .is_err());
    }

    #[test]
    fn each_request_goes_to_its_endpoint_with_the_contract_body() {
        let set = request_of(Ask::Correct {
            id: "kent-2024-01-abc".into(),
            set: vec!["affected.count=1500".into(), "cause=ransomware".into()],
        })
        .unwrap();
        let (path, body) = api_call(&set, "council letter");
        assert_eq!(path, "/api/incidents/kent-2024-01-abc/corrections");
        assert_eq!(
            body,
            json!({"set": {"affected.count": 1500, "cause": "ransomware"}, "reason": "council letter"})
        );
        let (path, body) = api_call(
            &Request::Merge {
                ids: ["a".into(), "b".into()],
            },
            "",
        );
        assert_eq!(path, "/api/merges");
        assert_eq!(body, json!({"ids": ["a", "b"], "reason": ""}));
        let (path, _) = api_call(&Request::Restore { id: "a".into() }, "");
        assert_eq!(path, "/api/incidents/a/restore");
    }
}
