use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{Login, Logout, Register, RequestPasswordReset, ResetPassword};
use super::{Role, UserSummary, VerifyOutcome};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};

/// The login and logout actions and the logged-in user, shared by the header and pages.
/// Created inside the router, where a form error sent back without JavaScript is found.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<UserSummary>, AppError>>,
}

pub fn provide_auth() {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| async move { current_user_fn().await },
    );
    provide_context(Auth {
        login,
        logout,
        user,
    });
}

async fn current_user_fn() -> Result<Option<UserSummary>, AppError> {
    super::api::current_user().await
}

/// Header: the user's name and a logout button, or a link to log in.
#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! {
                        <div class="user-menu">
                            {user.roles.iter().any(|r| matches!(r, Role::SupportAgent | Role::StoreStaff | Role::Admin)).then(|| view! {
                                <A href="/service/customers">{t!(i18n, service.nav_link)}</A>
                            })}
                            {user.roles.contains(&Role::Admin).then(|| view! {
                                <A href="/admin/staff">{t!(i18n, staff.nav_link)}</A>
                            })}
                            <span class="user-name">{user.name}</span>
                            <ActionForm action=auth.logout attr:class="inline-form">
                                <button type="submit" class="button-outline">{t!(i18n, login.logout)}</button>
                            </ActionForm>
                        </div>
                    }
                    .into_any(),
                    _ => view! {
                        <A href="/login" attr:class="button-outline">{t!(i18n, login.link)}</A>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/login?next=/path`
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // Created in the route, where an error sent back to a form without JavaScript is found.
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    // Where to go afterwards; empty: the account overview (decided on the server).
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let error = move || login.value().get().and_then(Result::err);
    let typed_email = move || match error() {
        Some(AppError::LoginRefused { email, .. }) => email,
        _ => String::new(),
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, login.title)) />
        <section class="narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="lead">{t!(i18n, login.intro)}</p>
            <ActionForm action=login attr:class="stacked-form">
                {move || error().map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="login-email">{t!(i18n, login.email)}</label>
                    <input id="login-email" type="email" name="email" autocomplete="username" required value=typed_email />
                </div>
                <div class="field">
                    <label for="login-password">{t!(i18n, login.password)}</label>
                    <input id="login-password" type="password" name="password" autocomplete="current-password" required />
                </div>
                <div class="field checkbox">
                    <input id="login-remember" type="checkbox" name="remember" value="on" />
                    <label for="login-remember">{t!(i18n, login.remember)}</label>
                </div>
                <button type="submit">{t!(i18n, login.submit)}</button>
            </ActionForm>
            <p><A href="/forgot-password">{t!(i18n, forgot.link)}</A></p>
            <p>{t!(i18n, login.no_account)}" "<A href="/register">{t!(i18n, register.link)}</A></p>
        </section>
    }
}

/// `/register`: a customer creates an account.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let register = ServerAction::<Register>::new();
    let error = Signal::derive(move || register.value().get().and_then(Result::err));
    let kept = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.kept(field).map(str::to_string))
                .unwrap_or_default()
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            error
                .get()
                .is_some_and(|e| e.field_codes(field).next().is_some())
                .then_some("true")
        }
    };
    let language = move || {
        error
            .get()
            .and_then(|e| e.kept("language").map(str::to_string))
            .unwrap_or_else(|| i18n.get_locale().as_str().to_string())
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, register.title)) />
        <section class="narrow">
            <h1>{t!(i18n, register.title)}</h1>
            <p class="lead">{t!(i18n, register.intro)}</p>
            <ActionForm action=register attr:class="stacked-form" attr:novalidate=true>
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <div class="field">
                    <label for="register-name">{t!(i18n, register.name)}</label>
                    <input id="register-name" name="name" autocomplete="name" required value=kept("name")
                        aria-invalid=invalid("name") aria-describedby="register-name-error" />
                    <FieldErrors field="name" field_id="register-name" error />
                </div>
                <div class="field">
                    <label for="register-email">{t!(i18n, register.email)}</label>
                    <input id="register-email" type="email" name="email" autocomplete="email" required value=kept("email")
                        aria-invalid=invalid("email") aria-describedby="register-email-error" />
                    <FieldErrors field="email" field_id="register-email" error />
                </div>
                <div class="field">
                    <label for="register-password">{t!(i18n, register.password)}</label>
                    <input id="register-password" type="password" name="password" autocomplete="new-password" required minlength="10"
                        aria-invalid=invalid("password") aria-describedby="register-password-hint register-password-error" />
                    <p class="hint" id="register-password-hint">{t!(i18n, register.password_hint)}</p>
                    <FieldErrors field="password" field_id="register-password" error />
                </div>
                <div class="field">
                    <label for="register-language">{t!(i18n, register.language)}</label>
                    <select id="register-language" name="language">
                        <option value="nl" selected=move || language() == "nl">"Nederlands"</option>
                        <option value="en" selected=move || language() == "en">"English"</option>
                    </select>
                </div>
                <button type="submit">{t!(i18n, register.submit)}</button>
            </ActionForm>
            <p>{t!(i18n, register.have_account)}" "<A href="/login">{t!(i18n, login.link)}</A></p>
        </section>
    }
}

/// `/register/sent`: the same answer whether or not the address already had an account.
#[component]
pub fn RegisterSentPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, register.sent_title)) />
        <section class="message-page" role="status">
            <h1>{t!(i18n, register.sent_title)}</h1>
            <p>{t!(i18n, register.sent_text)}</p>
            <p><A href="/login" attr:class="button">{t!(i18n, login.link)}</A></p>
        </section>
    }
}

/// `/verify-email?token=…`: the link from the verification mail.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let outcome = Resource::new(token, super::api::verify_email);
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, verify.title)) />
        <section class="message-page">
            <h1>{t!(i18n, verify.title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match outcome.await {
                        Ok(VerifyOutcome::Verified) => view! { <p class="alert alert-success" role="status">{t!(i18n, verify.done)}</p> }.into_any(),
                        Ok(VerifyOutcome::AlreadyUsed) => view! { <p class="alert" role="status">{t!(i18n, verify.used)}</p> }.into_any(),
                        Ok(VerifyOutcome::Expired) => view! { <p class="alert alert-error" role="alert">{t!(i18n, verify.expired)}</p> }.into_any(),
                        Ok(VerifyOutcome::Invalid) => view! { <p class="alert alert-error" role="alert">{t!(i18n, verify.invalid)}</p> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><A href="/login" attr:class="button">{t!(i18n, login.link)}</A></p>
        </section>
    }
}

/// Shown on every page while the logged-in user has not confirmed their address.
#[component]
pub fn UnverifiedBanner() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let unverified = matches!(auth.user.await, Ok(Some(user)) if !user.verified);
                unverified.then(|| view! {
                    <div class="banner" role="status"><div class="container">{t!(i18n, verify.banner)}</div></div>
                })
            })}
        </Suspense>
    }
}

/// On every page while a support agent helps a customer in their account: whom, until
/// when, and a button to stop.
#[component]
pub fn HelpingBanner() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let stop = ServerAction::<super::api::StopHelping>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let helping = match auth.user.await {
                    Ok(Some(user)) => user.acting_for,
                    _ => None,
                };
                helping.map(|h| {
                    let name = h.customer_name.clone();
                    let until = h.until_local.clone();
                    let may = if h.may_change {
                        t_string!(i18n, helping.banner_change)
                    } else {
                        t_string!(i18n, helping.banner_look)
                    };
                    view! {
                        <div class="banner helping-banner" role="status">
                            <div class="container">
                                <strong>{move || t_string!(i18n, helping.banner, name = name.clone(), until = until.clone()).to_string()}</strong>
                                " " {may} " "
                                <ActionForm action=stop attr:class="inline-form">
                                    <button type="submit">{t!(i18n, helping.stop)}</button>
                                </ActionForm>
                            </div>
                        </div>
                    }
                })
            })}
        </Suspense>
    }
}

/// `/forgot-password`
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    let kept = move || {
        error
            .get()
            .and_then(|e| e.kept("email").map(str::to_string))
            .unwrap_or_default()
    };
    let invalid = move || {
        error
            .get()
            .is_some_and(|e| e.field_codes("email").next().is_some())
            .then_some("true")
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, forgot.title)) />
        <section class="narrow">
            <h1>{t!(i18n, forgot.title)}</h1>
            <p class="lead">{t!(i18n, forgot.intro)}</p>
            <ActionForm action=request attr:class="stacked-form" attr:novalidate=true>
                <div class="field">
                    <label for="forgot-email">{t!(i18n, login.email)}</label>
                    <input id="forgot-email" type="email" name="email" autocomplete="email" required value=kept
                        aria-invalid=invalid aria-describedby="forgot-email-error" />
                    <FieldErrors field="email" field_id="forgot-email" error />
                </div>
                <button type="submit">{t!(i18n, forgot.submit)}</button>
            </ActionForm>
        </section>
    }
}

/// `/forgot-password/sent`
#[component]
pub fn ForgotSentPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, forgot.sent_title)) />
        <section class="message-page" role="status">
            <h1>{t!(i18n, forgot.sent_title)}</h1>
            <p>{t!(i18n, forgot.sent_text)}</p>
        </section>
    }
}

/// `/reset-password?token=…`: the link from the reset mail.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let usable = Resource::new(token, super::api::reset_link_usable);
    let reset = ServerAction::<ResetPassword>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let invalid = move || {
        error
            .get()
            .is_some_and(|e| e.field_codes("password").next().is_some())
            .then_some("true")
    };
    let link_failed = move || {
        error
            .get()
            .is_some_and(|e| e.field_codes("token").next().is_some())
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, reset.title)) />
        <section class="narrow">
            <h1>{t!(i18n, reset.title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let ok = matches!(usable.await, Ok(true));
                    if !ok || link_failed() {
                        return view! {
                            <p class="alert alert-error" role="alert">{t!(i18n, reset.invalid)}</p>
                            <p><A href="/forgot-password" attr:class="button">{t!(i18n, reset.again)}</A></p>
                        }
                        .into_any();
                    }
                    view! {
                        <ActionForm action=reset attr:class="stacked-form" attr:novalidate=true>
                            <input type="hidden" name="token" value=token />
                            <div class="field">
                                <label for="reset-password">{t!(i18n, reset.password)}</label>
                                <input id="reset-password" type="password" name="password" autocomplete="new-password" required minlength="10"
                                    aria-invalid=invalid aria-describedby="reset-password-hint reset-password-error" />
                                <p class="hint" id="reset-password-hint">{t!(i18n, register.password_hint)}</p>
                                <FieldErrors field="password" field_id="reset-password" error />
                            </div>
                            <button type="submit">{t!(i18n, reset.submit)}</button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}
