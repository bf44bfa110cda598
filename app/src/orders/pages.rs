//! The order history and an order's page, for the logged-in customer.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::my_orders;
use super::{Channel, HistoryPage, HistoryQuery, HistoryRow, Order, OrderStatus, StatusGroup};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::ErrorMessage;
use crate::ui::format::{date, money};
use crate::ui::pages::LoginFirst;

/// The status of an order in plain words.
pub fn status_words(locale: Locale, status: OrderStatus) -> String {
    match status {
        OrderStatus::Received => td_string!(locale, orders.status_received),
        OrderStatus::Paid => td_string!(locale, orders.status_paid),
        OrderStatus::Processing => td_string!(locale, orders.status_processing),
        OrderStatus::ReadyForPickup => td_string!(locale, orders.status_ready_for_pickup),
        OrderStatus::Shipped => td_string!(locale, orders.status_shipped),
        OrderStatus::Delivered => td_string!(locale, orders.status_delivered),
        OrderStatus::Completed => td_string!(locale, orders.status_completed),
        OrderStatus::Cancelled => td_string!(locale, orders.status_cancelled),
    }
    .to_string()
}

/// "Bought in Slaapwereld Utrecht" for a store purchase, else the channel's name.
pub fn where_bought(locale: Locale, channel: Channel, store: Option<&str>) -> String {
    match (store, channel) {
        (Some(store), Channel::Store) => {
            td_string!(locale, orders.bought_in_store, store = store).to_string()
        }
        _ => channel_words(locale, channel),
    }
}

/// "Dekbed 200×220 and 2 more": the first item of an order and how many others.
pub fn items_summary(locale: Locale, first: &str, others: i64) -> String {
    if others > 0 {
        td_string!(locale, orders.more_items, first = first, count = others).to_string()
    } else {
        first.to_string()
    }
}

pub fn channel_words(locale: Locale, channel: Channel) -> String {
    match channel {
        Channel::Webshop => td_string!(locale, orders.channel_webshop),
        Channel::Store => td_string!(locale, orders.channel_store),
        Channel::Phone => td_string!(locale, orders.channel_phone),
        Channel::B2b => td_string!(locale, orders.channel_b2b),
    }
    .to_string()
}

/// `/account/orders?channel=…&status=…&period=…&q=…&page=…`: every order of the customer,
/// newest first, 25 per page. A GET form, so it works without JavaScript and each page
/// has its own address.
#[component]
pub fn OrderHistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let param = move |name: &str| params.with(|p| p.get(name).unwrap_or_default());
    let query = Memo::new(move |_| {
        HistoryQuery::from_params(
            &param("channel"),
            &param("status"),
            &param("period"),
            &param("q"),
            &param("page"),
        )
    });
    let page = Resource::new(
        move || query.get(),
        |q| async move {
            my_orders(
                q.channel
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
                q.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
                q.period.clone().unwrap_or_default(),
                q.q.clone(),
                q.page.to_string(),
            )
            .await
        },
    );
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, orders.title)) />
        <h1>{t!(i18n, orders.title)}</h1>
        <p class="lead">{t!(i18n, orders.intro)}</p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(found) => view! { <History found query=query.get_untracked() /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=query.get_untracked().href(query.get_untracked().page) /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History(found: HistoryPage, query: HistoryQuery) -> impl IntoView {
    let i18n = use_i18n();
    let filtered = query.is_filtered();
    if found.total == 0 && !filtered {
        return view! { <p role="status">{t!(i18n, orders.none)}</p> }.into_any();
    }
    let total = found.total;
    let (page, pages) = (found.page, found.pages);
    let list = if found.rows.is_empty() {
        view! {
            <p role="status">{t!(i18n, orders.none_found)}</p>
            <p><a href="/account/orders">{t!(i18n, orders.clear)}</a></p>
        }
        .into_any()
    } else {
        view! {
            <p role="status" class="muted">{move || t_string!(i18n, orders.count, count = total).to_string()}</p>
            <ul class="order-list">
                {found.rows.into_iter().map(|row| view! { <OrderRow row /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let prev = (page > 1).then(|| query.href(page - 1));
    let next = (page < pages).then(|| query.href(page + 1));
    view! {
        <HistoryFilters query=query.clone() years=found.years />
        {list}
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label=move || t_string!(i18n, orders.pagination)>
                {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, orders.previous)}</a> })}
                <span>{move || t_string!(i18n, orders.page_of, page = page, pages = pages).to_string()}</span>
                {next.map(|href| view! { <a href=href rel="next">{t!(i18n, orders.next)}</a> })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn HistoryFilters(query: HistoryQuery, years: Vec<i32>) -> impl IntoView {
    let i18n = use_i18n();
    let channel = query.channel;
    let status = query.status;
    let period = query.period.clone().unwrap_or_default();
    let year_options = years
        .into_iter()
        .map(|y| {
            let value = y.to_string();
            let selected = value == period;
            view! { <option value=value.clone() selected=selected>{value.clone()}</option> }
        })
        .collect_view();
    let period_is = |value: &'static str| value == period;
    let (p30, p6, p12, none) = (
        period_is("30d"),
        period_is("6m"),
        period_is("12m"),
        period.is_empty(),
    );
    let channel_options = Channel::ALL
        .into_iter()
        .map(|c| {
            view! {
                <option value=c.as_str() selected=channel == Some(c)>
                    {move || channel_words(i18n.get_locale(), c)}
                </option>
            }
        })
        .collect_view();
    view! {
        <Form method="GET" action="" attr:class="filters" attr:role="search"
            attr:aria-label=move || t_string!(i18n, orders.filters)>
            <div class="filter-row">
                <div class="field">
                    <label for="f-channel">{t!(i18n, orders.channel_label)}</label>
                    <select id="f-channel" name="channel">
                        <option value="" selected=channel.is_none()>{t!(i18n, orders.any)}</option>
                        {channel_options}
                    </select>
                </div>
                <div class="field">
                    <label for="f-status">{t!(i18n, orders.status_label)}</label>
                    <select id="f-status" name="status">
                        <option value="" selected=status.is_none()>{t!(i18n, orders.any)}</option>
                        <option value="open" selected=status == Some(StatusGroup::Open)>{t!(i18n, orders.group_open)}</option>
                        <option value="done" selected=status == Some(StatusGroup::Done)>{t!(i18n, orders.group_done)}</option>
                        <option value="cancelled" selected=status == Some(StatusGroup::Cancelled)>{t!(i18n, orders.group_cancelled)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="f-period">{t!(i18n, orders.period_label)}</label>
                    <select id="f-period" name="period">
                        <option value="" selected=none>{t!(i18n, orders.any)}</option>
                        <option value="30d" selected=p30>{t!(i18n, orders.period_30d)}</option>
                        <option value="6m" selected=p6>{t!(i18n, orders.period_6m)}</option>
                        <option value="12m" selected=p12>{t!(i18n, orders.period_12m)}</option>
                        {year_options}
                    </select>
                </div>
                <div class="field grow">
                    <label for="f-q">{t!(i18n, orders.search_label)}</label>
                    <input id="f-q" type="search" name="q" value=query.q.clone() />
                </div>
            </div>
            <button type="submit">{t!(i18n, orders.apply)}</button>
        </Form>
    }
}

#[component]
fn OrderRow(row: HistoryRow) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/account/orders/{}", row.number);
    let number = row.number.clone();
    let placed = row.placed_local.clone();
    let (total, currency) = (row.total, row.currency.clone());
    let (first, others) = (row.first_item.clone(), row.other_lines);
    let items = move || items_summary(i18n.get_locale(), &first, others);
    let channel = row.channel;
    let store = row.store_name.clone();
    let where_bought = move || where_bought(i18n.get_locale(), channel, store.as_deref());
    let status = row.status;
    let cancellation_requested = row.cancellation_requested;
    let ordered_by = row.ordered_by.clone();
    let label_number = number.clone();
    view! {
        <li class="card order-row">
            <h2 class="order-row-title">
                <a href=href aria-label=move || t_string!(i18n, orders.view, number = label_number.clone()).to_string()>
                    {items}
                </a>
            </h2>
            <p class="order-status" data-group=StatusGroup::of(status).as_str()>
                {move || if cancellation_requested {
                    t_string!(i18n, orders.status_cancellation_requested).to_string()
                } else {
                    status_words(i18n.get_locale(), status)
                }}
            </p>
            <dl class="order-facts">
                <div><dt>{t!(i18n, orders.placed_on)}</dt><dd>{move || date(&placed, i18n.get_locale())}</dd></div>
                <div><dt>{t!(i18n, orders.channel_label)}</dt><dd>{where_bought}</dd></div>
                <div><dt>{t!(i18n, orders.order_number)}</dt><dd>{number}</dd></div>
                <div><dt>{t!(i18n, orders.total)}</dt><dd>{move || money(total, &currency, i18n.get_locale())}</dd></div>
                {ordered_by.map(|name| view! { <div><dt>{t!(i18n, orders.ordered_by)}</dt><dd>{name}</dd></div> })}
            </dl>
        </li>
    }
}

/// The frame of every page about one of the customer's own orders
/// (`/account/orders/{number}{suffix}`): a link back, then what `render` makes of what
/// `fetch` found, or "log in first", or the same "not found" for someone else's order as
/// for a number that does not exist.
#[component]
pub fn OwnOrderPage<T, Fut, V>(
    /// `""` for the order itself, else e.g. `"/receipt"`.
    suffix: &'static str,
    fetch: fn(String) -> Fut,
    render: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let found = Resource::new(number, fetch);
    let back = move || {
        if suffix.is_empty() {
            view! { <a href="/account/orders">{t!(i18n, orders.back)}</a> }.into_any()
        } else {
            view! { <a href=format!("/account/orders/{}", number())>{t!(i18n, orders.back_to_order)}</a> }.into_any()
        }
    };
    view! {
        <p class="back-link no-print">{back}</p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(found) => render(found).into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/account/orders/{}{suffix}", number()) /> }.into_any(),
                    Err(AppError::NotFound) => view! { <OrderNotFound /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What an order page shows for a number that is not the customer's (or does not exist):
/// the same for both, so order numbers cannot be probed.
#[component]
pub fn OrderNotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, not_found.title)) />
        <h1>{t!(i18n, not_found.title)}</h1>
        <p>{t!(i18n, orders.not_found)}</p>
    }
}

/// An address as it was when the order was placed; the country only when abroad.
#[component]
pub fn OrderAddress(address: crate::customers::PostalAddress) -> impl IntoView {
    let a = address;
    let addition = a.addition.map(|x| format!(" {x}")).unwrap_or_default();
    view! {
        <address>
            {a.name}<br />
            {format!("{} {}{addition}", a.street, a.house_number)}<br />
            {format!("{} {}", a.postcode, a.city)}
            {(a.country != "NL").then(|| view! { <br />{a.country.clone()} })}
        </address>
    }
}

/// The lines of an order with their prices and the totals: on the order's page (with the
/// SKU, what was cancelled, the subtotal and "free" shipping), or on its receipt (names
/// only, and the VAT included in the total).
#[component]
pub fn OrderLines(order: Order, receipt: bool) -> impl IntoView {
    let i18n = use_i18n();
    let currency = order.currency.clone();
    let m = move |amount: i64| money(amount, &currency, i18n.get_locale());
    let lines = order
        .lines
        .iter()
        .map(|line| {
            let (unit, total) = (line.unit_price, line.total);
            let (m1, m2) = (m.clone(), m.clone());
            let cancelled = line.cancelled;
            let sku = (!receipt).then(|| view! { <br /><span class="muted">{line.sku.clone()}</span> });
            let cancelled_note = (!receipt && cancelled > 0).then(|| view! {
                <br /><span class="muted">{move || t_string!(i18n, cancel.line_cancelled, count = cancelled).to_string()}</span>
            });
            view! {
                <tr>
                    <th scope="row">{line.name.clone()}{sku}</th>
                    <td class="num" data-label=move || t_string!(i18n, orders.quantity)>{line.quantity}{cancelled_note}</td>
                    <td class="num" data-label=move || t_string!(i18n, orders.price)>{move || m1(unit)}</td>
                    <td class="num" data-label=move || t_string!(i18n, orders.line_total)>{move || m2(total)}</td>
                </tr>
            }
        })
        .collect_view();
    let (subtotal, discount, shipping, total) =
        (order.subtotal, order.discount, order.shipping, order.total);
    let (ms, md, msh, mt, mv) = (m.clone(), m.clone(), m.clone(), m.clone(), m.clone());
    let subtotal_row = (!receipt).then(|| view! {
        <tr><th scope="row" colspan="3">{t!(i18n, orders.subtotal)}</th><td class="num">{move || ms(subtotal)}</td></tr>
    });
    let shipping_row = (!receipt || shipping > 0).then(|| view! {
        <tr><th scope="row" colspan="3">{t!(i18n, orders.shipping)}</th>
            <td class="num">{move || if shipping == 0 { t_string!(i18n, orders.free).to_string() } else { msh(shipping) }}</td></tr>
    });
    let vat_row = receipt.then(|| view! {
        <tr><th scope="row" colspan="3">{t!(i18n, orders.vat_included)}</th><td class="num">{move || mv(super::vat_included(total))}</td></tr>
    });
    view! {
        <table class="order-lines">
            <thead><tr>
                <th scope="col">{t!(i18n, orders.product)}</th>
                <th scope="col" class="num">{t!(i18n, orders.quantity)}</th>
                <th scope="col" class="num">{t!(i18n, orders.price)}</th>
                <th scope="col" class="num">{t!(i18n, orders.line_total)}</th>
            </tr></thead>
            <tbody>{lines}</tbody>
            <tfoot>
                {subtotal_row}
                {(discount > 0).then(|| view! { <tr><th scope="row" colspan="3">{t!(i18n, orders.discount)}</th><td class="num">"-"{move || md(discount)}</td></tr> })}
                {shipping_row}
                <tr class="grand-total"><th scope="row" colspan="3">{t!(i18n, orders.total)}</th><td class="num">{move || mt(total)}</td></tr>
                {vat_row}
            </tfoot>
        </table>
    }
}
