//! `PUT /api/v1/companies/{id}`: create or update a B2B company and its members.
use app::companies::Company;
use app::companies::service::{CompanyInput, upsert_company};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or update a B2B company
///
/// Idempotent by the company id. With `members`, the company's buyers become exactly
/// those customers (send the customers first).
#[utoipa::path(
    put,
    path = "/api/v1/companies/{id}",
    tag = "companies",
    params(("id" = String, Path, description = "The retailer's id for the company")),
    request_body = CompanyInput,
    responses(
        (status = 200, description = "The company as stored", body = Company),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope companies:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (e.g. unknown member)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["companies:write"]))
)]
pub async fn put_company(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Company>, Problem> {
    caller.require("companies:write")?;
    let input: CompanyInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_company(&state.db, &id, input).await?))
}
