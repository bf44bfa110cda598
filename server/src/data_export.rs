//! `GET /account/privacy/export/{code}`: the customer's "Download my data" ZIP, streamed
//! part by part from the database (any server process can serve it; memory stays flat).
//! Only the user who asked it may have it, logged in as themself: without a session the
//! browser is sent to log in first (back here after); anyone else's or an unknown code is
//! 404; an expired or unfinished one goes back to the privacy page with the reason.
use app::error::AppError;
use app::privacy::export::service;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue};
use tower_sessions::Session;

use crate::receipt_pdf::{answered, logged_in_customer};
use crate::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    client: Option<Extension<app::context::ClientAddr>>,
    Path(code): Path<String>,
) -> Response {
    // Codes are hex; anything else in the path is dropped, not echoed.
    let code: String = code.chars().filter(char::is_ascii_hexdigit).collect();
    let here = app::privacy::export::download_path(&code);
    let ip = client
        .map(|Extension(c)| c.0.to_string())
        .unwrap_or_default();
    let user_agent = headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
    let origin = app::privacy::service::Origin {
        ip: &ip,
        user_agent,
    };
    match answer(&state, &session, &code, &origin).await {
        Err(AppError::Invalid(errors)) => {
            let why = errors.first().map_or("expired", |e| e.code.as_str());
            Redirect::to(&format!("/account/privacy?export_error={why}#export")).into_response()
        }
        other => answered(other, &here),
    }
}

async fn answer(
    state: &AppState,
    session: &Session,
    code: &str,
    origin: &app::privacy::service::Origin<'_>,
) -> Result<Response, AppError> {
    let (user, customer_id) = logged_in_customer(state, session).await?;
    let export = service::for_download(&state.db, &user, customer_id, code, origin).await?;
    let db = state.db.clone();
    let (id, parts) = (export.id, export.parts);
    // One part (at most 256 KiB) in memory at a time.
    let stream = futures_util::stream::unfold(0, move |seq| {
        let db = db.clone();
        async move {
            if seq >= parts {
                return None;
            }
            let part = match app::privacy::export::repo::part(&db, id, seq).await {
                Ok(Some(bytes)) => Ok(bytes),
                Ok(None) => Err(std::io::Error::other("export part missing")),
                Err(err) => Err(std::io::Error::other(err)),
            };
            if let Err(err) = &part {
                tracing::error!(error = %err, "export download broke off");
            }
            Some((part, seq + 1))
        }
    });
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Some(size) = export.size_bytes
        && let Ok(value) = HeaderValue::from_str(&size.to_string())
    {
        h.insert(CONTENT_LENGTH, value);
    }
    let name = service::file_name(&export);
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
