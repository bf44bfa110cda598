//! `/account/returns/{code}/label.pdf`: the return label of one of the logged-in
//! customer's returns (sent by carrier) as a PDF, with the code as a barcode.
use app::error::AppError;
use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;
use tower_sessions::Session;

use crate::receipt_pdf::{answered, locale, logged_in_customer, pdf_response};
use crate::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let here = format!("/account/returns/{code}/label.pdf");
    answered(answer(&state, &session, &headers, &code).await, &here)
}

async fn answer(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    code: &str,
) -> Result<Response, AppError> {
    let (user, customer_id) = logged_in_customer(state, session).await?;
    let ret = app::returns::service::my_return(&state.db, customer_id, code).await?;
    let address: Vec<String> = state
        .config
        .return_address
        .split('|')
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let pdf = app::returns::label_pdf::render(
        &ret,
        &state.branding.retailer_name,
        &address,
        locale(headers, user.language),
    );
    // Return codes are letters and digits (we make them).
    Ok(pdf_response(pdf, &format!("label-{}.pdf", ret.code)))
}
