//! One error type for the whole app. Server functions return `Result<T, AppError>`; the
//! same value travels to the browser, where `ErrorMessage` turns it into words in the
//! user's language. On the server it also decides the HTTP status.
use serde::{Deserialize, Serialize};

/// A problem with one submitted field. `code` is stable and machine-readable (the JSON
/// API puts it in problem+json); the page maps it to a translated sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not logged in")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    /// A staff page asked by a staff member whose session has not passed two-step login
    /// (not set up yet, or logged in before it was required).
    #[error("two-step login needed")]
    SecondFactorNeeded,
    /// A support agent helping a customer in their account may only look.
    #[error("only looking while helping a customer")]
    ReadOnlyWhileHelping,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Field errors of a form, with what was typed in the other fields (never passwords),
    /// so the form comes back filled in, also without JavaScript.
    #[error("invalid form")]
    FormInvalid {
        errors: Vec<FieldError>,
        kept: Vec<(String, String)>,
    },
    #[error("temporarily unavailable")]
    Unavailable,
    /// Login refused: wrong e-mail or password (one message for both), or too many
    /// failures (`retry_minutes`). Carries the e-mail back so the form keeps it, also
    /// without JavaScript; never the password.
    #[error("login refused")]
    LoginRefused {
        email: String,
        retry_minutes: Option<i64>,
    },
    /// Details are logged on the server, never sent to the browser.
    #[error("internal error")]
    Internal,
    /// The call itself failed (network, encoding): produced by the server-function layer.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, code: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.into(),
            code: code.into(),
        }])
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::SecondFactorNeeded | AppError::ReadOnlyWhileHelping => {
                403
            }
            AppError::Invalid(_) | AppError::FormInvalid { .. } => 422,
            AppError::LoginRefused {
                retry_minutes: Some(_),
                ..
            } => 429,
            AppError::LoginRefused {
                retry_minutes: None,
                ..
            } => 401,
            AppError::Unavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// What was typed in a field, when the form came back with errors.
    pub fn kept(&self, field: &str) -> Option<&str> {
        match self {
            AppError::FormInvalid { kept, .. } => kept
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// Turns field errors into a form error that keeps what was typed.
    pub fn keeping(self, kept: Vec<(String, String)>) -> AppError {
        match self {
            AppError::Invalid(errors) => AppError::FormInvalid { errors, kept },
            other => other,
        }
    }

    /// The error codes of one field, if any (for showing next to that field).
    pub fn field_codes<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let errors: &[FieldError] = match self {
            AppError::Invalid(errors) | AppError::FormInvalid { errors, .. } => errors,
            _ => &[],
        };
        errors
            .iter()
            .filter(move |e| e.field == field)
            .map(|e| e.code.as_str())
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr;
        match value {
            // The request's fields could not be read (missing, wrong type): the sender's
            // mistake, answered 400 with a code, never a 500.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                #[cfg(feature = "ssr")]
                answer_status(http::StatusCode::BAD_REQUEST);
                AppError::Invalid(vec![FieldError {
                    field: "request".into(),
                    code: "malformed".into(),
                }])
            }
            // On the server a body that cannot be read is the request's: too large (over
            // the body limit) or not what the function takes.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(reason) => {
                let too_large = reason.contains("length limit");
                answer_status(if too_large {
                    http::StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    http::StatusCode::BAD_REQUEST
                });
                AppError::Invalid(vec![FieldError {
                    field: "request".into(),
                    code: if too_large { "too_large" } else { "malformed" }.into(),
                }])
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Sets the status of the server function's answer (this module is below `context`).
#[cfg(feature = "ssr")]
fn answer_status(status: http::StatusCode) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(status);
    }
}

/// PostgreSQL's SQLSTATEs for "the server is not there for now": class 08 (connection
/// exceptions), 57P01-57P05 (shut down by the administrator, crash shutdown, cannot connect
/// now — starting up or shutting down — idle or session timeouts), 53300 (too many
/// connections).
#[cfg(feature = "ssr")]
pub fn database_away(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57P") || code == "53300"
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            // PostgreSQL refuses text it cannot store (a NUL character): the input's fault,
            // answered as such (the transaction it was in is rolled back).
            sqlx::Error::Database(db) if db.code().as_deref() == Some("22021") => {
                AppError::Invalid(vec![FieldError {
                    field: "request".into(),
                    code: "invalid_characters".into(),
                }])
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            // PostgreSQL going away or not there yet (shut down, restarting, starting up,
            // out of connections): a while, not the request's fault.
            sqlx::Error::Database(ref db) if db.code().as_deref().is_some_and(database_away) => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::invalid("postcode", "format").status_code(), 422);
        assert_eq!(AppError::Internal.status_code(), 500);
    }

    #[test]
    fn field_codes_only_for_that_field() {
        let err = AppError::Invalid(vec![
            FieldError {
                field: "postcode".into(),
                code: "format".into(),
            },
            FieldError {
                field: "email".into(),
                code: "required".into(),
            },
            FieldError {
                field: "postcode".into(),
                code: "required".into(),
            },
        ]);
        assert_eq!(
            err.field_codes("postcode").collect::<Vec<_>>(),
            ["format", "required"]
        );
        assert_eq!(err.field_codes("name").count(), 0);
        assert_eq!(AppError::NotFound.field_codes("postcode").count(), 0);
    }

    #[test]
    fn survives_the_trip_to_the_browser() {
        let err = AppError::invalid("q", "too_long");
        let json = serde_json::to_string(&err).expect("serialise");
        let back: AppError = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, err);
    }
}
