//! RFC 9457 problem details (`application/problem+json`).
use app::error::AppError;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// Where in the request: `name`, `opening_hours[2]`, `lines[0].quantity`.
    pub field: String,
    /// Stable, machine-readable: `required`, `invalid`, `too_long`, `wrong_type`, …
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Seconds until a rate-limited client may try again (the `Retry-After` header).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str) -> Problem {
        Problem {
            kind: format!("https://mijnportaal.dev/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn unauthorized() -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", "Missing, unknown or revoked API key")
            .detail("Send a valid key as `Authorization: Bearer mp_…` (create one with `server apikey create`).")
    }

    pub fn too_many_requests(retry_after: u64) -> Problem {
        let mut problem = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests for this API key",
        )
        .detail(format!(
            "Slow down: try again in {retry_after} s, or send more items per call."
        ));
        problem.retry_after = Some(retry_after);
        problem
    }

    pub fn forbidden(scope: &str) -> Problem {
        Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "This API key lacks the scope for this endpoint",
        )
        .detail(format!("Needed scope: {scope}"))
    }
}

impl From<AppError> for Problem {
    fn from(err: AppError) -> Problem {
        match err {
            AppError::Invalid(errors) | AppError::FormInvalid { errors, .. } => {
                let mut problem = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-fields",
                    "Some fields are not valid",
                );
                problem.errors = errors
                    .into_iter()
                    .map(|e| FieldProblem {
                        field: e.field,
                        code: e.code,
                        detail: None,
                    })
                    .collect();
                problem
            }
            AppError::NotFound => Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found"),
            AppError::Unauthorized | AppError::LoginRefused { .. } => Problem::unauthorized(),
            AppError::Forbidden | AppError::SecondFactorNeeded | AppError::ReadOnlyWhileHelping => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed")
            }
            AppError::Unavailable => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Temporarily unavailable; try again",
            ),
            AppError::Internal | AppError::Transport(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error; it has been logged",
            ),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, axum::Json(&self)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<axum::extract::rejection::BytesRejection> for Problem {
    fn from(rejection: axum::extract::rejection::BytesRejection) -> Problem {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(status, "too-large", "The body is too large").detail(format!(
                "At most {} bytes per request; send fewer items per call.",
                super::BODY_LIMIT
            ))
        } else {
            Problem::new(status, "unreadable-body", "The body could not be read")
                .detail(rejection.body_text())
        }
    }
}

/// A path whose id is not a number that could exist (e.g. past the 64-bit range) names
/// nothing: the same answer as an unknown id.
impl From<axum::extract::rejection::PathRejection> for Problem {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "No such resource")
            .detail(rejection.body_text())
    }
}

/// A query parameter of the wrong kind (e.g. `orders_limit=abc`).
impl From<axum::extract::rejection::QueryRejection> for Problem {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-query",
            "A query parameter is not valid",
        )
        .detail(rejection.body_text())
    }
}

pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not-found", "No such endpoint")
        .detail("See /api/v1/openapi.json for the endpoints.")
}

/// Reads a JSON body; a body that is not JSON or has a wrong field becomes a problem that
/// names the field (`serde_path_to_error`).
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let field = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "The body is not valid JSON",
            )
            .detail(inner.to_string());
        }
        let message = inner.to_string();
        let code = if message.starts_with("missing field") {
            "required"
        } else if message.starts_with("unknown field") {
            "unknown_field"
        } else if message.starts_with("unknown variant") {
            "unknown_value"
        } else {
            "wrong_type"
        };
        // For a missing field serde reports the parent path; name the field itself.
        let field = match (code, message.split('`').nth(1)) {
            ("required" | "unknown_field", Some(name)) if field == "." => name.to_string(),
            ("required" | "unknown_field", Some(name)) => format!("{field}.{name}"),
            _ => field,
        };
        let mut problem = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-fields",
            "Some fields are not valid",
        );
        problem.errors.push(FieldProblem {
            field,
            code: code.into(),
            detail: Some(message),
        });
        problem
    })
}
