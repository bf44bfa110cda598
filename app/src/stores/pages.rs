use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::search_stores;
use super::{OpeningHours, Store};
use crate::i18n::*;
use crate::ui::error_view::ErrorMessage;

/// `/stores?q=…`: every store, or those matching a town, name or postcode. The search is
/// a GET form, so it works without JavaScript and the result has a shareable address.
#[component]
pub fn StoresPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.with(|map| map.get("q").unwrap_or_default());
    let stores = Resource::new(q, search_stores);

    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, stores.title)) />
        <h1>{t!(i18n, stores.title)}</h1>
        <p class="lead">{t!(i18n, stores.intro)}</p>
        <Form method="GET" action="" attr:class="search-form" attr:role="search">
            <label for="store-query">{t!(i18n, stores.search_label)}</label>
            <div class="inline-field">
                <input id="store-query" type="search" name="q" value=q autocomplete="address-level2" />
                <button type="submit">{t!(i18n, stores.search_button)}</button>
            </div>
        </Form>
        <Suspense fallback=move || view! { <p aria-busy="true">{t!(i18n, stores.loading)}</p> }>
            {move || Suspend::new(async move {
                match stores.await {
                    Ok(list) => view! { <StoreList stores=list query=q() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StoreList(stores: Vec<Store>, query: String) -> impl IntoView {
    let i18n = use_i18n();
    if stores.is_empty() {
        let shown = query.clone();
        return view! {
            <p role="status">{move || t_string!(i18n, stores.none_found, query = shown.clone()).to_string()}</p>
            <p><a href="/stores">{t!(i18n, stores.clear_search)}</a></p>
        }
        .into_any();
    }
    let count = stores.len();
    view! {
        <p role="status" class="muted">{move || t_string!(i18n, stores.count, count = count).to_string()}</p>
        <ul class="store-list">
            {stores.into_iter().map(|store| view! { <StoreCard store /> }).collect_view()}
        </ul>
        {(!query.is_empty()).then(|| view! { <p><a href="/stores">{t!(i18n, stores.clear_search)}</a></p> })}
    }
    .into_any()
}

#[component]
fn StoreCard(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("store-{}", store.code);
    let phone = store.phone.clone().map(|phone| {
        let href = format!("tel:{}", phone.replace(' ', ""));
        view! { <p>{t!(i18n, stores.phone)}": "<a href=href>{phone}</a></p> }
    });
    view! {
        <li class="card store-card" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{store.name}</h2>
            <address>{store.street}<br />{store.postcode}" "{store.city}</address>
            {phone}
            <OpeningHoursTable hours=store.opening_hours />
        </li>
    }
}

#[component]
pub fn OpeningHoursTable(hours: OpeningHours) -> impl IntoView {
    let i18n = use_i18n();
    let day_name = move |day: usize| match day {
        0 => t_string!(i18n, weekday.mon),
        1 => t_string!(i18n, weekday.tue),
        2 => t_string!(i18n, weekday.wed),
        3 => t_string!(i18n, weekday.thu),
        4 => t_string!(i18n, weekday.fri),
        5 => t_string!(i18n, weekday.sat),
        _ => t_string!(i18n, weekday.sun),
    };
    let rows = hours
        .0
        .into_iter()
        .take(7)
        .enumerate()
        .map(|(day, slot)| {
            let time = match slot {
                Some(h) => format!("{}–{}", h.opens, h.closes).into_any(),
                None => view! { {t!(i18n, stores.closed)} }.into_any(),
            };
            view! { <tr><th scope="row">{move || day_name(day)}</th><td>{time}</td></tr> }
        })
        .collect_view();
    view! {
        <table class="opening-hours">
            <caption>{t!(i18n, stores.opening_hours)}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}
