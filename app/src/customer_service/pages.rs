//! `/service/customers`: one search box for everything an agent may hear or read, the
//! customers it finds with what tells them apart, each a link to their story.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::find_customers;
use super::{FoundCustomer, SearchResult};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

#[component]
pub fn FindCustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q")).unwrap_or_default();
    // Nothing typed yet: only whether the asker may search (nothing is written to the trail).
    let found = Resource::new(q, find_customers);
    let error = Signal::derive(move || found.get().and_then(Result::err));
    let initial = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let invalid = crate::ui::forms::invalid_flag(error, "q");
    // The form only for those who may search: a customer or a visitor sees why not.
    let form = move || {
        let initial = initial.clone();
        view! {
            <Form method="GET" action="/service/customers" attr:class="stacked-form customer-search" attr:role="search">
                <div class="field">
                    <label for="customer-q">{t!(i18n, service.find_label)}</label>
                    <input id="customer-q" name="q" type="search" value=initial autocomplete="off"
                        aria-invalid=invalid.clone() aria-describedby="customer-q-hint customer-q-error" />
                    <p class="hint" id="customer-q-hint">{t!(i18n, service.find_hint)}</p>
                    <FieldErrors field="q" field_id="customer-q" error />
                </div>
                <button type="submit">{t!(i18n, service.find_button)}</button>
            </Form>
        }
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, service.find_title)) />
        <h1>{t!(i18n, service.find_title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || { let form = form.clone(); Suspend::new(async move {
                match found.await {
                    Ok(result) => view! {
                        <p class="lead">{t!(i18n, service.find_intro)}</p>
                        {form()}
                        {result.map(|result| view! { <Results result q=q() /> })}
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/service/customers".to_string() /> }.into_any(),
                    // Shown next to the field.
                    Err(AppError::Invalid(_) | AppError::FormInvalid { .. }) => form().into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
fn Results(result: SearchResult, q: String) -> impl IntoView {
    let i18n = use_i18n();
    let count = result.customers.len();
    let body = if result.customers.is_empty() {
        let q = q.clone();
        view! { <p>{move || t_string!(i18n, service.find_none, q = q.clone()).to_string()}</p> }
            .into_any()
    } else {
        view! {
            <ul class="plain found-customers">
                {result.customers.into_iter().map(|c| view! { <Found c /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="found-heading">
            <h2 id="found-heading">{move || t_string!(i18n, service.find_results, count = count).to_string()}</h2>
            <div role="status">
                {result.more.then(|| view! { <p class="alert alert-info">{t!(i18n, service.find_more)}</p> })}
            </div>
            {body}
        </section>
    }
}

#[component]
fn Found(c: FoundCustomer) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/service/customers/{}", c.id);
    let orders = c.orders;
    let facts: Vec<String> = [c.number, c.email, c.phone, c.place]
        .into_iter()
        .flatten()
        .collect();
    let has_account = c.has_account;
    view! {
        <li class="found-customer">
            <a href=href class="found-name">{c.name}</a>
            <span class="muted">{facts.join(" · ")}</span>
            <span>
                {move || t_string!(i18n, service.orders_count, count = orders).to_string()}
                {move || (!has_account).then(|| format!(" · {}", t_string!(i18n, service.no_account)))}
            </span>
        </li>
    }
}
