//! The advisors' pages: the cards on the home page and the account overview, and the
//! conversation (`/advies/{key}`, one question per page, then the advice). Saved advice
//! has its own file, `saved_pages.rs`. Every form is a plain POST answered with a
//! redirect.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{AdvisorAnswer, AdvisorRestart, AdvisorSave, advisor_step, advisors, my_advice};
use super::{AdviceView, AnsweredView, AskKind, QuestionView, Step};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date, money};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};

/// The advisors on the home page: a card each, linking to its conversation.
#[component]
pub fn AdvisorCards() -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(|| (), move |_| advisors(language.to_string()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let links = found.await.unwrap_or_default();
                (!links.is_empty()).then(|| {
                    let cards = links
                        .into_iter()
                        .map(|link| {
                            let title = link.title.clone();
                            // "Start the advisor: Mattress advisor" in a list of links.
                            let label = move || format!("{}: {title}", t_string!(i18n, advisor.start));
                            view! {
                            <li class="card advisor-card">
                                <h3>{link.title.clone()}</h3>
                                <p>{link.intro}</p>
                                <p><a class="button" href=format!("/advies/{}", link.key) aria-label=label>{t!(i18n, advisor.start)}</a></p>
                            </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <section aria-labelledby="advisors-heading">
                            <h2 id="advisors-heading">{t!(i18n, advisor.home_heading)}</h2>
                            <ul class="card-grid">{cards}</ul>
                            <p><a href="/advies/code">{t!(i18n, advisor.have_code)}</a></p>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The customer's saved advice on their account overview (nothing when they have none).
#[component]
pub fn MyAdviceCard() -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n.get_locale_untracked().as_str();
    let found = Resource::new(|| (), move |_| my_advice(language.to_string()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let saved = found.await.unwrap_or_default();
                (!saved.is_empty()).then(|| {
                    let items = saved
                        .into_iter()
                        .map(|a| {
                            let given = a.given_local.clone();
                            view! {
                                <li>
                                    <a href=format!("/advies/code/{}", a.code)>{a.title.clone()}</a>
                                    {a.first.map(|first| view! { <span>{first}</span> })}
                                    <span class="muted">{move || date(&given, i18n.get_locale())}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="card" aria-labelledby="my-advice-heading">
                            <h2 id="my-advice-heading">{t!(i18n, advisor.my_advice)}</h2>
                            <ul class="compact-orders">{items}</ul>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// `/advies/{key}`: the next question (`?change=<question>`: an earlier one), or the advice.
#[component]
pub fn AdvisorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let change = move || query.with(|q| q.get("change"));
    // An admin trying the draft (`?preview=1`).
    let preview = move || query.with(|q| q.get("preview")).is_some();
    let language = i18n.get_locale_untracked().as_str();
    let answer = ServerAction::<AdvisorAnswer>::new();
    let step = Resource::new(
        move || (key(), change(), preview(), answer.version().get()),
        move |(key, change, preview, _)| advisor_step(key, language.to_string(), change, preview),
    );
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match step.await {
                    Ok(step) => view! { <Conversation step answer /> }.into_any(),
                    Err(AppError::NotFound) => view! { <AdvisorNotFound /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdvisorNotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::context::set_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, advisor.not_found)) />
        <section class="message-page">
            <h1>{t!(i18n, advisor.not_found)}</h1>
            <p><a class="button" href="/">{t!(i18n, not_found.home_link)}</a></p>
        </section>
    }
}

#[component]
fn Conversation(step: Step, answer: ServerAction<AdvisorAnswer>) -> impl IntoView {
    let i18n = use_i18n();
    let title = step.title.clone();
    let first = step.number == 1 && step.answered.is_empty();
    let showing_advice = step.advice.is_some();
    let key = step.key.clone();
    let preview = step.preview;
    // Links within the conversation: `{here}change=<question>`.
    let here = if preview {
        format!("/advies/{key}?preview=1&")
    } else {
        format!("/advies/{key}?")
    };
    let body = match (step.question.clone(), step.advice.clone()) {
        (Some(question), _) => view! {
            <QuestionForm question answer key=key.clone() here=here.clone() preview number=step.number total=step.total previous=step.previous.clone() />
        }
        .into_any(),
        (None, Some(advice)) => view! {
            <Advice advice was_first=step.was_first.clone() change_base=Some(here.clone()) />
            {(!preview).then(|| view! { <SaveAdvice key=key.clone() personal_given=step.personal_given logged_in=step.logged_in /> })}
        }
        .into_any(),
        (None, None) => ().into_any(),
    };
    let answered = (!step.answered.is_empty()).then(|| {
        view! { <AnswerList answered=step.answered.clone() change_base=Some(here.clone()) open=showing_advice /> }
    });
    let restart = ServerAction::<AdvisorRestart>::new();
    view! {
        <Title text=crate::ui::title(move || title.clone()) />
        <div class="advisor">
            {preview.then(|| view! { <p class="alert" role="status">{t!(i18n, advisor.preview_banner)}</p> })}
            <h1>{step.title.clone()}</h1>
            {first.then(|| view! { <p class="lead">{step.intro.clone()}</p> })}
            {body}
            {answered}
            {(!step.answered.is_empty()).then(|| view! {
                <ActionForm action=restart attr:class="inline-form">
                    <input type="hidden" name="key" value=key.clone() />
                    {preview.then(|| view! { <input type="hidden" name="preview" value="1" /> })}
                    <button type="submit" class="button-outline">{t!(i18n, advisor.restart)}</button>
                </ActionForm>
            })}
        </div>
    }
}

#[component]
fn QuestionForm(
    question: QuestionView,
    answer: ServerAction<AdvisorAnswer>,
    key: String,
    /// The conversation's address, ready for `change=…`.
    here: String,
    preview: bool,
    number: usize,
    total: usize,
    previous: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || answer.value().get().and_then(Result::err));
    let why = question.why.clone().map(|why| {
        view! { <p class="hint" id="advisor-why">{why}</p> }
    });
    let personal = question
        .personal
        .then(|| view! { <p class="hint personal-note">{t!(i18n, advisor.personal_note)}</p> });
    let back = previous.map(|previous| {
        view! { <a class="button-outline" href=format!("{here}change={previous}")>{t!(i18n, advisor.back)}</a> }
    });
    let described = if question.why.is_some() {
        "advisor-why"
    } else {
        ""
    };
    let fields = match question.kind {
        AskKind::Number => {
            let initial = question.number.map(|n| n.to_string()).unwrap_or_default();
            let (min, max, unit) = (question.min, question.max, question.unit.clone());
            let range_unit = unit.clone();
            let range = move || {
                t_string!(
                    i18n,
                    advisor.number_range,
                    min = min,
                    max = max,
                    unit = range_unit.clone()
                )
                .to_string()
            };
            view! {
                <div class="field">
                    <label for="advisor-number" class="question-text">{question.text.clone()}</label>
                    {why}
                    {personal}
                    <div class="number-with-unit">
                        <input id="advisor-number" type="number" name="number" inputmode="numeric"
                            min=min max=max step="1" value=kept(error, "number", initial)
                            aria-invalid=invalid(error, "number")
                            aria-describedby=format!("{described} advisor-number-range advisor-number-error") />
                        <span>{unit}</span>
                    </div>
                    <p class="hint" id="advisor-number-range">{range}</p>
                    <FieldErrors field="number" field_id="advisor-number" error />
                </div>
            }
            .into_any()
        }
        kind => {
            let multiple = kind == AskKind::Multiple;
            let field = if multiple { "choices" } else { "choice" };
            let options = question
                .answers
                .iter()
                .map(|a| {
                    let name = if multiple {
                        format!("choices[{}]", a.key)
                    } else {
                        "choice".to_string()
                    };
                    let kind = if multiple { "checkbox" } else { "radio" };
                    let checked = question.chosen.contains(&a.key);
                    view! {
                        <label class="choice">
                            <input type=kind name=name value=if multiple { "on".to_string() } else { a.key.clone() } checked=checked />
                            {a.icon.clone().map(|icon| view! {
                                <img src=format!("/icons/advisor/{icon}.svg") alt="" width="40" height="40" />
                            })}
                            <span>{a.text.clone()}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset aria-describedby=format!("{described} advisor-{field}-error")>
                    <legend class="question-text">{question.text.clone()}</legend>
                    {why}
                    {personal}
                    {multiple.then(|| view! { <p class="hint">{t!(i18n, advisor.pick_all)}</p> })}
                    <div class="choices">{options}</div>
                    <FieldErrors field=field field_id=format!("advisor-{field}") error />
                </fieldset>
            }
            .into_any()
        }
    };
    let progress =
        move || t_string!(i18n, advisor.progress, number = number, total = total).to_string();
    view! {
        <p class="advisor-progress">
            <span>{progress}</span>
            <progress max=total value=number aria-hidden="true"></progress>
        </p>
        <ActionForm action=answer attr:class="stacked-form advisor-question" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="key" value=key.clone() />
            <input type="hidden" name="question" value=question.key.clone() />
            {preview.then(|| view! { <input type="hidden" name="preview" value="1" /> })}
            {fields}
            <div class="actions">
                <button type="submit">{t!(i18n, advisor.next)}</button>
                {back}
            </div>
        </ActionForm>
    }
}

/// The answers given, each with "change" when the conversation can be changed here.
#[component]
pub(super) fn AnswerList(
    answered: Vec<AnsweredView>,
    change_base: Option<String>,
    open: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = answered.len();
    let rows = answered
        .into_iter()
        .map(|a| {
            let change = change_base.clone().map(|base| {
                let question = a.text.clone();
                // "Change: About how much do you weigh?" for a screen reader's list of links.
                let label = move || {
                    t_string!(i18n, advisor.change_answer, question = question.clone()).to_string()
                };
                view! {
                    " "<a href=format!("{base}change={}", a.question) aria-label=label>{t!(i18n, advisor.change)}</a>
                }
            });
            view! { <div><dt>{a.text}</dt><dd>{a.answer}{change}</dd></div> }
        })
        .collect_view();
    view! {
        <details class="advisor-answers" open=open>
            <summary>{move || t_string!(i18n, advisor.your_answers, count = count).to_string()}</summary>
            <dl>{rows}</dl>
        </details>
    }
}

/// The advised products, each with why it fits and what it misses; when nothing meets
/// every must, which wish could not be met; and what would change the advice.
#[component]
pub(super) fn Advice(
    advice: AdviceView,
    was_first: Option<String>,
    change_base: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unmet = (!advice.exact).then(|| {
        let wishes = advice.unmet.join("; ");
        view! {
            <div class="alert" role="status">
                <p><strong>{t!(i18n, advisor.not_everything)}</strong>" "{wishes}</p>
                <p>{t!(i18n, advisor.nearest)}</p>
            </div>
        }
    });
    let now_first = advice.picks.first().map(|p| p.name.clone());
    let shifted = was_first.map(|was| {
        let same = now_first.as_deref() == Some(was.as_str());
        let now = now_first.clone().unwrap_or_default();
        view! {
            <p class="alert alert-success" role="status">
                {move || if same {
                    t_string!(i18n, advisor.same_first, product = was.clone()).to_string()
                } else {
                    t_string!(i18n, advisor.shifted, was = was.clone(), now = now.clone()).to_string()
                }}
            </p>
        }
    });
    let picks = advice
        .picks
        .into_iter()
        .enumerate()
        .map(|(i, pick)| {
            let rank = move || {
                if i == 0 {
                    t_string!(i18n, advisor.best_choice).to_string()
                } else {
                    t_string!(i18n, advisor.choice_number, number = i + 1).to_string()
                }
            };
            let (price, currency, score) = (pick.price, pick.currency.clone(), pick.score);
            let fits = (!pick.fits.is_empty()).then(|| {
                let items = pick.fits.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view();
                view! { <h4>{t!(i18n, advisor.why_fits)}</h4><ul class="fits">{items}</ul> }
            });
            let missing: Vec<String> = pick.unmet.iter().chain(&pick.misses).cloned().collect();
            let misses = if missing.is_empty() {
                view! { <p class="muted">{t!(i18n, advisor.misses_nothing)}</p> }.into_any()
            } else {
                let items = missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view();
                view! { <h4>{t!(i18n, advisor.what_misses)}</h4><ul class="misses">{items}</ul> }.into_any()
            };
            let showrooms = (!pick.showrooms.is_empty()).then(|| {
                let stores = pick
                    .showrooms
                    .iter()
                    .enumerate()
                    .map(|(n, store)| view! {
                        {(n > 0).then_some(", ")}
                        <a href=format!("/stores?{}", form_urlencoded::Serializer::new(String::new()).append_pair("q", &store.city).finish())>{store.name.clone()}</a>
                    })
                    .collect_view();
                view! { <p class="try-at">{t!(i18n, advisor.try_at)}" "{stores}</p> }
            });
            view! {
                <li class="card pick">
                    <p class="pick-rank">{rank}</p>
                    <h3>{pick.name.clone()}</h3>
                    <p class="pick-facts">
                        <span class="badge">{move || t_string!(i18n, advisor.score, score = score).to_string()}</span>
                        " "<span>{move || money(price, &currency, i18n.get_locale())}</span>
                    </p>
                    {fits}
                    {misses}
                    {showrooms}
                </li>
            }
        })
        .collect_view();
    let changes = (!advice.changes.is_empty()).then(|| {
        let items = advice
            .changes
            .into_iter()
            .map(|c| {
                let (question_text, answer, first) = (c.question_text.clone(), c.answer.clone(), c.first.clone());
                let link = change_base.clone().map(|base| view! {
                    " "<a href=format!("{base}change={}", c.question)>{t!(i18n, advisor.change_this)}</a>
                });
                view! {
                    <li>
                        {move || t_string!(i18n, advisor.would_change, question = question_text.clone(), answer = answer.clone(), product = first.clone()).to_string()}
                        {link}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="advice-changes-heading">
                <h2 id="advice-changes-heading">{t!(i18n, advisor.changes_heading)}</h2>
                <ul>{items}</ul>
            </section>
        }
    });
    view! {
        <section aria-labelledby="advice-heading">
            <h2 id="advice-heading">{t!(i18n, advisor.advice_heading)}</h2>
            {shifted}
            {unmet}
            <ol class="advice-picks">{picks}</ol>
        </section>
        {changes}
    }
}

#[component]
fn SaveAdvice(key: String, personal_given: bool, logged_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<AdvisorSave>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <section class="card advisor-save" aria-labelledby="advice-save-heading">
            <h2 id="advice-save-heading">{t!(i18n, advisor.save_heading)}</h2>
            <p>{move || if logged_in { t_string!(i18n, advisor.save_account) } else { t_string!(i18n, advisor.save_guest) }}</p>
            <ActionForm action=save attr:class="stacked-form">
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="key" value=key />
                {personal_given.then(|| view! {
                    <div>
                        <div class="field checkbox">
                            <input type="checkbox" id="advisor-keep-personal" name="keep_personal" value="yes" aria-describedby="advisor-keep-personal-hint" />
                            <label for="advisor-keep-personal">{t!(i18n, advisor.keep_personal)}</label>
                        </div>
                        <p class="hint" id="advisor-keep-personal-hint">{t!(i18n, advisor.keep_personal_hint)}</p>
                    </div>
                })}
                <p><button type="submit">{t!(i18n, advisor.save)}</button></p>
            </ActionForm>
        </section>
    }
}
