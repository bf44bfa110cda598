//! `/account/orders/{number}/receipt.pdf`: the receipt / invoice of one of the logged-in
//! customer's orders as a PDF download. Anyone else's order number is 404, like one that
//! does not exist; without a session the browser is sent to log in first.
use app::error::AppError;
use app::i18n::Locale;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use tower_sessions::Session;

use crate::language::LANGUAGE_COOKIE;
use crate::state::AppState;

/// The language the visitor browses in (the language switch's cookie), else their own.
pub(crate) fn locale(headers: &HeaderMap, preferred: app::accounts::Language) -> Locale {
    let chosen = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANGUAGE_COOKIE)
        .map(|(_, value)| value.to_string());
    match chosen.as_deref().unwrap_or(preferred.as_str()) {
        "en" => Locale::en,
        _ => Locale::nl,
    }
}

/// The logged-in user and their customer record (none for staff without orders);
/// `Unauthorized` without a session.
pub(crate) async fn logged_in_customer(
    state: &AppState,
    session: &Session,
) -> Result<(app::accounts::UserSummary, Option<i64>), AppError> {
    let user = app::accounts::session::current_user(&state.db, session)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let customer_id = app::customers::repo::id_for_user(&state.db, user.id).await?;
    Ok((user, customer_id))
}

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let here = format!("/account/orders/{number}/receipt.pdf");
    answered(answer(&state, &session, &headers, &number).await, &here)
}

/// The response for a download's outcome (PDF, photo): the file, "log in first" (back here after),
/// or 404 (someone else's, or nothing at all: the same answer).
pub(crate) fn answered(result: Result<Response, AppError>, here: &str) -> Response {
    match result {
        Ok(response) => response,
        Err(AppError::Unauthorized) => {
            let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
            Redirect::to(&format!("/login?next={next}")).into_response()
        }
        Err(AppError::NotFound) => {
            (StatusCode::NOT_FOUND, "Not found / niet gevonden").into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "download failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn answer(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    number: &str,
) -> Result<Response, AppError> {
    let (user, customer_id) = logged_in_customer(state, session).await?;
    let (_, order) =
        app::orders::service::own_with_shipments(&state.db, customer_id, number).await?;
    let locale = locale(headers, user.language);
    let placed_local = app::time::local_time(order.placed_at);
    let pdf = app::orders::receipt_pdf::render(
        &order,
        &placed_local,
        &state.branding.retailer_name,
        locale,
    );
    let prefix = match locale {
        Locale::nl => "bon",
        Locale::en => "receipt",
    };
    // Order numbers are letters, digits and dashes (checked when stored); keep it so.
    let safe: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok(pdf_response(pdf, &format!("{prefix}-{safe}.pdf")))
}

/// A PDF shown in the browser (and saved under `filename`), never cached by others.
pub(crate) fn pdf_response(pdf: Vec<u8>, filename: &str) -> Response {
    let mut response = pdf.into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        h.insert(CONTENT_DISPOSITION, value);
    }
    response
}
