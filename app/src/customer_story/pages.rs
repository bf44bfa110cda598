//! `/service/customers/{id}`: the customer's story for customer service, and the form
//! for a note of this contact (a plain POST too).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::load_customer_story;
use super::{ConsentLine, CustomerStory, OpenReturn};
use crate::customer_service::api::{AddContactNote, StartHelping};
use crate::customer_service::{ContactNote, NoteChannel};
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::HistoryRow;
use crate::orders::pages::{channel_words, items_summary, status_words};
use crate::tracking::pages::StatusBlock;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date, date_time, money};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
use crate::ui::pages::LoginFirst;

#[component]
pub fn CustomerStoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("customer")).unwrap_or_default();
    let noted = move || query.with(|q| q.get("noted")).is_some();
    let found = Resource::new(move || (id(), noted()), |(id, _)| load_customer_story(id));
    // Made here, in the route, where a refused form without JavaScript finds its error.
    let start = ServerAction::<StartHelping>::new();
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(story) => view! { <Story story noted=noted() start /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/service/customers/{}", id()) /> }.into_any(),
                    Err(err) => view! {
                        <Title text=crate::ui::title(move || t_string!(i18n, service.find_title)) />
                        <h1>{t!(i18n, service.find_title)}</h1>
                        <ErrorMessage error=err />
                        <p><a href="/service/customers">{t!(i18n, service.back_to_search)}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Story(story: CustomerStory, noted: bool, start: ServerAction<StartHelping>) -> impl IntoView {
    let i18n = use_i18n();
    let c = story.customer;
    let name = c.name.clone();
    let title_name = name.clone();
    let help_name = name.clone();
    let yes_no = move |yes: bool| {
        if yes {
            t_string!(i18n, service.yes).to_string()
        } else {
            t_string!(i18n, service.no).to_string()
        }
    };
    let language = match c.language {
        crate::language::Language::Nl => "Nederlands",
        crate::language::Language::En => "English",
    };
    let dash = || "—".to_string();
    let has_account = c.has_account;
    let addresses = c
        .addresses
        .into_iter()
        .map(|a| {
            let p = a.address;
            let line = format!(
                "{} {}{}, {} {} ({})",
                p.street,
                p.house_number,
                p.addition.map(|x| format!(" {x}")).unwrap_or_default(),
                p.postcode,
                p.city,
                p.country
            );
            let delivery = a.default_delivery;
            view! { <li>{line}{move || delivery.then(|| format!(" · {}", t_string!(i18n, service.default_delivery)))}</li> }
        })
        .collect_view();
    let attention = (!story.attention.is_empty()).then(|| {
        view! {
            <section class="card attention" aria-labelledby="attention-heading">
                <h2 id="attention-heading">{t!(i18n, service.attention)}</h2>
                <ul class="plain attention-list">
                    {story.attention.into_iter().map(|a| view! {
                        <li><p class="muted">{a.order.clone()}</p><StatusBlock line=a.status heading_level=3 /></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let order_count = story.order_count;
    view! {
        <Title text=crate::ui::title(move || title_name.clone()) />
        <p><a href="/service/customers">{t!(i18n, service.back_to_search)}</a></p>
        <h1>{name}</h1>
        <div role="status">
            {noted.then(|| view! { <p class="alert alert-success">{t!(i18n, service.note_saved)}</p> })}
        </div>
        {attention}
        <div class="overview-grid">
            <section class="card" aria-labelledby="details-heading">
                <h2 id="details-heading">{t!(i18n, service.details)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, service.customer_number)}</dt><dd>{c.external_id.unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, service.email)}</dt><dd>{c.email.unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, service.phone)}</dt><dd>{c.phone.unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, service.language)}</dt><dd>{language}</dd>
                    <dt>{t!(i18n, service.loyalty_card)}</dt><dd>{c.loyalty_card.unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, service.account)}</dt><dd>{move || yes_no(has_account)}</dd>
                </dl>
                <h3>{t!(i18n, service.addresses)}</h3>
                <ul class="plain">{addresses}</ul>
            </section>
            <Consents consents=story.consents />
            <Returns returns=story.open_returns />
            <Requests requests=story.requests />
        </div>
        <section class="card" aria-labelledby="orders-heading">
            <h2 id="orders-heading">{move || t_string!(i18n, service.orders_heading, count = order_count).to_string()}</h2>
            <Orders orders=story.orders />
        </section>
        <HelpBox customer=story.id name=help_name has_account help=story.help start />
        <Notes customer=story.id notes=story.notes />
    }
}

/// Helping the customer in their account: only with their permission, with a reason.
#[component]
fn HelpBox(
    customer: i64,
    name: String,
    has_account: bool,
    help: Option<crate::privacy::help::HelpPermission>,
    start: ServerAction<StartHelping>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let body = match (has_account, help) {
        (false, _) => view! { <p>{t!(i18n, helping.no_account)}</p> }.into_any(),
        (true, None) => {
            let name = name.clone();
            view! { <p>{move || t_string!(i18n, helping.not_allowed, name = name.clone()).to_string()}</p> }
                .into_any()
        }
        (true, Some(help)) => {
            let until = date_time(&help.until_local, i18n.get_locale_untracked());
            let may_change = help.may_change;
            let name = name.clone();
            view! {
                <p class="alert alert-info">
                    {move || if may_change {
                        t_string!(i18n, helping.allowed_change, name = name.clone(), until = until.clone()).to_string()
                    } else {
                        t_string!(i18n, helping.allowed, name = name.clone(), until = until.clone()).to_string()
                    }}
                </p>
                <ActionForm action=start attr:class="stacked-form" attr:novalidate=true>
                    {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_) | AppError::FormInvalid { .. })).map(|error| view! { <ErrorMessage error /> })}
                    <input type="hidden" name="customer" value=customer.to_string() />
                    <FieldErrors field="customer" field_id="help-customer" error />
                    <div class="field">
                        <label for="help-why">{t!(i18n, helping.reason)}</label>
                        <input id="help-why" name="why" maxlength="200" value=kept(error, "why", String::new())
                            aria-invalid=invalid(error, "why") aria-describedby="help-why-error" />
                        <FieldErrors field="why" field_id="help-why" error />
                    </div>
                    <div class="field">
                        <label for="help-ticket">{t!(i18n, helping.ticket)}</label>
                        <input id="help-ticket" name="ticket" maxlength="50" value=kept(error, "ticket", String::new())
                            aria-invalid=invalid(error, "ticket") aria-describedby="help-ticket-error" />
                        <FieldErrors field="ticket" field_id="help-ticket" error />
                    </div>
                    <button type="submit">{t!(i18n, helping.start)}</button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <section class="card" id="help" aria-labelledby="help-heading">
            <h2 id="help-heading">{t!(i18n, helping.heading)}</h2>
            {body}
        </section>
    }
}

#[component]
fn Orders(orders: Vec<HistoryRow>) -> impl IntoView {
    let i18n = use_i18n();
    if orders.is_empty() {
        return view! { <p>{t!(i18n, service.no_orders)}</p> }.into_any();
    }
    let rows = orders
        .into_iter()
        .map(|row| {
            let (first, others) = (row.first_item.clone(), row.other_lines);
            let (status, channel) = (row.status, row.channel);
            let store = row.store_name.clone();
            let placed = row.placed_local.clone();
            let (total, currency) = (row.total, row.currency.clone());
            let requested = row.cancellation_requested;
            view! {
                <tr>
                    <td data-label=move || t_string!(i18n, service.order)>{row.number.clone()}</td>
                    <td data-label=move || t_string!(i18n, service.placed)>{move || date(&placed, i18n.get_locale())}</td>
                    <td data-label=move || t_string!(i18n, service.channel)>{move || {
                        let words = channel_words(i18n.get_locale(), channel);
                        match &store { Some(store) => format!("{words} · {store}"), None => words }
                    }}</td>
                    <td data-label=move || t_string!(i18n, service.items)>{move || items_summary(i18n.get_locale(), &first, others)}</td>
                    <td data-label=move || t_string!(i18n, service.status)>
                        {move || status_words(i18n.get_locale(), status)}
                        {move || requested.then(|| format!(" · {}", t_string!(i18n, service.cancel_requested)))}
                    </td>
                    <td class="num" data-label=move || t_string!(i18n, service.total)>{move || money(total, &currency, i18n.get_locale())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="stacking">
            <caption class="visually-hidden">{t!(i18n, service.orders)}</caption>
            <thead><tr>
                <th scope="col">{t!(i18n, service.order)}</th>
                <th scope="col">{t!(i18n, service.placed)}</th>
                <th scope="col">{t!(i18n, service.channel)}</th>
                <th scope="col">{t!(i18n, service.items)}</th>
                <th scope="col">{t!(i18n, service.status)}</th>
                <th scope="col" class="num">{t!(i18n, service.total)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Returns(returns: Vec<OpenReturn>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if returns.is_empty() {
        view! { <p>{t!(i18n, service.no_returns)}</p> }.into_any()
    } else {
        view! {
            <ul class="compact-orders">
                {returns.into_iter().map(|r| {
                    let status = r.status;
                    view! { <li><span>{r.items}</span>
                        <span class="order-status">{move || crate::returns::pages::status_title(i18n.get_locale(), status)}</span>
                        <span class="muted">{r.code}" · "{r.order}</span></li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="returns-heading">
            <h2 id="returns-heading">{t!(i18n, service.open_returns)}</h2>
            {body}
        </section>
    }
}

#[component]
fn Requests(requests: Vec<super::RequestLine>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if requests.is_empty() {
        view! { <p>{t!(i18n, service.no_requests)}</p> }.into_any()
    } else {
        view! {
            <ul class="plain">
                {requests.into_iter().map(|r| {
                    let at = crate::ui::format::date_time(&r.at_local, i18n.get_locale_untracked());
                    let kind = match r.kind.as_str() {
                        "cancellation" => t_string!(i18n, service.request_cancellation),
                        "reorder" => t_string!(i18n, service.request_reorder),
                        "order_request" => t_string!(i18n, service.request_order_request),
                        _ => t_string!(i18n, service.request_delivery_change),
                    };
                    let status = match r.status.as_str() {
                        "requested" => t_string!(i18n, service.request_open),
                        "declined" => t_string!(i18n, service.request_declined),
                        "placed" => t_string!(i18n, service.request_placed),
                        _ => t_string!(i18n, service.request_confirmed),
                    };
                    let what = if r.order.is_empty() { kind.to_string() } else { format!("{kind} · {}", r.order) };
                    view! { <li><span>{what}</span>
                        <span class="order-status">{status}</span>
                        <span class="muted">{at}</span></li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="requests-heading">
            <h2 id="requests-heading">{t!(i18n, service.requests)}</h2>
            {body}
        </section>
    }
}

#[component]
fn Consents(consents: Vec<ConsentLine>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if consents.is_empty() {
        view! { <p>{t!(i18n, service.no_consents)}</p> }.into_any()
    } else {
        view! {
            <ul class="plain">
                {consents.into_iter().map(|c| {
                    let state = move || match (c.granted, c.soft_opt_in) {
                        (true, true) => t_string!(i18n, service.consent_soft_opt_in).to_string(),
                        (true, false) => t_string!(i18n, service.consent_yes).to_string(),
                        _ => t_string!(i18n, service.consent_no).to_string(),
                    };
                    view! { <li>{c.purpose.clone()}" (" {c.channel.clone()} "): " {state}</li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="consents-heading">
            <h2 id="consents-heading">{t!(i18n, service.consents)}</h2>
            <p class="hint">{t!(i18n, service.consents_read_only)}</p>
            {body}
        </section>
    }
}

fn channel_name(i18n: leptos_i18n::I18nContext<Locale>, channel: NoteChannel) -> String {
    match channel {
        NoteChannel::Phone => t_string!(i18n, service.via_phone),
        NoteChannel::Chat => t_string!(i18n, service.via_chat),
        NoteChannel::Store => t_string!(i18n, service.via_store),
        NoteChannel::Email => t_string!(i18n, service.via_email),
    }
    .to_string()
}

#[component]
fn Notes(customer: i64, notes: Vec<ContactNote>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddContactNote>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let chosen = kept(error, "channel", "phone".to_string());
    let list = if notes.is_empty() {
        view! { <p>{t!(i18n, service.no_notes)}</p> }.into_any()
    } else {
        view! {
            <ol class="plain contact-notes">
                {notes.into_iter().map(|n| {
                    let at = n.at_local.clone();
                    let follow = n.follow_up_on.clone();
                    let channel = n.channel;
                    view! {
                        <li class="contact-note">
                            <p class="muted">{move || date_time(&at, i18n.get_locale())}" · "{n.author.clone()}" · "{move || channel_name(i18n, channel)}</p>
                            <p><strong>{n.topic.clone()}</strong></p>
                            <p class="note-outcome">{n.outcome.clone()}</p>
                            {follow.map(|day| view! { <p>{move || t_string!(i18n, service.follow_up_on, day = date(&day, i18n.get_locale())).to_string()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let options = move || {
        let chosen = chosen();
        NoteChannel::ALL
            .into_iter()
            .map(|c| view! { <option value=c.as_str() selected=chosen == c.as_str()>{channel_name(i18n, c)}</option> })
            .collect_view()
    };
    view! {
        <section class="card" id="notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{t!(i18n, service.notes)}</h2>
            {list}
            <h3 id="note-form-heading">{t!(i18n, service.add_note)}</h3>
            <ActionForm action attr:class="stacked-form" attr:aria-labelledby="note-form-heading">
                {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_) | AppError::FormInvalid { .. })).map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="customer" value=customer.to_string() />
                <div class="field">
                    <label for="note-channel">{t!(i18n, service.note_channel)}</label>
                    <select id="note-channel" name="channel" aria-invalid=invalid(error, "channel") aria-describedby="note-channel-error">{options}</select>
                    <FieldErrors field="channel" field_id="note-channel" error />
                </div>
                <div class="field">
                    <label for="note-topic">{t!(i18n, service.note_topic)}</label>
                    <input id="note-topic" name="topic" type="text" maxlength="120" required value=kept(error, "topic", String::new())
                        aria-invalid=invalid(error, "topic") aria-describedby="note-topic-error" />
                    <FieldErrors field="topic" field_id="note-topic" error />
                </div>
                <div class="field">
                    <label for="note-outcome">{t!(i18n, service.note_outcome)}</label>
                    <textarea id="note-outcome" name="outcome" rows="4" maxlength="2000" required
                        aria-invalid=invalid(error, "outcome") aria-describedby="note-outcome-error">{kept(error, "outcome", String::new())}</textarea>
                    <FieldErrors field="outcome" field_id="note-outcome" error />
                </div>
                <div class="field">
                    <label for="note-follow-up">{t!(i18n, service.note_follow_up)}</label>
                    <input id="note-follow-up" name="follow_up_on" type="date" value=kept(error, "follow_up_on", String::new())
                        aria-invalid=invalid(error, "follow_up_on") aria-describedby="note-follow-up-hint note-follow-up-error" />
                    <p class="hint" id="note-follow-up-hint">{t!(i18n, service.note_follow_up_hint)}</p>
                    <FieldErrors field="follow_up_on" field_id="note-follow-up" error />
                </div>
                <button type="submit">{t!(i18n, service.note_save)}</button>
            </ActionForm>
        </section>
    }
}
