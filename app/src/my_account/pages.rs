//! `/account`: the page a customer lands on after logging in; `/account/orders/{number}`:
//! one of their orders; `/account/orders/{number}/receipt`: its receipt.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{AttachGuestOrders, my_order, my_overview};
use super::{CustomerOrder, Overview};
use crate::cancellations::pages::CancellationBox;
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::HistoryRow;
use crate::orders::StatusGroup;
use crate::orders::pages::{OrderAddress, OrderLines, OwnOrderPage, where_bought};
use crate::orders::pages::{items_summary, status_words};
use crate::reorders::pages::ReorderBox;
use crate::tracking::StatusLine;
use crate::tracking::pages::StatusBlock;
use crate::tracking::pages::TrackingView;
use crate::ui::error_view::ErrorMessage;
use crate::ui::format::date_time;
use crate::ui::format::{date, money};
use crate::ui::pages::LoginFirst;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let attached = move || {
        query
            .with(|q| q.get("attached"))
            .and_then(|n| n.parse::<u64>().ok())
    };
    let attach = ServerAction::<AttachGuestOrders>::new();
    let overview = Resource::new(attached, |_| my_overview());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, account.title)) />
        <div role="status">
            {move || attached().map(|n| view! { <p class="alert alert-success">{move || t_string!(i18n, account.attached, count = n).to_string()}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(found) => view! { <OverviewView found attach /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OverviewView(found: Overview, attach: ServerAction<AttachGuestOrders>) -> impl IntoView {
    let i18n = use_i18n();
    let guest = (!found.guest_orders.is_empty()).then(|| {
        let count = found.guest_orders.len();
        let numbers = found
            .guest_orders
            .iter()
            .map(|o| o.number.clone())
            .collect::<Vec<_>>()
            .join(",");
        view! {
            <section class="card offer" aria-labelledby="guest-heading">
                <h2 id="guest-heading">{move || t_string!(i18n, account.guest_title, count = count).to_string()}</h2>
                <p>{t!(i18n, account.guest_text)}</p>
                <ul class="compact-orders">
                    {found.guest_orders.into_iter().map(|row| view! { <GuestOrder row /> }).collect_view()}
                </ul>
                <ActionForm action=attach>
                    <input type="hidden" name="numbers" value=numbers />
                    <button type="submit">{t!(i18n, account.guest_attach)}</button>
                </ActionForm>
            </section>
        }
    });
    let name = found.name.clone();
    let on_the_way = if found.on_the_way.is_empty() {
        view! { <p>{t!(i18n, account.nothing_on_the_way)}</p> }.into_any()
    } else {
        let mut statuses = found.on_the_way_status.into_iter();
        view! { <ul class="compact-orders">{found.on_the_way.into_iter().map(|row| {
            let tracking = statuses.next().flatten();
            view! { <CompactOrder row tracking /> }
        }).collect_view()}</ul> }
        .into_any()
    };
    let attention = (!found.attention.is_empty()).then(|| {
        view! {
            <section class="card attention" aria-labelledby="attention-heading">
                <h2 id="attention-heading">{t!(i18n, account.attention)}</h2>
                <ul class="plain attention-list">
                    {found.attention.into_iter().map(|a| {
                        let href = format!("/account/orders/{}#parcels", a.order);
                        let number = a.order.clone();
                        view! {
                            <li>
                                <StatusBlock line=a.status />
                                <p><a href=href>{move || t_string!(i18n, account.attention_link, number = number.clone()).to_string()}</a></p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let recent = (!found.recent.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="recent-heading">
                <h2 id="recent-heading">{t!(i18n, account.recent_orders)}</h2>
                <ul class="compact-orders">{found.recent.into_iter().map(|row| view! { <CompactOrder row /> }).collect_view()}</ul>
                <p><a href="/account/orders">{t!(i18n, account.all_orders)}</a></p>
            </section>
        }
    });
    let open_returns = (!found.open_returns.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="returns-heading">
                <h2 id="returns-heading">{t!(i18n, returns.open_returns)}</h2>
                <ul class="compact-orders">{found.open_returns.into_iter().map(|r| {
                    let status = r.status;
                    let items = r.lines.iter().map(|l| l.name.clone()).collect::<Vec<_>>().join(", ");
                    view! { <li><a href=format!("/account/returns/{}", r.code)>{items}</a>
                        <span class="order-status">{move || crate::returns::pages::status_title(i18n.get_locale(), status)}</span>
                        <span class="muted">{r.code.clone()}</span></li> }
                }).collect_view()}</ul>
            </section>
        }
    });
    let company_link = (!found.companies.is_empty()).then(|| {
        let names = found.companies.join(", ");
        view! { <li><a href="/account/company">{move || t_string!(i18n, account.company_link, names = names.clone()).to_string()}</a></li> }
    });
    let card = match found.loyalty_card {
        Some(number) => view! { <p class="card-number">{move || t_string!(i18n, account.card_number, number = number.clone()).to_string()}</p> }.into_any(),
        None => view! { <p>{t!(i18n, account.no_card)}</p> }.into_any(),
    };
    view! {
        <h1>{move || t_string!(i18n, account.greeting, name = name.clone()).to_string()}</h1>
        <p class="lead">{t!(i18n, account.intro)}</p>
        {attention}
        {guest}
        <div class="overview-grid">
            <section class="card" aria-labelledby="way-heading">
                <h2 id="way-heading">{t!(i18n, account.on_the_way)}</h2>
                {on_the_way}
            </section>
            {open_returns}
            {recent}
            <crate::advisor::pages::MyAdviceCard />
            <section class="card" aria-labelledby="card-heading">
                <h2 id="card-heading">{t!(i18n, account.loyalty_card)}</h2>
                {card}
                <p><a href="/account/loyalty">{t!(i18n, account.loyalty_link)}</a></p>
            </section>
            <nav class="card" aria-labelledby="shortcuts-heading">
                <h2 id="shortcuts-heading">{t!(i18n, account.shortcuts)}</h2>
                <ul class="plain shortcuts">
                    <li><a href="/account/orders?status=open">{t!(i18n, account.where_is_my_order)}</a></li>
                    <li><a href="/account/orders?status=done">{t!(i18n, account.return_something)}</a></li>
                    {company_link}
                    <li><a href="/account/addresses">{t!(i18n, account.change_address)}</a></li>
                    <li><a href="/account/details">{t!(i18n, account.details_link)}</a></li>
                    <li><a href="/account/privacy">{t!(i18n, account.privacy_link)}</a></li>
                    <li><a href="/account/loyalty">{t!(i18n, account.claim_receipt)}</a></li>
                    <li><a href="/stores">{t!(i18n, account.find_store)}</a></li>
                </ul>
            </nav>
        </div>
    }
}

/// An order in one line: what, status in words, date, total.
#[component]
fn CompactOrder(
    row: HistoryRow,
    /// Where it is, for an order on its way.
    #[prop(optional_no_strip)]
    tracking: Option<StatusLine>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/account/orders/{}", row.number);
    let (first, others) = (row.first_item.clone(), row.other_lines);
    let items = move || items_summary(i18n.get_locale(), &first, others);
    let status = row.status;
    let placed = row.placed_local.clone();
    let (total, currency) = (row.total, row.currency.clone());
    view! {
        <li>
            <a href=href>{items}</a>
            {match tracking {
                Some(line) => view! {
                    <span class="order-status" data-tone=line.status.tone()>{let line = line.clone(); move || {
                        let w = line.words(if i18n.get_locale() == Locale::en { "en" } else { "nl" });
                        format!("{} {}", w.title, w.text)
                    }}</span>
                }.into_any(),
                None => view! { <span class="order-status">{move || status_words(i18n.get_locale(), status)}</span> }.into_any(),
            }}
            <span class="muted">{move || date(&placed, i18n.get_locale())}" · "{move || money(total, &currency, i18n.get_locale())}</span>
        </li>
    }
}

/// A guest order in the offer: no link (it is not the customer's yet).
#[component]
fn GuestOrder(row: HistoryRow) -> impl IntoView {
    let i18n = use_i18n();
    let placed = row.placed_local.clone();
    let (total, currency) = (row.total, row.currency.clone());
    view! {
        <li>
            <span>{row.first_item.clone()}</span>
            <span class="muted">{row.number.clone()}" · "{move || date(&placed, i18n.get_locale())}" · "{move || money(total, &currency, i18n.get_locale())}</span>
        </li>
    }
}

/// `/account/orders/{number}`: one order with its lines, totals, payment, addresses and
/// parcels. Another customer's order number is "not found", like a number that does not
/// exist.
#[component]
pub fn OrderDetailPage() -> impl IntoView {
    view! { <OwnOrderPage suffix="" fetch=my_order render=|found| view! { <OrderDetail found /> } /> }
}

#[component]
fn OrderDetail(found: CustomerOrder) -> impl IntoView {
    let i18n = use_i18n();
    let order = found.order;
    let placed = found.placed_local;
    let cancellation = found.cancellation;
    let ordered_by = found.ordered_by;
    let cancel_href = found
        .cancellable
        .then(|| format!("/account/orders/{}/cancel", order.number));
    let buy_again_href = found
        .can_buy_again
        .then(|| format!("/account/orders/{}/buy-again", order.number));
    let reorder = found.reorder;
    let return_href = found
        .returnable
        .then(|| format!("/account/orders/{}/return", order.number));
    let returns = found.returns;
    let number = order.number.clone();
    let title_number = number.clone();
    let receipt_href = format!("/account/orders/{number}/receipt");
    let pdf_href = format!("/account/orders/{number}/receipt.pdf");
    let status = order.status;
    let channel = order.channel;
    let store = order.store.clone().map(|s| s.name);
    let where_bought = move || where_bought(i18n.get_locale(), channel, store.as_deref());
    let payments = order
        .payments
        .iter()
        .map(|p| {
            let (amount, method, pc) = (p.amount, p.method.clone(), p.currency.clone());
            view! {
                <li>{move || t_string!(i18n, orders.paid_with, amount = money(amount, &pc, i18n.get_locale()), method = method.clone()).to_string()}</li>
            }
        })
        .collect_view();
    let delivery = order
        .delivery_address
        .clone()
        .map(|address| view! { <OrderAddress address /> });
    let billing = order
        .billing_address
        .clone()
        .map(|address| view! { <OrderAddress address /> });
    let collect = order.collect_store.clone().map(|s| s.name);
    let receipt = order.receipt.clone().map(|r| r.code);
    let tracking = found.tracking;
    let lines_of_order = order.clone();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, orders.detail_title, number = title_number.clone()).to_string()) />
        <h1>{move || t_string!(i18n, orders.detail_title, number = number.clone()).to_string()}</h1>
        <p class="order-status" data-group=StatusGroup::of(status).as_str()>{move || status_words(i18n.get_locale(), status)}</p>
        <p class="order-links">
            <a href=receipt_href>{t!(i18n, orders.receipt_link)}</a>
            <a href=pdf_href rel="external">{t!(i18n, orders.receipt_pdf)}</a>
        </p>
        {cancellation.map(|cancellation| view! { <CancellationBox cancellation /> })}
        {reorder.map(|reorder| view! { <ReorderBox reorder /> })}
        {(!returns.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="returns-heading">
                <h2 id="returns-heading">{t!(i18n, returns.existing)}</h2>
                <ul class="plain">{returns.into_iter().map(|r| {
                    let status = r.status;
                    view! { <li><a href=format!("/account/returns/{}", r.code)>{r.code.clone()}</a>" · "{move || crate::returns::pages::status_title(i18n.get_locale(), status)}</li> }
                }).collect_view()}</ul>
            </section>
        })}
        {(cancel_href.is_some() || buy_again_href.is_some() || return_href.is_some()).then(|| view! {
            <p class="order-actions">
                {return_href.map(|href| view! { <a class="button-outline" href=href>{t!(i18n, returns.button)}</a> })}
                {buy_again_href.map(|href| view! { <a class="button-outline" href=href>{t!(i18n, reorder.button)}</a> })}
                {cancel_href.map(|href| view! { <a class="button-outline" href=href>{t!(i18n, cancel.button)}</a> })}
            </p>
        })}
        <dl class="order-facts">
            <div><dt>{t!(i18n, orders.placed_on)}</dt><dd>{move || date_time(&placed, i18n.get_locale())}</dd></div>
            <div><dt>{t!(i18n, orders.channel_label)}</dt><dd>{where_bought}</dd></div>
            {ordered_by.map(|name| view! { <div><dt>{t!(i18n, orders.ordered_by)}</dt><dd>{name}</dd></div> })}
            {receipt.map(|code| view! { <div><dt>{t!(i18n, orders.payment)}</dt><dd>{move || t_string!(i18n, orders.receipt, code = code.clone()).to_string()}</dd></div> })}
        </dl>
        <section aria-labelledby="items-heading">
            <h2 id="items-heading">{t!(i18n, orders.items)}</h2>
            <div class="table-scroll">
                <OrderLines order=lines_of_order receipt=false />
            </div>
        </section>
        {(!order.payments.is_empty()).then(|| view! {
            <section aria-labelledby="payment-heading">
                <h2 id="payment-heading">{t!(i18n, orders.payment)}</h2>
                <ul class="plain">{payments}</ul>
            </section>
        })}
        <div class="address-grid">
            {delivery.map(|a| view! { <section><h2>{t!(i18n, orders.delivery_address)}</h2>{a}</section> })}
            {collect.map(|s| view! { <section><h2>{t!(i18n, orders.delivery_address)}</h2><p>{move || t_string!(i18n, orders.collect_in, store = s.clone()).to_string()}</p></section> })}
            {billing.map(|a| view! { <section><h2>{t!(i18n, orders.billing_address)}</h2>{a}</section> })}
        </div>
        <TrackingView tracking owner=true />
    }
}

/// `/account/orders/{number}/receipt`: the receipt (or invoice) as a page made for
/// printing; the browser's print dialog also saves it as PDF.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    view! { <OwnOrderPage suffix="/receipt" fetch=my_order render=|found| view! { <Receipt found /> } /> }
}

#[component]
fn Receipt(found: CustomerOrder) -> impl IntoView {
    let i18n = use_i18n();
    let retailer = crate::branding::Branding::current().retailer_name;
    let order = found.order;
    let placed = found.placed_local;
    let number = order.number.clone();
    let title = number.clone();
    let pdf_href = format!("/account/orders/{number}/receipt.pdf");
    let lines_of_order = order.clone();
    let bill_to = order
        .billing_address
        .clone()
        .or(order.delivery_address.clone())
        .map(|address| view! { <OrderAddress address /> });
    let receipt_code = order.receipt.clone().map(|r| r.code);
    let payments = order
        .payments
        .iter()
        .map(|p| {
            let (amount, method, pc) = (p.amount, p.method.clone(), p.currency.clone());
            view! { <li>{move || t_string!(i18n, orders.paid_with, amount = money(amount, &pc, i18n.get_locale()), method = method.clone()).to_string()}</li> }
        })
        .collect_view();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, orders.receipt_title, number = title.clone()).to_string()) />
        <article class="receipt-sheet">
            <header>
                <p class="receipt-retailer">{retailer}</p>
                <h1>{move || t_string!(i18n, orders.receipt_title, number = number.clone()).to_string()}</h1>
                <p>{move || date_time(&placed, i18n.get_locale())}</p>
                {receipt_code.map(|code| view! { <p>{move || t_string!(i18n, orders.receipt, code = code.clone()).to_string()}</p> })}
            </header>
            {bill_to}
            <OrderLines order=lines_of_order receipt=true />
            <ul class="plain">{payments}</ul>
        </article>
        <p class="hint no-print">{t!(i18n, orders.print_hint)}" "
            <a href=pdf_href rel="external">{t!(i18n, orders.receipt_pdf)}</a>
        </p>
    }
}
