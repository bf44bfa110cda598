//! `/account/company/join/{token}`: the page the invitation mail links to. It says who
//! invites whom to which company in what role, and the way on: log in (or create an
//! account) with the invited address, then join with one button.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{AcceptCompanyInvitation, company_invitation};
use super::pages::{role_explained, role_name};
use super::{InvitationState, InvitationView};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let found = Resource::new(token, company_invitation);
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, company.join_title)) />
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(view) => view! { <Invitation view token=token() /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <h1>{t!(i18n, company.join_title)}</h1>
                        <p>{t!(i18n, company.join_unknown)}</p>
                    }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Invitation(view: InvitationView, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let accept = ServerAction::<AcceptCompanyInvitation>::new();
    let error = Signal::derive(move || accept.value().get().and_then(Result::err));
    let role = view.role;
    let (company, who, email) = (
        view.company.clone(),
        view.invited_by.clone().unwrap_or_default(),
        view.email.clone(),
    );
    let invited = {
        let company = company.clone();
        move || {
            t_string!(
                i18n,
                company.join_text,
                who = who.clone(),
                company = company.clone(),
                role = role_name(i18n.get_locale(), role)
            )
            .to_string()
        }
    };
    let here = format!("/account/company/join/{token}");
    let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
    let way_on = match (view.state, view.for_you) {
        (InvitationState::Open, Some(true)) => view! {
            <ActionForm action=accept attr:class="stacked-form narrow">
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="token" value=token.clone() />
                <FieldErrors field="token" field_id="join-token" error />
                <FieldErrors field="email" field_id="join-email" error />
                <button type="submit">{move || t_string!(i18n, company.join_submit, company = company.clone()).to_string()}</button>
            </ActionForm>
        }
        .into_any(),
        (InvitationState::Open, Some(false)) => {
            let email = email.clone();
            let logout = expect_context::<crate::accounts::pages::Auth>().logout;
            view! {
                <p class="alert">{move || t_string!(i18n, company.join_other_account, email = email.clone()).to_string()}</p>
                <ActionForm action=logout>
                    <button type="submit" class="button-outline">{t!(i18n, company.join_log_out)}</button>
                </ActionForm>
            }
            .into_any()
        }
        (InvitationState::Open, None) => {
            let email = email.clone();
            view! {
                <p>{move || t_string!(i18n, company.join_log_in_first, email = email.clone()).to_string()}</p>
                <p class="actions">
                    <a class="button" href=format!("/login?next={next}")>{t!(i18n, company.join_log_in)}</a>
                    <a href="/register">{t!(i18n, company.join_register)}</a>
                </p>
                <p class="hint">{t!(i18n, company.join_register_hint)}</p>
            }
            .into_any()
        }
        (InvitationState::Accepted, _) => view! {
            <p>{t!(i18n, company.join_accepted)}</p>
            <p><a href="/account/company">{t!(i18n, company.title)}</a></p>
        }
        .into_any(),
        (InvitationState::Withdrawn | InvitationState::Expired, _) => view! {
            <p class="alert">{t!(i18n, company.join_ended)}</p>
        }
        .into_any(),
    };
    view! {
        <h1>{move || t_string!(i18n, company.join_heading, company = view.company.clone()).to_string()}</h1>
        <p class="lead">{invited}</p>
        <p class="muted">{move || role_explained(i18n.get_locale(), role)}</p>
        {way_on}
    }
}
