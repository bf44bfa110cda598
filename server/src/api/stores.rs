//! `PUT /api/v1/stores/{code}`: create or update a store (idempotent by its code).
use app::stores::Store;
use app::stores::service::{StoreInput, upsert_store};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or update a store
///
/// Idempotent by the store's code: sending the same store twice changes nothing more.
#[utoipa::path(
    put,
    path = "/api/v1/stores/{code}",
    tag = "stores",
    params(("code" = String, Path, description = "The retailer's own code for the store, e.g. UTR")),
    request_body = StoreInput,
    responses(
        (status = 200, description = "The store as stored", body = Store),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope stores:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["stores:write"]))
)]
pub async fn put_store(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Store>, Problem> {
    caller.require("stores:write")?;
    let input: StoreInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_store(&state.db, &code, input).await?))
}
