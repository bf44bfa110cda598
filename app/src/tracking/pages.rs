//! Track & trace pages: the tracking view on an order page, the public tracking page
//! (`/track`), the delivery change form, and the admin's status sentences.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    ChangeOptions, RequestDeliveryChange, SaveTrackingTexts, change_choice, track_order,
    tracking_admin,
};
use super::{
    DeliveryRequest, OrderTracking, ParcelView, RequestKind, RequestStatus, StatusLine, TextRow,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date, date_time};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
use crate::ui::pages::LoginFirst;

fn language(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        _ => "nl",
    }
}

/// A status as one block: title, sentence, next step and what the customer can do.
#[component]
pub fn StatusBlock(line: StatusLine, #[prop(optional)] heading_level: u8) -> impl IntoView {
    let i18n = use_i18n();
    let status = line.status;
    let l1 = line.clone();
    let words = move || l1.words(language(i18n.get_locale())).clone();
    let w1 = words.clone();
    let w2 = words.clone();
    let w3 = words.clone();
    let title = move || w1().title;
    let heading = if heading_level == 3 {
        view! { <h3 class="status-title">{title}</h3> }.into_any()
    } else {
        view! { <p class="status-title"><strong>{title}</strong></p> }.into_any()
    };
    view! {
        <div class="status-block" data-status=status.as_str() data-tone=status.tone()>
            {heading}
            <p class="status-text">{move || w2().text}</p>
            <p class="status-next">{move || w3().next}</p>
            {move || words().action.map(|a| view! { <p class="status-action">{a}</p> })}
        </div>
    }
}

/// An order's tracking: its status, then one card per parcel with its timeline.
/// `owner`: show items, requests and links to ask for a change.
#[component]
pub fn TrackingView(tracking: OrderTracking, owner: bool) -> impl IntoView {
    let i18n = use_i18n();
    let count = tracking.parcels.len();
    let number = tracking.number.clone();
    let parcels = tracking
        .parcels
        .into_iter()
        .enumerate()
        .map(|(i, parcel)| view! { <Parcel parcel n=i + 1 count number=number.clone() owner /> })
        .collect_view();
    view! {
        <section class="tracking" id="parcels" aria-labelledby="tracking-heading">
            <h2 id="tracking-heading">{t!(i18n, track.heading)}</h2>
            <StatusBlock line=tracking.status />
            {(count > 0).then(|| view! { <ol class="parcel-list plain">{parcels}</ol> })}
        </section>
    }
}

#[component]
fn Parcel(
    parcel: ParcelView,
    n: usize,
    count: usize,
    number: String,
    owner: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = parcel;
    let heading_id = format!("parcel-{n}");
    let labelled_by = heading_id.clone();
    let carrier = p.carrier_name.clone();
    let tracking_number = p.tracking_number.clone();
    let carrier_line = {
        let (c, t) = (carrier.clone(), tracking_number.clone());
        move || {
            t_string!(
                i18n,
                track.carrier_and_code,
                carrier = c.clone(),
                code = t.clone()
            )
            .to_string()
        }
    };
    let link = p.tracking_url.clone().map(|url| {
        let c = carrier.clone();
        view! { <a href=url rel="external noopener" target="_blank">{move || t_string!(i18n, track.carrier_link, carrier = c.clone()).to_string()}</a> }
    });
    let expected = p.expected_date.clone().filter(|_| p.current.status != super::TrackingStatus::Delivered).map(|d| {
        let window = p.window.clone();
        view! {
            <div><dt>{t!(i18n, track.expected)}</dt>
            <dd>{move || match window.clone() {
                Some((from, to)) => t_string!(i18n, track.expected_window, date = date(&d, i18n.get_locale()), from = from, to = to).to_string(),
                None => date(&d, i18n.get_locale()),
            }}</dd></div>
        }
    });
    let pickup = p.pickup_point.clone().map(|pp| {
        let before = pp.collect_before.clone();
        view! {
            <div><dt>{t!(i18n, track.pickup_point)}</dt>
            <dd>{pp.name.clone()}<br />{pp.street.clone()}<br />{format!("{} {}", pp.postcode, pp.city)}
                {before.map(|b| view! { <br /><strong>{move || t_string!(i18n, track.collect_before, date = date(&b, i18n.get_locale())).to_string()}</strong> })}
            </dd></div>
        }
    });
    let from_store = p
        .from_store
        .clone()
        .map(|s| view! { <div><dt>{t!(i18n, track.from_store)}</dt><dd>{s}</dd></div> });
    let timeline = p
        .timeline
        .iter()
        .map(|e| {
            let (nl, en) = (e.title_nl.clone(), e.title_en.clone());
            let at = e.at_local.clone();
            let location = e.location.clone();
            view! {
                <li data-status=e.status.as_str()>
                    <span class="when">{move || date_time(&at, i18n.get_locale())}</span>" "
                    <span class="what">{move || if i18n.get_locale() == Locale::en { en.clone() } else { nl.clone() }}</span>
                    {location.map(|l| view! { <span class="where muted">{format!(" · {l}")}</span> })}
                </li>
            }
        })
        .collect_view();
    let has_timeline = !p.timeline.is_empty();
    let items = (owner && !p.items.is_empty()).then(|| {
        view! { <ul class="plain parcel-items">{p.items.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul> }
    });
    let request = p
        .request
        .clone()
        .map(|r| view! { <RequestBox request=r /> });
    let change = (owner && !p.can_request.is_empty()).then(|| {
        let href = format!("/account/orders/{}/parcels/{}/change", number, p.id);
        view! { <p><a class="button-outline" href=href>{t!(i18n, track.change_delivery)}</a></p> }
    });
    view! {
        <li class="card parcel" aria-labelledby=labelled_by>
            <h3 id=heading_id>{move || t_string!(i18n, orders.parcel, n = n, count = count).to_string()}</h3>
            <StatusBlock line=p.current.clone() />
            {request}
            {change}
            <dl class="parcel-facts">
                <div><dt>{t!(i18n, track.carrier)}</dt><dd>{carrier_line}{link.map(|l| view! { <br />{l} })}</dd></div>
                {expected}
                {pickup}
                {from_store}
            </dl>
            {items}
            {has_timeline.then(|| view! {
                <details class="timeline" open=true>
                    <summary>{t!(i18n, track.timeline)}</summary>
                    <ol class="plain timeline-list">{timeline}</ol>
                </details>
            })}
        </li>
    }
}

fn kind_words(locale: Locale, kind: RequestKind) -> String {
    match kind {
        RequestKind::AnotherDay => td_string!(locale, track.kind_another_day),
        RequestKind::Neighbour => td_string!(locale, track.kind_neighbour),
        RequestKind::PickupPoint => td_string!(locale, track.kind_pickup_point),
        RequestKind::DeliverySlot => td_string!(locale, track.kind_delivery_slot),
    }
    .to_string()
}

fn slot_words(locale: Locale, slot: &str) -> String {
    match slot {
        "morning" => td_string!(locale, track.slot_morning),
        "afternoon" => td_string!(locale, track.slot_afternoon),
        _ => td_string!(locale, track.slot_evening),
    }
    .to_string()
}

/// A delivery change request and its answer, in the parcel's card.
#[component]
fn RequestBox(request: DeliveryRequest) -> impl IntoView {
    let i18n = use_i18n();
    let r = request;
    let status = r.status;
    let kind = r.kind;
    let details = {
        let r = r.clone();
        move || {
            let locale = i18n.get_locale();
            let mut parts = vec![kind_words(locale, r.kind)];
            if let Some(d) = &r.date {
                parts.push(date(d, locale));
            }
            if let Some(s) = &r.slot {
                parts.push(slot_words(locale, s));
            }
            if let Some(n) = &r.neighbour {
                parts.push(n.clone());
            }
            if r.take_away_old {
                parts.push(td_string!(locale, track.take_away_old_short).to_string());
            }
            parts.join(" · ")
        }
    };
    let heading = move || match status {
        RequestStatus::Requested => t_string!(i18n, track.request_requested),
        RequestStatus::Confirmed => t_string!(i18n, track.request_confirmed),
        RequestStatus::Declined => t_string!(i18n, track.request_declined),
    };
    let note = r.decision_note.clone();
    view! {
        <div class="request-box" data-status=status.as_str() data-kind=kind.as_str() role="status">
            <p><strong>{heading}</strong></p>
            <p>{details}</p>
            {note.map(|n| view! { <p><strong>{t!(i18n, cancel.their_note)}": "</strong>{n}</p> })}
        </div>
    }
}

/// `/track`: follow an order without logging in: order number and delivery postcode.
#[component]
pub fn PublicTrackPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let order = move || query.with(|q| q.get("order").unwrap_or_default());
    let postcode = move || query.with(|q| q.get("postcode").unwrap_or_default());
    let asked = move || (order(), postcode());
    let found = Resource::new(asked, |(o, p)| async move {
        if o.trim().is_empty() && p.trim().is_empty() {
            None
        } else {
            Some(track_order(o, p).await)
        }
    });
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, track.public_title)) />
        <h1>{t!(i18n, track.public_title)}</h1>
        <p class="lead">{t!(i18n, track.public_intro)}</p>
        <Form method="GET" action="/track" attr:class="stacked-form track-form">
            <div class="field">
                <label for="track-order">{t!(i18n, track.order_number)}</label>
                <input id="track-order" name="order" type="text" autocomplete="off" required=true
                    prop:value=order value=order() placeholder="WS-240310" />
            </div>
            <div class="field">
                <label for="track-postcode">{t!(i18n, track.postcode)}</label>
                <input id="track-postcode" name="postcode" type="text" autocomplete="postal-code" required=true
                    prop:value=postcode value=postcode() />
                <p class="hint">{t!(i18n, track.postcode_hint)}</p>
            </div>
            <button type="submit">{t!(i18n, track.find)}</button>
        </Form>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    None => ().into_any(),
                    Some(Ok(tracking)) => view! {
                        <h2 class="visually-hidden">{move || t_string!(i18n, orders.detail_title, number = order()).to_string()}</h2>
                        <TrackingView tracking owner=false />
                        <p><a href=format!("/login?next=%2Faccount%2Forders%2F{}", order())>{t!(i18n, track.log_in_for_more)}</a></p>
                    }.into_any(),
                    Some(Err(AppError::NotFound)) => view! { <p class="alert" role="alert">{t!(i18n, track.not_found)}</p> }.into_any(),
                    Some(Err(AppError::Invalid(errors))) if errors.iter().any(|e| e.code == "throttled") => {
                        view! { <p class="alert" role="alert">{t!(i18n, track.throttled)}</p> }.into_any()
                    }
                    Some(Err(AppError::Invalid(_))) => view! { <p class="alert" role="alert">{t!(i18n, track.fill_both)}</p> }.into_any(),
                    Some(Err(err)) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/account/orders/{number}/parcels/{shipment}/change`: another day, a neighbour, a
/// pickup point, or (large items) a delivery slot.
#[component]
pub fn DeliveryChangePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let shipment = move || params.with(|p| p.get("shipment").unwrap_or_default());
    let found = Resource::new(move || (number(), shipment()), |(n, s)| change_choice(n, s));
    view! {
        <p class="back-link"><a href=move || format!("/account/orders/{}", number())>{t!(i18n, orders.back_to_order)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(options) => view! { <ChangeForm options /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/account/orders/{}/parcels/{}/change", number(), shipment()) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::orders::pages::OrderNotFound /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangeForm(options: ChangeOptions) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestDeliveryChange>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let parcel = options.parcel.clone();
    let allowed = parcel.can_request.clone();
    let title = move || t_string!(i18n, track.change_title).to_string();
    if allowed.is_empty() {
        return view! {
            <Title text=crate::ui::title(title) />
            <h1>{title}</h1>
            <StatusBlock line=parcel.current.clone() />
            <p class="alert">{t!(i18n, track.change_not_possible)}</p>
        }
        .into_any();
    }
    let kind = kept(error, "kind", allowed[0].as_str().to_string());
    let slot_kept = kept(error, "slot", String::new());
    let choices = allowed
        .iter()
        .map(|k| {
            let k = *k;
            let id = format!("change-kind-{}", k.as_str());
            let chosen = kind.clone();
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="kind" value=k.as_str() checked=move || chosen() == k.as_str() />
                    <label for=id>{move || kind_words(i18n.get_locale(), k)}</label>
                </div>
            }
        })
        .collect_view();
    let slot_field = allowed.contains(&RequestKind::DeliverySlot).then(|| {
        let options = super::SLOTS
            .iter()
            .map(|s| {
                let s = *s;
                let chosen = slot_kept.clone();
                view! { <option value=s selected=move || chosen() == s>{move || slot_words(i18n.get_locale(), s)}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="change-slot">{t!(i18n, track.slot)}</label>
                <select id="change-slot" name="slot" aria-invalid=invalid(error, "slot") aria-describedby="change-slot-error">
                    <option value="">{t!(i18n, track.choose_slot)}</option>
                    {options}
                </select>
                <FieldErrors field="slot" field_id="change-slot" error />
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="change-take-away" name="take_away_old" value="yes"
                    checked=move || !kept(error, "take_away_old", String::new())().is_empty() />
                <label for="change-take-away">{t!(i18n, track.take_away_old)}</label>
            </div>
        }
    });
    let needs_date = allowed
        .iter()
        .any(|k| matches!(k, RequestKind::AnotherDay | RequestKind::DeliverySlot));
    let neighbour = allowed.contains(&RequestKind::Neighbour);
    view! {
        <Title text=crate::ui::title(title) />
        <h1>{title}</h1>
        <StatusBlock line=parcel.current.clone() />
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="number" value=options.number.clone() />
            <input type="hidden" name="shipment" value=parcel.id.clone() />
            <fieldset aria-describedby="change-kind-error">
                <legend>{t!(i18n, track.what_change)}</legend>
                {choices}
                <FieldErrors field="kind" field_id="change-kind" error />
            </fieldset>
            {needs_date.then(|| view! {
                <div class="field">
                    <label for="change-date">{t!(i18n, track.date)}</label>
                    <input id="change-date" name="date" type="date" min=options.first_day.clone() max=options.last_day.clone()
                        value=kept(error, "date", String::new()) aria-invalid=invalid(error, "date") aria-describedby="change-date-hint change-date-error" />
                    <p class="hint" id="change-date-hint">{t!(i18n, track.date_hint)}</p>
                    <FieldErrors field="date" field_id="change-date" error />
                </div>
            })}
            {slot_field}
            {neighbour.then(|| view! {
                <div class="field">
                    <label for="change-neighbour">{t!(i18n, track.neighbour)}</label>
                    <input id="change-neighbour" name="neighbour" type="text" maxlength="100"
                        value=kept(error, "neighbour", String::new()) aria-invalid=invalid(error, "neighbour") aria-describedby="change-neighbour-error" />
                    <FieldErrors field="neighbour" field_id="change-neighbour" error />
                </div>
            })}
            <div class="field">
                <label for="change-note">{t!(i18n, track.note)}</label>
                <textarea id="change-note" name="note" rows="2" maxlength="500"
                    aria-invalid=invalid(error, "note") aria-describedby="change-note-error">{kept(error, "note", String::new())}</textarea>
                <FieldErrors field="note" field_id="change-note" error />
            </div>
            <p class="hint">{t!(i18n, track.change_what_happens)}</p>
            <button type="submit">{t!(i18n, track.change_submit)}</button>
        </ActionForm>
    }
    .into_any()
}

/// `/admin/tracking`: the retailer's sentence per status and language, and the carrier
/// codes we did not understand.
#[component]
pub fn TrackingTextsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved"));
    let found = Resource::new(saved, |_| tracking_admin());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, track.admin_title)) />
        <h1>{t!(i18n, track.admin_title)}</h1>
        <div role="status">{move || saved().map(|_| view! { <p class="alert alert-success">{t!(i18n, track.admin_saved)}</p> })}</div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(admin) => view! { <TextsTable rows=admin.rows /> <UnknownCodes codes=admin.unknown /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/admin/tracking".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TextsTable(rows: Vec<TextRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="lead">{t!(i18n, track.admin_intro)}</p>
        {rows.into_iter().map(|row| view! { <TextRowForm row /> }).collect_view()}
    }
}

/// One status: its own form, so an error shows where it belongs.
#[component]
fn TextRowForm(row: TextRow) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveTrackingTexts>::new();
    let status = row.status.as_str();
    // Every row's form posts to the same server function: an error (which, without
    // JavaScript, comes back in the address) belongs to the row that sent it.
    let error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.kept("status") == Some(status))
    });
    let (id_nl, id_en) = (format!("text-nl-{status}"), format!("text-en-{status}"));
    let (title_nl, title_en) = (row.title_nl.clone(), row.title_en.clone());
    let title = move || {
        if i18n.get_locale() == Locale::en {
            title_en.clone()
        } else {
            title_nl.clone()
        }
    };
    view! {
        <section class="card text-row" id=format!("status-{status}") aria-labelledby=format!("status-{status}-heading")>
            <h2 id=format!("status-{status}-heading")>{title}</h2>
            <ActionForm action attr:class="stacked-form">
                <input type="hidden" name="status" value=status />
                <div class="field">
                    <label for=id_nl.clone()>{t!(i18n, track.admin_text_nl)}</label>
                    <textarea id=id_nl.clone() name="text_nl" rows="2" maxlength="300" placeholder=row.builtin_nl.clone()
                        aria-invalid=invalid(error, "text_nl") aria-describedby=format!("{id_nl}-error")>{kept(error, "text_nl", row.own_nl.clone().unwrap_or_default())}</textarea>
                    <p class="hint">{t!(i18n, track.admin_builtin)}": "{row.builtin_nl.clone()}</p>
                    <FieldErrors field="text_nl" field_id=id_nl.clone() error />
                </div>
                <div class="field">
                    <label for=id_en.clone()>{t!(i18n, track.admin_text_en)}</label>
                    <textarea id=id_en.clone() name="text_en" rows="2" maxlength="300" placeholder=row.builtin_en.clone()
                        aria-invalid=invalid(error, "text_en") aria-describedby=format!("{id_en}-error")>{kept(error, "text_en", row.own_en.clone().unwrap_or_default())}</textarea>
                    <p class="hint">{t!(i18n, track.admin_builtin)}": "{row.builtin_en.clone()}</p>
                    <FieldErrors field="text_en" field_id=id_en.clone() error />
                </div>
                <button type="submit">{t!(i18n, track.admin_save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn UnknownCodes(codes: Vec<super::UnknownCode>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = codes.is_empty();
    let rows = codes
        .into_iter()
        .map(|c| {
            let last = c.last_seen_local.clone();
            view! {
                <tr><td data-label=move || t_string!(i18n, track.carrier)>{c.carrier}</td>
                <td data-label=move || t_string!(i18n, track.code)><code>{c.code}</code></td>
                <td class="num" data-label=move || t_string!(i18n, track.seen)>{c.seen}</td>
                <td data-label=move || t_string!(i18n, track.last_seen)>{move || date_time(&last, i18n.get_locale())}</td></tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="unknown-heading">
            <h2 id="unknown-heading">{t!(i18n, track.unknown_heading)}</h2>
            <p>{t!(i18n, track.unknown_intro)}</p>
            {if empty {
                view! { <p>{t!(i18n, track.unknown_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="stacking">
                        <thead><tr><th scope="col">{t!(i18n, track.carrier)}</th><th scope="col">{t!(i18n, track.code)}</th>
                        <th scope="col" class="num">{t!(i18n, track.seen)}</th><th scope="col">{t!(i18n, track.last_seen)}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}
