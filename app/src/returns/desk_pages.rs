//! The store desk's pages (`/store/…`): scan a return's code, find a purchase, register a
//! return for it, and inspect each line.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::pages::{ReturnForm, ReviewFrame, exchange_words, reason_words, status_title};
use super::return_page::LinePhotos;
use super::{Outcome, Resolution};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::ErrorMessage;
use crate::ui::format::date_time;
use crate::ui::pages::LoginFirst;

/// `/store/returns`: the desk. Scan or type a return's code.
#[component]
pub fn DeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let open = Resource::new(|| (), |_| super::api::desk_open());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, desk.title)) />
        <h1>{t!(i18n, desk.title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(()) => view! { <DeskForms /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/store/returns".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The desk's two ways in: a return's code, or a purchase to return.
#[component]
fn DeskForms() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="lead">{t!(i18n, desk.intro)}</p>
        <Form method="GET" action="/store/returns/find" attr:class="stacked-form">
            <div class="field">
                <label for="desk-code">{t!(i18n, desk.code)}</label>
                <input id="desk-code" name="code" type="text" autocomplete="off" autofocus=true required=true
                    inputmode="text" autocapitalize="characters" />
                <p class="hint">{t!(i18n, desk.code_hint)}</p>
            </div>
            <button type="submit">{t!(i18n, desk.open)}</button>
        </Form>
        <h2>{t!(i18n, desk.no_code)}</h2>
        <Form method="GET" action="/store/find" attr:class="stacked-form">
            <div class="field">
                <label for="desk-find">{t!(i18n, desk.find_label)}</label>
                <input id="desk-find" name="q" type="text" autocomplete="off" required=true />
                <p class="hint">{t!(i18n, desk.find_hint)}</p>
            </div>
            <button type="submit">{t!(i18n, desk.find)}</button>
        </Form>
    }
}

/// `/store/find?q=…`: the purchases matching a receipt code, order number, loyalty card
/// or e-mail address.
#[component]
pub fn DeskFindPurchasePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let found = Resource::new(q, super::api::desk_find);
    view! {
        <p class="back-link"><a href="/store/returns">{t!(i18n, desk.back)}</a></p>
        <Title text=crate::ui::title(move || t_string!(i18n, desk.found_title)) />
        <h1>{t!(i18n, desk.found_title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(list) if list.is_empty() => view! { <p class="alert" role="alert">{t!(i18n, desk.found_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="compact-orders">{list.into_iter().map(|p| {
                            let placed = p.placed_local.clone();
                            view! { <li><a href=format!("/store/orders/{}/return", p.number)>{p.number.clone()}</a>
                                <span class="muted">{move || date_time(&placed, i18n.get_locale())}</span></li> }
                        }).collect_view()}</ul>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/store/find?q={}", q()) /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/store/orders/{number}/return`: the return form at the desk.
#[component]
pub fn DeskReturnFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let found = Resource::new(number, super::api::desk_choice);
    view! {
        <p class="back-link"><a href="/store/returns">{t!(i18n, desk.back)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(found) => view! { <ReturnForm found desk=true /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/store/orders/{}/return", number()) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::orders::pages::OrderNotFound /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/store/orders/{number}/return/review`.
#[component]
pub fn DeskReviewPage() -> impl IntoView {
    view! { <ReviewFrame desk=true /> }
}

/// `/store/returns/find?code=…`: straight on to the return (a scanner types and presses
/// Enter).
#[component]
pub fn DeskFindPage() -> impl IntoView {
    let query = use_query_map();
    let code = move || query.with(|q| q.get("code").unwrap_or_default().trim().to_uppercase());
    view! { <leptos_router::components::Redirect path=format!("/store/returns/{}", code()) /> }
}

/// `/store/returns/{code}`: inspect each line: accepted, or not with the reason.
#[component]
pub fn DeskReturnPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let inspected = move || query.with(|q| q.get("inspected").is_some());
    let found = Resource::new(
        move || (code(), inspected()),
        |(c, _)| super::api::desk_return(c),
    );
    view! {
        <p class="back-link"><a href="/store/returns">{t!(i18n, desk.back)}</a></p>
        <div role="status">{move || inspected().then(|| view! { <p class="alert alert-success">{t!(i18n, desk.inspected)}</p> })}</div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(desk) => view! { <DeskReturnView desk /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/store/returns/{}", code()) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="alert" role="alert">{t!(i18n, desk.not_found)}</p> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeskReturnView(desk: super::api::DeskView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<super::api::InspectReturn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let r = desk.ret;
    let status = r.status;
    let code = r.code.clone();
    let lines = r
        .lines
        .iter()
        .map(|l| {
            let n = l.line;
            let reason = l.reason.clone();
            let note = l.note.clone();
            let name = l.name.clone();
            let (acc, rej, why) = (format!("desk-accept-{n}"), format!("desk-reject-{n}"), format!("desk-why-{n}"));
            let field = format!("outcome[{n}]");
            let why_field = format!("outcome_reason[{n}]");
            let kept_why = {
                let f = why_field.clone();
                move || error.get().and_then(|e| e.kept(&f).map(str::to_string)).unwrap_or_default()
            };
            let done = l.outcome.map(|o| {
                let w = l.outcome_reason.clone();
                view! { <p><strong>{move || if o == Outcome::Accepted { t_string!(i18n, returns.accepted).to_string() } else { t_string!(i18n, returns.rejected).to_string() }}</strong>{w.map(|w| format!(": {w}"))}</p> }
            });
            view! {
                <li class="card return-line">
                    <p><strong>{format!("{} × {}", l.quantity, l.name)}</strong><br />
                        <span class="muted">{l.sku.clone()}" · "{move || reason_words(i18n.get_locale(), &reason)}{note.clone().map(|n| format!(" · {n}"))}</span></p>
                    {(r.resolution == Resolution::Exchange).then(|| { let line = l.clone(); view! { <p>{move || exchange_words(i18n.get_locale(), &line)}</p> } })}
                    <LinePhotos code=code.clone() line=l.clone() base="/store/returns" can_change=false />
                    {done}
                    {desk.can_inspect.then(|| view! {
                        <fieldset class="inline-choices">
                            <legend>{move || t_string!(i18n, desk.verdict_for, item = name.clone()).to_string()}</legend>
                            <div class="choice"><input type="radio" id=acc.clone() name=field.clone() value="accepted" checked=true /><label for=acc>{t!(i18n, returns.accepted)}</label></div>
                            <div class="choice"><input type="radio" id=rej.clone() name=field.clone() value="rejected" /><label for=rej>{t!(i18n, returns.rejected)}</label></div>
                        </fieldset>
                        <div class="field">
                            <label for=why.clone()>{t!(i18n, desk.why_rejected)}</label>
                            <input id=why.clone() name=why_field.clone() type="text" maxlength="200" value=kept_why />
                            <crate::ui::error_view::FieldErrors field=why_field.clone() field_id=why.clone() error />
                        </div>
                    })}
                </li>
            }
        })
        .collect_view();
    let heading_code = code.clone();
    let store_name = desk.store_name.clone();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, returns.page_title, code = code.clone()).to_string()) />
        <h1>{move || t_string!(i18n, returns.page_title, code = heading_code.clone()).to_string()}</h1>
        <p>{move || t_string!(i18n, desk.at_store, store = store_name.clone()).to_string()}</p>
        <dl class="order-facts">
            <div><dt>{t!(i18n, returns.order)}</dt><dd>{r.order.clone()}</dd></div>
            <div><dt>{t!(i18n, desk.status)}</dt><dd>{move || status_title(i18n.get_locale(), status)}</dd></div>
        </dl>
        <ActionForm action attr:class="stacked-form">
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="code" value=r.code.clone() />
            <ul class="plain return-lines">{lines}</ul>
            {desk.can_inspect.then(|| view! { <button type="submit">{t!(i18n, desk.take_in)}</button> })}
        </ActionForm>
    }
}
