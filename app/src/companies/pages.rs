//! `/account/company`: the company a B2B customer buys for — their role, limits and
//! locations; for the company's admin also the members (each with a link to change them),
//! the invitations and the delivery locations. Every form is a plain POST too.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    AddCompanyLocation, InviteCompanyMember, RemoveCompanyLocation, WithdrawCompanyInvitation,
    my_company,
};
use super::{CompanyLocation, CompanyView, InvitationRow, MemberRole, MemberRow};
use crate::customers::address::{COUNTRIES, country_name};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date_time, money};
use crate::ui::forms::{invalid_flag, kept_value};
use crate::ui::pages::LoginFirst;

/// The role in the page's language.
pub fn role_name(locale: Locale, role: MemberRole) -> &'static str {
    match role {
        MemberRole::Admin => td_string!(locale, company.role_admin),
        MemberRole::Buyer => td_string!(locale, company.role_buyer),
        MemberRole::Approver => td_string!(locale, company.role_approver),
        MemberRole::Viewer => td_string!(locale, company.role_viewer),
    }
}

/// What the role may do, one sentence.
pub fn role_explained(locale: Locale, role: MemberRole) -> &'static str {
    match role {
        MemberRole::Admin => td_string!(locale, company.role_admin_hint),
        MemberRole::Buyer => td_string!(locale, company.role_buyer_hint),
        MemberRole::Approver => td_string!(locale, company.role_approver_hint),
        MemberRole::Viewer => td_string!(locale, company.role_viewer_hint),
    }
}

/// "€ 500,00 per order · € 2.000,00 per month", or "no limit".
pub fn limits_words(
    locale: Locale,
    per_order: Option<i64>,
    per_month: Option<i64>,
    currency: &str,
) -> String {
    let mut parts = Vec::new();
    if let Some(amount) = per_order {
        parts.push(
            td_string!(
                locale,
                company.limit_per_order_words,
                amount = money(amount, currency, locale)
            )
            .to_string(),
        );
    }
    if let Some(amount) = per_month {
        parts.push(
            td_string!(
                locale,
                company.limit_per_month_words,
                amount = money(amount, currency, locale)
            )
            .to_string(),
        );
    }
    if parts.is_empty() {
        td_string!(locale, company.no_limit).to_string()
    } else {
        parts.join(" · ")
    }
}

/// One line: "Keuken, Boulevard de Ruyter 8, 4381 KA Vlissingen".
pub fn location_line(location: &CompanyLocation) -> String {
    let a = &location.address;
    let addition = a
        .addition
        .as_deref()
        .map(|x| format!(" {x}"))
        .unwrap_or_default();
    format!(
        "{}, {} {}{addition}, {} {}",
        a.name, a.street, a.house_number, a.postcode, a.city
    )
}

fn locations_words(locale: Locale, all: &[CompanyLocation], chosen: &[i64]) -> String {
    if chosen.is_empty() {
        return td_string!(locale, company.every_location).to_string();
    }
    all.iter()
        .filter(|l| chosen.contains(&l.id))
        .map(|l| l.address.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The four roles as radio buttons, each with what it allows, `chosen` ticked; the role's
/// error under them.
#[component]
pub fn RoleChoice(
    id_prefix: &'static str,
    chosen: Signal<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let radios = MemberRole::ALL
        .into_iter()
        .map(|role| {
            let id = format!("{id_prefix}-{}", role.as_str());
            let hint = format!("{id}-hint");
            view! {
                <div class="field radio">
                    <input type="radio" id=id.clone() name="role" value=role.as_str()
                        checked=move || chosen.get() == role.as_str() aria-describedby=hint.clone() />
                    <label for=id>{move || role_name(i18n.get_locale(), role)}</label>
                    <p class="hint" id=hint>{move || role_explained(i18n.get_locale(), role)}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset aria-describedby=format!("{id_prefix}-error")>
            <legend>{t!(i18n, company.role)}</legend>
            {radios}
            <FieldErrors field="role" field_id=id_prefix error />
        </fieldset>
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let company = move || query.with(|q| q.get("company"));
    let found = Resource::new(
        move || query.with(|q| (q.get("company"), q.get("done"))),
        |(company, _)| my_company(company),
    );
    let done = move || query.with(|q| q.get("done"));
    let done_words = move || {
        done().map(|done| match done.as_str() {
            "member_saved" => t_string!(i18n, company.done_member_saved),
            "member_removed" => t_string!(i18n, company.done_member_removed),
            "invited" => t_string!(i18n, company.done_invited),
            "withdrawn" => t_string!(i18n, company.done_withdrawn),
            "location_added" => t_string!(i18n, company.done_location_added),
            "location_removed" => t_string!(i18n, company.done_location_removed),
            "joined" => t_string!(i18n, company.done_joined),
            _ => t_string!(i18n, company.done_saved),
        })
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, company.title)) />
        <div role="status">
            {move || done_words().map(|words| view! { <p class="alert alert-success">{words}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(found) => view! { <Company found /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        let here = match company() {
                            Some(c) => format!("/account/company?company={c}"),
                            None => "/account/company".to_string(),
                        };
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
fn Company(found: CompanyView) -> impl IntoView {
    let i18n = use_i18n();
    let role = found.role;
    let admin = role == MemberRole::Admin;
    let currency = found.currency.clone();
    let (per_order, per_month) = (found.limit_per_order, found.limit_per_month);
    let limits = {
        let currency = currency.clone();
        move || limits_words(i18n.get_locale(), per_order, per_month, &currency)
    };
    let my_locations = {
        let (all, mine) = (found.locations.clone(), found.my_locations.clone());
        move || locations_words(i18n.get_locale(), &all, &mine)
    };
    let others = (!found.others.is_empty()).then(|| {
        view! {
            <p>{t!(i18n, company.also_for)}" "
                {found.others.iter().map(|(ext, name)| {
                    let href = format!("/account/company?company={}", form_urlencoded::byte_serialize(ext.as_bytes()).collect::<String>());
                    view! { <a href=href>{name.clone()}</a>" " }
                }).collect_view()}
            </p>
        }
    });
    let company = found.external_id.clone();
    view! {
        <h1>{found.name.clone()}</h1>
        {others}
        <section class="card" aria-labelledby="you-heading">
            <h2 id="you-heading">{t!(i18n, company.you)}</h2>
            <dl class="order-facts">
                <dt>{t!(i18n, company.your_role)}</dt>
                <dd>{move || role_name(i18n.get_locale(), role)}
                    <span class="muted">" — "{move || role_explained(i18n.get_locale(), role)}</span></dd>
                <dt>{t!(i18n, company.your_limits)}</dt>
                <dd>{limits}</dd>
                <dt>{t!(i18n, company.your_locations)}</dt>
                <dd>{my_locations}</dd>
            </dl>
            <p><a href="/account/orders">{t!(i18n, company.orders_link)}</a></p>
            <p><a href=format!("/account/company/orders?company={}", form_urlencoded::byte_serialize(company.as_bytes()).collect::<String>())>{t!(i18n, company_orders.company_link)}</a></p>
            <p><a href=format!("/account/company/quick-order?company={}", form_urlencoded::byte_serialize(company.as_bytes()).collect::<String>())>{t!(i18n, quick.company_link)}</a></p>
            {matches!(role, MemberRole::Approver | MemberRole::Admin).then(|| view! {
                <p><a href="/account/company/approvals">{t!(i18n, company.approvals_link)}</a></p>
            })}
        </section>
        {admin.then(|| view! {
            <Members company=company.clone() members=found.members.clone() locations=found.locations.clone() currency=currency.clone() />
            <Invitations company=company.clone() invitations=found.invitations.clone() />
        })}
        <Locations company=company.clone() locations=found.locations.clone() admin />
    }
}

#[component]
fn Members(
    company: String,
    members: Vec<MemberRow>,
    locations: Vec<CompanyLocation>,
    currency: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = members
        .into_iter()
        .map(|m| {
            let href = format!(
                "/account/company/members/{}?company={}",
                m.customer_id,
                form_urlencoded::byte_serialize(company.as_bytes()).collect::<String>()
            );
            let role = m.role;
            let (per_order, per_month) = (m.limit_per_order, m.limit_per_month);
            let currency = currency.clone();
            let limits = move || limits_words(i18n.get_locale(), per_order, per_month, &currency);
            let (all, mine) = (locations.clone(), m.locations.clone());
            let places = move || locations_words(i18n.get_locale(), &all, &mine);
            let name = m.name.clone();
            let label = move || t_string!(i18n, company.change_member, name = name.clone()).to_string();
            view! {
                <tr>
                    <th scope="row">{m.name.clone()}
                        {m.is_me.then(|| view! { " " <span class="badge">{t!(i18n, company.that_is_you)}</span> })}
                        <br /><span class="muted">{m.email.clone().unwrap_or_default()}</span></th>
                    <td data-label=move || t_string!(i18n, company.role)>{move || role_name(i18n.get_locale(), role)}</td>
                    <td data-label=move || t_string!(i18n, company.limits)>{limits}</td>
                    <td data-label=move || t_string!(i18n, company.locations)>{places}</td>
                    <td><a href=href aria-label=label>{t!(i18n, company.change)}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="members-heading">
            <h2 id="members-heading">{t!(i18n, company.members)}</h2>
            <div class="table-scroll">
                <table class="order-lines members">
                    <thead><tr>
                        <th scope="col">{t!(i18n, company.member)}</th>
                        <th scope="col">{t!(i18n, company.role)}</th>
                        <th scope="col">{t!(i18n, company.limits)}</th>
                        <th scope="col">{t!(i18n, company.locations)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, company.change)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Invitations(company: String, invitations: Vec<InvitationRow>) -> impl IntoView {
    let i18n = use_i18n();
    let invite = ServerAction::<InviteCompanyMember>::new();
    let withdraw = ServerAction::<WithdrawCompanyInvitation>::new();
    let error = Signal::derive(move || invite.value().get().and_then(Result::err));
    let email = kept_value(error, "email", String::new());
    let chosen_role = Signal::derive(kept_value(
        error,
        "role",
        MemberRole::Buyer.as_str().to_string(),
    ));
    let page_language = move || match i18n.get_locale() {
        Locale::en => "en",
        _ => "nl",
    };
    let open = (!invitations.is_empty()).then(|| {
        let company = company.clone();
        view! {
            <h3>{t!(i18n, company.open_invitations)}</h3>
            <ul class="plain row-list">
                {invitations.into_iter().map(|inv| {
                    let until = inv.expires_local.clone();
                    let role = inv.role;
                    let email = inv.email.clone();
                    let label = move || t_string!(i18n, company.withdraw_label, email = email.clone()).to_string();
                    let company = company.clone();
                    view! {
                        <li>
                            <span>{inv.email.clone()}" · "{move || role_name(i18n.get_locale(), role)}</span>
                            <span class="muted">{move || if inv.expired {
                                t_string!(i18n, company.invitation_expired).to_string()
                            } else {
                                t_string!(i18n, company.invitation_until, date = date_time(&until, i18n.get_locale())).to_string()
                            }}</span>
                            <ActionForm action=withdraw attr:class="inline-form">
                                <input type="hidden" name="company" value=company />
                                <input type="hidden" name="invitation" value=inv.id.to_string() />
                                <button type="submit" class="button-outline" aria-label=label>{t!(i18n, company.withdraw)}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="card" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t!(i18n, company.invite)}</h2>
            <p>{t!(i18n, company.invite_intro)}</p>
            <ActionForm action=invite attr:class="stacked-form narrow" attr:novalidate=true>
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="company" value=company.clone() />
                <div class="field">
                    <label for="invite-email">{t!(i18n, company.invite_email)}</label>
                    <input id="invite-email" name="email" type="email" autocomplete="off" value=email
                        aria-invalid=invalid_flag(error, "email") aria-describedby="invite-email-error" />
                    <FieldErrors field="email" field_id="invite-email" error />
                </div>
                <RoleChoice id_prefix="invite-role" chosen=chosen_role error />
                <div class="field">
                    <label for="invite-language">{t!(i18n, company.invite_language)}</label>
                    <select id="invite-language" name="language">
                        <option value="nl" selected=move || page_language() == "nl">"Nederlands"</option>
                        <option value="en" selected=move || page_language() == "en">"English"</option>
                    </select>
                </div>
                <button type="submit">{t!(i18n, company.invite_submit)}</button>
            </ActionForm>
            {open}
        </section>
    }
}

#[component]
fn Locations(company: String, locations: Vec<CompanyLocation>, admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let remove = ServerAction::<RemoveCompanyLocation>::new();
    let list = if locations.is_empty() {
        view! { <p>{t!(i18n, company.no_locations)}</p> }.into_any()
    } else {
        let company = company.clone();
        view! {
            <ul class="plain row-list">
                {locations.into_iter().map(|l| {
                    let line = location_line(&l);
                    let name = l.address.name.clone();
                    let label = move || t_string!(i18n, company.remove_location_label, name = name.clone()).to_string();
                    let company = company.clone();
                    view! {
                        <li>
                            <span>{line}</span>
                            {admin.then(move || view! {
                                <ActionForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="company" value=company />
                                    <input type="hidden" name="location_id" value=l.id.to_string() />
                                    <button type="submit" class="button-outline" aria-label=label>{t!(i18n, company.remove)}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="locations-heading">
            <h2 id="locations-heading">{t!(i18n, company.locations)}</h2>
            {list}
            {admin.then(|| view! { <LocationForm company=company.clone() /> })}
        </section>
    }
}

#[component]
fn LocationForm(company: String) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddCompanyLocation>::new();
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let field = move |name: &'static str,
                      id: &'static str,
                      label: String,
                      autocomplete: &'static str| {
        let described = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name autocomplete=autocomplete value=kept_value(error, name, String::new())
                    aria-invalid=invalid_flag(error, name) aria-describedby=described />
                <FieldErrors field=name field_id=id error />
            </div>
        }
    };
    let country = kept_value(error, "country", "NL".into());
    let options = COUNTRIES
        .iter()
        .map(|code| {
            let country = country.clone();
            view! { <option value=*code selected=move || country() == *code>{country_name(code)}</option> }
        })
        .collect_view();
    view! {
        <h3>{t!(i18n, company.add_location)}</h3>
        <ActionForm action=add attr:class="stacked-form narrow" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="company" value=company />
            {field("name", "loc-name", t_string!(i18n, company.location_name).to_string(), "organization")}
            <div class="field">
                <label for="loc-country">{t!(i18n, addresses.country)}</label>
                <select id="loc-country" name="country" autocomplete="country" aria-invalid=invalid_flag(error, "country")
                    aria-describedby="loc-country-error">{options}</select>
                <FieldErrors field="country" field_id="loc-country" error />
            </div>
            {field("postcode", "loc-postcode", t_string!(i18n, addresses.postcode).to_string(), "postal-code")}
            {field("house_number", "loc-number", t_string!(i18n, addresses.house_number).to_string(), "off")}
            {field("addition", "loc-addition", t_string!(i18n, addresses.addition).to_string(), "off")}
            {field("street", "loc-street", t_string!(i18n, addresses.street).to_string(), "address-line1")}
            {field("city", "loc-city", t_string!(i18n, addresses.city).to_string(), "address-level2")}
            <button type="submit">{t!(i18n, company.add_location_submit)}</button>
        </ActionForm>
    }
}

/// The delivery locations to choose from on an order form (`location`, the id), when
/// the company has any; with several, nothing is chosen until the buyer chooses.
#[component]
pub fn LocationChoice(
    #[prop(into)] id: String,
    locations: Vec<(i64, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if locations.is_empty() {
        return ().into_any();
    }
    let chosen = kept_value(error, "location", String::new());
    let several = locations.len() > 1;
    let options = locations
        .into_iter()
        .map(|(lid, label)| {
            let value = lid.to_string();
            let chosen = chosen.clone();
            let selected = move || chosen() == value;
            view! { <option value=lid.to_string() selected=selected>{label}</option> }
        })
        .collect_view();
    let describedby = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{t!(i18n, quick.location)}</label>
            <select id=id.clone() name="location" aria-invalid=invalid_flag(error, "location") aria-describedby=describedby>
                {several.then(|| view! { <option value="">{t!(i18n, quick.location_choose)}</option> })}
                {options}
            </select>
            <FieldErrors field="location" field_id=id error />
        </div>
    }
    .into_any()
}
