//! `/api/v1/customers/{id}/consents`: consents given or withdrawn at the till, in a store
//! or by phone, recorded with the same proof as the portal's; and the state now.
use app::privacy::service::{ConsentState, ConsentsInput, record_from_back_office, states_of};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Record consents given elsewhere
///
/// Each entry agrees to (or withdraws from) the newest text version of a purpose, in a
/// language, for one channel. All entries are recorded or none. A change given earlier
/// than the one the portal already holds goes into the history without replacing it.
/// The back office hears of each change as `customer.consent_changed`.
#[utoipa::path(
    put,
    path = "/api/v1/customers/{id}/consents",
    tag = "customers",
    params(("id" = String, Path, description = "The retailer's customer number")),
    request_body = ConsentsInput,
    responses(
        (status = 200, description = "The customer's consents now", body = Vec<ConsentState>),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope customers:write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (e.g. consents[0].text_version: text_changed)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["customers:write"]))
)]
pub async fn put_consents(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Vec<ConsentState>>, Problem> {
    caller.require("customers:write")?;
    let input: ConsentsInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(record_from_back_office(&state.db, &id, input).await?))
}

/// Read a customer's consents
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/consents",
    tag = "customers",
    params(("id" = String, Path, description = "The retailer's customer number")),
    responses(
        (status = 200, description = "Every purpose and channel the customer ever chose for; granted says whether it counts now", body = Vec<ConsentState>),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope customers:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["customers:read"]))
)]
pub async fn get_consents(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ConsentState>>, Problem> {
    caller.require("customers:read")?;
    Ok(Json(states_of(&state.db, &id).await?))
}
