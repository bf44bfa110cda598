//! Two-step login's pages: `/login/code` (the second step of a login) and
//! `/account/two-factor` (set it up, confirm this session, recovery codes).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{ConfirmCode, ConfirmTwoFactor, LoginCode, RenewRecoveryCodes, two_factor_state};
use super::{TwoFactorSetup, TwoFactorState};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

/// One field for a code: six digits from the app (or, where allowed, a recovery code).
#[component]
fn CodeField(
    id: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = false)] recovery_allowed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = crate::ui::forms::invalid_flag(error, "code");
    let hint_id = format!("{id}-hint");
    let described = format!("{id}-hint {id}-error");
    view! {
        <div class="field">
            <label for=id>{t!(i18n, two_factor.code_label)}</label>
            <input id=id name="code" autocomplete="one-time-code" required
                inputmode=(!recovery_allowed).then_some("numeric")
                class="code-input" aria-invalid=invalid aria-describedby=described />
            <p class="hint" id=hint_id>
                {move || if recovery_allowed {
                    t_string!(i18n, two_factor.code_hint_recovery)
                } else {
                    t_string!(i18n, two_factor.code_hint)
                }}
            </p>
            <FieldErrors field="code" field_id=id error />
        </div>
    }
}

/// `/login/code`: the password was right; now the code from the app.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LoginCode>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    // Too many wrong codes or too late: back to the password.
    let again = move || {
        error
            .get()
            .is_some_and(|e| e.field_codes("code").any(|c| c == "login_again"))
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, two_factor.login_title)) />
        <section class="narrow">
            <h1>{t!(i18n, two_factor.login_title)}</h1>
            <p class="lead">{t!(i18n, two_factor.login_intro)}</p>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <CodeField id="login-code" error recovery_allowed=true />
                <button type="submit">{t!(i18n, two_factor.login_submit)}</button>
            </ActionForm>
            <p>
                {move || again().then(|| view! { <strong>{t!(i18n, two_factor.login_again_hint)}" "</strong> })}
                <A href="/login">{t!(i18n, two_factor.back_to_login)}</A>
            </p>
        </section>
    }
}

/// `/account/two-factor`: two-step login for the logged-in user.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm_setup = ServerAction::<ConfirmTwoFactor>::new();
    let confirm_code = ServerAction::<ConfirmCode>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let state = Resource::new(
        move || {
            (
                confirm_setup.version().get(),
                confirm_code.version().get(),
                renew.version().get(),
            )
        },
        |_| two_factor_state(),
    );
    let query = use_query_map();
    let recovered = move || query.with(|q| q.get("recovered").is_some());
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, two_factor.title)) />
        <h1>{t!(i18n, two_factor.title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(s) => view! {
                        <Settings s recovered=recovered() next=next() confirm_setup confirm_code renew />
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/two-factor".to_string() /> }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Settings(
    s: TwoFactorState,
    recovered: bool,
    next: String,
    confirm_setup: ServerAction<ConfirmTwoFactor>,
    confirm_code: ServerAction<ConfirmCode>,
    renew: ServerAction<RenewRecoveryCodes>,
) -> impl IntoView {
    let i18n = use_i18n();
    let codes_left = s.codes_left;
    let new_codes =
        (!s.new_codes.is_empty()).then(|| view! { <NewCodes codes=s.new_codes.clone() /> });
    let status = match (&s.setup, s.enrolled) {
        (Some(setup), _) => view! {
            <SetUp setup=setup.clone() required=s.required action=confirm_setup />
        }
        .into_any(),
        (None, true) => {
            let confirm = (!s.confirmed)
                .then(|| view! { <ConfirmSession action=confirm_code next=next.clone() /> });
            view! {
                <section class="card" aria-labelledby="two-factor-on">
                    <h2 id="two-factor-on">{t!(i18n, two_factor.on_heading)}</h2>
                    <p>{t!(i18n, two_factor.on_text)}</p>
                    {recovered.then(|| view! {
                        <p class="alert alert-info" role="status">
                            {move || t_string!(i18n, two_factor.recovered, count = codes_left).to_string()}
                        </p>
                    })}
                    {confirm}
                </section>
                <Renew codes_left action=renew />
            }
            .into_any()
        }
        (None, false) => ().into_any(),
    };
    // Staff who may now start: the way to their work.
    let onward = (s.required && s.enrolled && s.confirmed).then(|| {
        let href = if next.starts_with('/') && !next.starts_with("//") {
            next.clone()
        } else {
            s.landing.clone()
        };
        view! { <p><a href=href class="button">{t!(i18n, two_factor.go_on)}</a></p> }
    });
    view! {
        {new_codes}
        {status}
        {onward}
    }
}

/// Linking an app: the QR code, the key to type instead, and the first code.
#[component]
fn SetUp(
    setup: TwoFactorSetup,
    required: bool,
    action: ServerAction<ConfirmTwoFactor>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="two-factor-setup">
            <h2 id="two-factor-setup">{t!(i18n, two_factor.setup_heading)}</h2>
            <p>
                {move || if required {
                    t_string!(i18n, two_factor.setup_required)
                } else {
                    t_string!(i18n, two_factor.setup_optional)
                }}
            </p>
            <ol class="steps">
                <li>{t!(i18n, two_factor.step_app)}</li>
                <li>
                    {t!(i18n, two_factor.step_scan)}
                    <div class="qr" role="img" aria-label=move || t_string!(i18n, two_factor.qr_label)
                        inner_html=setup.qr_svg></div>
                    <p>{t!(i18n, two_factor.step_key)}" "<code class="secret-key">{setup.secret}</code></p>
                </li>
                <li>{t!(i18n, two_factor.step_code)}</li>
            </ol>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_) | AppError::FormInvalid { .. })).map(|error| view! { <ErrorMessage error /> })}
                <CodeField id="setup-code" error />
                <button type="submit">{t!(i18n, two_factor.setup_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// Recovery codes just made: shown this once.
#[component]
fn NewCodes(codes: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card highlight" aria-labelledby="recovery-codes">
            <h2 id="recovery-codes">{t!(i18n, two_factor.codes_heading)}</h2>
            <p role="status">{t!(i18n, two_factor.codes_text)}</p>
            <ul class="recovery-codes" aria-label=move || t_string!(i18n, two_factor.codes_heading)>
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </section>
    }
}

/// A session from before the app was linked: a code confirms it.
#[component]
fn ConfirmSession(action: ServerAction<ConfirmCode>, next: String) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <p class="alert alert-info">{t!(i18n, two_factor.confirm_text)}</p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <input type="hidden" name="next" value=next />
            <CodeField id="confirm-code" error recovery_allowed=true />
            <button type="submit">{t!(i18n, two_factor.confirm_submit)}</button>
        </ActionForm>
    }
}

/// How many recovery codes are left, and new ones.
#[component]
fn Renew(codes_left: i64, action: ServerAction<RenewRecoveryCodes>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="renew-codes">
            <h2 id="renew-codes">{t!(i18n, two_factor.renew_heading)}</h2>
            <p>{move || t_string!(i18n, two_factor.codes_left, count = codes_left).to_string()}</p>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <CodeField id="renew-code" error />
                <button type="submit">{t!(i18n, two_factor.renew_submit)}</button>
            </ActionForm>
        </section>
    }
}
