//! Server functions of the accounts area.
use leptos::prelude::*;

use super::UserSummary;
use crate::error::AppError;

/// Logs in with e-mail and password. On success the browser goes to `next` (a local path),
/// or to the account overview.
#[server(prefix = "/api/fn", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    remember: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::service::{self, LoginError};
    use crate::context;

    let db = context::db()?;
    let session = context::session().await?;
    let ip = context::client_ip();
    let refused = |retry_minutes: Option<i64>| AppError::LoginRefused {
        email: email.trim().to_string(),
        retry_minutes,
    };
    let result = match service::authenticate(&db, &email, &password, &ip).await {
        Ok(ok) => {
            super::session::start(
                &session,
                &ok.user,
                ok.session_generation,
                remember.is_some(),
            )
            .await?;
            // Back where they were, else where their work starts: customer service at
            // the customer search, everyone else at their own overview.
            let target = match next.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                Some(next) => crate::navigation::safe_next(Some(next)),
                None if ok.user.roles.contains(&super::Role::SupportAgent) => {
                    "/service/customers".to_string()
                }
                None => "/account".to_string(),
            };
            leptos_axum::redirect(&target);
            Ok(())
        }
        Err(LoginError::BadCredentials) => Err(refused(None)),
        Err(LoginError::Throttled { minutes }) => Err(refused(Some(minutes))),
        Err(LoginError::Failed(err)) => Err(err),
    };
    if let Err(err) = &result {
        context::set_error_status(err);
    }
    result
}

/// Logs out: the session ends on the server.
#[server(prefix = "/api/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let session = crate::context::session().await?;
    super::session::end(&session).await?;
    // The browser forgets what it kept of this account too (the loyalty card kept for
    // offline use, cached pages): the next person on this device sees nothing of it.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::HeaderName::from_static("clear-site-data"),
            http::HeaderValue::from_static("\"cache\", \"storage\""),
        );
    }
    leptos_axum::redirect("/");
    Ok(())
}

/// Who is logged in, for the header and the pages.
#[server(prefix = "/api/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    crate::accounts::current::current_user().await
}

/// Creates a customer account and sends the verification mail. The answer is the same
/// whether or not the address already had an account.
#[server(prefix = "/api/fn", endpoint = "register")]
pub async fn register(
    name: String,
    email: String,
    password: String,
    language: String,
) -> Result<(), AppError> {
    use crate::context;
    use crate::language::Language;

    let db = context::db()?;
    let ctx = context::mail_context()?;
    let registration = super::service::Registration {
        email: email.clone(),
        name: name.clone(),
        language: Language::parse(&language).unwrap_or_default(),
        password,
    };
    let result = super::service::register(&db, &ctx, registration, &context::client_ip()).await;
    match result {
        Ok(()) => {
            leptos_axum::redirect("/register/sent");
            Ok(())
        }
        Err(err) => {
            let err = err.keeping(vec![
                ("name".into(), name),
                ("email".into(), email),
                ("language".into(), language),
            ]);
            context::set_error_status(&err);
            Err(err)
        }
    }
}

/// Confirms an e-mail address with the token from the verification mail.
#[server(prefix = "/api/fn", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<super::VerifyOutcome, AppError> {
    let db = crate::context::db()?;
    super::service::verify_email(&db, &token).await
}

/// Sends a password-reset link when the address has an account; the same answer either way.
#[server(prefix = "/api/fn", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::context;
    let db = context::db()?;
    let ctx = context::mail_context()?;
    let checked = super::service::check_reset_request(&email).and_then(|()| {
        // A few requests per client address: each may send a mail.
        if crate::limits::allow(crate::limits::Limit::ResetPerClient, &context::client_ip()) {
            Ok(())
        } else {
            Err(AppError::invalid("email", "too_many_tries"))
        }
    });
    if let Err(err) = checked {
        let err = err.keeping(vec![("email".into(), email)]);
        context::set_error_status(&err);
        return Err(err);
    }
    // The work (look-up, token, mail) happens after the answer, so the answer takes as
    // long whether or not the address has an account.
    tokio::spawn(async move {
        if let Err(err) = super::service::request_password_reset(&db, &ctx, &email).await {
            tracing::error!(error = %err, "password reset request failed");
        }
    });
    leptos_axum::redirect("/forgot-password/sent");
    Ok(())
}

/// Whether a reset link still works (the page shows the form or an explanation).
#[server(prefix = "/api/fn", endpoint = "reset_link_usable")]
pub async fn reset_link_usable(token: String) -> Result<bool, AppError> {
    let db = crate::context::db()?;
    super::service::reset_token_usable(&db, &token).await
}

/// Sets a new password with a reset link, ends every other session and logs in here.
#[server(prefix = "/api/fn", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::context;
    let db = context::db()?;
    let ctx = context::mail_context()?;
    let session = context::session().await?;
    match super::service::reset_password(&db, &ctx, &token, &password).await {
        Ok(ok) => {
            super::session::start(&session, &ok.user, ok.session_generation, false).await?;
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(err) => {
            context::set_error_status(&err);
            Err(err)
        }
    }
}
