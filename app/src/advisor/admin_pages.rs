//! `/admin/advisors` and `/admin/advisors/{key}`: the retailer configures advisors without
//! code. Every form is a plain POST; a refused definition comes back with each problem by
//! its place and the text as typed.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::admin::{
    AdvisorDetail, PublishAdvisor, Refused, ReportView, SaveAdvisorDraft, advisor_admin,
    advisors_admin,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

#[component]
pub fn AdvisorsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let refused = move || query.with(|q| q.get("refused"));
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(refused, move |_| advisors_admin(language.to_string()));
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, advisor.admin_title)) />
        <h1>{t!(i18n, advisor.admin_title)}</h1>
        <p class="lead">{t!(i18n, advisor.admin_intro)}</p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok((rows, refused)) => {
                        let items = rows
                            .into_iter()
                            .map(|row| {
                                let state = move || state_words(i18n, row.published, row.has_draft);
                                view! {
                                    <li class="card">
                                        <h2><a href=format!("/admin/advisors/{}", row.key)>{row.title.clone()}</a></h2>
                                        <p class="muted">{format!("/advies/{}", row.key)}" · "{state}</p>
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            <ul class="card-grid">{items}</ul>
                            <section aria-labelledby="import-heading">
                                <h2 id="import-heading">{t!(i18n, advisor.admin_import)}</h2>
                                <p>{t!(i18n, advisor.admin_import_intro)}</p>
                                <DefinitionForm from=String::new() text=String::new() refused />
                            </section>
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/admin/advisors".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The definition's text to edit or import, with the problems of the one refused.
#[component]
fn DefinitionForm(from: String, text: String, refused: Option<Refused>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveAdvisorDraft>::new();
    let (text, problems) = match refused {
        Some(refused) => (refused.typed, refused.problems),
        None => (text, Vec::new()),
    };
    let problem_list = (!problems.is_empty()).then(|| {
        let items = problems
            .into_iter()
            .map(|p| {
                let at = if p.at.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", p.at)
                };
                view! { <li><code>{at}</code>{p.message}</li> }
            })
            .collect_view();
        view! {
            <div class="alert alert-error" role="alert" id="advisor-definition-error">
                <p><strong>{t!(i18n, advisor.admin_refused)}</strong></p>
                <ul>{items}</ul>
            </div>
        }
    });
    let invalid = problem_list.is_some().then_some("true");
    view! {
        <ActionForm action=save attr:class="stacked-form">
            {problem_list}
            <input type="hidden" name="from" value=from />
            <div class="field">
                <label for="advisor-definition">{t!(i18n, advisor.admin_definition)}</label>
                <p class="hint" id="advisor-definition-hint">{t!(i18n, advisor.admin_definition_hint)}</p>
                <textarea id="advisor-definition" name="definition" rows="24" spellcheck="false" class="definition-text"
                    aria-invalid=invalid aria-describedby="advisor-definition-hint advisor-definition-error">{text}</textarea>
            </div>
            <p><button type="submit">{t!(i18n, advisor.admin_save_draft)}</button></p>
        </ActionForm>
    }
}

#[component]
pub fn AdvisorAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let check = move || query.with(|q| q.get("check")).is_some();
    let saved = move || query.with(|q| q.get("saved")).is_some();
    let published = move || query.with(|q| q.get("published"));
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(
        move || (key(), check(), query.with(|q| q.get("refused"))),
        move |(key, check, _)| advisor_admin(key, language.to_string(), check),
    );
    view! {
        <p class="back-link"><a href="/admin/advisors">{t!(i18n, advisor.admin_back)}</a></p>
        <div role="status">
            {move || saved().then(|| view! { <p class="alert alert-success">{t!(i18n, advisor.admin_saved)}</p> })}
            {move || published().map(|v| view! { <p class="alert alert-success">{move || t_string!(i18n, advisor.admin_published_now, version = v.clone()).to_string()}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok((admin, refused)) => view! { <AdvisorScreen admin refused /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/admin/advisors/{}", key()) /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdvisorScreen(admin: AdvisorDetail, refused: Option<Refused>) -> impl IntoView {
    let i18n = use_i18n();
    let publish = ServerAction::<PublishAdvisor>::new();
    let error = Signal::derive(move || publish.value().get().and_then(Result::err));
    let key = admin.key.clone();
    let title = admin.title.clone();
    let (published, has_draft) = (admin.published, admin.has_draft);
    let state = move || state_words(i18n, published, has_draft);
    let questions = admin
        .questions
        .iter()
        .map(|q| {
            let text = q.text.clone();
            let label = move || t_string!(i18n, advisor.admin_q_edit_label, question = text.clone()).to_string();
            view! {
                <li>
                    <span>{q.text.clone()}</span>" "
                    <a href=format!("/admin/advisors/{key}/questions/{}", q.key) aria-label=label>{t!(i18n, advisor.admin_q_edit)}</a>
                </li>
            }
        })
        .collect_view();
    let draft_tools = admin.has_draft.then(|| {
        let key = key.clone();
        view! {
            <section class="card" aria-labelledby="draft-heading">
                <h2 id="draft-heading">{t!(i18n, advisor.admin_draft_heading)}</h2>
                <p>{t!(i18n, advisor.admin_draft_intro)}</p>
                <p class="actions">
                    <a class="button-outline" href=format!("/admin/advisors/{key}?check=1#check-heading")>{t!(i18n, advisor.admin_check)}</a>
                    <a class="button-outline" href=format!("/advies/{key}?preview=1")>{t!(i18n, advisor.admin_preview)}</a>
                </p>
                {admin.report.clone().map(|report| view! { <Report report /> })}
                <ActionForm action=publish attr:class="stacked-form">
                    {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                    <FieldErrors field="publish" field_id="advisor-publish" error />
                    <input type="hidden" name="key" value=key.clone() />
                    <p><button type="submit">{t!(i18n, advisor.admin_publish)}</button></p>
                    <p class="hint">{t!(i18n, advisor.admin_publish_hint)}</p>
                </ActionForm>
            </section>
        }
    });
    view! {
        <Title text=crate::ui::title(move || title.clone()) />
        <h1>{admin.title.clone()}</h1>
        <p class="muted"><a href=format!("/advies/{key}")>{format!("/advies/{key}")}</a>" · "{state}</p>
        {admin.published.map(|_| view! { <p><a href=format!("/admin/advisors/{key}/insights")>{t!(i18n, advisor.insights_link)}</a></p> })}
        {draft_tools}
        <section aria-labelledby="questions-heading">
            <h2 id="questions-heading">{t!(i18n, advisor.admin_questions_heading)}</h2>
            <p class="hint">{t!(i18n, advisor.admin_questions_intro)}</p>
            <ol class="question-list">{questions}</ol>
        </section>
        <section aria-labelledby="definition-heading">
            <h2 id="definition-heading">{t!(i18n, advisor.admin_definition_heading)}</h2>
            <p><a href=format!("/admin/advisors/{key}/definition.json") rel="external" download=format!("{key}.json")>{t!(i18n, advisor.admin_download)}</a></p>
            <DefinitionForm from=key.clone() text=admin.definition.clone() refused />
        </section>
    }
}

#[component]
fn Report(report: ReportView) -> impl IntoView {
    let i18n = use_i18n();
    let (combinations, complete) = (report.combinations, report.complete);
    let clean = report.dead_ends.is_empty() && report.without_product.is_empty();
    let dead_ends = (!report.dead_ends.is_empty()).then(|| {
        let items = report
            .dead_ends
            .iter()
            .map(|d| view! { <li>{d.clone()}</li> })
            .collect_view();
        view! { <h4>{t!(i18n, advisor.admin_dead_ends)}</h4><ul>{items}</ul> }
    });
    let without = (!report.without_product.is_empty()).then(|| {
        let count = report.without_product.len();
        let items = report.without_product.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view();
        view! {
            <h4>{move || t_string!(i18n, advisor.admin_without_product, count = count).to_string()}</h4>
            <p class="hint">{t!(i18n, advisor.admin_without_product_hint)}</p>
            <ul>{items}</ul>
        }
    });
    view! {
        <div class="check-report">
            <h3 id="check-heading">{t!(i18n, advisor.admin_check_heading)}</h3>
            <p>{move || if complete {
                t_string!(i18n, advisor.admin_checked_all, count = combinations).to_string()
            } else {
                t_string!(i18n, advisor.admin_checked_sample, count = combinations).to_string()
            }}</p>
            {clean.then(|| view! { <p class="alert alert-success">{t!(i18n, advisor.admin_clean)}</p> })}
            {dead_ends}
            {without}
        </div>
    }
}

/// `/admin/advisors/{key}/insights`: answers chosen, where visitors stop, and advice →
/// purchase → return per product advised first.
#[component]
pub fn AdvisorInsightsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(key, move |key| {
        super::admin::advisor_insights(key, language.to_string())
    });
    view! {
        <p class="back-link"><a href=move || format!("/admin/advisors/{}", key())>{t!(i18n, advisor.insights_back)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(insights) => view! { <InsightsView insights /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=format!("/admin/advisors/{}/insights", key()) /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InsightsView(insights: super::admin::Insights) -> impl IntoView {
    let i18n = use_i18n();
    let title = insights.title.clone();
    let heading = insights.title.clone();
    let (started, advised, days) = (insights.started, insights.advised, insights.days);
    let questions = insights
        .questions
        .into_iter()
        .map(|q| {
            let (answered, stopped) = (q.answered, q.stopped_percent);
            let rows = q
                .answers
                .into_iter()
                .map(|a| view! {
                    <tr>
                        <th scope="row">{a.text}</th>
                        <td class="num" data-label=move || t_string!(i18n, advisor.insights_times)>{a.count}</td>
                        <td class="num" data-label=move || t_string!(i18n, advisor.insights_share)>{format!("{}%", a.percent)}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <section class="card">
                    <h3>{q.text}</h3>
                    <p>
                        {move || t_string!(i18n, advisor.insights_answered, count = answered).to_string()}
                        {stopped.map(|p| view! { " · "{move || t_string!(i18n, advisor.insights_stopped, percent = p).to_string()} })}
                    </p>
                    <table class="order-lines stacking">
                        <thead><tr>
                            <th scope="col">{t!(i18n, advisor.insights_answer)}</th>
                            <th scope="col" class="num">{t!(i18n, advisor.insights_times)}</th>
                            <th scope="col" class="num">{t!(i18n, advisor.insights_share)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    let products = insights
        .products
        .into_iter()
        .map(|p| view! {
            <tr>
                <th scope="row">{p.name}</th>
                <td class="num" data-label=move || t_string!(i18n, advisor.insights_advised)>{p.advised}</td>
                <td class="num" data-label=move || t_string!(i18n, advisor.insights_bought)>{p.bought}</td>
                <td class="num" data-label=move || t_string!(i18n, advisor.insights_returned)>{p.returned}</td>
            </tr>
        })
        .collect_view();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, advisor.insights_title, advisor = title.clone()).to_string()) />
        <h1>{move || t_string!(i18n, advisor.insights_title, advisor = heading.clone()).to_string()}</h1>
        <p class="lead">{move || t_string!(i18n, advisor.insights_intro, days = days).to_string()}</p>
        <p>{move || t_string!(i18n, advisor.insights_funnel, started = started, advised = advised).to_string()}</p>
        <h2>{t!(i18n, advisor.insights_questions)}</h2>
        <div class="insights">{questions}</div>
        <h2>{t!(i18n, advisor.insights_products)}</h2>
        <p class="hint">{t!(i18n, advisor.insights_products_hint)}</p>
        <div class="table-scroll">
            <table class="order-lines stacking">
                <thead><tr>
                    <th scope="col">{t!(i18n, advisor.insights_product)}</th>
                    <th scope="col" class="num">{t!(i18n, advisor.insights_advised)}</th>
                    <th scope="col" class="num">{t!(i18n, advisor.insights_bought)}</th>
                    <th scope="col" class="num">{t!(i18n, advisor.insights_returned)}</th>
                </tr></thead>
                <tbody>{products}</tbody>
            </table>
        </div>
    }
}

/// "Published: version 3, with a draft", "Draft only", … in the admin's language.
fn state_words(
    i18n: leptos_i18n::I18nContext<Locale>,
    published: Option<i32>,
    has_draft: bool,
) -> String {
    match (published, has_draft) {
        (Some(v), true) => {
            t_string!(i18n, advisor.admin_published_with_draft, version = v).to_string()
        }
        (Some(v), false) => t_string!(i18n, advisor.admin_published, version = v).to_string(),
        (None, _) => t_string!(i18n, advisor.admin_draft_only).to_string(),
    }
}
