//! `/api/v1/orders/{number}/reorders`: B2B buyers' reorder requests ("buy again"), which
//! the back office also receives as the `order.reorder_requested` webhook, and its answer;
//! `/api/v1/order-requests/{id}`: the answer to a quick order or an order list
//! (`order.requested`).
use app::reorders::Reorder;
use app::reorders::service::{ReorderDecision, decide, for_order};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// List an order's reorder requests, newest first
#[utoipa::path(
    get,
    path = "/api/v1/orders/{number}/reorders",
    tag = "orders",
    params(("number" = String, Path, description = "The order that is to be ordered again")),
    responses(
        (status = 200, description = "The requests, newest first", body = Vec<Reorder>),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:read"]))
)]
pub async fn list_reorders(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<Reorder>>, Problem> {
    caller.require("orders:read")?;
    Ok(Json(for_order(&state.db, &number).await?))
}

/// Answer a reorder request
///
/// `placed` with `order`, the number of the order placed for it (send that order with
/// `PUT /api/v1/orders/{number}` too, so it shows in the buyer's history); `declined`
/// with a `note` saying why. The buyer sees the answer on the original order. The same
/// answer again changes nothing; another answer to a request already answered is
/// refused (422, `status` `already_decided`).
#[utoipa::path(
    put,
    path = "/api/v1/orders/{number}/reorders/{id}",
    tag = "orders",
    params(
        ("number" = String, Path, description = "The order that is to be ordered again"),
        ("id" = i64, Path, description = "The request's id (`reorder_id` in the webhook)"),
    ),
    request_body = ReorderDecision,
    responses(
        (status = 200, description = "The request with its answer", body = Reorder),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order or request", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status, missing order number, or already answered otherwise", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:write"]))
)]
pub async fn put_reorder_decision(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, i64)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Reorder>, Problem> {
    let Path((number, id)) = path?;
    caller.require("orders:write")?;
    let decision: ReorderDecision = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(decide(&state.db, Some(&number), id, decision).await?))
}

/// Answer an order request (quick order or order list)
///
/// The answer to the `order.requested` webhook (a quick order or an order list of a B2B
/// buyer: no earlier order; `order` is `null`), and to any reorder request by its id as
/// well. `placed` with `order`, the number of the order placed for it (send that order
/// with `PUT /api/v1/orders/{number}` too); `declined` with a `note` saying why. The
/// buyer sees the answer in the portal. The same answer again changes nothing; another
/// answer to a request already answered is refused (422, `status` `already_decided`), as
/// is an answer to a request still waiting for the company's approver (422, `status`
/// `awaiting_approval`).
#[utoipa::path(
    put,
    path = "/api/v1/order-requests/{id}",
    tag = "orders",
    params(("id" = i64, Path, description = "The request's id (`reorder_id` in the webhook)")),
    request_body = ReorderDecision,
    responses(
        (status = 200, description = "The request with its answer", body = Reorder),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status, missing order number, waiting for approval, or already answered otherwise", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:write"]))
)]
pub async fn put_order_request_decision(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Reorder>, Problem> {
    let Path(id) = path?;
    caller.require("orders:write")?;
    let decision: ReorderDecision = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(decide(&state.db, None, id, decision).await?))
}
