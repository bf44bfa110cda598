//! `Idempotency-Key` for POSTs (draft-ietf-httpapi-idempotency-key-header): a client that
//! retries a request with the same key gets the first answer again and nothing happens
//! twice; the same key with a different body is refused.
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use sha2::{Digest, Sha256};

use super::auth::Caller;
use super::problem::Problem;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";

fn json_response(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}

/// Runs `handler` once per (API key, Idempotency-Key); without the header it just runs.
pub async fn once<T, Fut>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    handler: impl FnOnce() -> Fut,
) -> Response
where
    T: serde::Serialize,
    Fut: Future<Output = Result<(StatusCode, T), Problem>>,
{
    let Some(raw) = headers.get(HEADER) else {
        return match handler().await {
            Ok((status, value)) => json_response(
                status,
                serde_json::to_string(&value).unwrap_or_default(),
                false,
            ),
            Err(problem) => problem.into_response(),
        };
    };
    let key = match raw.to_str() {
        Ok(key) if !key.trim().is_empty() && key.len() <= 255 => key.trim().to_string(),
        _ => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-idempotency-key",
                "The Idempotency-Key header must be 1-255 visible ASCII characters",
            )
            .into_response();
        }
    };
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    let request_hash = hex::encode(hasher.finalize());
    let api_key_id = caller.0.key_id;
    match app::apikeys::repo::find_idempotent_response(&state.db, api_key_id, &key).await {
        Ok(Some((hash, status, body))) if hash == request_hash => {
            let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
            return json_response(status, body, true);
        }
        Ok(Some(_)) => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "This Idempotency-Key was used for a different request",
            )
            .detail("Use a new key for a new request.")
            .into_response();
        }
        Ok(None) => {}
        Err(err) => return Problem::from(app::error::AppError::from(err)).into_response(),
    }
    match handler().await {
        Ok((status, value)) => {
            let body = serde_json::to_string(&value).unwrap_or_default();
            if let Err(err) = app::apikeys::repo::keep_idempotent_response(
                &state.db,
                api_key_id,
                &key,
                &request_hash,
                i32::from(status.as_u16()),
                &body,
                app::db::Timestamp::now(),
            )
            .await
            {
                // The work is done and committed; a lost record only means a retry is
                // answered by running again, which the endpoints tolerate.
                tracing::warn!(error = %err, "cannot keep the idempotent response");
            }
            json_response(status, body, false)
        }
        Err(problem) => problem.into_response(),
    }
}
