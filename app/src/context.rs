//! What a server function may ask of the request it serves. The server puts these in the
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

/// The address the request came from, for throttling. Behind a reverse proxy this is the
/// proxy (see the note in README).
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// What one request has already worked out about who is asking: a page asks several
/// times (the header, the page's own data), and each answer costs database queries. The
/// server provides a fresh one per request; logging in or out forgets it.
#[derive(Clone, Default)]
pub struct RequestCache {
    /// `Some(answer)` once known; `answer` is the user (if logged in) and their customer id.
    who: std::sync::Arc<tokio::sync::Mutex<Option<Who>>>,
}

type Who = (Option<crate::accounts::UserSummary>, Option<Option<i64>>);

/// Forgets who this request belongs to (after logging in or out). When the answer is
/// being worked out right now (an expired session ends while it is read), that answer
/// is the new one anyway, so the lock is not waited for.
pub fn forget_current_user() {
    if let Some(cache) = use_context::<RequestCache>()
        && let Ok(mut who) = cache.who.try_lock()
    {
        *who = None;
    }
}

/// The logged-in user of this request, if any.
pub async fn current_user() -> Result<Option<crate::accounts::UserSummary>, AppError> {
    let Some(cache) = use_context::<RequestCache>() else {
        return load_current_user().await;
    };
    // Held while loading: parts of the page asking at the same time wait for one answer.
    let mut who = cache.who.lock().await;
    if let Some((user, _)) = &*who {
        return Ok(user.clone());
    }
    let user = load_current_user().await?;
    *who = Some((user.clone(), None));
    Ok(user)
}

/// The logged-in user; `Unauthorized` when nobody is logged in.
pub async fn logged_in_user() -> Result<crate::accounts::UserSummary, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The logged-in user, if they have one of these roles; `Forbidden` otherwise.
pub async fn user_with_role(
    roles: &[crate::accounts::Role],
) -> Result<crate::accounts::UserSummary, AppError> {
    let user = logged_in_user().await?;
    if user.roles.iter().any(|r| roles.contains(r)) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn load_current_user() -> Result<Option<crate::accounts::UserSummary>, AppError> {
    let db = db()?;
    let session = session().await?;
    crate::accounts::session::current_user(&db, &session).await
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
pub fn mail_context() -> Result<crate::accounts::mails::MailContext, AppError> {
    let branding = crate::branding::Branding::current();
    let public_url = use_context::<PublicUrl>().ok_or_else(|| {
        tracing::error!("no public URL in the request context");
        AppError::Internal
    })?;
    Ok(crate::accounts::mails::MailContext {
        public_url: public_url.0,
        retailer: branding.retailer_name,
        brand_colour: branding.brand_colour,
    })
}

/// The logged-in user and the customer linked to them (`None` until the retailer's data
/// knows them). `Unauthorized` when nobody is logged in.
pub async fn current_customer() -> Result<(crate::accounts::UserSummary, Option<i64>), AppError> {
    let user = logged_in_user().await?;
    let Some(cache) = use_context::<RequestCache>() else {
        let customer_id = crate::customers::repo::id_for_user(&db()?, user.id).await?;
        return Ok((user, customer_id));
    };
    let mut who = cache.who.lock().await;
    if let Some((Some(known), Some(customer_id))) = &*who
        && known.id == user.id
    {
        return Ok((user, *customer_id));
    }
    let customer_id = crate::customers::repo::id_for_user(&db()?, user.id).await?;
    *who = Some((Some(user.clone()), Some(customer_id)));
    Ok((user, customer_id))
}
