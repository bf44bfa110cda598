//! `/admin/advisors/{key}/questions/{question}`: one question's words in a form — its
//! text and why it is asked in both languages, its answers' words and icons, a number's
//! range and unit. Saved into the draft; the advisor's screen checks, previews and
//! publishes it. A plain POST; refused input comes back next to its field, as typed.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::AskKind;
use super::admin::{AnswerEdit, QuestionEdit, SaveAdvisorQuestion, advisor_question};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::forms::{invalid_flag, kept_value};
use crate::ui::pages::LoginFirst;

#[component]
pub fn QuestionEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let question = move || params.with(|p| p.get("question").unwrap_or_default());
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(
        move || (key(), question()),
        move |(key, question)| advisor_question(key, question, language.to_string()),
    );
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(edit) => view! { <QuestionForm edit /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <LoginFirst here=format!("/admin/advisors/{}/questions/{}", key(), question()) />
                    }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What was typed in `field` when the form came back refused, else `initial`.
/// A text field (`name`), labelled, with its errors next to it.
#[component]
fn TextField(
    name: String,
    label: String,
    initial: String,
    error: Signal<Option<AppError>>,
    #[prop(optional)] long: bool,
) -> impl IntoView {
    let id = format!("q-{}", name.replace(['[', ']'], "-"));
    let described = format!("{id}-error");
    let value = kept_value(error, name.clone(), initial);
    let invalid = invalid_flag(error, name.clone());
    let input = if long {
        view! { <textarea id=id.clone() name=name.clone() rows="3" aria-invalid=invalid aria-describedby=described>{value}</textarea> }.into_any()
    } else {
        view! { <input id=id.clone() name=name.clone() value=value aria-invalid=invalid aria-describedby=described /> }.into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {input}
            <FieldErrors field=name field_id=id error />
        </div>
    }
}

#[component]
fn QuestionForm(edit: QuestionEdit) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveAdvisorQuestion>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let words = move |nl: bool| if nl { "(Nederlands)" } else { "(English)" };
    let t = move |text: String, nl: bool| format!("{text} {}", words(nl));
    let texts = (edit.text_nl.clone(), edit.text_en.clone());
    let heading = in_language(i18n, &texts);
    let title = heading.clone();
    let back = format!("/admin/advisors/{}", edit.advisor);
    let answers = (edit.kind != AskKind::Number).then(|| {
        let icons = edit.icons.clone();
        edit.answers
            .iter()
            .cloned()
            .map(|answer| view! { <AnswerFields answer icons=icons.clone() error /> })
            .collect_view()
    });
    let range = (edit.kind == AskKind::Number).then(|| {
        view! {
            <fieldset>
                <legend>{t!(i18n, advisor.admin_q_range)}</legend>
                <TextField name="min".into() label=t_string!(i18n, advisor.admin_q_min).to_string()
                    initial=edit.min.map(|n| n.to_string()).unwrap_or_default() error />
                <TextField name="max".into() label=t_string!(i18n, advisor.admin_q_max).to_string()
                    initial=edit.max.map(|n| n.to_string()).unwrap_or_default() error />
                <TextField name="unit_nl".into() label=t(t_string!(i18n, advisor.admin_q_unit).to_string(), true)
                    initial=edit.unit_nl.clone() error />
                <TextField name="unit_en".into() label=t(t_string!(i18n, advisor.admin_q_unit).to_string(), false)
                    initial=edit.unit_en.clone() error />
            </fieldset>
        }
    });
    let why_hint = if edit.personal {
        t_string!(i18n, advisor.admin_q_why_personal).to_string()
    } else {
        t_string!(i18n, advisor.admin_q_why_hint).to_string()
    };
    view! {
        <Title text=crate::ui::title(move || title.clone()) />
        <p class="back-link"><a href=back.clone()>{edit.advisor_title.clone()}</a></p>
        <h1>{heading}</h1>
        <p class="lead">{t!(i18n, advisor.admin_q_intro)}</p>
        <ActionForm action=save attr:class="stacked-form" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="key" value=edit.advisor.clone() />
            <input type="hidden" name="question" value=edit.key.clone() />
            <fieldset>
                <legend>{t!(i18n, advisor.admin_q_question)}</legend>
                <TextField name="text_nl".into() label=t(t_string!(i18n, advisor.admin_q_text).to_string(), true) initial=edit.text_nl.clone() error long=true />
                <TextField name="text_en".into() label=t(t_string!(i18n, advisor.admin_q_text).to_string(), false) initial=edit.text_en.clone() error long=true />
                <p class="hint">{why_hint}</p>
                <TextField name="why_nl".into() label=t(t_string!(i18n, advisor.admin_q_why).to_string(), true) initial=edit.why_nl.clone() error long=true />
                <TextField name="why_en".into() label=t(t_string!(i18n, advisor.admin_q_why).to_string(), false) initial=edit.why_en.clone() error long=true />
            </fieldset>
            {answers}
            {range}
            <FieldErrors field="question" field_id="advisor-question" error />
            <div class="actions">
                <button type="submit">{t!(i18n, advisor.admin_save_draft)}</button>
                <a class="button-outline" href=back>{t!(i18n, advisor.admin_q_cancel)}</a>
            </div>
        </ActionForm>
    }
}

/// The Dutch or English of `(nl, en)`, as the admin reads the portal.
fn in_language(i18n: leptos_i18n::I18nContext<Locale>, (nl, en): &(String, String)) -> String {
    if i18n.get_locale_untracked() == Locale::en {
        en.clone()
    } else {
        nl.clone()
    }
}

/// One answer's words in both languages and its icon.
#[component]
fn AnswerFields(
    answer: AnswerEdit,
    icons: Vec<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = answer.key.clone();
    let icon_field = format!("icon[{key}]");
    let icon_id = format!("q-icon-{key}-");
    let chosen = kept_value(error, icon_field.clone(), answer.icon.clone());
    let options = icons
        .into_iter()
        .map(|icon| {
            let chosen = chosen.clone();
            let this = icon.clone();
            view! { <option value=icon.clone() selected=move || chosen() == this>{icon.clone()}</option> }
        })
        .collect_view();
    let none_chosen = chosen.clone();
    let shown = (answer.text_nl.clone(), answer.text_en.clone());
    view! {
        <fieldset>
            <legend>{move || t_string!(i18n, advisor.admin_q_answer, answer = in_language(i18n, &shown)).to_string()}</legend>
            <TextField name=format!("answer_nl[{key}]") label=format!("{} (Nederlands)", t_string!(i18n, advisor.admin_q_answer_text))
                initial=answer.text_nl.clone() error />
            <TextField name=format!("answer_en[{key}]") label=format!("{} (English)", t_string!(i18n, advisor.admin_q_answer_text))
                initial=answer.text_en.clone() error />
            <div class="field">
                <label for=icon_id.clone()>{t!(i18n, advisor.admin_q_icon)}</label>
                <div class="icon-pick">
                    <select id=icon_id.clone() name=icon_field.clone() aria-invalid=invalid_flag(error, icon_field.clone())
                        aria-describedby=format!("{icon_id}-error")>
                        <option value="" selected=move || none_chosen().is_empty()>{t!(i18n, advisor.admin_q_no_icon)}</option>
                        {options}
                    </select>
                    {(!answer.icon.is_empty()).then(|| view! {
                        <img src=format!("/icons/advisor/{}.svg", answer.icon) alt="" width="32" height="32" />
                    })}
                </div>
                <FieldErrors field=icon_field field_id=icon_id error />
            </div>
        </fieldset>
    }
}
