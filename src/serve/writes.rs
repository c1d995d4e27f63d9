//! The write API: analysts' corrections over HTTP, for the dashboard's forms and for the CLI
//! while `run` holds the database. Reads stay open; every route here but `/api/dismissed`
//! writes, and needs `Authorization: Bearer <token>`, the token being `BREACHWATCH_ADMIN_TOKEN`
//! or `[settings] admin_token` ([`crate::config::Settings::admin_token`]).
//!
//! * no token configured: every write is refused, 403 `writes_disabled`;
//! * no `Authorization` header, or a wrong token: 401 `unauthorized` (compared in constant
//!   time, over SHA-256 digests so the length does not show either);
//! * bodies are JSON of at most [`MAX_BODY_BYTES`] (else 413 `body_too_large`), checked
//!   before anything is written: an unknown key, field or id is a 400 with a stable code
//!   (`bad_body`, `unknown_field`, `bad_value`, `unknown_incident`, `not_a_source`,
//!   `nothing_to_split`, `same_incident`, `nothing_to_set`, `reason_required`).
//!
//! Error bodies carry the code twice: `{"code", "message", "error": {"code", "message"}}`,
//! the first pair as every other API error has it, the second as write clients expect.
//! A correction answers 200 `{"ids": [...]}`: the incident ids it leaves, as the CLI prints.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Map, Value as Json_};
use sha2::{Digest, Sha256};

use crate::correction::{CorrectionError, Field, Value};
use crate::pipeline::{self, CorrectError, Request};
use crate::query::{self, IncidentView};

use super::error::ApiError;
use super::routes::AppState;

/// The largest request body a write takes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The write routes (and the read of the dismissed incidents), for [`super::router`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/incidents/{id}/corrections", post(set))
        .route("/api/merges", post(merge))
        .route("/api/incidents/{id}/split", post(split))
        .route("/api/incidents/{id}/dismiss", post(dismiss))
        .route("/api/incidents/{id}/restore", post(restore))
        .route("/api/dismissed", get(dismissed))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// Why a write was refused.
#[derive(Debug)]
pub struct WriteError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl WriteError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WriteError {
        WriteError {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad(code: &'static str, message: impl Into<String>) -> WriteError {
        WriteError::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for WriteError {
    fn into_response(self) -> Response {
        let body = json!({
            "code": self.code,
            "message": self.message,
            "error": { "code": self.code, "message": self.message },
        });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<CorrectionError> for WriteError {
    fn from(e: CorrectionError) -> Self {
        WriteError::bad(e.code(), e.to_string())
    }
}

impl From<CorrectError> for WriteError {
    fn from(e: CorrectError) -> Self {
        match e {
            CorrectError::Store(e) => {
                tracing::error!(error = %e, "Store failed while making a correction.");
                WriteError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            }
            e => WriteError::bad(e.code(), e.to_string()),
        }
    }
}

/// Whether two secrets are equal, in time that depends on neither: their SHA-256 digests are
/// compared byte by byte without stopping early.
fn same_secret(a: &str, b: &str) -> bool {
    let (da, db) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    da.iter()
        .zip(db.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Lets a write through only with the configured token (see the module doc).
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), WriteError> {
    let Some(token) = state.config.settings.admin_token() else {
        return Err(WriteError::new(
            StatusCode::FORBIDDEN,
            "writes_disabled",
            "writes are disabled: no admin token is configured ([settings] admin_token or \
             BREACHWATCH_ADMIN_TOKEN)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    match given {
        Some(given) if same_secret(given, &token.0) => Ok(()),
        Some(_) => Err(WriteError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "wrong token",
        )),
        None => Err(WriteError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "writes need an Authorization: Bearer <token> header",
        )),
    }
}

/// The body, read as `T` once the token is checked.
fn body_of<T: serde::de::DeserializeOwned>(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, WriteError> {
    authorize(state, headers)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WriteError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("a request body may be at most {MAX_BODY_BYTES} bytes"),
            )
        } else {
            WriteError::bad("bad_body", e.body_text())
        }
    })?;
    serde_json::from_slice(&body)
        .map_err(|e| WriteError::bad("bad_body", format!("the body does not read: {e}")))
}

/// `{"set": {FIELD: VALUE}, "reason": TEXT}`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetBody {
    set: Map<String, Json_>,
    #[serde(default)]
    reason: String,
}

/// `{"ids": [ID, ID], "reason": TEXT}`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeBody {
    ids: Vec<String>,
    #[serde(default)]
    reason: String,
}

/// `{"article": URL, "reason": TEXT}`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitBody {
    article: String,
    #[serde(default)]
    reason: String,
}

/// `{"reason": TEXT}`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    #[serde(default)]
    reason: String,
}

/// Makes the correction on a blocking thread and answers with the ids it leaves.
async fn make(state: &AppState, request: Request, reason: String) -> Result<Response, WriteError> {
    let store = state.store.clone();
    let ids = tokio::task::spawn_blocking(move || {
        pipeline::correct(&store, request, &reason, Utc::now())
    })
    .await
    .map_err(|e| WriteError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))??;
    Ok(Json(json!({ "ids": ids })).into_response())
}

async fn set(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, WriteError> {
    let body: SetBody = body_of(&state, &headers, body)?;
    let mut set = Vec::new();
    for (name, value) in &body.set {
        let field = Field::from_id(name)?;
        set.push((field, Value::from_json(field, value)?));
    }
    make(&state, Request::Set { id, set }, body.reason).await
}

async fn merge(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, WriteError> {
    let body: MergeBody = body_of(&state, &headers, body)?;
    let ids: [String; 2] = body
        .ids
        .try_into()
        .map_err(|_| WriteError::bad("bad_body", "\"ids\" must hold two incident ids"))?;
    make(&state, Request::Merge { ids }, body.reason).await
}

async fn split(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, WriteError> {
    let body: SplitBody = body_of(&state, &headers, body)?;
    let request = Request::Split {
        id,
        article: body.article,
    };
    make(&state, request, body.reason).await
}

async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, WriteError> {
    let body: ReasonBody = body_of(&state, &headers, body)?;
    if body.reason.trim().is_empty() {
        return Err(CorrectionError::NoReason.into());
    }
    make(&state, Request::Dismiss { id }, body.reason).await
}

async fn restore(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, WriteError> {
    let body: ReasonBody = body_of(&state, &headers, body)?;
    make(&state, Request::Restore { id }, body.reason).await
}

/// The dismissed incidents, newest first, as `/api/incidents` lists incidents (a read: open).
async fn dismissed(State(state): State<AppState>) -> Result<Json<Vec<IncidentView>>, ApiError> {
    let store = state.store.clone();
    let views = tokio::task::spawn_blocking(move || {
        query::dismissed(&store).map(|all| all.iter().map(IncidentView::from).collect())
    })
    .await??;
    Ok(Json(views))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("s3cret-token", "s3cret-token"));
        assert!(!same_secret("s3cret-token", "s3cret-tokem"));
        assert!(!same_secret("s3cret-token", "s3cret"));
        assert!(!same_secret("", "x"));
    }
}
