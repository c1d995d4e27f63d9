//! [`ApiError`]: the one error type of the HTTP layer. It turns into a status code plus a
//! JSON body `{"code", "message"}` whose `code` is a stable snake_case string, or, for the
//! dashboard, into a small HTML page with the same status.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::query::FilterError;
use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The incident, force or page does not exist (404, `not_found`).
    #[error("{0}")]
    NotFound(String),
    /// A query parameter is malformed (400, `bad_request`).
    #[error("{0}")]
    BadRequest(String),
    /// The store or a background task failed (500, `internal`).
    #[error("{0}")]
    Internal(String),
}

/// The JSON body of an error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// `not_found`, `bad_request` or `internal`.
    pub code: String,
    /// What went wrong, lowercase, for people.
    pub message: String,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The error as a dashboard page instead of JSON.
    pub fn into_html(self) -> Response {
        let status = self.status();
        let body = super::page::error_page(status.as_u16(), &self.to_string());
        (status, Html(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "Store read failed while answering a request.");
        ApiError::Internal(e.to_string())
    }
}

/// A filter that does not parse is a `bad_request`; a malformed date names its parameter
/// (`since: "x" is not a date like 2023-08-31: ...`).
impl From<FilterError> for ApiError {
    fn from(error: FilterError) -> Self {
        let message = match &error {
            FilterError::BadDate { field, .. } => format!("{field}: {error}"),
            _ => error.to_string(),
        };
        ApiError::BadRequest(message)
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::Internal(format!("background task failed: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code().to_string(),
            message: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
    }
}

/// An [`ApiError`] on a dashboard route: rendered as HTML.
#[derive(Debug)]
pub struct PageError(
    /// What went wrong.
    pub ApiError,
);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.into_html()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_a_stable_code_and_status() {
        let cases = [
            (ApiError::NotFound("x".into()), 404, "not_found"),
            (ApiError::BadRequest("x".into()), 400, "bad_request"),
            (ApiError::Internal("x".into()), 500, "internal"),
        ];
        for (error, status, code) in cases {
            assert_eq!(error.status().as_u16(), status);
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn a_filter_that_does_not_parse_is_a_bad_request_naming_a_bad_date() {
        let bad_date = crate::query::FilterSpec {
            until: Some("31/01/2024".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let error = ApiError::from(bad_date);
        assert_eq!(error.code(), "bad_request");
        assert!(
            error
                .to_string()
                .starts_with("until: \"31/01/2024\" is not a date like 2023-08-31: "),
            "{error}"
        );
        let unknown = ApiError::from(FilterError::UnknownCause("x".into()));
        assert_eq!(unknown.to_string(), "unknown cause \"x\"");
    }
}
