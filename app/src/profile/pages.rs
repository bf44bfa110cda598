//! `/account/details` and `/account/confirm-email`.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{ChangeEmail, ChangePassword, SaveDetails, confirm_email_change, my_details};
use super::{Details, EmailChangeOutcome};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
use crate::ui::pages::LoginFirst;

#[component]
pub fn DetailsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveDetails>::new();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let saved = move || query.with(|q| q.get("saved"));
    let details = Resource::new(saved, |_| my_details());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, details.title)) />
        <h1>{t!(i18n, details.title)}</h1>
        <div role="status">
            {move || saved().map(|what| {
                let text = move || match what.as_str() {
                    "password" => t_string!(i18n, details.password_changed).to_string(),
                    "email" => t_string!(i18n, details.email_sent).to_string(),
                    _ => t_string!(i18n, details.saved).to_string(),
                };
                view! { <p class="alert alert-success">{text}</p> }
            })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(found) => view! { <DetailsForms found save password email /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/details".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DetailsForms(
    found: Details,
    save: ServerAction<SaveDetails>,
    password: ServerAction<ChangePassword>,
    email: ServerAction<ChangeEmail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let password_error = Signal::derive(move || password.value().get().and_then(Result::err));
    let email_error = Signal::derive(move || email.value().get().and_then(Result::err));
    let language = kept(save_error, "language", found.language.as_str().to_string());
    let (lang_nl, lang_en) = (language.clone(), language);
    let current_email = found.email.clone();
    let pending = found.pending_email.clone();
    view! {
        <div class="overview-grid">
            <section class="card" aria-labelledby="personal-heading">
                <h2 id="personal-heading">{t!(i18n, details.personal)}</h2>
                <ActionForm action=save attr:class="stacked-form" attr:novalidate=true>
                    {move || save_error.get().map(|error| view! { <ErrorMessage error /> })}
                    <div class="field">
                        <label for="d-name">{t!(i18n, details.name)}</label>
                        <input id="d-name" name="name" autocomplete="name" value=kept(save_error, "name", found.name.clone())
                            aria-invalid=invalid(save_error, "name") aria-describedby="d-name-error" />
                        <FieldErrors field="name" field_id="d-name" error=save_error />
                    </div>
                    <div class="field">
                        <label for="d-phone">{t!(i18n, details.phone)}</label>
                        <input id="d-phone" name="phone" type="tel" autocomplete="tel"
                            value=kept(save_error, "phone", found.phone.clone().unwrap_or_default())
                            aria-invalid=invalid(save_error, "phone") aria-describedby="d-phone-error" />
                        <FieldErrors field="phone" field_id="d-phone" error=save_error />
                    </div>
                    <div class="field">
                        <label for="d-birth">{t!(i18n, details.birth_date)}</label>
                        <input id="d-birth" name="birth_date" type="date" autocomplete="bday"
                            value=kept(save_error, "birth_date", found.birth_date.clone().unwrap_or_default())
                            aria-invalid=invalid(save_error, "birth_date") aria-describedby="d-birth-hint d-birth-error" />
                        <p class="hint" id="d-birth-hint">{t!(i18n, details.birth_date_hint)}</p>
                        <FieldErrors field="birth_date" field_id="d-birth" error=save_error />
                    </div>
                    <div class="field">
                        <label for="d-language">{t!(i18n, details.language)}</label>
                        <select id="d-language" name="language">
                            <option value="nl" selected=move || lang_nl() == "nl">"Nederlands"</option>
                            <option value="en" selected=move || lang_en() == "en">"English"</option>
                        </select>
                    </div>
                    <button type="submit">{t!(i18n, details.save)}</button>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="email-heading">
                <h2 id="email-heading">{t!(i18n, details.email_title)}</h2>
                <p>{move || t_string!(i18n, details.current_email, email = current_email.clone()).to_string()}</p>
                {pending.map(|p| view! { <p class="alert">{move || t_string!(i18n, details.pending_email, email = p.clone()).to_string()}</p> })}
                <ActionForm action=email attr:class="stacked-form" attr:novalidate=true>
                    <div class="field">
                        <label for="e-new">{t!(i18n, details.new_email)}</label>
                        <input id="e-new" name="new_email" type="email" autocomplete="email" value=kept(email_error, "new_email", String::new())
                            aria-invalid=invalid(email_error, "new_email") aria-describedby="e-new-error" />
                        <FieldErrors field="new_email" field_id="e-new" error=email_error />
                    </div>
                    <div class="field">
                        <label for="e-password">{t!(i18n, details.confirm_with_password)}</label>
                        <input id="e-password" name="email_password" type="password" autocomplete="current-password"
                            aria-invalid=invalid(email_error, "email_password") aria-describedby="e-password-error" />
                        <FieldErrors field="email_password" field_id="e-password" error=email_error />
                    </div>
                    <button type="submit">{t!(i18n, details.change_email)}</button>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="password-heading">
                <h2 id="password-heading">{t!(i18n, details.password_title)}</h2>
                <p>{t!(i18n, details.password_text)}</p>
                <ActionForm action=password attr:class="stacked-form" attr:novalidate=true>
                    <div class="field">
                        <label for="p-current">{t!(i18n, details.current_password)}</label>
                        <input id="p-current" name="current_password" type="password" autocomplete="current-password"
                            aria-invalid=invalid(password_error, "current_password") aria-describedby="p-current-error" />
                        <FieldErrors field="current_password" field_id="p-current" error=password_error />
                    </div>
                    <div class="field">
                        <label for="p-new">{t!(i18n, details.new_password)}</label>
                        <input id="p-new" name="new_password" type="password" autocomplete="new-password"
                            aria-invalid=invalid(password_error, "new_password") aria-describedby="p-new-hint p-new-error" />
                        <p class="hint" id="p-new-hint">{t!(i18n, register.password_hint)}</p>
                        <FieldErrors field="new_password" field_id="p-new" error=password_error />
                    </div>
                    <button type="submit">{t!(i18n, details.change_password)}</button>
                </ActionForm>
                <p><a href="/account/two-factor">{t!(i18n, details.two_step_link)}</a></p>
            </section>
        </div>
    }
}

/// `/account/confirm-email?token=…`: the link from the confirmation mail.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let outcome = Resource::new(token, confirm_email_change);
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, details.confirm_title)) />
        <section class="message-page">
            <h1>{t!(i18n, details.confirm_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match outcome.await {
                        Ok(EmailChangeOutcome::Changed) => view! { <p class="alert alert-success" role="status">{t!(i18n, details.email_changed)}</p> }.into_any(),
                        Ok(EmailChangeOutcome::InUse) => view! { <p class="alert alert-error" role="alert">{t!(i18n, details.email_taken_meanwhile)}</p> }.into_any(),
                        Ok(EmailChangeOutcome::Invalid) => view! { <p class="alert alert-error" role="alert">{t!(i18n, details.email_link_invalid)}</p> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a class="button" href="/account/details">{t!(i18n, details.title)}</a></p>
        </section>
    }
}
