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
            let next = next
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| crate::navigation::safe_next(Some(n)));
            if super::two_factor_repo::is_enrolled(&db, ok.user.id).await? {
                // Not logged in yet: the code from their app comes first.
                super::session::await_second_factor(
                    &session,
                    ok.user.id,
                    ok.session_generation,
                    remember.is_some(),
                    next.unwrap_or_default(),
                )
                .await?;
                leptos_axum::redirect("/login/code");
                return Ok(());
            }
            super::session::start(
                &session,
                &ok.user,
                ok.session_generation,
                remember.is_some(),
                false,
            )
            .await?;
            // Staff without two-step login set it up before anything else.
            let target = if ok.user.is_staff() {
                "/account/two-factor".to_string()
            } else {
                next.unwrap_or_else(|| landing(&ok.user))
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
    let mut checked = super::service::check_reset_request(&email);
    // A few requests per client address: each may send a mail.
    if checked.is_ok()
        && !crate::limits::allow(
            &db,
            crate::limits::Limit::ResetPerClient,
            &context::client_ip(),
        )
        .await
    {
        checked = Err(AppError::invalid("email", "too_many_tries"));
    }
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
            if super::two_factor_repo::is_enrolled(&db, ok.user.id).await? {
                // The new password is set; the login itself still needs the code.
                super::session::await_second_factor(
                    &session,
                    ok.user.id,
                    ok.session_generation,
                    false,
                    String::new(),
                )
                .await?;
                leptos_axum::redirect("/login/code");
                return Ok(());
            }
            super::session::start(&session, &ok.user, ok.session_generation, false, false).await?;
            leptos_axum::redirect(if ok.user.is_staff() {
                "/account/two-factor"
            } else {
                "/"
            });
            Ok(())
        }
        Err(err) => {
            context::set_error_status(&err);
            Err(err)
        }
    }
}

/// Where a user's work starts after logging in: customer service at the customer search,
/// everyone else at their own overview.
#[cfg(feature = "ssr")]
fn landing(user: &UserSummary) -> String {
    if user.roles.contains(&super::Role::SupportAgent) {
        "/service/customers".to_string()
    } else {
        "/account".to_string()
    }
}

/// The second step of a login: the code from the user's app, or one of their recovery
/// codes. Five wrong codes end the attempt (the password is asked again, and counted).
#[server(prefix = "/api/fn", endpoint = "login_code")]
pub async fn login_code(code: String) -> Result<(), AppError> {
    use crate::context;
    let result = async {
        let db = context::db()?;
        let session = context::session().await?;
        let Some(pending) = super::session::pending_login(&session).await? else {
            return Err(AppError::invalid("code", "login_again"));
        };
        let now = crate::db::Timestamp::now();
        let Some(proof) = super::two_factor::check(&db, pending.user_id, &code, now).await? else {
            return Err(if super::session::wrong_code(&session, pending).await? {
                super::two_factor::wrong_code()
            } else {
                AppError::invalid("code", "login_again")
            });
        };
        let Some((user, roles, _)) = super::repo::find_with_roles(&db, pending.user_id).await?
        else {
            return Err(AppError::invalid("code", "login_again"));
        };
        if user.deactivated || user.session_generation != pending.generation {
            return Err(AppError::invalid("code", "login_again"));
        }
        let mut user = user.summary(roles);
        super::session::start(&session, &user, pending.generation, pending.remember, true).await?;
        user.second_factor = true;
        if proof == super::two_factor::Proof::RecoveryCode && user.is_staff() {
            let asking = staff_asking(&user);
            let left = super::two_factor_repo::recovery_codes_left(&db, user.id).await?;
            let entry = super::current::audit_entry(
                &asking,
                "login.recovery_code_used",
                None,
                serde_json::json!({ "codes_left": left }),
            );
            super::current::record_audit(&db, entry).await;
        }
        let target = if proof == super::two_factor::Proof::RecoveryCode {
            // A phone may be lost: the settings show how many codes are left.
            "/account/two-factor?recovered=1".to_string()
        } else if pending.next.is_empty() {
            landing(&user)
        } else {
            pending.next.clone()
        };
        leptos_axum::redirect(&target);
        Ok(())
    }
    .await;
    if let Err(err) = &result {
        context::set_error_status(err);
    }
    result
}

/// Who is asking, for the trail of a staff member's own settings (not a staff page).
#[cfg(feature = "ssr")]
fn staff_asking(user: &UserSummary) -> super::current::Asking {
    let role = user
        .roles
        .iter()
        .copied()
        .find(|r| *r != super::Role::Customer)
        .unwrap_or(super::Role::Customer);
    super::current::Asking {
        actor: user.clone(),
        subject: None,
        role,
        account: user.clone(),
    }
}

/// The two-step login settings of the logged-in user: whether it is set up, and if not,
/// a secret (kept in the session until confirmed) with its QR code.
#[server(prefix = "/api/fn", endpoint = "two_factor_state")]
pub async fn two_factor_state() -> Result<super::TwoFactorState, AppError> {
    crate::context::answered(two_factor_state_now().await)
}

#[cfg(feature = "ssr")]
async fn two_factor_state_now() -> Result<super::TwoFactorState, AppError> {
    use crate::context;
    let user = super::current::logged_in_user().await?;
    let db = context::db()?;
    let session = context::session().await?;
    let enrolled = super::two_factor_repo::is_enrolled(&db, user.id).await?;
    let new_codes = super::session::take_codes_to_show(&session).await?;
    let setup = if enrolled {
        None
    } else {
        let secret = match super::session::setup_secret(&session).await? {
            Some(secret) => secret,
            None => {
                let secret = super::totp::new_secret();
                super::session::set_setup_secret(&session, Some(&secret)).await?;
                secret
            }
        };
        let issuer = crate::branding::Branding::current().retailer_name;
        let link =
            super::totp::setup_link(&secret, &issuer, &user.email).ok_or(AppError::Internal)?;
        Some(super::TwoFactorSetup {
            secret: super::totp::grouped(&secret),
            qr_svg: crate::codes::qr_svg(&link)?,
        })
    };
    let codes_left = super::two_factor_repo::recovery_codes_left(&db, user.id).await?;
    Ok(super::TwoFactorState {
        enrolled,
        required: user.is_staff(),
        confirmed: user.second_factor,
        codes_left,
        setup,
        new_codes,
        landing: landing(&user),
    })
}

/// Sets two-step login up: the code the app shows for the secret on the page proves the
/// app has it. Shows the recovery codes once, on the settings page.
#[server(prefix = "/api/fn", endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    use crate::context;
    let result = async {
        let user = super::current::logged_in_user().await?;
        let db = context::db()?;
        let session = context::session().await?;
        if super::two_factor_repo::is_enrolled(&db, user.id).await? {
            return Err(AppError::invalid("code", "already_set_up"));
        }
        let Some(secret) = super::session::setup_secret(&session).await? else {
            return Err(AppError::invalid("code", "setup_again"));
        };
        let now = crate::db::Timestamp::now();
        let codes = super::two_factor::confirm_setup(&db, user.id, &secret, &code, now).await?;
        super::session::set_setup_secret(&session, None).await?;
        super::session::mark_second_factor(&session).await?;
        super::session::show_codes_once(&session, codes).await?;
        if user.is_staff() {
            let entry = super::current::audit_entry(
                &staff_asking(&user),
                "two_factor.enrolled",
                None,
                serde_json::json!({}),
            );
            super::current::record_audit(&db, entry).await;
        }
        leptos_axum::redirect("/account/two-factor");
        Ok(())
    }
    .await;
    if let Err(err) = &result {
        context::set_error_status(err);
    }
    result
}

/// Confirms this session with a code: for a session from before two-step login was set
/// up, and before an admin action when the last code is older than ten minutes. Back to
/// `next` (a local path) afterwards.
#[server(prefix = "/api/fn", endpoint = "confirm_code")]
pub async fn confirm_code(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::context;
    let result = async {
        let user = super::current::logged_in_user().await?;
        let db = context::db()?;
        let session = context::session().await?;
        let now = crate::db::Timestamp::now();
        if code.trim().is_empty() {
            return Err(AppError::invalid("code", "required"));
        }
        if super::two_factor::check(&db, user.id, &code, now)
            .await?
            .is_none()
        {
            return Err(super::two_factor::wrong_code());
        }
        super::session::mark_second_factor(&session).await?;
        let target = crate::navigation::safe_next(
            next.as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .or(Some("/account/two-factor")),
        );
        leptos_axum::redirect(&target);
        Ok(())
    }
    .await;
    if let Err(err) = &result {
        context::set_error_status(err);
    }
    result
}

/// New recovery codes (the old ones stop working), after a code from the app; shown once.
#[server(prefix = "/api/fn", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(code: String) -> Result<(), AppError> {
    use crate::context;
    let result = async {
        let user = super::current::logged_in_user().await?;
        let db = context::db()?;
        let session = context::session().await?;
        let now = crate::db::Timestamp::now();
        let codes = super::two_factor::renew_recovery_codes(&db, user.id, &code, now).await?;
        super::session::show_codes_once(&session, codes).await?;
        if user.is_staff() {
            let entry = super::current::audit_entry(
                &staff_asking(&user),
                "two_factor.codes_renewed",
                None,
                serde_json::json!({}),
            );
            super::current::record_audit(&db, entry).await;
        }
        leptos_axum::redirect("/account/two-factor");
        Ok(())
    }
    .await;
    if let Err(err) = &result {
        context::set_error_status(err);
    }
    result
}

/// The agent stops helping a customer in their account: recorded as `help.ended`, and the
/// customer gets a mail saying who helped, when and why. Back to the customer's page.
#[server(prefix = "/api/fn", endpoint = "stop_helping")]
pub async fn stop_helping() -> Result<(), AppError> {
    crate::context::answered(
        async {
            use crate::context;
            let agent = super::current::logged_in_user().await?;
            let session = context::session().await?;
            let Some(acting) = super::session::stop_acting(&session).await? else {
                leptos_axum::redirect("/service/customers");
                return Ok(());
            };
            let db = context::db()?;
            let mail = context::mail_context()?;
            let key = crate::audit::service::key()?;
            super::helping::ended(&db, &key, &mail, &staff_asking(&agent), &acting).await?;
            leptos_axum::redirect(&format!("/service/customers/{}", acting.customer_id));
            Ok(())
        }
        .await,
    )
}
