//! `breachwatch incidents`: the incidents matching the filters, newest first, as a table,
//! JSON (as the API gives them) or CSV. While `run` holds the database, the running service
//! answers the same filters as `/api/incidents` query parameters.

use std::io::Write;

use anyhow::Result;

use crate::query::{self, FilterSpec, IncidentView};
use crate::render;

use super::{parse_filters, Access, Context, OutFormat};

/// Filters shared by `incidents` and the API.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Force id, e.g. `metropolitan`.
    #[arg(long)]
    pub force: Option<String>,
    /// Data type id, e.g. `home_address`.
    #[arg(long)]
    pub data_type: Option<String>,
    /// Cause id, e.g. `ransomware`.
    #[arg(long)]
    pub cause: Option<String>,
    /// First reported on or after (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// First reported on or before (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Text in a source's title.
    #[arg(long)]
    pub search: Option<String>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<usize>,
}

impl FilterArgs {
    /// The filters as text, for the parser the API shares ([`FilterSpec::parse`]).
    pub fn spec(&self) -> FilterSpec {
        FilterSpec {
            force: self.force.clone(),
            data_type: self.data_type.clone(),
            cause: self.cause.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            text: self.search.clone(),
            limit: self.limit.map(|limit| limit.to_string()),
        }
    }

    /// The same filters as API query parameters.
    pub fn query_string(&self) -> String {
        let mut params = Vec::new();
        for (name, value) in [
            ("force", &self.force),
            ("data_type", &self.data_type),
            ("cause", &self.cause),
            ("since", &self.since),
            ("until", &self.until),
            ("q", &self.search),
        ] {
            if let Some(value) = value {
                params.push(format!(
                    "{name}={}",
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
                ));
            }
        }
        if let Some(limit) = self.limit {
            params.push(format!("limit={limit}"));
        }
        params.join("&")
    }
}

/// Lists the incidents matching `filter` in `format`.
///
/// # Errors
///
/// When a filter does not parse, neither the database nor the service answers, or stdout
/// cannot be written.
pub(super) fn run(
    context: &Context,
    filter: &FilterArgs,
    format: OutFormat,
    out: &mut impl Write,
) -> Result<()> {
    let checked = parse_filters(&filter.spec())?;
    let api = format!("/api/incidents?{}", filter.query_string());
    let views: Vec<IncidentView> = match context.open_or_ask_service(&api)? {
        Access::Local(store) => query::incidents(&store, &checked)?
            .iter()
            .map(IncidentView::from)
            .collect(),
        Access::Remote(body) => serde_json::from_str(&body)?,
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

    fn args() -> FilterArgs {
        FilterArgs {
            force: None,
            data_type: None,
            cause: None,
            since: None,
            until: None,
            search: None,
            limit: None,
        }
    }

    #[test]
    fn the_filters_go_to_the_service_as_its_query_parameters() {
        let filter = FilterArgs {
            force: Some("kent".into()),
            search: Some("a&b c".into()),
            limit: Some(5),
            ..args()
        };
        assert_eq!(filter.query_string(), "force=kent&q=a%26b+c&limit=5");
        assert_eq!(args().query_string(), "");
    }

    #[test]
    fn the_command_line_takes_ids_in_either_spelling_as_the_api_does() {
        for spelling in ["home_address", "home-address"] {
            let filter = FilterArgs {
                data_type: Some(spelling.into()),
                ..args()
            };
            let parsed = parse_filters(&filter.spec()).unwrap();
            assert_eq!(
                parsed.data_type,
                Some(crate::model::DataType::HomeAddress),
                "{spelling}"
            );
        }
    }

    #[test]
    fn a_reversed_range_names_the_flags() {
        let filter = FilterArgs {
            since: Some("2024-02-01".into()),
            until: Some("2024-01-01".into()),
            ..args()
        };
        let error = parse_filters(&filter.spec()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--since 2024-02-01 is after --until 2024-01-01"
        );
    }
}
