//! `/account/company/members/{customer}`: the company's admin changes one member's role,
//! order limits and locations, or removes them from the company.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{RemoveCompanyMember, SaveCompanyMember, my_company};
use super::pages::{RoleChoice, location_line};
use super::{CompanyLocation, MemberRole, MemberRow};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::forms::{invalid_flag, kept_value};
use crate::ui::pages::LoginFirst;

/// An amount in minor units as the limit field shows it: `500` or `12,50` (`12.50` in
/// English) — never with thousands separators, so it reads back the same.
pub fn amount_field(minor: Option<i64>, locale: Locale) -> String {
    let Some(minor) = minor else {
        return String::new();
    };
    let (whole, cents) = (minor / 100, minor % 100);
    if cents == 0 {
        whole.to_string()
    } else {
        let separator = if locale == Locale::en { '.' } else { ',' };
        format!("{whole}{separator}{cents:02}")
    }
}

#[component]
pub fn MemberPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let member = move || params.with(|p| p.get("member")).unwrap_or_default();
    let company = move || query.with(|q| q.get("company"));
    let found = Resource::new(company, my_company);
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                let back = format!(
                    "/account/company?company={}",
                    form_urlencoded::byte_serialize(company().unwrap_or_default().as_bytes()).collect::<String>()
                );
                match found.await {
                    Ok(found) if found.role != MemberRole::Admin => view! {
                        <h1>{t!(i18n, company.title)}</h1>
                        <p>{t!(i18n, company.admin_only)}</p>
                    }.into_any(),
                    Ok(found) => {
                        let Some(row) = found.members.iter().find(|m| m.customer_id.to_string() == member()).cloned() else {
                            return view! { <h1>{t!(i18n, not_found.title)}</h1> }.into_any();
                        };
                        view! {
                            <p class="back-link"><a href=back>{t!(i18n, company.back)}</a></p>
                            <MemberForm company=found.external_id.clone() row locations=found.locations.clone() />
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        let here = format!("/account/company/members/{}{}", member(),
                            company().map(|c| format!("?company={c}")).unwrap_or_default());
                        view! { <LoginFirst here /> }.into_any()
                    }
                    Err(AppError::NotFound) => view! {
                        <h1>{t!(i18n, company.title)}</h1>
                        <p>{t!(i18n, company.not_a_member)}</p>
                    }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MemberForm(company: String, row: MemberRow, locations: Vec<CompanyLocation>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCompanyMember>::new();
    let remove = ServerAction::<RemoveCompanyMember>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let removal_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let locale = i18n.get_locale_untracked();
    let chosen_role = Signal::derive(kept_value(error, "role", row.role.as_str().to_string()));
    let per_order = kept_value(
        error,
        "limit_per_order",
        amount_field(row.limit_per_order, locale),
    );
    let per_month = kept_value(
        error,
        "limit_per_month",
        amount_field(row.limit_per_month, locale),
    );
    let name = row.name.clone();
    let title = move || t_string!(i18n, company.member_title, name = name.clone()).to_string();
    let places = (!locations.is_empty()).then(|| {
        let boxes = locations
            .iter()
            .map(|l| {
                let id = format!("member-location-{}", l.id);
                let stored = row.locations.contains(&l.id);
                let field = format!("location[{}]", l.id);
                // After an error: as ticked then (the role is always among what was kept).
                let checked = move || match error.get() {
                    Some(e) if e.kept("role").is_some() => e.kept(&field).is_some(),
                    _ => stored,
                };
                view! {
                    <div class="field checkbox">
                        <input type="checkbox" id=id.clone() name=format!("location[{}]", l.id) value="on" checked=checked />
                        <label for=id>{location_line(l)}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset aria-describedby="member-locations-hint member-locations-error">
                <legend>{t!(i18n, company.member_locations)}</legend>
                <p class="hint" id="member-locations-hint">{t!(i18n, company.member_locations_hint)}</p>
                {boxes}
                <FieldErrors field="locations" field_id="member-locations" error />
            </fieldset>
        }
    });
    let member = row.customer_id.to_string();
    let (remove_company, remove_member) = (company.clone(), member.clone());
    let remove_label = {
        let name = row.name.clone();
        move || t_string!(i18n, company.remove_member_label, name = name.clone()).to_string()
    };
    view! {
        <Title text=crate::ui::title(title.clone()) />
        <h1>{title}</h1>
        <p class="muted">{row.email.clone().unwrap_or_default()}</p>
        <ActionForm action=save attr:class="stacked-form narrow" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="company" value=company />
            <input type="hidden" name="member" value=member />
            <RoleChoice id_prefix="member-role" chosen=chosen_role error />
            <div class="field">
                <label for="member-limit-order">{t!(i18n, company.limit_per_order)}</label>
                <input id="member-limit-order" name="limit_per_order" inputmode="decimal" autocomplete="off" value=per_order
                    aria-invalid=invalid_flag(error, "limit_per_order") aria-describedby="member-limit-hint member-limit-order-error" />
                <FieldErrors field="limit_per_order" field_id="member-limit-order" error />
            </div>
            <div class="field">
                <label for="member-limit-month">{t!(i18n, company.limit_per_month)}</label>
                <input id="member-limit-month" name="limit_per_month" inputmode="decimal" autocomplete="off" value=per_month
                    aria-invalid=invalid_flag(error, "limit_per_month") aria-describedby="member-limit-hint member-limit-month-error" />
                <FieldErrors field="limit_per_month" field_id="member-limit-month" error />
            </div>
            <p class="hint" id="member-limit-hint">{t!(i18n, company.limit_hint)}</p>
            {places}
            <button type="submit">{t!(i18n, company.save_member)}</button>
        </ActionForm>
        <section class="danger-zone" aria-labelledby="remove-heading">
            <h2 id="remove-heading">{t!(i18n, company.remove_member)}</h2>
            <p>{t!(i18n, company.remove_member_intro)}</p>
            <ActionForm action=remove>
                <FieldErrors field="member" field_id="member-remove" error=removal_error />
                <input type="hidden" name="company" value=remove_company />
                <input type="hidden" name="member" value=remove_member />
                <button type="submit" class="button-outline" aria-label=remove_label>{t!(i18n, company.remove_member)}</button>
            </ActionForm>
        </section>
    }
}
