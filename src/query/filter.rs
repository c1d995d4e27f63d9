//! Incident filters: [`Filter`], the checked form the queries take, and [`FilterSpec`], the
//! same filters as text, which the command line (`incidents --force ... --data-type ...`,
//! `trends --since/--until`) and the HTTP API (`/api/incidents?force=...`, `/api/trends`,
//! the dashboard's form) both fill in and parse here, so both accept the same ids and dates
//! and turn down the same mistakes with the same words.

use chrono::NaiveDate;

use crate::model::{Cause, DataType, Incident};

/// Incident filters; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only incidents at this force (by id).
    pub force: Option<String>,
    /// Only incidents that exposed this type of data.
    pub data_type: Option<DataType>,
    /// Only incidents with this cause.
    pub cause: Option<Cause>,
    /// Inclusive, on `first_reported`.
    pub since: Option<NaiveDate>,
    /// Inclusive, on `first_reported`.
    pub until: Option<NaiveDate>,
    /// Case-insensitive text in a source title.
    pub text: Option<String>,
    /// At most this many incidents, the newest.
    pub limit: Option<usize>,
}

impl Filter {
    /// Whether `incident` passes every filter but the limit.
    pub fn matches(&self, incident: &Incident) -> bool {
        let day = incident.first_reported.date_naive();
        self.force
            .as_ref()
            .is_none_or(|f| incident.forces.iter().any(|x| x == f))
            && self
                .data_type
                .is_none_or(|t| incident.data_types.contains(&t))
            && self.cause.is_none_or(|c| incident.cause == c)
            && self.since.is_none_or(|s| day >= s)
            && self.until.is_none_or(|u| day <= u)
            && self.text.as_ref().is_none_or(|t| {
                let t = t.to_lowercase();
                incident
                    .sources
                    .iter()
                    .any(|s| s.title.to_lowercase().contains(&t))
            })
    }
}

/// Incident filters as text, as given on the command line or in a query string; `None` is
/// "any". [`FilterSpec::parse`] checks them into a [`Filter`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// A force id, e.g. `metropolitan`. Not checked: an unknown force matches nothing.
    pub force: Option<String>,
    /// A data type id, spelt `home_address` or `home-address`.
    pub data_type: Option<String>,
    /// A cause id, spelt `loss_or_theft` or `loss-or-theft`.
    pub cause: Option<String>,
    /// First reported on or after this day, `YYYY-MM-DD`.
    pub since: Option<String>,
    /// First reported on or before this day, `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Text in a source's title.
    pub text: Option<String>,
    /// At most this many, a whole number.
    pub limit: Option<String>,
}

/// Why a [`FilterSpec`] could not be parsed. The messages name the query parameters
/// (`since`, `until`, `limit`); the command line words the one that names two of them as
/// flags.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// `since` or `until` is not a `YYYY-MM-DD` date.
    #[error("{value:?} is not a date like 2023-08-31: {reason}")]
    BadDate {
        /// Which filter: `since` or `until`.
        field: &'static str,
        /// The text as given.
        value: String,
        /// What chrono found wrong with it.
        reason: chrono::ParseError,
    },
    /// `since` is a later day than `until`: nothing could match.
    #[error("since {since} is after until {until}")]
    DatesReversed {
        /// The `since` day.
        since: NaiveDate,
        /// The `until` day.
        until: NaiveDate,
    },
    /// No data type has this id (in either spelling).
    #[error("unknown data type {0:?}")]
    UnknownDataType(String),
    /// No cause has this id (in either spelling).
    #[error("unknown cause {0:?}")]
    UnknownCause(String),
    /// The limit is not a whole number.
    #[error("limit {0:?} is not a whole number")]
    BadLimit(String),
}

/// Parses a `YYYY-MM-DD` day given for the filter `field` (`since` or `until`).
///
/// # Errors
///
/// [`FilterError::BadDate`] when `value` is not such a day.
pub fn parse_day(field: &'static str, value: &str) -> Result<NaiveDate, FilterError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|reason| FilterError::BadDate {
        field,
        value: value.to_string(),
        reason,
    })
}

/// A vocabulary id as written in either spelling, `home-address` or `home_address`, in the
/// spelling of the vocabulary (`home_address`).
fn vocabulary_id(id: &str) -> String {
    id.replace('-', "_")
}

impl FilterSpec {
    /// The filters, checked: ids known, dates real days in order, limit a number.
    ///
    /// # Errors
    ///
    /// A [`FilterError`] for the first filter that does not parse, dates first.
    pub fn parse(&self) -> Result<Filter, FilterError> {
        let since = self
            .since
            .as_deref()
            .map(|s| parse_day("since", s))
            .transpose()?;
        let until = self
            .until
            .as_deref()
            .map(|u| parse_day("until", u))
            .transpose()?;
        if let (Some(since), Some(until)) = (since, until) {
            if since > until {
                return Err(FilterError::DatesReversed { since, until });
            }
        }
        let data_type = self
            .data_type
            .as_deref()
            .map(|t| {
                DataType::from_id(&vocabulary_id(t))
                    .ok_or_else(|| FilterError::UnknownDataType(t.to_string()))
            })
            .transpose()?;
        let cause = self
            .cause
            .as_deref()
            .map(|c| {
                Cause::from_id(&vocabulary_id(c))
                    .ok_or_else(|| FilterError::UnknownCause(c.to_string()))
            })
            .transpose()?;
        let limit = self
            .limit
            .as_deref()
            .map(|l| {
                l.parse::<usize>()
                    .map_err(|_| FilterError::BadLimit(l.to_string()))
            })
            .transpose()?;
        Ok(Filter {
            force: self.force.clone(),
            data_type,
            cause,
            since,
            until,
            text: self.text.clone(),
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FilterSpec {
        FilterSpec::default()
    }

    #[test]
    fn ids_parse_in_either_spelling() {
        for spelling in ["home_address", "home-address"] {
            let filter = FilterSpec {
                data_type: Some(spelling.into()),
                ..spec()
            }
            .parse()
            .unwrap();
            assert_eq!(filter.data_type, Some(DataType::HomeAddress), "{spelling}");
        }
        for spelling in ["accidental_disclosure", "accidental-disclosure"] {
            let filter = FilterSpec {
                cause: Some(spelling.into()),
                ..spec()
            }
            .parse()
            .unwrap();
            assert_eq!(
                filter.cause,
                Some(Cause::AccidentalDisclosure),
                "{spelling}"
            );
        }
    }

    #[test]
    fn unknown_ids_are_named_as_given() {
        let error = FilterSpec {
            data_type: Some("shoe-size".into()),
            ..spec()
        }
        .parse()
        .unwrap_err();
        assert_eq!(error.to_string(), "unknown data type \"shoe-size\"");
        let error = FilterSpec {
            cause: Some("gremlins".into()),
            ..spec()
        }
        .parse()
        .unwrap_err();
        assert_eq!(error.to_string(), "unknown cause \"gremlins\"");
    }

    #[test]
    fn dates_must_be_days_in_order() {
        let error = FilterSpec {
            since: Some("2023-13-01".into()),
            ..spec()
        }
        .parse()
        .unwrap_err();
        assert!(matches!(error, FilterError::BadDate { field: "since", .. }));
        assert!(error
            .to_string()
            .starts_with("\"2023-13-01\" is not a date like 2023-08-31: "));
        let error = FilterSpec {
            since: Some("2024-02-01".into()),
            until: Some("2024-01-31".into()),
            ..spec()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "since 2024-02-01 is after until 2024-01-31"
        );
        let filter = FilterSpec {
            since: Some("2024-01-31".into()),
            until: Some("2024-01-31".into()),
            limit: Some("3".into()),
            ..spec()
        }
        .parse()
        .unwrap();
        assert_eq!(filter.since, filter.until);
        assert_eq!(filter.limit, Some(3));
    }

    #[test]
    fn a_limit_must_be_a_whole_number() {
        let error = FilterSpec {
            limit: Some("-1".into()),
            ..spec()
        }
        .parse()
        .unwrap_err();
        assert_eq!(error.to_string(), "limit \"-1\" is not a whole number");
    }
}
