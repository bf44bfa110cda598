//! `/api/v1/orders/{number}/cancellations`: the customer's cancellation requests, which
//! the back office also receives as the `order.cancellation_requested` webhook, and its
//! answer to them.
use app::cancellations::Cancellation;
use app::cancellations::service::{Decision, decide, for_order};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// List an order's cancellation requests, newest first
#[utoipa::path(
    get,
    path = "/api/v1/orders/{number}/cancellations",
    tag = "orders",
    params(("number" = String, Path, description = "The order number")),
    responses(
        (status = 200, description = "The requests, newest first", body = Vec<Cancellation>),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:read"]))
)]
pub async fn list_cancellations(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<Cancellation>>, Problem> {
    caller.require("orders:read")?;
    Ok(Json(for_order(&state.db, &number).await?))
}

/// Confirm or decline a cancellation request
///
/// `confirmed` cancels the requested quantities (and the whole order when nothing is
/// left); `declined` lets the order go ahead. Either way the customer gets an e-mail and
/// sees the answer on the order page. Sending the same answer again changes nothing; the
/// other answer to a request already answered is refused (422, `status`
/// `already_decided`).
#[utoipa::path(
    put,
    path = "/api/v1/orders/{number}/cancellations/{id}",
    tag = "orders",
    params(
        ("number" = String, Path, description = "The order number"),
        ("id" = i64, Path, description = "The request's id (`cancellation_id` in the webhook)"),
    ),
    request_body = Decision,
    responses(
        (status = 200, description = "The request with its answer", body = Cancellation),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order or request", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status, or already answered otherwise", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:write"]))
)]
pub async fn put_decision(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, i64)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Cancellation>, Problem> {
    let Path((number, id)) = path?;
    caller.require("orders:write")?;
    let decision: Decision = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(
        decide(&state.db, &state.mail_context(), &number, id, decision).await?,
    ))
}
