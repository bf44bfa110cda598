//! `/account/privacy/erasure`: what deleting the account means (what goes, what is kept,
//! why and until when), asking, and cancelling; `/account/privacy/erasure/confirm`: the
//! mailed link's page. Every button is a plain POST: it works without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{CancelErasure, ConfirmErasure, RequestErasure, my_erasure};
use super::{ErasureStatus, ErasureView};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::nl => "nl",
        Locale::en => "en",
    }
}

#[component]
pub fn ErasurePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|q| (q.get("sent"), q.get("confirmed"), q.get("cancelled"))),
        |_| my_erasure(),
    );
    let notice = move || {
        query.with(|q| {
            if q.get("sent").is_some() {
                Some(t_string!(i18n, erasure.sent).to_string())
            } else if q.get("confirmed").is_some() {
                Some(t_string!(i18n, erasure.confirmed).to_string())
            } else if q.get("cancelled").is_some() {
                Some(t_string!(i18n, erasure.cancelled).to_string())
            } else {
                None
            }
        })
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, erasure.title)) />
        <p><a href="/account/privacy">{t!(i18n, erasure.back)}</a></p>
        <h1>{t!(i18n, erasure.title)}</h1>
        <div role="status">
            {move || notice().map(|text| view! { <p class="alert alert-success">{text}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Erasure view /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/privacy/erasure".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Erasure(view: ErasureView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let language = locale_code(locale);
    let request = ServerAction::<RequestErasure>::new();
    let cancel = ServerAction::<CancelErasure>::new();
    let error = Signal::derive(move || {
        request
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| cancel.value().get().and_then(Result::err))
    });
    let pending = view.pending();
    let days = view.cooling_off_days;
    let email = view.email.clone();
    let kept_until = view
        .orders_kept_until
        .as_deref()
        .map(|d| crate::ui::format::date(d, locale));
    let waits_for: Vec<String> = view
        .open_orders
        .iter()
        .map(|n| t_string!(i18n, erasure.open_order, number = n.as_str()).to_string())
        .chain(
            view.open_returns
                .iter()
                .map(|c| t_string!(i18n, erasure.open_return, code = c.as_str()).to_string()),
        )
        .collect();
    let blocking = (!waits_for.is_empty()).then(|| {
        view! {
            <div class="alert" id="erasure-blocking">
                <p>{t!(i18n, erasure.blocking)}</p>
                <ul>{waits_for.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </div>
        }
    });
    let state = match view.status {
        Some(ErasureStatus::AwaitingConfirmation) => {
            let email = email.clone();
            view! { <p>{move || t_string!(i18n, erasure.awaiting, email = email.clone()).to_string()}</p> }.into_any()
        }
        Some(ErasureStatus::CoolingOff) => {
            let when =
                crate::ui::format::maybe_date_time(view.erase_after_local.as_deref(), locale);
            view! { <p><strong>{move || t_string!(i18n, erasure.cooling_off, when = when.clone()).to_string()}</strong></p> }.into_any()
        }
        _ => ().into_any(),
    };
    let action = if pending {
        view! {
            <ActionForm action=cancel>
                <button type="submit" class="button">{t!(i18n, erasure.cancel)}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=request>
                <input type="hidden" name="language" value=language />
                <button type="submit" class="button danger">{t!(i18n, erasure.request)}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <div class="privacy">
            <section class="card" aria-labelledby="erasure-state-heading" id="erasure">
                <h2 id="erasure-state-heading">{t!(i18n, erasure.how_title)}</h2>
                <ol>
                    <li>{let email = email.clone(); move || t_string!(i18n, erasure.step_confirm, email = email.clone()).to_string()}</li>
                    <li>{move || t_string!(i18n, erasure.step_cooling_off, days = days).to_string()}</li>
                    <li>{t!(i18n, erasure.step_erase)}</li>
                </ol>
                {blocking}
                {state}
                <FieldErrors field="erasure" field_id="erasure-request" error />
                {action}
            </section>
            <section class="card" aria-labelledby="erasure-gone-heading">
                <h2 id="erasure-gone-heading">{t!(i18n, erasure.gone_title)}</h2>
                <ul>
                    <li>{t!(i18n, erasure.gone_account)}</li>
                    <li>{t!(i18n, erasure.gone_details)}</li>
                    <li>{t!(i18n, erasure.gone_consents)}</li>
                    <li>{t!(i18n, erasure.gone_photos)}</li>
                    <li>{t!(i18n, erasure.gone_exports)}</li>
                </ul>
            </section>
            <section class="card" aria-labelledby="erasure-kept-heading">
                <h2 id="erasure-kept-heading">{t!(i18n, erasure.kept_title)}</h2>
                <dl class="kept">
                    <dt>{t!(i18n, erasure.kept_orders)}</dt>
                    <dd>
                        <p>{t!(i18n, erasure.kept_orders_how)}</p>
                        <p>{t!(i18n, erasure.kept_orders_why)}</p>
                        <p>{match kept_until {
                            Some(until) => view! { {move || t_string!(i18n, erasure.kept_orders_until, until = until.clone()).to_string()} }.into_any(),
                            None => view! { {t!(i18n, erasure.kept_no_orders)} }.into_any(),
                        }}</p>
                    </dd>
                    <dt>{t!(i18n, erasure.kept_proof)}</dt>
                    <dd>
                        <p>{t!(i18n, erasure.kept_proof_how)}</p>
                        <p>{t!(i18n, erasure.kept_proof_why)}</p>
                    </dd>
                </dl>
            </section>
        </div>
    }
}

/// The page the mailed link opens: one button confirms.
#[component]
pub fn ConfirmErasurePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let confirm = ServerAction::<ConfirmErasure>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let data = Resource::new(|| (), |_| my_erasure());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, erasure.confirm_title)) />
        <h1>{t!(i18n, erasure.confirm_title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let days = view.cooling_off_days;
                        view! {
                            <section class="card" aria-labelledby="confirm-heading">
                                <h2 id="confirm-heading" class="visually-hidden">{t!(i18n, erasure.confirm_title)}</h2>
                                <p>{move || t_string!(i18n, erasure.confirm_text, days = days).to_string()}</p>
                                <FieldErrors field="token" field_id="erasure-token" error />
                                <ActionForm action=confirm>
                                    <input type="hidden" name="token" value=token />
                                    <button type="submit" class="button danger">{t!(i18n, erasure.confirm_button)}</button>
                                </ActionForm>
                                <p><a href="/account/privacy/erasure">{t!(i18n, erasure.confirm_not_now)}</a></p>
                            </section>
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        let here = format!("/account/privacy/erasure/confirm?token={}", token());
                        view! { <LoginFirst here /> }.into_any()
                    }
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The privacy page's box: a sentence, where a request is, and the way to the preview.
#[component]
pub fn ErasureSection(pending_until: Option<String>, asked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let state = match (pending_until, asked) {
        (Some(when), _) => {
            let when = crate::ui::format::date_time(&when, locale);
            Some(view! { <p><strong>{move || t_string!(i18n, erasure.cooling_off, when = when.clone()).to_string()}</strong></p> }.into_any())
        }
        (None, true) => {
            Some(view! { <p><strong>{t!(i18n, erasure.awaiting_short)}</strong></p> }.into_any())
        }
        _ => None,
    };
    view! {
        <section class="card" id="erasure" aria-labelledby="erasure-heading">
            <h2 id="erasure-heading">{t!(i18n, erasure.title)}</h2>
            <p>{t!(i18n, erasure.intro)}</p>
            {state}
            <p><a href="/account/privacy/erasure">{t!(i18n, erasure.see_what)}</a></p>
        </section>
    }
}
