//! Photos of damage on a return line, as plain HTML forms (`multipart/form-data`) so they
//! work without JavaScript:
//! - `POST /account/returns/{code}/lines/{line}/photos` (field `photo`): the customer adds
//!   one to a line (the line is in the path: known even when the body is refused);
//! - `POST /account/returns/{code}/photos/{id}/delete`: the customer removes one;
//! - `GET /account/returns/{code}/photos/{id}` and `GET /store/returns/{code}/photos/{id}`:
//!   the photo, for the customer and for store staff at any desk.
//!
//! Each form answers with a redirect back to the return's page (303), with either
//! `?photo=added` or `?photo_error=<code>&line=<n>` so the page shows the message next to
//! that line's field. Nothing else on the return changes when an upload is refused.
use app::accounts::Role;
use app::error::AppError;
use app::returns::photos::{self, Viewer};
use app::returns::service::Actor;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use http::HeaderValue;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use tower_sessions::Session;

use crate::receipt_pdf::{Request, answered, customer_shown, logged_in_customer};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/account/returns/{code}/lines/{line}/photos",
            // Room for the largest photo plus the form's other fields.
            post(upload).layer(DefaultBodyLimit::max(photos::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/account/returns/{code}/photos/{id}", get(customer_photo))
        .route("/account/returns/{code}/photos/{id}/delete", post(remove))
        .route("/store/returns/{code}/photos/{id}", get(desk_photo))
}

fn return_page(code: &str) -> String {
    // Codes are letters and digits; anything else in the path is dropped, not echoed.
    let safe: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("/account/returns/{safe}")
}

/// A form's outcome as a redirect to the return's page.
fn back(code: &str, line: Option<i32>, result: Result<&str, AppError>) -> Response {
    let page = return_page(code);
    let anchor = line.map(|l| format!("#line-{l}")).unwrap_or_default();
    match result {
        Ok(done) => Redirect::to(&format!("{page}?photo={done}{anchor}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let code = errors.first().map_or("invalid", |e| e.code.as_str());
            let line = line.map(|l| format!("&line={l}")).unwrap_or_default();
            Redirect::to(&format!("{page}?photo_error={code}{line}{anchor}")).into_response()
        }
        Err(err) => answered(Err(err), &page),
    }
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path((code, line)): Path<(String, i32)>,
    form: Multipart,
) -> Response {
    let result = async {
        // Who is asking, and may they add a photo here? Before a byte of the body is read.
        let (user, customer_id) = logged_in_customer(&state, &session).await?;
        let viewer = Viewer::Customer(customer_id);
        photos::may_add(&state.db, viewer, &code, line).await?;
        let bytes = match read_photo(form).await {
            Some(Ok(bytes)) => bytes,
            Some(Err(())) => return Err(AppError::invalid(format!("photo[{line}]"), "too_large")),
            None => Vec::new(),
        };
        let actor = Actor {
            user_id: Some(user.id),
            role: app::accounts::Role::Customer,
            store_id: None,
        };
        photos::add(&state.db, actor, viewer, &code, line, bytes)
            .await
            .map(|_| "added")
    }
    .await;
    back(&code, Some(line), result)
}

/// The `photo` field of the form: `None` without one, `Err` when it is over the body
/// limit (or the connection broke).
async fn read_photo(mut form: Multipart) -> Option<Result<Vec<u8>, ()>> {
    let mut upload = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => {
                upload = Some(field.bytes().await.map(|b| b.to_vec()).map_err(|_| ()));
            }
            Ok(Some(_)) => {}
            Ok(None) => return upload,
            Err(_) => return Some(Err(())),
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    session: Session,
    Path((code, id)): Path<(String, i64)>,
) -> Response {
    let result = async {
        let (user, customer_id) = logged_in_customer(&state, &session).await?;
        let actor = Actor {
            user_id: Some(user.id),
            role: app::accounts::Role::Customer,
            store_id: None,
        };
        photos::remove(&state.db, actor, Viewer::Customer(customer_id), &code, id)
            .await
            .map(|_| "removed")
    }
    .await;
    back(&code, None, result)
}

fn jpeg(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // A photo never changes under its id; only this browser may keep it.
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400, immutable"),
    );
    response
}

async fn customer_photo(
    State(state): State<AppState>,
    session: Session,
    headers: http::HeaderMap,
    client: Option<axum::Extension<app::context::ClientAddr>>,
    Path((code, id)): Path<(String, i64)>,
) -> Response {
    let result = async {
        let path = format!("{}/photos/{id}", return_page(&code));
        let request = Request {
            path: &path,
            headers: &headers,
            client: client.map(|axum::Extension(c)| c),
        };
        let (_, customer_id) = customer_shown(&state, &session, &request).await?;
        photos::bytes(&state.db, Viewer::Customer(customer_id), &code, id)
            .await
            .map(jpeg)
    }
    .await;
    answered(result, &return_page(&code))
}

async fn desk_photo(
    State(state): State<AppState>,
    session: Session,
    Path((code, id)): Path<(String, i64)>,
) -> Response {
    let result = async {
        let user = app::accounts::session::current_user(&state.db, &session)
            .await?
            .ok_or(AppError::Unauthorized)?;
        if app::accounts::current::has_role(&user, &[Role::StoreStaff, Role::Admin]).is_err() {
            return Err(AppError::NotFound);
        }
        photos::bytes(&state.db, Viewer::Staff, &code, id)
            .await
            .map(jpeg)
    }
    .await;
    answered(result, &format!("/store/returns/{code}"))
}
