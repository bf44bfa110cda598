//! What a server function may ask of the request it serves: plain accessors, no domain
//! area (who is asking lives in `accounts::current`). The server puts these in the
//! Leptos context for every page render and server-function call (see server/src/router.rs).
use leptos::prelude::use_context;

use crate::db::Db;
use crate::error::AppError;

/// The database of this request.
#[track_caller]
pub fn db() -> Result<Db, AppError> {
    let caller = std::panic::Location::caller();
    use_context::<Db>().ok_or_else(|| {
        tracing::error!(%caller, "no database in the request context");
        AppError::Internal
    })
}

/// Sets the HTTP status of the page or server-function response being rendered.
pub fn set_status(status: u16) {
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
}

/// Gives a server function's error response its HTTP status (401, 422, …). Not for a
/// form posted without JavaScript: that gets a redirect back to the form, with the error
/// in the address, and a status here would replace the redirect.
pub fn set_error_status(err: &AppError) {
    let plain_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    });
    if !plain_form_post {
        set_status(err.status_code());
    }
}

/// A server function's result, with its error status set on the response (see
/// [`set_error_status`]).
pub fn answered<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        set_error_status(err);
    }
    result
}

/// The session of this request (tower-sessions, stored in the database).
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "no session layer");
            AppError::Internal
        })
}

/// The client's address as the server worked it out (behind trusted proxies, the address
/// they forwarded; see server/src/client_addr.rs), in the request's extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// The address the request came from, for throttling and records.
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<ClientAddr>()
                .map(|addr| addr.0.to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// The browser's own description (`User-Agent`), cut to 300 characters, for records.
pub fn user_agent() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect())
    })
}

/// The address customers use (`PUBLIC_URL`), for links in mails.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub String);

/// The webshop's "add to basket" address with `{items}` (`SHOP_BASKET_URL`), where
/// "buy again" sends consumers; `None` when the retailer has not set one.
#[derive(Clone, Debug, Default)]
pub struct ShopBasketUrl(pub Option<String>);

/// The configured basket address, if any.
pub fn shop_basket_url() -> Option<String> {
    use_context::<ShopBasketUrl>().and_then(|u| u.0)
}

/// What account mails need: links to this site, the retailer's name and colour.
pub fn mail_context() -> Result<crate::mail::MailContext, AppError> {
    let branding = crate::branding::Branding::current();
    let public_url = use_context::<PublicUrl>().ok_or_else(|| {
        tracing::error!("no public URL in the request context");
        AppError::Internal
    })?;
    Ok(crate::mail::MailContext {
        public_url: public_url.0,
        retailer: branding.retailer_name,
        brand_colour: branding.brand_colour,
    })
}
