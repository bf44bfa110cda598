//! `/account/addresses`: the customer's address book — add, change, delete, defaults.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{DeleteAddress, SaveAddress, my_addresses};
use crate::customers::MyAddress;
use crate::customers::address::{COUNTRIES, country_name};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::forms::{invalid_flag, kept_value};
use crate::ui::pages::LoginFirst;

#[component]
fn AddressLines(address: crate::customers::PostalAddress) -> impl IntoView {
    let addition = address
        .addition
        .map(|a| format!(" {a}"))
        .unwrap_or_default();
    view! {
        <address>
            {address.name}<br />
            {format!("{} {}{addition}", address.street, address.house_number)}<br />
            {format!("{} {}", address.postcode, address.city)}<br />
            {country_name(&address.country)}
        </address>
    }
}

#[component]
pub fn AddressesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let delete = ServerAction::<DeleteAddress>::new();
    let list = Resource::new(
        move || query.with(|q| (q.get("saved"), q.get("deleted"))),
        |_| my_addresses(),
    );
    let saved = move || query.with(|q| q.get("saved")).is_some();
    let deleted = move || query.with(|q| q.get("deleted")).is_some();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, addresses.title)) />
        <h1>{t!(i18n, addresses.title)}</h1>
        <p class="lead">{t!(i18n, addresses.intro)}</p>
        <div role="status">
            {move || saved().then(|| view! { <p class="alert alert-success">{t!(i18n, addresses.saved)}</p> })}
            {move || deleted().then(|| view! { <p class="alert alert-success">{t!(i18n, addresses.deleted)}</p> })}
        </div>
        <p><a class="button" href="/account/addresses/new">{t!(i18n, addresses.add)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(addresses) if addresses.is_empty() => view! { <p>{t!(i18n, addresses.none)}</p> }.into_any(),
                    Ok(addresses) => view! {
                        <ul class="address-list">
                            {addresses.into_iter().map(|a| view! { <AddressCard a delete /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/addresses".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddressCard(a: MyAddress, delete: ServerAction<DeleteAddress>) -> impl IntoView {
    let i18n = use_i18n();
    let edit = format!("/account/addresses/{}", a.id);
    let id = a.id.to_string();
    let heading = a.address.name.clone();
    let label = format!("{} {}", a.address.street, a.address.house_number);
    let (edit_label, delete_label) = (label.clone(), label);
    view! {
        <li class="card">
            <h2 class="visually-hidden">{heading}</h2>
            <AddressLines address=a.address />
            <p class="badges">
                {a.default_delivery.then(|| view! { <span class="badge">{t!(i18n, addresses.default_delivery)}</span> })}
                {a.default_billing.then(|| view! { <span class="badge">{t!(i18n, addresses.default_billing)}</span> })}
            </p>
            <div class="actions">
                <a href=edit aria-label=move || t_string!(i18n, addresses.edit_label, address = edit_label.clone()).to_string()>
                    {t!(i18n, addresses.edit)}
                </a>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button-outline"
                        aria-label=move || t_string!(i18n, addresses.delete_label, address = delete_label.clone()).to_string()>
                        {t!(i18n, addresses.delete)}
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}

/// `/account/addresses/new` and `/account/addresses/{id}`.
#[component]
pub fn AddressFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).filter(|id| id != "new");
    let save = ServerAction::<SaveAddress>::new();
    let list = Resource::new(|| (), |_| my_addresses());
    view! {
        <p class="back-link"><a href="/account/addresses">{t!(i18n, addresses.back)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                let here = match id() { Some(id) => format!("/account/addresses/{id}"), None => "/account/addresses/new".into() };
                match list.await {
                    Ok(addresses) => {
                        let current = id().and_then(|id| addresses.into_iter().find(|a| a.id.to_string() == id));
                        if id().is_some() && current.is_none() {
                            return view! { <h1>{t!(i18n, not_found.title)}</h1> }.into_any();
                        }
                        view! { <AddressForm current save /> }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <LoginFirst here /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddressForm(current: Option<MyAddress>, save: ServerAction<SaveAddress>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let editing = current.is_some();
    let id = current
        .as_ref()
        .map(|a| a.id.to_string())
        .unwrap_or_default();
    let start = current.as_ref().map(|a| a.address.clone());
    let initial = move |field: &str| -> String {
        start
            .as_ref()
            .map(|a| match field {
                "name" => a.name.clone(),
                "street" => a.street.clone(),
                "house_number" => a.house_number.clone(),
                "addition" => a.addition.clone().unwrap_or_default(),
                "postcode" => a.postcode.clone(),
                "city" => a.city.clone(),
                "country" => a.country.clone(),
                _ => String::new(),
            })
            .unwrap_or_else(|| {
                if field == "country" {
                    "NL".into()
                } else {
                    String::new()
                }
            })
    };
    let value = move |field: &'static str| kept_value(error, field, initial(field));
    let invalid = move |field: &'static str| invalid_flag(error, field);
    let country = value("country");
    let options = COUNTRIES
        .iter()
        .map(|code| {
            let country = country.clone();
            view! { <option value=*code selected=move || country() == *code>{country_name(code)}</option> }
        })
        .collect_view();
    let (dd, db) = current
        .as_ref()
        .map(|a| (a.default_delivery, a.default_billing))
        .unwrap_or((false, false));
    let field =
        move |name: &'static str, id: &'static str, label: String, autocomplete: &'static str| {
            let described = format!("{id}-error");
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id name=name autocomplete=autocomplete value=value(name)
                        aria-invalid=invalid(name) aria-describedby=described />
                    <FieldErrors field=name field_id=id error />
                </div>
            }
        };
    view! {
        <Title text=crate::ui::title(move || if editing { t_string!(i18n, addresses.edit_title) } else { t_string!(i18n, addresses.new_title) }) />
        <h1>{move || if editing { t_string!(i18n, addresses.edit_title) } else { t_string!(i18n, addresses.new_title) }}</h1>
        <ActionForm action=save attr:class="stacked-form narrow" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="id" value=id />
            {field("name", "addr-name", t_string!(i18n, addresses.name).to_string(), "name")}
            <div class="field">
                <label for="addr-country">{t!(i18n, addresses.country)}</label>
                <select id="addr-country" name="country" autocomplete="country" aria-invalid=invalid("country")
                    aria-describedby="addr-country-error">{options}</select>
                <FieldErrors field="country" field_id="addr-country" error />
            </div>
            {field("postcode", "addr-postcode", t_string!(i18n, addresses.postcode).to_string(), "postal-code")}
            {field("house_number", "addr-number", t_string!(i18n, addresses.house_number).to_string(), "off")}
            {field("addition", "addr-addition", t_string!(i18n, addresses.addition).to_string(), "off")}
            {field("street", "addr-street", t_string!(i18n, addresses.street).to_string(), "address-line1")}
            {field("city", "addr-city", t_string!(i18n, addresses.city).to_string(), "address-level2")}
            <div class="field checkbox">
                <input id="addr-dd" type="checkbox" name="default_delivery" value="on" checked=dd />
                <label for="addr-dd">{t!(i18n, addresses.make_default_delivery)}</label>
            </div>
            <div class="field checkbox">
                <input id="addr-db" type="checkbox" name="default_billing" value="on" checked=db />
                <label for="addr-db">{t!(i18n, addresses.make_default_billing)}</label>
            </div>
            <button type="submit">{t!(i18n, addresses.save)}</button>
        </ActionForm>
    }
}
