//! `/admin/returns`: the return policy page.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::ErrorMessage;
use crate::ui::pages::LoginFirst;

/// `/admin/returns`: the return policy (admin).
#[component]
pub fn PolicyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some());
    let found = Resource::new(saved, |_| super::api::return_policy());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, policy.title)) />
        <h1>{t!(i18n, policy.title)}</h1>
        <div role="status">{move || saved().then(|| view! { <p class="alert alert-success">{t!(i18n, policy.saved)}</p> })}</div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(policy) => view! { <PolicyForm policy /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/admin/returns".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PolicyForm(policy: super::PolicyView) -> impl IntoView {
    use crate::ui::error_view::FieldErrors;
    use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
    let i18n = use_i18n();
    let action = ServerAction::<super::api::SaveReturnPolicy>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let cost = format!(
        "{},{:02}",
        policy.carrier_cost / 100,
        policy.carrier_cost % 100
    );
    let trial = policy.trial_category.clone().unwrap_or_default();
    let trial_kept = kept(error, "trial_category", trial);
    let category_rows = policy
        .categories
        .iter()
        .map(|(category, days)| {
            let category = category.clone();
            let id = format!("policy-days-{category}");
            let field = format!("days[{category}]");
            let initial = days.map(|d| d.to_string()).unwrap_or_default();
            let label_category = category.clone();
            let f = field.clone();
            let value = move || error.get().and_then(|e| e.kept(&f).map(str::to_string)).unwrap_or_else(|| initial.clone());
            view! {
                <div class="field">
                    <label for=id.clone()>{move || t_string!(i18n, policy.days_for, category = label_category.clone()).to_string()}</label>
                    <input id=id.clone() name=field.clone() type="number" inputmode="numeric" min="0" max="365" class="qty" value=value />
                    <FieldErrors field=field field_id=id error />
                </div>
            }
        })
        .collect_view();
    let trial_options = policy
        .categories
        .iter()
        .map(|(category, _)| {
            let c = category.clone();
            let chosen = trial_kept.clone();
            view! { <option value=c.clone() selected=move || chosen() == c>{category.clone()}</option> }
        })
        .collect_view();
    view! {
        <p class="lead">{t!(i18n, policy.intro)}</p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <div class="field">
                <label for="policy-default">{t!(i18n, policy.default_days)}</label>
                <input id="policy-default" name="default_days" type="number" min="0" max="365" class="qty"
                    value=kept(error, "default_days", policy.default_days.to_string()) aria-invalid=invalid(error, "default_days") aria-describedby="policy-default-error" />
                <FieldErrors field="default_days" field_id="policy-default" error />
            </div>
            <fieldset>
                <legend>{t!(i18n, policy.per_category)}</legend>
                <p class="hint">{t!(i18n, policy.per_category_hint)}</p>
                {category_rows}
            </fieldset>
            <div class="field">
                <label for="policy-trial-category">{t!(i18n, policy.trial_category)}</label>
                <select id="policy-trial-category" name="trial_category">
                    <option value="">{t!(i18n, policy.no_trial)}</option>
                    {trial_options}
                </select>
                <FieldErrors field="trial_category" field_id="policy-trial-category" error />
            </div>
            <div class="field">
                <label for="policy-trial-nights">{t!(i18n, policy.trial_nights)}</label>
                <input id="policy-trial-nights" name="trial_nights" type="number" min="0" max="365" class="qty"
                    value=kept(error, "trial_nights", policy.trial_nights.to_string()) aria-invalid=invalid(error, "trial_nights") aria-describedby="policy-trial-nights-error" />
                <FieldErrors field="trial_nights" field_id="policy-trial-nights" error />
            </div>
            <div class="field">
                <label for="policy-cost">{t!(i18n, policy.carrier_cost)}</label>
                <input id="policy-cost" name="carrier_cost" type="text" inputmode="decimal" class="qty"
                    value=kept(error, "carrier_cost", cost) aria-invalid=invalid(error, "carrier_cost") aria-describedby="policy-cost-error" />
                <FieldErrors field="carrier_cost" field_id="policy-cost" error />
            </div>
            <div class="field">
                <label for="policy-conditions-nl">{t!(i18n, policy.conditions_nl)}</label>
                <textarea id="policy-conditions-nl" name="conditions_nl" rows="4" maxlength="2000">{kept(error, "conditions_nl", policy.conditions_nl.clone())}</textarea>
            </div>
            <div class="field">
                <label for="policy-conditions-en">{t!(i18n, policy.conditions_en)}</label>
                <textarea id="policy-conditions-en" name="conditions_en" rows="4" maxlength="2000">{kept(error, "conditions_en", policy.conditions_en.clone())}</textarea>
            </div>
            <p class="hint">{t!(i18n, policy.not_returnable_hint)}</p>
            <button type="submit">{t!(i18n, policy.save)}</button>
        </ActionForm>
    }
}
