//! `/account/returns/{code}/label.pdf`: the return label of one of the logged-in
//! customer's returns (sent by carrier) as a PDF, with the code as a barcode.
use app::error::AppError;
use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;
use tower_sessions::Session;

use crate::receipt_pdf::{Request, answered, customer_shown, locale, pdf_response};
use crate::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    client: Option<axum::Extension<app::context::ClientAddr>>,
    Path(code): Path<String>,
) -> Response {
    let here = format!("/account/returns/{code}/label.pdf");
    let request = Request {
        path: &here,
        headers: &headers,
        client: client.map(|axum::Extension(c)| c),
    };
    answered(answer(&state, &session, &request, &code).await, &here)
}

async fn answer(
    state: &AppState,
    session: &Session,
    request: &Request<'_>,
    code: &str,
) -> Result<Response, AppError> {
    let (user, customer_id) = customer_shown(state, session, request).await?;
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
        locale(request.headers, user.language),
    );
    // Return codes are letters and digits (we make them).
    Ok(pdf_response(pdf, &format!("label-{}.pdf", ret.code)))
}
