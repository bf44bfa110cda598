//! Saved advice: by its code (`/advies/code/{code}`, with its QR code; store staff get the
//! counter's tools there, and anyone may have a guest's advice mailed) and "open advice
//! by code" (`/advies/code`). Every form is a plain POST (or GET) answered with a redirect.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::SavedView;
use super::api::{AdvisorContinue, AdvisorMail, saved_advice};
use super::pages::{Advice, AnswerList};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::date;
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};

/// `/advies/code/{code}`: saved advice, its code and QR code to continue elsewhere.
#[component]
pub fn SavedAdvicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let saved = move || query.with(|q| q.get("saved")).is_some();
    let mailed = move || query.with(|q| q.get("mailed")).is_some();
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(code, move |code| saved_advice(code, language.to_string()));
    view! {
        <div role="status">
            {move || saved().then(|| view! { <p class="alert alert-success">{t!(i18n, advisor.saved)}</p> })}
            {move || mailed().then(|| view! { <p class="alert alert-success">{t!(i18n, advisor.mailed)}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(view) => view! { <Saved view /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <Title text=crate::ui::title(move || t_string!(i18n, advisor.code_title)) />
                        <h1>{t!(i18n, advisor.code_title)}</h1>
                        <p class="alert" role="alert">{t!(i18n, advisor.code_not_found)}</p>
                        <CodeForm code=code() error=Signal::derive(|| None) />
                    }.into_any(),
                    Err(err) => view! {
                        <Title text=crate::ui::title(move || t_string!(i18n, advisor.code_title)) />
                        <h1>{t!(i18n, advisor.code_title)}</h1>
                        <ErrorMessage error=err.clone() />
                        <CodeForm code=code() error=Signal::derive(move || Some(err.clone())) />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Saved(view: SavedView) -> impl IntoView {
    let i18n = use_i18n();
    let go_on = ServerAction::<AdvisorContinue>::new();
    let heading = view.title.clone();
    let title = view.title.clone();
    let shown = super::spaced_code(&view.code);
    let given = view.saved_local.clone();
    let kept_until = view.expires_local.clone();
    let where_kept = move || match &kept_until {
        Some(until) => t_string!(
            i18n,
            advisor.kept_until,
            date = date(until, i18n.get_locale())
        )
        .to_string(),
        None => t_string!(i18n, advisor.kept_in_account).to_string(),
    };
    let store = view.store;
    view! {
        <Title text=crate::ui::title(move || title.clone()) />
        <div class=if store { "advisor store-mode" } else { "advisor" }>
            <h1>{heading}</h1>
            <p class="muted">{move || t_string!(i18n, advisor.given_on, date = date(&given, i18n.get_locale()), version = view.version).to_string()}</p>
            {store.then(|| view! { <p class="alert">{t!(i18n, advisor.store_intro)}</p> })}
            <section class="card advice-code" aria-labelledby="advice-code-heading">
                <h2 id="advice-code-heading">{t!(i18n, advisor.your_code)}</h2>
                <p class="code-text">{shown.clone()}</p>
                <div class="qr" role="img" aria-label=move || t_string!(i18n, advisor.qr_label, code = shown.clone()).to_string() inner_html=view.qr_svg.clone()></div>
                <p>{where_kept}</p>
                <p class="hint">{t!(i18n, advisor.code_hint)}</p>
            </section>
            {view.purchase.clone().map(|bought| {
                let (number, products, returned) = (bought.order_number.clone(), bought.products.join(", "), bought.returned);
                view! {
                    <p class="alert alert-success">
                        {move || t_string!(i18n, advisor.bought, products = products.clone(), number = number.clone()).to_string()}
                        {returned.then(|| view! { " "{t!(i18n, advisor.returned)} })}
                    </p>
                }
            })}
            {view.personal_missing.then(|| view! { <p class="alert">{t!(i18n, advisor.personal_missing)}</p> })}
            <Advice advice=view.advice.clone() was_first=None change_base=None />
            <AnswerList answered=view.answered.clone() change_base=None open=true />
            {view.expires_local.is_some().then(|| view! { <MailAdvice code=view.code.clone() store /> })}
            <ActionForm action=go_on attr:class="stacked-form no-print">
                <input type="hidden" name="code" value=view.code.clone() />
                <p><button type="submit">{t!(i18n, advisor.go_on)}</button></p>
                <p class="hint">{t!(i18n, advisor.go_on_hint)}</p>
            </ActionForm>
        </div>
    }
}

#[component]
fn CodeForm(code: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action="/advies/code" class="stacked-form narrow">
            <div class="field">
                <label for="advice-code">{t!(i18n, advisor.code_label)}</label>
                <input id="advice-code" name="code" class="code-input" autocomplete="off" autocapitalize="characters"
                    spellcheck="false" value=code aria-describedby="advice-code-hint advice-code-error"
                    aria-invalid=invalid(error, "code") />
                <p class="hint" id="advice-code-hint">{t!(i18n, advisor.code_label_hint)}</p>
                <FieldErrors field="code" field_id="advice-code" error />
            </div>
            <p><button type="submit">{t!(i18n, advisor.open)}</button></p>
        </form>
    }
}

/// `/advies/code`: type a code (`?code=…` opens it).
#[component]
pub fn FindAdvicePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let typed = move || {
        query
            .with(|q| q.get("code"))
            .filter(|c| !c.trim().is_empty())
    };
    move || match typed() {
        Some(code) => {
            let code = super::normalise_code(&code);
            view! { <leptos_router::components::Redirect path=format!("/advies/code/{code}") /> }
                .into_any()
        }
        None => view! {
            <Title text=crate::ui::title(move || t_string!(i18n, advisor.code_title)) />
            <h1>{t!(i18n, advisor.code_title)}</h1>
            <p class="lead">{t!(i18n, advisor.code_intro)}</p>
            <CodeForm code=String::new() error=Signal::derive(|| None) />
        }
        .into_any(),
    }
}

/// A guest's advice by mail: at the store's counter with the customer's consent and in the
/// language they choose, or a visitor mailing it to themselves.
#[component]
fn MailAdvice(code: String, store: bool) -> impl IntoView {
    let i18n = use_i18n();
    let mail = ServerAction::<AdvisorMail>::new();
    let error = Signal::derive(move || mail.value().get().and_then(Result::err));
    let current = i18n.get_locale_untracked().as_str();
    let heading = move || {
        if store {
            t_string!(i18n, advisor.mail_heading_store).to_string()
        } else {
            t_string!(i18n, advisor.mail_heading).to_string()
        }
    };
    // The language chosen stays chosen when the form comes back with an error.
    let chosen_language = kept(error, "language", current.to_string());
    let chosen = move |language: &'static str| {
        let chosen_language = chosen_language.clone();
        move || chosen_language() == language
    };
    let language = if store {
        view! {
            <fieldset>
                <legend>{t!(i18n, advisor.mail_language)}</legend>
                // Each language by its own name, as a customer looks for it.
                <div class="choices side-by-side">
                    <label class="choice"><input type="radio" name="language" value="nl" checked=chosen("nl") /><span lang="nl">"Nederlands"</span></label>
                    <label class="choice"><input type="radio" name="language" value="en" checked=chosen("en") /><span lang="en">"English"</span></label>
                </div>
            </fieldset>
            <div class="field">
                <label class="choice">
                    <input id="advice-consent" type="checkbox" name="consent" value="on"
                        aria-invalid=invalid(error, "consent") aria-describedby="advice-consent-error" />
                    <span>{t!(i18n, advisor.mail_consent)}</span>
                </label>
                <FieldErrors field="consent" field_id="advice-consent" error />
            </div>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="language" value=current /> }.into_any()
    };
    view! {
        <section class="card no-print" aria-labelledby="advice-mail-heading">
            <h2 id="advice-mail-heading">{heading}</h2>
            <ActionForm action=mail attr:class="stacked-form" attr:novalidate=true>
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="code" value=code.clone() />
                <div class="field">
                    <label for="advice-email">{t!(i18n, advisor.mail_address)}</label>
                    <input id="advice-email" type="email" name="email" autocomplete=if store { "off" } else { "email" }
                        value=kept(error, "email", String::new()) aria-invalid=invalid(error, "email")
                        aria-describedby="advice-email-hint advice-email-error" />
                    <p class="hint" id="advice-email-hint">{t!(i18n, advisor.mail_hint)}</p>
                    <FieldErrors field="email" field_id="advice-email" error />
                </div>
                {language}
                <p><button type="submit">{t!(i18n, advisor.mail_send)}</button></p>
            </ActionForm>
        </section>
    }
}
