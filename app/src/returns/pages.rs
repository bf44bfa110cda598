//! Return pages: the form on an order (`/account/orders/{number}/return`), the review
//! before confirming (`…/return/review`), and a return's own page (`/account/returns/{code}`)
//! with its code as QR code, what happens next and the result per item.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use super::api::{ConfirmReturn, return_choice, return_review};
use super::{
    LineChoice, PHOTO_REASONS, Quote, REASONS, Resolution, ReturnFormData, ReturnLine,
    ReturnMethod, ReturnStatus,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::pages::OwnOrderPage;
use crate::ui::error_view::ErrorMessage;
use crate::ui::format::{date, money};
use crate::ui::pages::LoginFirst;

pub fn reason_words(locale: Locale, reason: &str) -> String {
    match reason {
        "too_firm" => td_string!(locale, returns.reason_too_firm),
        "too_soft" => td_string!(locale, returns.reason_too_soft),
        "wrong_size" => td_string!(locale, returns.reason_wrong_size),
        "damaged" => td_string!(locale, returns.reason_damaged),
        "not_as_expected" => td_string!(locale, returns.reason_not_as_expected),
        "changed_mind" => td_string!(locale, returns.reason_changed_mind),
        _ => td_string!(locale, returns.reason_other),
    }
    .to_string()
}

pub(super) fn blocked_words(locale: Locale, reason: &str, ended_on: Option<&str>) -> String {
    match (reason, ended_on) {
        ("window_ended", Some(day)) => td_string!(
            locale,
            returns.blocked_window_ended,
            date = date(day, locale)
        )
        .to_string(),
        ("not_returnable", _) => td_string!(locale, returns.blocked_not_returnable).to_string(),
        ("not_received", _) => td_string!(locale, returns.blocked_not_received).to_string(),
        ("all_returned", _) => td_string!(locale, returns.blocked_all_returned).to_string(),
        ("viewer", _) => td_string!(locale, returns.blocked_viewer).to_string(),
        _ => td_string!(locale, returns.blocked_other).to_string(),
    }
}

/// A field error of the return form in words (the review step lists them).
pub(super) fn error_words(locale: Locale, field: &str, code: &str) -> String {
    if let Some((reason, day)) = code.split_once(':') {
        return blocked_words(locale, reason, Some(day));
    }
    match (field, code) {
        (_, "more_than_left") => td_string!(locale, returns.error_more_than_left).to_string(),
        (_, "nothing_chosen") => td_string!(locale, returns.error_nothing_chosen).to_string(),
        ("method", "pickup_large_only") => {
            td_string!(locale, returns.error_pickup_large_only).to_string()
        }
        ("method", _) => td_string!(locale, returns.error_method).to_string(),
        ("resolution", _) => td_string!(locale, returns.error_resolution).to_string(),
        ("store", _) => td_string!(locale, returns.error_store).to_string(),
        ("pickup_date", _) => td_string!(locale, returns.error_pickup_date).to_string(),
        ("pickup_slot", _) => td_string!(locale, returns.error_pickup_slot).to_string(),
        (f, _) if f.starts_with("reason") => td_string!(locale, returns.error_reason).to_string(),
        (f, _) if f.starts_with("exchange_for") => {
            td_string!(locale, returns.error_exchange_for).to_string()
        }
        ("lines", "already_returned") => {
            td_string!(locale, returns.error_already_returned).to_string()
        }
        (_, c) => blocked_words(locale, c, None),
    }
}

#[component]
pub fn ReturnFormPage() -> impl IntoView {
    view! { <OwnOrderPage suffix="/return" fetch=return_choice render=|found| view! { <ReturnForm found desk=false /> } /> }
}

#[component]
pub(super) fn ReturnForm(
    found: ReturnFormData,
    /// At the store desk: the goods are handed in here, no way to choose.
    desk: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Coming back from the review: the choices are in the address.
    let typed = move |key: String, default: String| {
        query.with_untracked(|q| q.get(&key)).unwrap_or(default)
    };
    let options = found.options;
    let number = options.number.clone();
    let title_number = number.clone();
    let title = move || t_string!(i18n, returns.title, number = title_number.clone()).to_string();
    let heading = title.clone();
    let currency = options.currency.clone();
    let any_large = options.lines.iter().any(|l| l.large && l.blocked.is_none());
    let any_open = options.lines.iter().any(|l| l.blocked.is_none());
    let cost = options.carrier_cost;
    let (conditions_nl, conditions_en) =
        (options.conditions_nl.clone(), options.conditions_en.clone());
    let conditions = (!conditions_nl.is_empty() || !conditions_en.is_empty()).then(|| view! {
        <details class="conditions">
            <summary>{t!(i18n, policy.conditions_heading)}</summary>
            <p>{move || if i18n.get_locale() == Locale::en { conditions_en.clone() } else { conditions_nl.clone() }}</p>
        </details>
    });
    let lines = options
        .lines
        .into_iter()
        .map(|line| view! { <ReturnLineRow line currency=currency.clone() typed /> })
        .collect_view();
    let method = typed("method".into(), "store".into());
    let resolution = typed("resolution".into(), "refund".into());
    let store_chosen = typed("store".into(), String::new());
    let afternoon = typed("pickup_slot".into(), String::new()) == "afternoon";
    let stores = found
        .stores
        .into_iter()
        .map(|s| {
            let selected = s.code == store_chosen;
            view! { <option value=s.code.clone() selected=selected>{format!("{} ({})", s.name, s.city)}</option> }
        })
        .collect_view();
    let radio = move |name: &'static str, value: &'static str, chosen: &str, label: String| {
        let id = format!("return-{name}-{value}");
        let checked = chosen == value;
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name=name value=value checked=checked />
                <label for=id>{label}</label>
            </div>
        }
    };
    let existing = (!found.existing.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="existing-heading">
                <h2 id="existing-heading">{t!(i18n, returns.existing)}</h2>
                <ul class="plain">
                    {found.existing.into_iter().map(|r| {
                        let href = format!("/account/returns/{}", r.code);
                        let status = r.status;
                        view! { <li><a href=href>{r.code.clone()}</a>" · "{move || status_title(i18n.get_locale(), status)}</li> }
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let locale = i18n.get_locale_untracked();
    let cost_text = money(cost, &options.currency, locale);
    view! {
        <Title text=crate::ui::title(title) />
        <h1>{heading}</h1>
        {existing}
        {if !any_open {
            view! { <p class="alert">{t!(i18n, returns.nothing_returnable)}</p> }.into_any()
        } else {
            view! {
                <p>{t!(i18n, returns.intro)}</p>
                {conditions}
                // A plain GET form, also with JavaScript: leptos_router's <Form> lowercases its
                // action, and with it the order number in the path.
                <form method="get" class="stacked-form" action=if desk {
                    format!("/store/orders/{number}/return/review")
                } else {
                    format!("/account/orders/{number}/return/review")
                }>
                    <fieldset>
                        <legend>{t!(i18n, returns.what)}</legend>
                        <ul class="plain return-lines">{lines}</ul>
                    </fieldset>
                    <fieldset>
                        <legend>{t!(i18n, returns.resolution)}</legend>
                        {radio("resolution", "refund", &resolution, td_string!(locale, returns.resolution_refund).to_string())}
                        {radio("resolution", "exchange", &resolution, td_string!(locale, returns.resolution_exchange).to_string())}
                        {radio("resolution", "store_credit", &resolution, td_string!(locale, returns.resolution_store_credit).to_string())}
                    </fieldset>
                    <fieldset hidden=desk>
                        <legend>{t!(i18n, returns.method)}</legend>
                        {radio("method", "store", &method, td_string!(locale, returns.method_store).to_string())}
                        <div class="field nested">
                            <label for="return-store">{t!(i18n, returns.store)}</label>
                            <select id="return-store" name="store">
                                <option value="">{t!(i18n, returns.choose_store)}</option>
                                {stores}
                            </select>
                            <p class="hint"><a href="/stores" target="_blank">{t!(i18n, returns.store_hours_link)}</a></p>
                        </div>
                        {radio("method", "carrier", &method, td_string!(locale, returns.method_carrier, cost = cost_text.clone()).to_string())}
                        {any_large.then(|| view! {
                            {radio("method", "pickup", &method, td_string!(locale, returns.method_pickup).to_string())}
                            <div class="field nested">
                                <label for="return-pickup-date">{t!(i18n, returns.pickup_date)}</label>
                                <input id="return-pickup-date" name="pickup_date" type="date" value=typed("pickup_date".into(), String::new()) />
                                <label for="return-pickup-slot">{t!(i18n, returns.pickup_slot)}</label>
                                <select id="return-pickup-slot" name="pickup_slot">
                                    <option value="morning">{t!(i18n, track.slot_morning)}</option>
                                    <option value="afternoon" selected=afternoon>{t!(i18n, track.slot_afternoon)}</option>
                                </select>
                            </div>
                        })}
                    </fieldset>
                    <button type="submit">{t!(i18n, returns.to_review)}</button>
                </form>
            }.into_any()
        }}
    }
}

#[component]
fn ReturnLineRow<F>(line: LineChoice, currency: String, typed: F) -> impl IntoView
where
    F: Fn(String, String) -> String + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let n = line.line;
    let qty_id = format!("return-qty-{n}");
    let reason_id = format!("return-reason-{n}");
    let note_id = format!("return-note-{n}");
    let exchange_id = format!("return-exchange-{n}");
    let price = {
        let currency = currency.clone();
        let unit = line.unit_refund;
        move || money(unit, &currency, i18n.get_locale())
    };
    let status = match (&line.blocked, &line.until) {
        (Some(reason), _) => {
            let (reason, ended) = (reason.clone(), line.ended_on.clone());
            view! { <p class="muted">{move || blocked_words(i18n.get_locale(), &reason, ended.as_deref())}</p> }.into_any()
        }
        (None, Some(until)) => {
            let (until, trial) = (until.clone(), line.trial);
            view! { <p class="muted">{move || if trial {
                t_string!(i18n, returns.until_trial, date = date(&until, i18n.get_locale())).to_string()
            } else {
                t_string!(i18n, returns.until, date = date(&until, i18n.get_locale())).to_string()
            }}</p> }.into_any()
        }
        _ => ().into_any(),
    };
    let open = line.blocked.is_none();
    let exchange_options = line.exchange_options.clone();
    let chosen_reason = typed(format!("reason[{n}]"), String::new());
    let reasons = REASONS
        .iter()
        .map(|code| {
            let code = *code;
            let selected = chosen_reason == code;
            view! { <option value=code selected=selected>{move || reason_words(i18n.get_locale(), code)}</option> }
        })
        .collect_view();
    view! {
        <li class="card return-line">
            <p><strong>{line.name.clone()}</strong><br /><span class="muted">{line.sku.clone()}" · "{price}</span></p>
            {status}
            {open.then(|| view! {
                <div class="field">
                    <label for=qty_id.clone()>{move || t_string!(i18n, returns.quantity, left = line.left).to_string()}</label>
                    <input id=qty_id.clone() name=format!("quantity[{n}]") type="number" inputmode="numeric" min="0" max=line.left
                        class="qty" value=typed(format!("quantity[{n}]"), "0".into()) />
                </div>
                <div class="field">
                    <label for=reason_id.clone()>{t!(i18n, returns.reason)}</label>
                    <select id=reason_id.clone() name=format!("reason[{n}]")>
                        <option value="">{t!(i18n, returns.choose_reason)}</option>
                        {reasons}
                    </select>
                </div>
                <div class="field">
                    <label for=note_id.clone()>{t!(i18n, returns.note)}</label>
                    <input id=note_id.clone() name=format!("note[{n}]") type="text" maxlength="500" value=typed(format!("note[{n}]"), String::new()) />
                </div>
                <div class="field">
                    <label for=exchange_id.clone()>{t!(i18n, returns.exchange_for)}</label>
                    {if exchange_options.is_empty() {
                        view! { <input id=exchange_id.clone() name=format!("exchange_for[{n}]") type="text" maxlength="100" value=typed(format!("exchange_for[{n}]"), String::new()) /> }.into_any()
                    } else {
                        let chosen = typed(format!("exchange_for[{n}]"), String::new());
                        view! {
                            <select id=exchange_id.clone() name=format!("exchange_for[{n}]")>
                                <option value="">{t!(i18n, returns.choose_exchange)}</option>
                                {exchange_options.clone().into_iter().map(|o| {
                                    let selected = o.sku == chosen;
                                    view! { <option value=o.sku selected=selected>{o.name}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                </div>
            })}
        </li>
    }
}

/// `/account/orders/{number}/return/review`: what comes back and what the customer gets,
/// before they confirm.
#[component]
pub fn ReturnReviewPage() -> impl IntoView {
    view! { <ReviewFrame desk=false /> }
}

/// The review frame, for the customer or (`desk`) at the store desk.
#[component]
pub(super) fn ReviewFrame(desk: bool) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let query = move || location.search.get();
    let quote = Resource::new(
        move || (number(), query()),
        move |(n, q)| async move {
            if desk {
                super::api::desk_review(n, q).await
            } else {
                return_review(n, q).await
            }
        },
    );
    let form_path = move || {
        if desk {
            format!(
                "/store/orders/{}/return{}",
                number(),
                query_with_mark(&query())
            )
        } else {
            format!(
                "/account/orders/{}/return{}",
                number(),
                query_with_mark(&query())
            )
        }
    };
    view! {
        <p class="back-link"><a href=form_path>{t!(i18n, returns.change_choices)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match quote.await {
                    Ok(found) => view! { <Review quote=found number=number() query=query() desk /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/account/orders/{}/return/review{}", number(), query_with_mark(&query())) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::orders::pages::OrderNotFound /> }.into_any(),
                    Err(AppError::Invalid(errors)) => view! {
                        <Title text=crate::ui::title(move || t_string!(i18n, returns.review_title)) />
                        <h1>{t!(i18n, returns.review_title)}</h1>
                        <div class="alert" role="alert">
                            <p>{t!(i18n, returns.fix_first)}</p>
                            <ul>{errors.into_iter().map(|e| view! { <li>{move || error_words(i18n.get_locale(), &e.field, &e.code)}</li> }).collect_view()}</ul>
                        </div>
                        <p><a class="button" href=form_path()>{t!(i18n, returns.change_choices)}</a></p>
                    }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "In exchange for: …" under a line, when the customer asked for an exchange.
pub(super) fn exchange_words(locale: Locale, line: &ReturnLine) -> Option<String> {
    let item = line.exchange_name.clone().or(line.exchange_for.clone())?;
    Some(td_string!(locale, returns.exchange_to, item = item).to_string())
}

/// "Thursday 26 November 2026 · afternoon (12.00–17.00)" for a pickup at home.
pub(super) fn pickup_words(locale: Locale, day: &str, slot: Option<&str>) -> String {
    let part = match slot {
        Some("afternoon") => td_string!(locale, track.slot_afternoon).to_string(),
        Some(_) => td_string!(locale, track.slot_morning).to_string(),
        None => String::new(),
    };
    if part.is_empty() {
        date(day, locale)
    } else {
        format!("{} · {part}", date(day, locale))
    }
}

pub(super) fn query_with_mark(query: &str) -> String {
    if query.is_empty() || query.starts_with('?') {
        query.to_string()
    } else {
        format!("?{query}")
    }
}

pub(super) fn method_words(locale: Locale, method: ReturnMethod) -> String {
    match method {
        ReturnMethod::Carrier => td_string!(locale, returns.by_carrier),
        ReturnMethod::Store => td_string!(locale, returns.by_store),
        ReturnMethod::Pickup => td_string!(locale, returns.by_pickup),
    }
    .to_string()
}

pub(super) fn resolution_words(locale: Locale, resolution: Resolution) -> String {
    match resolution {
        Resolution::Refund => td_string!(locale, returns.resolution_refund),
        Resolution::Exchange => td_string!(locale, returns.resolution_exchange),
        Resolution::StoreCredit => td_string!(locale, returns.resolution_store_credit),
    }
    .to_string()
}

#[component]
fn Review(quote: Quote, number: String, query: String, desk: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmReturn>::new();
    let desk_action = ServerAction::<super::api::DeskConfirm>::new();
    let error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| desk_action.value().get().and_then(Result::err))
    });
    let q = quote;
    let currency = q.currency.clone();
    let (refund, cost) = (q.refund, q.cost);
    let (c1, c2) = (currency.clone(), currency.clone());
    let items = q
        .lines
        .iter()
        .map(|l| {
            let reason = l.reason.clone();
            let line = l.clone();
            let exchange = (q.resolution == Resolution::Exchange).then(|| view! { <br /><span class="muted">{move || exchange_words(i18n.get_locale(), &line)}</span> });
            view! { <li>{format!("{} × {}", l.quantity, l.name)}" · "{move || reason_words(i18n.get_locale(), &reason)}{exchange}</li> }
        })
        .collect_view();
    let (method, resolution) = (q.method, q.resolution);
    let store = q.store.clone();
    let refund_to = q.refund_to.clone();
    let pickup = q.pickup_date.clone().map(|d| (d, q.pickup_slot.clone()));
    let any_damaged = q
        .lines
        .iter()
        .any(|l| PHOTO_REASONS.contains(&l.reason.as_str()));
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, returns.review_title)) />
        <h1>{t!(i18n, returns.review_title)}</h1>
        <section class="card" aria-labelledby="review-heading">
            <h2 id="review-heading">{t!(i18n, returns.review_what)}</h2>
            <ul class="plain">{items}</ul>
            <dl class="order-facts">
                <div><dt>{t!(i18n, returns.method)}</dt><dd>{move || method_words(i18n.get_locale(), method)}{store.clone().map(|s| format!(" ({s})"))}</dd></div>
                {pickup.clone().map(|(day, slot)| view! {
                    <div><dt>{t!(i18n, returns.pickup_on)}</dt><dd>{move || pickup_words(i18n.get_locale(), &day, slot.as_deref())}</dd></div>
                })}
                <div><dt>{t!(i18n, returns.resolution)}</dt><dd>{move || resolution_words(i18n.get_locale(), resolution)}</dd></div>
                {(cost > 0).then(|| view! { <div><dt>{t!(i18n, returns.cost)}</dt><dd>{move || money(cost, &c1, i18n.get_locale())}</dd></div> })}
                {(resolution != Resolution::Exchange).then(|| view! {
                    <div class="grand-total"><dt>{t!(i18n, returns.you_get)}</dt><dd>{move || money(refund, &c2, i18n.get_locale())}
                        {refund_to.clone().map(|m| view! { " · "{move || t_string!(i18n, returns.refund_to, method = m.clone()).to_string()} })}
                    </dd></div>
                })}
            </dl>
            <p class="hint">{t!(i18n, returns.review_hint)}</p>
            {(!desk && any_damaged).then(|| view! { <p class="hint">{t!(i18n, returns.photo_after_confirm)}</p> })}
        </section>
        {move || error.get().map(|error| view! { <ErrorMessage error /> })}
        {if desk {
            view! {
                <ActionForm action=desk_action attr:class="stacked-form">
                    <input type="hidden" name="number" value=number.clone() />
                    <input type="hidden" name="query" value=query.clone() />
                    <button type="submit">{t!(i18n, desk.register)}</button>
                </ActionForm>
            }.into_any()
        } else {
            view! {
                <ActionForm action attr:class="stacked-form">
                    <input type="hidden" name="number" value=number.clone() />
                    <input type="hidden" name="query" value=query.clone() />
                    <button type="submit">{t!(i18n, returns.confirm)}</button>
                </ActionForm>
            }.into_any()
        }}
    }
}

pub fn status_title(locale: Locale, status: ReturnStatus) -> String {
    match status {
        ReturnStatus::Registered => td_string!(locale, returns.status_registered),
        ReturnStatus::HandedIn => td_string!(locale, returns.status_handed_in),
        ReturnStatus::Received => td_string!(locale, returns.status_received),
        ReturnStatus::Inspected => td_string!(locale, returns.status_inspected),
        ReturnStatus::Refunded => td_string!(locale, returns.status_refunded),
        ReturnStatus::Exchanged => td_string!(locale, returns.status_exchanged),
        ReturnStatus::Credited => td_string!(locale, returns.status_credited),
        ReturnStatus::Cancelled => td_string!(locale, returns.status_cancelled),
    }
    .to_string()
}

/// The heading of a return's own page: the status, said more precisely where we can
/// ("Return label ready", "Handed in at Slaapwereld Utrecht").
pub(super) fn status_heading(locale: Locale, ret: &super::Return) -> String {
    match (ret.status, ret.method, &ret.handed_in_place) {
        (ReturnStatus::Registered, ReturnMethod::Carrier, _) => {
            td_string!(locale, returns.status_label_ready).to_string()
        }
        (ReturnStatus::HandedIn, _, Some(place)) => {
            td_string!(locale, returns.status_handed_in_at, place = place.as_str()).to_string()
        }
        (status, _, _) => status_title(locale, status),
    }
}

pub(super) fn status_text(locale: Locale, status: ReturnStatus, method: ReturnMethod) -> String {
    match (status, method) {
        (ReturnStatus::Registered, ReturnMethod::Store) => {
            td_string!(locale, returns.text_registered_store)
        }
        (ReturnStatus::Registered, ReturnMethod::Carrier) => {
            td_string!(locale, returns.text_registered_carrier)
        }
        (ReturnStatus::Registered, ReturnMethod::Pickup) => {
            td_string!(locale, returns.text_registered_pickup)
        }
        (ReturnStatus::HandedIn, _) => td_string!(locale, returns.text_handed_in),
        (ReturnStatus::Received, _) => td_string!(locale, returns.text_received),
        (ReturnStatus::Inspected, _) => td_string!(locale, returns.text_inspected),
        (ReturnStatus::Refunded, _) => td_string!(locale, returns.text_refunded),
        (ReturnStatus::Exchanged, _) => td_string!(locale, returns.text_exchanged),
        (ReturnStatus::Credited, _) => td_string!(locale, returns.text_credited),
        (ReturnStatus::Cancelled, _) => td_string!(locale, returns.text_cancelled),
    }
    .to_string()
}
