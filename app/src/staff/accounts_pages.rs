//! `/admin/staff` (the staff list and the invitation form) and `/admin/staff/{id}` (one
//! staff member: roles and stores, deactivate, reset two-step login). Every change asks
//! for a code from the admin's app when their last one is older than ten minutes.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    ChangeStaff, InviteStaff, ResetStaffTwoFactor, SetStaffActive, load_staff, load_staff_member,
};
use super::{STAFF_ROLES, StaffMember, StaffOverview};
use crate::accounts::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::StoreStaff => t_string!(i18n, privacy.access_role_store_staff),
        Role::SupportAgent => t_string!(i18n, privacy.access_role_support_agent),
        Role::Admin => t_string!(i18n, privacy.access_role_admin),
        Role::Customer => t_string!(i18n, staff.role_customer),
    }
    .to_string()
}

/// A form's error, when it is not only about its fields (shown at the top).
fn general(error: Signal<Option<AppError>>) -> impl Fn() -> Option<AnyView> {
    move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid(_) | AppError::FormInvalid { .. }))
            .map(|error| view! { <ErrorMessage error /> }.into_any())
    }
}

/// The admin's code, when a change needs one now (or the last try was refused).
#[component]
fn ReauthField(id: &'static str, needed: bool, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let asked = move || {
        needed
            || error
                .get()
                .is_some_and(|e| e.field_codes("code").next().is_some())
    };
    let invalid = crate::ui::forms::invalid_flag(error, "code");
    let described = format!("{id}-hint {id}-error");
    let hint_id = format!("{id}-hint");
    move || {
        asked().then(|| {
            view! {
                <div class="field">
                    <label for=id>{t!(i18n, staff.reauth_label)}</label>
                    <input id=id name="code" autocomplete="one-time-code" inputmode="numeric" class="code-input"
                        aria-invalid=invalid.clone() aria-describedby=described.clone() />
                    <p class="hint" id=hint_id.clone()>{t!(i18n, staff.reauth_hint)}</p>
                    <FieldErrors field="code" field_id=id error />
                </div>
            }
        })
    }
}

/// Checkboxes for the roles and the stores, ticked as `member` has them (or as typed).
#[component]
fn RolesAndStores(
    prefix: &'static str,
    roles: Vec<Role>,
    stores: Vec<String>,
    all_stores: Vec<(String, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role_boxes = STAFF_ROLES
        .into_iter()
        .map(|role| {
            let id = format!("{prefix}-role-{}", role.as_str());
            let label = role_label(i18n, role);
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=id.clone() name=format!("role[{}]", role.as_str()) value="on"
                        checked=roles.contains(&role) />
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    let store_boxes = all_stores
        .into_iter()
        .map(|(code, name)| {
            let id = format!("{prefix}-store-{code}");
            let checked = stores.contains(&code);
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=id.clone() name=format!("store[{code}]") value="on" checked=checked />
                    <label for=id>{format!("{name} ({code})")}</label>
                </div>
            }
        })
        .collect_view();
    let role_error = format!("{prefix}-role");
    let store_error = format!("{prefix}-store");
    view! {
        <fieldset>
            <legend>{t!(i18n, staff.roles)}</legend>
            <FieldErrors field="role" field_id=role_error error />
            {role_boxes}
        </fieldset>
        <fieldset>
            <legend>{t!(i18n, staff.stores)}</legend>
            <p class="hint">{t!(i18n, staff.stores_hint)}</p>
            <FieldErrors field="store" field_id=store_error error />
            {store_boxes}
        </fieldset>
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let invite = ServerAction::<InviteStaff>::new();
    let query = use_query_map();
    // Read again after an invitation (its answer sends the browser to `?invited={id}`); a
    // refused one leaves the form as typed.
    let staff = Resource::new(move || query.with(|q| q.get("invited")), |_| load_staff());
    let invited = move || query.with(|q| q.get("invited").is_some());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, staff.staff_title)) />
        <h1>{t!(i18n, staff.staff_title)}</h1>
        <p class="lead">{t!(i18n, staff.staff_intro)}</p>
        <div role="status">
            {move || invited().then(|| view! { <p class="alert alert-success">{t!(i18n, staff.invited)}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Ok(overview) => view! { <StaffList overview=overview.clone() /> <InviteForm overview action=invite /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/admin/staff".to_string() /> }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffList(overview: StaffOverview) -> impl IntoView {
    let i18n = use_i18n();
    let rows = overview
        .members
        .into_iter()
        .map(|m| {
            let href = format!("/admin/staff/{}", m.id);
            let row_id = format!("staff-{}", m.id);
            let roles = m
                .roles
                .iter()
                .map(|r| role_label(i18n, *r))
                .collect::<Vec<_>>()
                .join(", ");
            let stores = if m.stores.is_empty() { "—".to_string() } else { m.stores.join(", ") };
            view! {
                <tr id=row_id>
                    <td data-label=move || t_string!(i18n, staff.name)><a href=href>{m.name.clone()}</a></td>
                    <td data-label=move || t_string!(i18n, staff.email)>{m.email.clone()}</td>
                    <td data-label=move || t_string!(i18n, staff.roles)>{roles}</td>
                    <td data-label=move || t_string!(i18n, staff.stores)>{stores}</td>
                    <td data-label=move || t_string!(i18n, staff.state)><MemberState m=m.clone() /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="staff-list">
            <h2 id="staff-list">{t!(i18n, staff.list_heading)}</h2>
            <table class="stacking staff-list">
                <thead><tr>
                    <th scope="col">{t!(i18n, staff.name)}</th>
                    <th scope="col">{t!(i18n, staff.email)}</th>
                    <th scope="col">{t!(i18n, staff.roles)}</th>
                    <th scope="col">{t!(i18n, staff.stores)}</th>
                    <th scope="col">{t!(i18n, staff.state)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// Active or not, invited, two-step login on or not yet.
#[component]
fn MemberState(m: StaffMember) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || {
        let status = if !m.active {
            t_string!(i18n, staff.state_deactivated)
        } else if m.invited {
            t_string!(i18n, staff.state_invited)
        } else {
            t_string!(i18n, staff.state_active)
        };
        let two_step = if m.two_factor {
            t_string!(i18n, staff.two_step_on)
        } else {
            t_string!(i18n, staff.two_step_off)
        };
        format!("{status} · {two_step}")
    };
    view! { <span>{state}</span> }
}

#[component]
fn InviteForm(overview: StaffOverview, action: ServerAction<InviteStaff>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let kept = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.kept(field).map(str::to_string))
                .unwrap_or_default()
        }
    };
    let invalid = move |field: &'static str| crate::ui::forms::invalid_flag(error, field);
    // The language of the mails: as typed, else the admin's own.
    let language = move || match kept("language")() {
        typed if typed == "nl" || typed == "en" => typed,
        _ => i18n.get_locale().as_str().to_string(),
    };
    let kept_roles: Vec<Role> = error
        .get_untracked()
        .map(|e| {
            STAFF_ROLES
                .into_iter()
                .filter(|r| e.kept(&format!("role[{}]", r.as_str())).is_some())
                .collect()
        })
        .unwrap_or_default();
    let kept_stores: Vec<String> = overview
        .stores
        .iter()
        .filter(|(code, _)| {
            error
                .get_untracked()
                .is_some_and(|e| e.kept(&format!("store[{code}]")).is_some())
        })
        .map(|(code, _)| code.clone())
        .collect();
    view! {
        <section class="card" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t!(i18n, staff.invite_heading)}</h2>
            <p>{t!(i18n, staff.invite_intro)}</p>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {general(error)}
                <div class="field">
                    <label for="invite-email">{t!(i18n, staff.email)}</label>
                    <input id="invite-email" type="email" name="email" autocomplete="off" required value=kept("email")
                        aria-invalid=invalid("email") aria-describedby="invite-email-error" />
                    <FieldErrors field="email" field_id="invite-email" error />
                </div>
                <div class="field">
                    <label for="invite-name">{t!(i18n, staff.name)}</label>
                    <input id="invite-name" name="name" autocomplete="off" required value=kept("name")
                        aria-invalid=invalid("name") aria-describedby="invite-name-error" />
                    <FieldErrors field="name" field_id="invite-name" error />
                </div>
                <div class="field">
                    <label for="invite-language">{t!(i18n, staff.language)}</label>
                    <select id="invite-language" name="language">
                        <option value="nl" selected=move || language() == "nl">"Nederlands"</option>
                        <option value="en" selected=move || language() == "en">"English"</option>
                    </select>
                </div>
                <RolesAndStores prefix="invite" roles=kept_roles stores=kept_stores all_stores=overview.stores.clone() error />
                <ReauthField id="invite-code" needed=overview.code_needed error />
                <button type="submit">{t!(i18n, staff.invite_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn StaffMemberPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let user = move || {
        params
            .with(|p| p.get("user"))
            .and_then(|u| u.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let change = ServerAction::<ChangeStaff>::new();
    let active = ServerAction::<SetStaffActive>::new();
    let reset = ServerAction::<ResetStaffTwoFactor>::new();
    let found = Resource::new(
        move || {
            (
                user(),
                change.version().get(),
                active.version().get(),
                reset.version().get(),
            )
        },
        |(user, ..)| load_staff_member(user),
    );
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, staff.member_title)) />
        <p><a href="/admin/staff">{t!(i18n, staff.back_to_list)}</a></p>
        <div role="status">
            {move || saved().then(|| view! { <p class="alert alert-success">{t!(i18n, staff.saved)}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(overview) => match overview.members.first().cloned() {
                        Some(m) => view! {
                            <Member m stores=overview.stores.clone() code_needed=overview.code_needed change active reset />
                        }.into_any(),
                        None => view! { <ErrorMessage error=AppError::NotFound /> }.into_any(),
                    },
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/admin/staff/{}", user()) /> }.into_any(),
                    Err(error) => view! { <h1>{t!(i18n, staff.member_title)}</h1> <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Member(
    m: StaffMember,
    stores: Vec<(String, String)>,
    code_needed: bool,
    change: ServerAction<ChangeStaff>,
    active: ServerAction<SetStaffActive>,
    reset: ServerAction<ResetStaffTwoFactor>,
) -> impl IntoView {
    let i18n = use_i18n();
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    let active_error = Signal::derive(move || active.value().get().and_then(Result::err));
    let reset_error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let id = m.id.to_string();
    let is_active = m.active;
    // Not for oneself: someone must be left who can undo it.
    let own = m.is_you;
    let status_form = (!own).then(|| {
        let id = id.clone();
        view! {
            <section class="card" aria-labelledby="member-active">
                <h2 id="member-active">{move || if is_active { t_string!(i18n, staff.deactivate_heading) } else { t_string!(i18n, staff.reactivate_heading) }}</h2>
                <p>{move || if is_active { t_string!(i18n, staff.deactivate_text) } else { t_string!(i18n, staff.reactivate_text) }}</p>
                <ActionForm action=active attr:class="stacked-form" attr:novalidate=true>
                    {general(active_error)}
                    <input type="hidden" name="user" value=id />
                    <input type="hidden" name="active" value=if is_active { "false" } else { "true" } />
                    <ReauthField id="active-code" needed=code_needed error=active_error />
                    <FieldErrors field="active" field_id="member-active" error=active_error />
                    <button type="submit" class=if is_active { "danger" } else { "" }>
                        {move || if is_active { t_string!(i18n, staff.deactivate_submit) } else { t_string!(i18n, staff.reactivate_submit) }}
                    </button>
                </ActionForm>
            </section>
        }
    });
    let reset_form = (!own && m.two_factor).then(|| {
        let id = id.clone();
        view! {
            <section class="card" aria-labelledby="member-two-step">
                <h2 id="member-two-step">{t!(i18n, staff.reset_heading)}</h2>
                <p>{t!(i18n, staff.reset_text)}</p>
                <ActionForm action=reset attr:class="stacked-form" attr:novalidate=true>
                    {general(reset_error)}
                    <input type="hidden" name="user" value=id />
                    <ReauthField id="reset-code" needed=code_needed error=reset_error />
                    <button type="submit">{t!(i18n, staff.reset_submit)}</button>
                </ActionForm>
            </section>
        }
    });
    view! {
        <h1>{m.name.clone()}</h1>
        <dl class="order-facts">
            <dt>{t!(i18n, staff.email)}</dt><dd>{m.email.clone()}</dd>
            <dt>{t!(i18n, staff.state)}</dt><dd><MemberState m=m.clone() /></dd>
        </dl>
        <section class="card" aria-labelledby="member-roles">
            <h2 id="member-roles">{t!(i18n, staff.change_heading)}</h2>
            <ActionForm action=change attr:class="stacked-form" attr:novalidate=true>
                {general(change_error)}
                <input type="hidden" name="user" value=id.clone() />
                <RolesAndStores prefix="member" roles=m.roles.clone() stores=m.stores.clone() all_stores=stores error=change_error />
                <ReauthField id="change-code" needed=code_needed error=change_error />
                <button type="submit">{t!(i18n, staff.change_submit)}</button>
            </ActionForm>
        </section>
        {status_form}
        {reset_form}
    }
}
