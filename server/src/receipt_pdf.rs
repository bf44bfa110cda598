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

/// The logged-in user and their customer record (none for staff without orders), for
/// what only the customer does themselves (their data download, their photos): refused
/// while a support agent helps a customer in their account. `Unauthorized` without a
/// session.
pub(crate) async fn logged_in_customer(
    state: &AppState,
    session: &Session,
) -> Result<(app::accounts::UserSummary, Option<i64>), AppError> {
    let user = app::accounts::session::current_user(&state.db, session)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if user.acting_for.is_some() {
        return Err(AppError::ReadOnlyWhileHelping);
    }
    let customer_id = app::customers::repo::id_for_user(&state.db, user.id).await?;
    Ok((user, customer_id))
}

/// The request a download answers, for the trail: where it went, from where, with what.
pub(crate) struct Request<'a> {
    pub path: &'a str,
    pub headers: &'a HeaderMap,
    pub client: Option<app::context::ClientAddr>,
}

/// Whose file a download (receipt, label, photo) shows: the logged-in customer's own, or,
/// while a support agent helps a customer in their account, that customer's — the look is
/// recorded in the trail first (`help.viewed`; no file without its record). The user
/// answered is the account shown (its language for the PDF).
pub(crate) async fn customer_shown(
    state: &AppState,
    session: &Session,
    request: &Request<'_>,
) -> Result<(app::accounts::UserSummary, Option<i64>), AppError> {
    let user = app::accounts::session::current_user(&state.db, session)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let Some(helping) = user.acting_for.clone() else {
        let customer_id = app::customers::repo::id_for_user(&state.db, user.id).await?;
        return Ok((user, customer_id));
    };
    let asking = app::accounts::current::Asking::helping_in(&state.db, user, &helping).await?;
    let entry = app::accounts::current::audit_entry_from(
        &asking,
        "help.viewed",
        None,
        serde_json::json!({ "page": request.path }),
        request
            .client
            .map(|c| c.0.to_string())
            .unwrap_or_else(|| "unknown".into()),
        app::audit::service::browser_of(request.headers),
    );
    app::audit::service::record(&state.db, &state.audit_key, &entry).await?;
    Ok((asking.account, asking.subject))
}

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    client: Option<axum::Extension<app::context::ClientAddr>>,
    Path(number): Path<String>,
) -> Response {
    let here = format!("/account/orders/{number}/receipt.pdf");
    let request = Request {
        path: &here,
        headers: &headers,
        client: client.map(|axum::Extension(c)| c),
    };
    answered(answer(&state, &session, &request, &number).await, &here)
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
        Err(AppError::ReadOnlyWhileHelping) => (
            StatusCode::FORBIDDEN,
            "Not while you help a customer in their account / \
             niet terwijl je een klant helpt in het account",
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "download failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn answer(
    state: &AppState,
    session: &Session,
    request: &Request<'_>,
    number: &str,
) -> Result<Response, AppError> {
    let (user, customer_id) = customer_shown(state, session, request).await?;
    let (_, order) =
        app::orders::service::own_with_shipments(&state.db, customer_id, number).await?;
    let locale = locale(request.headers, user.language);
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
