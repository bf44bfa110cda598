//! A return's own page (`/account/returns/{code}`): its status in plain words, its code
//! as QR code, what happens next, the result per item, and the photos of damage.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{CancelReturn, my_return};
use super::pages::{
    exchange_words, pickup_words, reason_words, resolution_words, status_heading, status_text,
};
use super::{
    MAX_PHOTOS_PER_LINE, Outcome, PHOTO_REASONS, Resolution, ReturnLine, ReturnMethod,
    ReturnStatus, ReturnView,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::stores::pages::OpeningHoursTable;
use crate::ui::error_view::ErrorMessage;
use crate::ui::format::{date_time, money};
use crate::ui::pages::LoginFirst;

/// `/account/returns/{code}`: a return, its status in plain words, its code as QR code.
#[component]
pub fn ReturnPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    // Cancelling redirects to this same page: with JavaScript the router stays put, so the
    // return is read again after each cancel.
    let cancel = ServerAction::<CancelReturn>::new();
    let found = Resource::new(
        move || (code(), cancel.version().get()),
        |(code, _)| my_return(code),
    );
    view! {
        <p class="back-link"><a href="/account/orders">{t!(i18n, orders.back)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(view) => view! { <ReturnDetail view cancel /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/account/returns/{}", code()) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::orders::pages::OrderNotFound /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReturnDetail(view: ReturnView, cancel: ServerAction<CancelReturn>) -> impl IntoView {
    let i18n = use_i18n();
    let r = view.ret;
    let code = r.code.clone();
    let title_code = code.clone();
    let (status, method, resolution) = (r.status, r.method, r.resolution);
    let currency = r.currency.clone();
    let refund = r.refund;
    let created = view.created_local.clone();
    let photos_open = matches!(
        status,
        ReturnStatus::Registered | ReturnStatus::HandedIn | ReturnStatus::Received
    );
    let lines = r
        .lines
        .iter()
        .map(|l| {
            let reason = l.reason.clone();
            let outcome = l.outcome;
            let why = l.outcome_reason.clone();
            view! {
                <li id=format!("line-{}", l.line)>
                    {format!("{} × {}", l.quantity, l.name)}" · "{move || reason_words(i18n.get_locale(), &reason)}
                    {(resolution == Resolution::Exchange).then(|| { let line = l.clone(); view! { <br /><span class="muted">{move || exchange_words(i18n.get_locale(), &line)}</span> } })}
                    {outcome.map(|o| view! {
                        <br /><strong class="outcome" data-outcome=o.as_str()>{move || if o == Outcome::Accepted { t_string!(i18n, returns.accepted).to_string() } else { t_string!(i18n, returns.rejected).to_string() }}</strong>
                        {why.clone().map(|w| format!(": {w}"))}
                    })}
                    <LinePhotos code=r.code.clone() line=l.clone() base="/account/returns" can_change=photos_open />
                </li>
            }
        })
        .collect_view();
    let show_code = status == ReturnStatus::Registered && method != ReturnMethod::Pickup;
    let store = view.store.clone().map(|s| view! {
        <section class="card" aria-labelledby="store-heading">
            <h2 id="store-heading">{t!(i18n, returns.drop_off_at)}</h2>
            <p><strong>{s.name.clone()}</strong><br />{s.street.clone()}<br />{format!("{} {}", s.postcode, s.city)}</p>
            <OpeningHoursTable hours=s.opening_hours.clone() />
        </section>
    });
    let heading_of = r.clone();
    let query = use_query_map();
    let photo_done = query.with_untracked(|q| q.get("photo"));
    // A refusal about no line in particular (removing a photo too late).
    let photo_refused = query.with_untracked(|q| {
        q.get("line")
            .is_none()
            .then(|| q.get("photo_error"))
            .flatten()
    });
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, returns.page_title, code = title_code.clone()).to_string()) />
        <h1>{move || t_string!(i18n, returns.page_title, code = code.clone()).to_string()}</h1>
        {photo_done.map(|done| view! {
            <p class="alert alert-success" role="status">{move || if done == "removed" { t_string!(i18n, returns.photo_removed).to_string() } else { t_string!(i18n, returns.photo_added).to_string() }}</p>
        })}
        {photo_refused.map(|code| view! {
            <p class="alert alert-error" role="alert">{move || photo_error_words(i18n.get_locale(), &code)}</p>
        })}
        <div class="status-block" data-status=status.as_str() role="status">
            <p class="status-title"><strong>{move || status_heading(i18n.get_locale(), &heading_of)}</strong></p>
            <p class="status-text">{move || status_text(i18n.get_locale(), status, method)}</p>
        </div>
        {show_code.then(|| view! {
            <section class="card return-code" aria-labelledby="code-heading">
                <h2 id="code-heading">{t!(i18n, returns.your_code)}</h2>
                <div class="qr" role="img" aria-label=r.code.clone() inner_html=view.qr_svg.clone()></div>
                <p class="card-number">{r.code.clone()}</p>
                {(method == ReturnMethod::Carrier).then(|| view! {
                    <p><a class="button" href=format!("/account/returns/{}/label.pdf", r.code) rel="external">{t!(i18n, returns.label_link)}</a></p>
                })}
            </section>
        })}
        {store}
        <section aria-labelledby="items-heading">
            <h2 id="items-heading">{t!(i18n, returns.items)}</h2>
            <ul class="plain">{lines}</ul>
            <dl class="order-facts">
                <div><dt>{t!(i18n, returns.order)}</dt><dd><a href=format!("/account/orders/{}", r.order)>{r.order.clone()}</a></dd></div>
                <div><dt>{t!(i18n, returns.registered_on)}</dt><dd>{move || date_time(&created, i18n.get_locale())}</dd></div>
                {r.handed_in_place.clone().map(|place| view! {
                    <div><dt>{t!(i18n, returns.handed_in_at)}</dt><dd>{place}</dd></div>
                })}
                {r.pickup_date.clone().map(|day| { let slot = r.pickup_slot.clone(); view! {
                    <div><dt>{t!(i18n, returns.pickup_on)}</dt><dd>{move || pickup_words(i18n.get_locale(), &day, slot.as_deref())}</dd></div>
                } })}
                <div><dt>{t!(i18n, returns.resolution)}</dt><dd>{move || resolution_words(i18n.get_locale(), resolution)}</dd></div>
                {(resolution != Resolution::Exchange).then(|| view! {
                    <div><dt>{t!(i18n, returns.you_get)}</dt><dd>{move || money(refund, &currency, i18n.get_locale())}</dd></div>
                })}
            </dl>
        </section>
        {view.can_cancel.then(|| view! {
            <ActionForm action=cancel>
                <input type="hidden" name="code" value=r.code.clone() />
                <button type="submit" class="button-outline">{t!(i18n, returns.cancel)}</button>
            </ActionForm>
        })}
    }
}

fn photo_error_words(locale: Locale, code: &str) -> String {
    match code {
        "too_large" => td_string!(locale, returns.photo_error_too_large),
        "not_a_photo" => td_string!(locale, returns.photo_error_not_a_photo),
        "required" => td_string!(locale, returns.photo_error_required),
        "too_many" => td_string!(locale, returns.photo_error_too_many),
        "closed" => td_string!(locale, returns.photo_error_closed),
        _ => td_string!(locale, returns.photo_error_other),
    }
    .to_string()
}

/// The photos of one return line (each links to the full picture) and, for the customer
/// until the return is checked, a plain multipart form to add one (server/src/return_photos.rs
/// answers it with a redirect back here, with `photo_error` and `line` when refused).
#[component]
pub(super) fn LinePhotos(
    code: String,
    line: ReturnLine,
    /// `/account/returns` (the customer) or `/store/returns` (the desk).
    base: &'static str,
    /// The customer, until the return is checked: may add and remove photos. The desk
    /// only looks.
    can_change: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let n = line.line;
    let may_add = can_change
        && PHOTO_REASONS.contains(&line.reason.as_str())
        && line.photos.len() < MAX_PHOTOS_PER_LINE;
    let refused = query.with_untracked(|q| {
        (q.get("line").and_then(|l| l.parse::<i32>().ok()) == Some(n))
            .then(|| q.get("photo_error"))
            .flatten()
    });
    let photos = line
        .photos
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let src = format!("{base}/{code}/photos/{id}");
            let href = src.clone();
            let number = i + 1;
            let item = line.name.clone();
            let alt = move || t_string!(i18n, returns.photo_alt, n = number, item = item.clone()).to_string();
            let remove = can_change.then(|| view! {
                <form method="post" action=format!("{base}/{code}/photos/{id}/delete")>
                    <button type="submit" class="button-link">{move || t_string!(i18n, returns.photo_remove, n = number).to_string()}</button>
                </form>
            });
            view! {
                <li>
                    <a href=href rel="external" target="_blank"><img src=src alt=alt width="160" loading="lazy" /></a>
                    {remove}
                </li>
            }
        })
        .collect_view();
    let input_id = format!("photo-{n}");
    let hint_id = format!("photo-{n}-hint");
    let error_id = format!("photo-{n}-error");
    let described = if refused.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    view! {
        {(!line.photos.is_empty()).then(|| view! {
            <div class="return-photos">
                <p class="muted">{t!(i18n, returns.photos_of)}</p>
                <ul class="plain photo-list">{photos}</ul>
            </div>
        })}
        {may_add.then(|| view! {
            <form method="post" enctype="multipart/form-data" action=format!("{base}/{code}/lines/{n}/photos") class="photo-form">
                <div class="field">
                    <label for=input_id.clone()>{t!(i18n, returns.photo_label)}</label>
                    <input id=input_id.clone() type="file" name="photo" accept="image/jpeg,image/png,image/webp"
                        aria-describedby=described aria-invalid=refused.is_some().then_some("true") />
                    <p class="hint" id=hint_id>{t!(i18n, returns.photo_hint)}</p>
                    {refused.clone().map(|code| view! {
                        <p class="field-error" id=error_id>{move || photo_error_words(i18n.get_locale(), &code)}</p>
                    })}
                </div>
                <button type="submit" class="button-outline">{t!(i18n, returns.photo_add)}</button>
            </form>
        })}
    }
}
