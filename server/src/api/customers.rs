//! `/api/v1/customers/{id}`: create/update a customer; read one with their orders.
use app::customers::Customer;
use app::customers::service::{CustomerInput, upsert_customer};
use app::orders::OrderSummary;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or update a customer
///
/// Idempotent by the customer number. A customer whose e-mail address belongs to a
/// verified portal account is linked to it; store purchases with their loyalty card
/// become theirs.
#[utoipa::path(
    put,
    path = "/api/v1/customers/{id}",
    tag = "customers",
    params(("id" = String, Path, description = "The retailer's customer number")),
    request_body = CustomerInput,
    responses(
        (status = 200, description = "The customer as stored", body = Customer),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope customers:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (e.g. loyalty_card taken)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["customers:write"]))
)]
pub async fn put_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Customer>, Problem> {
    caller.require("customers:write")?;
    let input: CustomerInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_customer(&state.db, &id, input).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// How many of the newest orders to include (1-500, default 50).
    pub orders_limit: Option<i64>,
}

/// A customer with their newest orders.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CustomerRecord {
    pub customer: Customer,
    /// Newest first, from every channel.
    pub orders: Vec<OrderSummary>,
    /// How many orders the customer has in all.
    pub order_count: i64,
}

/// Read a customer with their orders
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}",
    tag = "customers",
    params(("id" = String, Path, description = "The retailer's customer number"), CustomerQuery),
    responses(
        (status = 200, description = "The customer and their newest orders", body = CustomerRecord),
        (status = 400, description = "orders_limit is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope customers:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["customers:read"]))
)]
pub async fn get_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<CustomerQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CustomerRecord>, Problem> {
    let Query(query) = query?;
    caller.require("customers:read")?;
    let (customer, orders, order_count) = app::orders::service::customer_with_orders(
        &state.db,
        &id,
        query.orders_limit.unwrap_or(50),
    )
    .await?;
    Ok(Json(CustomerRecord {
        customer,
        orders,
        order_count,
    }))
}
