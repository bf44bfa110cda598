//! `/api/v1/invoices/{number}`: the invoices of B2B companies, from the back office; the
//! company's members see them (and their PDFs) in the portal.
use app::company_orders::Invoice;
use app::company_orders::invoices::{InvoiceInput, find, upsert_invoice};
use app::error::AppError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

/// Create or replace an invoice
///
/// Idempotent by the invoice number. Send the PDF (`pdf`, base64, at most 700 KB: the
/// body may be 1 MiB) or its `lines` (the portal makes a PDF of them), or both. The
/// company's members see it under the company's orders and invoices.
#[utoipa::path(
    put,
    path = "/api/v1/invoices/{number}",
    tag = "companies",
    params(("number" = String, Path, description = "The invoice number")),
    request_body = InvoiceInput,
    responses(
        (status = 200, description = "The invoice as stored", body = Invoice),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:write", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (e.g. unknown company, lines not adding up)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:write"]))
)]
pub async fn put_invoice(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Invoice>, Problem> {
    let Path(number) = path?;
    caller.require("orders:write")?;
    let input: InvoiceInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_invoice(&state.db, &number, input).await?))
}

/// One invoice
#[utoipa::path(
    get,
    path = "/api/v1/invoices/{number}",
    tag = "companies",
    params(("number" = String, Path, description = "The invoice number")),
    responses(
        (status = 200, description = "The invoice", body = Invoice),
        (status = 401, description = "Missing, unknown or revoked key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks scope orders:read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit reached; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = ["orders:read"]))
)]
pub async fn get_invoice(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Invoice>, Problem> {
    let Path(number) = path?;
    caller.require("orders:read")?;
    Ok(Json(
        find(&state.db, &number).await?.ok_or(AppError::NotFound)?,
    ))
}
