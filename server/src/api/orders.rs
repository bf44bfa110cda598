//! `/api/v1/orders/{number}`: orders from any channel, store receipts included.
use app::error::AppError;
use app::orders::Order;
use app::orders::service::{OrderInput, find_order, upsert_order};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or update an order (any channel)
///
/// Idempotent by the order number. A store purchase names its `store` and may carry the
/// till slip's `receipt`; with a `loyalty_card` or `email` of a known customer it becomes
/// theirs, otherwise the customer can claim it later with the receipt code. Lines refer
/// to products by SKU. All of it is stored, or (on any error) nothing. When the customer
/// saved advice of a product advisor in the 90 days before and the order holds an advised
/// product (any size), that advice is linked to the order.
#[utoipa::path(
    put,
    path = "/api/v1/orders/{number}",
    tag = "orders",
    params(("number" = String, Path, description = "The order number the customer sees")),
    request_body = OrderInput,
    responses(
        (status = 200, description = "The order as stored", body = Order),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: unknown SKU, negative quantity, currency mismatch, …", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:write"]))
)]
pub async fn put_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Order>, Problem> {
    caller.require("orders:write")?;
    let input: OrderInput = parse_json(&body.map_err(Problem::from)?)?;
    let order = upsert_order(&state.db, &number, input).await?;
    // Advice that led to this purchase is linked to it (for the customer's advice page and
    // the retailer's insights). The order is stored either way: a failure here is logged.
    if let Err(err) = app::advisor::service::link_order(&state.db, &order.number).await {
        tracing::error!(error = ?err, order = %order.number, "could not link advice to the order");
    }
    Ok(Json(order))
}

/// Read an order with its lines, receipt, shipments and carrier events
#[utoipa::path(
    get,
    path = "/api/v1/orders/{number}",
    tag = "orders",
    params(("number" = String, Path, description = "The order number")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:read"]))
)]
pub async fn get_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<Order>, Problem> {
    caller.require("orders:read")?;
    Ok(Json(
        find_order(&state.db, &number)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}
