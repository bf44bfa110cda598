//! `/api/v1/returns`: returns for the back office (WMS/ERP), which also receives each new
//! one as the `return.created` webhook, and the status updates it sends back.
use app::returns::Return;
use app::returns::service::{StatusUpdate, find, update_status};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Read a return by its code
#[utoipa::path(
    get,
    path = "/api/v1/returns/{code}",
    tag = "returns",
    params(("code" = String, Path, description = "The return's code, e.g. `RK7M2P9QX`")),
    responses(
        (status = 200, description = "The return", body = Return),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope returns:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such return", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["returns:read"]))
)]
pub async fn get_return(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Return>, Problem> {
    caller.require("returns:read")?;
    Ok(Json(find(&state.db, &code).await?))
}

/// List an order's returns, newest first
#[utoipa::path(
    get,
    path = "/api/v1/orders/{number}/returns",
    tag = "returns",
    params(("number" = String, Path, description = "The order number")),
    responses(
        (status = 200, description = "The returns, newest first", body = Vec<Return>),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope returns:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["returns:read"]))
)]
pub async fn list_order_returns(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<Return>>, Problem> {
    caller.require("returns:read")?;
    let (order_id, _) = app::orders::repo::find(&state.db, &number)
        .await
        .map_err(|e| Problem::from(app::error::AppError::from(e)))?
        .ok_or_else(|| Problem::from(app::error::AppError::NotFound))?;
    Ok(Json(
        app::returns::repo::of_order(&state.db, order_id)
            .await
            .map_err(|e| Problem::from(app::error::AppError::from(e)))?,
    ))
}

/// Update a return's status
///
/// `received` (at the warehouse), then `refunded`, `exchanged` or `credited`. The
/// customer sees each step and gets a mail. The same update twice changes nothing; a step backwards is
/// refused (422, `status` `not_allowed_now`).
#[utoipa::path(
    put,
    path = "/api/v1/returns/{code}",
    tag = "returns",
    params(("code" = String, Path, description = "The return's code")),
    request_body = StatusUpdate,
    responses(
        (status = 200, description = "The return with its new status", body = Return),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope returns:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such return", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status, or not allowed now", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["returns:write"]))
)]
pub async fn put_return_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Return>, Problem> {
    caller.require("returns:write")?;
    let update: StatusUpdate = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(
        update_status(&state.db, &state.mail_context(), &code, update).await?,
    ))
}

/// A photo of damage the customer added to a return line (JPEG)
#[utoipa::path(
    get,
    path = "/api/v1/returns/{code}/photos/{id}",
    tag = "returns",
    params(
        ("code" = String, Path, description = "The return's code"),
        ("id" = i64, Path, description = "A photo id from the line's `photos`"),
    ),
    responses(
        (status = 200, description = "The photo, at most 1600 pixels on its longest side, without EXIF data", content_type = "image/jpeg"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope returns:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such return or photo", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["returns:read"]))
)]
pub async fn get_return_photo(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> Result<axum::response::Response, Problem> {
    let Path((code, id)) = path?;
    use axum::response::IntoResponse;
    caller.require("returns:read")?;
    let bytes =
        app::returns::photos::bytes(&state.db, app::returns::photos::Viewer::Staff, &code, id)
            .await?;
    Ok(([(http::header::CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}
