//! `PUT /api/v1/products/{sku}`: create or update a product.
use app::catalog::Product;
use app::catalog::service::{ProductInput, upsert_product};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or update a product
///
/// Idempotent by SKU. Order lines refer to products by SKU, so send products first.
#[utoipa::path(
    put,
    path = "/api/v1/products/{sku}",
    tag = "products",
    params(("sku" = String, Path, description = "The stock keeping unit")),
    request_body = ProductInput,
    responses(
        (status = 200, description = "The product as stored", body = Product),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope products:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["products:write"]))
)]
pub async fn put_product(
    State(state): State<AppState>,
    caller: Caller,
    Path(sku): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Product>, Problem> {
    caller.require("products:write")?;
    let input: ProductInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_product(&state.db, &sku, input).await?))
}
