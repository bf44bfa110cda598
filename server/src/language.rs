//! `/language/{code}?next=/path`: the language switch for browsers without JavaScript.
//! It stores the choice in the cookie leptos_i18n reads on every request and sends the
//! visitor back to the page they were on.
use app::navigation::safe_next;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use http::header::SET_COOKIE;
use http::{HeaderValue, StatusCode};
use serde::Deserialize;

/// The cookie leptos_i18n uses to remember the chosen language.
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";
pub const SUPPORTED: &[&str] = &["nl", "en"];

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

pub async fn switch_language(
    Path(code): Path<String>,
    Query(query): Query<SwitchQuery>,
) -> Response {
    if !SUPPORTED.contains(&code.as_str()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let target = safe_next(query.next.as_deref());
    let mut res = Redirect::to(&target).into_response();
    let cookie = format!("{LANGUAGE_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(SET_COOKIE, value);
    }
    res
}
