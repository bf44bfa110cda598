//! `/account/company/orders?company=…&buyer=…&location=…&period=…`: every order of the
//! company with filters (a GET form: works without JavaScript, each view has its own
//! address), what it ordered per month (the company's admin), and its invoices with
//! their PDFs.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::company_orders;
use super::{CompanyOrderRow, CompanyOrdersData, InvoiceRow, InvoiceStatus, MonthTotal};
use crate::error::AppError;
use crate::i18n::*;
use crate::orders::pages::status_words;
use crate::ui::error_view::ErrorMessage;
use crate::ui::format::{date, date_time, money};
use crate::ui::pages::LoginFirst;

const HERE: &str = "/account/company/orders";

fn encoded(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[component]
pub fn CompanyOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let asked = move || {
        params.with(|p| {
            let get = |name: &str| p.get(name).unwrap_or_default();
            (get("company"), get("buyer"), get("location"), get("period"))
        })
    };
    let found = Resource::new(asked, |(company, buyer, location, period)| {
        company_orders(company, buyer, location, period)
    });
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, company_orders.title)) />
        <p class="back-link"><a href="/account/company">{t!(i18n, company.back)}</a></p>
        <h1>{t!(i18n, company_orders.title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(data) => view! { <Found data /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=HERE.to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Found(data: CompanyOrdersData) -> impl IntoView {
    let i18n = use_i18n();
    let name = data.company_name.clone();
    let others = (!data.other_companies.is_empty()).then(|| {
        let links = data
            .other_companies
            .iter()
            .map(|(id, name)| {
                let href = format!("{HERE}?company={}", encoded(id));
                view! { <li><a href=href>{name.clone()}</a></li> }
            })
            .collect_view();
        view! { <p>{t!(i18n, company_orders.other_companies)}</p><ul class="plain inline-list">{links}</ul> }
    });
    let matching = data.matching;
    let shown = data.orders.len();
    view! {
        <p class="lead">{name}</p>
        {others}
        <Filters data=data.clone() />
        <section aria-labelledby="orders-heading">
            <h2 id="orders-heading">{t!(i18n, company_orders.orders_heading)}</h2>
            <p role="status">{move || if matching as usize > shown {
                t_string!(i18n, company_orders.count_shown, count = matching, shown = shown).to_string()
            } else {
                t_string!(i18n, company_orders.count, count = matching).to_string()
            }}</p>
            <Orders orders=data.orders.clone() />
        </section>
        {data.admin.then(|| view! { <Months months=data.months.clone() /> })}
        <Invoices invoices=data.invoices.clone() />
    }
}

#[component]
fn Filters(data: CompanyOrdersData) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let (buyer, location, period) = params.with_untracked(|p| {
        (
            p.get("buyer").unwrap_or_default(),
            p.get("location").unwrap_or_default(),
            p.get("period").unwrap_or_default(),
        )
    });
    let members = data
        .members
        .iter()
        .map(|(id, name)| {
            let value = id.to_string();
            let selected = value == buyer;
            view! { <option value=value selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let locations = (!data.locations.is_empty()).then(|| {
        let options = data
            .locations
            .iter()
            .map(|(id, label)| {
                let value = id.to_string();
                let selected = value == location;
                view! { <option value=value selected=selected>{label.clone()}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="co-location">{t!(i18n, company_orders.location)}</label>
                <select id="co-location" name="location">
                    <option value="">{t!(i18n, company_orders.every_location)}</option>
                    {options}
                </select>
            </div>
        }
    });
    let years = data
        .years
        .iter()
        .map(|y| {
            let value = y.to_string();
            let selected = value == period;
            view! { <option value=value.clone() selected=selected>{value.clone()}</option> }
        })
        .collect_view();
    let period_is = |value: &str| value == period;
    let (p12, p30, p6, all) = (
        period_is(""),
        period_is("30d"),
        period_is("6m"),
        period_is("all"),
    );
    view! {
        <Form method="GET" action="" attr:class="filters" attr:role="search"
            attr:aria-label=move || t_string!(i18n, company_orders.filters)>
            <input type="hidden" name="company" value=data.company.clone() />
            <div class="filter-row">
                <div class="field">
                    <label for="co-buyer">{t!(i18n, company_orders.buyer)}</label>
                    <select id="co-buyer" name="buyer">
                        <option value="">{t!(i18n, company_orders.every_buyer)}</option>
                        {members}
                    </select>
                </div>
                {locations}
                <div class="field">
                    <label for="co-period">{t!(i18n, orders.period_label)}</label>
                    <select id="co-period" name="period">
                        <option value="" selected=p12>{t!(i18n, orders.period_12m)}</option>
                        <option value="30d" selected=p30>{t!(i18n, orders.period_30d)}</option>
                        <option value="6m" selected=p6>{t!(i18n, orders.period_6m)}</option>
                        {years}
                        <option value="all" selected=all>{t!(i18n, company_orders.period_all)}</option>
                    </select>
                </div>
            </div>
            <button type="submit">{t!(i18n, orders.apply)}</button>
        </Form>
    }
}

#[component]
fn Orders(orders: Vec<CompanyOrderRow>) -> impl IntoView {
    let i18n = use_i18n();
    if orders.is_empty() {
        return view! { <p>{t!(i18n, company_orders.none)}</p> }.into_any();
    }
    let rows = orders
        .into_iter()
        .map(|o| {
            let href = format!("/account/orders/{}", encoded(&o.number));
            let placed = o.placed_local.clone();
            let status = o.status;
            let (total, currency) = (o.total, o.currency.clone());
            view! {
                <tr>
                    <th scope="row"><a href=href>{o.number.clone()}</a></th>
                    <td data-label=move || t_string!(i18n, company_orders.placed)>{move || date_time(&placed, i18n.get_locale())}</td>
                    <td data-label=move || t_string!(i18n, company_orders.buyer)>{o.buyer.clone().unwrap_or_default()}</td>
                    <td data-label=move || t_string!(i18n, company_orders.location)>{o.location.clone().unwrap_or_default()}</td>
                    <td data-label=move || t_string!(i18n, orders.status_label)>{move || status_words(i18n.get_locale(), status)}</td>
                    <td class="num" data-label=move || t_string!(i18n, orders.total)>{move || money(total, &currency, i18n.get_locale())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="order-lines members">
                <thead><tr>
                    <th scope="col">{t!(i18n, company_orders.number)}</th>
                    <th scope="col">{t!(i18n, company_orders.placed)}</th>
                    <th scope="col">{t!(i18n, company_orders.buyer)}</th>
                    <th scope="col">{t!(i18n, company_orders.location)}</th>
                    <th scope="col">{t!(i18n, orders.status_label)}</th>
                    <th scope="col" class="num">{t!(i18n, orders.total)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// "November 2026" from `2026-11`.
fn month_words(locale: Locale, month: &str) -> String {
    let day = format!("{month}-01");
    let full = date(&day, locale);
    // "1 november 2026" / "1 November 2026": the month and year.
    full.split_once(' ')
        .map(|(_, rest)| rest.to_string())
        .unwrap_or(full)
}

#[component]
fn Months(months: Vec<MonthTotal>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if months.is_empty() {
        view! { <p>{t!(i18n, company_orders.none)}</p> }.into_any()
    } else {
        let rows = months
            .into_iter()
            .map(|m| {
                let month = m.month.clone();
                let (total, currency) = (m.total, m.currency.clone());
                view! {
                    <tr>
                        <th scope="row">{move || month_words(i18n.get_locale(), &month)}</th>
                        <td class="num" data-label=move || t_string!(i18n, company_orders.orders_count)>{m.orders}</td>
                        <td class="num" data-label=move || t_string!(i18n, orders.total)>{move || money(total, &currency, i18n.get_locale())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="order-lines members">
                    <thead><tr>
                        <th scope="col">{t!(i18n, company_orders.month)}</th>
                        <th scope="col" class="num">{t!(i18n, company_orders.orders_count)}</th>
                        <th scope="col" class="num">{t!(i18n, orders.total)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="months-heading">
            <h2 id="months-heading">{t!(i18n, company_orders.months_heading)}</h2>
            <p class="hint">{t!(i18n, company_orders.months_hint)}</p>
            {body}
        </section>
    }
}

#[component]
fn Invoices(invoices: Vec<InvoiceRow>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if invoices.is_empty() {
        view! { <p>{t!(i18n, company_orders.no_invoices)}</p> }.into_any()
    } else {
        let rows = invoices
            .into_iter()
            .map(|inv| {
                let href = format!("/account/company/invoices/{}/invoice.pdf", encoded(&inv.number));
                let label = {
                    let number = inv.number.clone();
                    move || t_string!(i18n, company_orders.invoice_pdf, number = number.clone()).to_string()
                };
                let (issued, due) = (inv.date.clone(), inv.due_date.clone());
                let (amount, currency) = (inv.amount, inv.currency.clone());
                let (status, overdue) = (inv.status, inv.overdue);
                let state = move || {
                    if overdue {
                        t_string!(i18n, company_orders.overdue).to_string()
                    } else if status == InvoiceStatus::Paid {
                        t_string!(i18n, company_orders.paid).to_string()
                    } else {
                        t_string!(i18n, company_orders.open).to_string()
                    }
                };
                view! {
                    <tr data-status=if overdue { "overdue" } else { status.as_str() }>
                        <th scope="row"><a href=href aria-label=label.clone()>{inv.number.clone()}</a>
                            {inv.order.clone().map(|o| view! { <br /><span class="muted">{o}</span> })}</th>
                        <td data-label=move || t_string!(i18n, company_orders.invoice_date)>{move || date(&issued, i18n.get_locale())}</td>
                        <td data-label=move || t_string!(i18n, company_orders.due_date)>{move || date(&due, i18n.get_locale())}</td>
                        <td data-label=move || t_string!(i18n, orders.status_label)>{state}</td>
                        <td class="num" data-label=move || t_string!(i18n, company_orders.amount)>{move || money(amount, &currency, i18n.get_locale())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="order-lines members">
                    <thead><tr>
                        <th scope="col">{t!(i18n, company_orders.invoice)}</th>
                        <th scope="col">{t!(i18n, company_orders.invoice_date)}</th>
                        <th scope="col">{t!(i18n, company_orders.due_date)}</th>
                        <th scope="col">{t!(i18n, orders.status_label)}</th>
                        <th scope="col" class="num">{t!(i18n, company_orders.amount)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="invoices-heading">
            <h2 id="invoices-heading">{t!(i18n, company_orders.invoices_heading)}</h2>
            {body}
        </section>
    }
}
