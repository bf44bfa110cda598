//! `/account/privacy`: a switch per purpose and channel with the text it agrees to, the
//! history of every change, and which mails always come. Every switch is a plain POST.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{SetConsent, SetHelp, my_privacy};
use super::{ConsentSource, ContactChannel, HistoryEntry, PrivacyView, PurposeView};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::nl => "nl",
        Locale::en => "en",
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let set = ServerAction::<SetConsent>::new();
    let help = ServerAction::<SetHelp>::new();
    let language = locale_code(i18n.get_locale_untracked());
    let data = Resource::new(
        // Any of these in the address means "look again" (also when the router moves
        // between addresses in the browser instead of loading the page).
        move || query.with(|q| (q.get("saved"), q.get("export"), q.get("checked"))),
        move |_| my_privacy(language.to_string()),
    );
    let saved = move || query.with(|q| q.get("saved")).is_some();
    let export_requested = move || {
        query
            .with(|q| q.get("export"))
            .is_some_and(|v| v == "requested")
    };
    // A download link that no longer works sends the customer here with the reason.
    let export_error = move || query.with(|q| q.get("export_error"));
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, privacy.title)) />
        <h1>{t!(i18n, privacy.title)}</h1>
        <p class="lead">{t!(i18n, privacy.intro)}</p>
        <div role="status">
            {move || saved().then(|| view! { <p class="alert alert-success">{t!(i18n, privacy.saved)}</p> })}
            {move || export_requested().then(|| view! { <p class="alert alert-success">{t!(i18n, privacy.export_requested)}</p> })}
            {move || export_error().map(|why| {
                let text = if why == "not_ready" { t_string!(i18n, field.export_not_ready) } else { t_string!(i18n, field.export_expired) };
                view! { <p class="alert">{text}</p> }
            })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Privacy data set help language /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/privacy".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Privacy(
    data: PrivacyView,
    set: ServerAction<SetConsent>,
    help: ServerAction<SetHelp>,
    language: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let verify_first =
        (!data.verified).then(|| view! { <p class="alert">{t!(i18n, privacy.verify_first)}</p> });
    let purposes = data
        .purposes
        .into_iter()
        .map(|purpose| view! { <Purpose purpose set language /> })
        .collect_view();
    view! {
        {verify_first}
        <FieldErrors field="version" field_id="consent" error />
        <FieldErrors field="email" field_id="consent-email" error />
        <div class="privacy">
        {purposes}
        <section class="card" aria-labelledby="mails-heading">
            <h2 id="mails-heading">{t!(i18n, privacy.mails_title)}</h2>
            <p>{t!(i18n, privacy.mails_service)}</p>
            <p>{t!(i18n, privacy.mails_marketing)}</p>
        </section>
        <History entries=data.history />
        <super::export::pages::ExportSection export=data.export verified=data.verified language />
        <HelpSection now=data.help action=help />
        <super::access_log::AccessLog entries=data.access_log />
        <super::erasure::pages::ErasureSection pending_until=data.erasure_from asked=data.erasure_asked />
        </div>
    }
}

#[component]
fn Purpose(
    purpose: PurposeView,
    set: ServerAction<SetConsent>,
    language: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("purpose-{}", purpose.code);
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    let title = purpose.title.clone();
    let version = purpose.version;
    let switches = purpose
        .channels
        .into_iter()
        .map(|choice| {
            let code = purpose.code.clone();
            let title = title.clone();
            let on = choice.granted;
            let asked_again = choice.asked_again.then(|| view! { <p class="hint">{t!(i18n, privacy.asked_again)}</p> });
            let soft_opt_in = choice
                .soft_opt_in
                .then(|| view! { <p class="hint">{t!(i18n, privacy.soft_opt_in_note)}</p> });
            view! {
                <li>
                    <ActionForm action=set attr:class="switch-form">
                        <input type="hidden" name="purpose" value=code />
                        <input type="hidden" name="channel" value=choice.channel.as_str() />
                        <input type="hidden" name="granted" value=if on { "false" } else { "true" } />
                        <input type="hidden" name="version" value=version.to_string() />
                        <input type="hidden" name="language" value=language />
                        <button type="submit" class="switch" role="switch" aria-checked=if on { "true" } else { "false" }>
                            <span class="visually-hidden">{title}": "</span>
                            <span class="switch-label">{channel_name(i18n, choice.channel)}</span>
                            <span class="switch-state" aria-hidden="true">
                                {move || if on { t_string!(i18n, privacy.on) } else { t_string!(i18n, privacy.off) }}
                            </span>
                        </button>
                    </ActionForm>
                    {asked_again}
                    {soft_opt_in}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card purpose" id=id aria-labelledby=labelled_by>
            <h2 id=heading>{purpose.title}</h2>
            <p>{purpose.body}</p>
            <ul class="plain switches">{switches}</ul>
            <p class="muted">{move || t_string!(i18n, privacy.text_version, version = version).to_string()}</p>
        </section>
    }
}

/// A channel's name in the page's language.
pub(super) fn channel_name(
    i18n: leptos_i18n::I18nContext<Locale>,
    channel: ContactChannel,
) -> impl Fn() -> String {
    move || {
        match channel {
            ContactChannel::Email => t_string!(i18n, privacy.channel_email),
            ContactChannel::Sms => t_string!(i18n, privacy.channel_sms),
            ContactChannel::Post => t_string!(i18n, privacy.channel_post),
            ContactChannel::Phone => t_string!(i18n, privacy.channel_phone),
        }
        .to_string()
    }
}

fn source_name(i18n: leptos_i18n::I18nContext<Locale>, source: ConsentSource) -> String {
    match source {
        ConsentSource::Portal => t_string!(i18n, privacy.source_portal),
        ConsentSource::Store => t_string!(i18n, privacy.source_store),
        ConsentSource::CustomerService => t_string!(i18n, privacy.source_customer_service),
        ConsentSource::Till => t_string!(i18n, privacy.source_till),
        ConsentSource::Api => t_string!(i18n, privacy.source_api),
    }
    .to_string()
}

/// Every change, newest first: what, which channel, on or off, which text, when and how.
#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if entries.is_empty() {
        view! { <p>{t!(i18n, privacy.history_empty)}</p> }.into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|e| {
                let how = source_name(i18n, e.source);
                let how = if e.by_staff && e.source == ConsentSource::Portal {
                    format!("{how} ({})", t_string!(i18n, privacy.by_staff))
                } else {
                    how
                };
                let at = crate::ui::format::date_time(&e.at_local, i18n.get_locale_untracked());
                view! {
                    <tr>
                        <td data-label=move || t_string!(i18n, privacy.when)>{at}</td>
                        <td data-label=move || t_string!(i18n, privacy.what)>{e.purpose_title}</td>
                        <td data-label=move || t_string!(i18n, privacy.channel)>{channel_name(i18n, e.channel)}</td>
                        <td data-label=move || t_string!(i18n, privacy.choice)>
                            {move || if e.granted { t_string!(i18n, privacy.granted) } else { t_string!(i18n, privacy.withdrawn) }}
                        </td>
                        <td data-label=move || t_string!(i18n, privacy.version) class="num">{e.version}</td>
                        <td data-label=move || t_string!(i18n, privacy.how)>{how}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="stacking privacy-history">
                <caption class="visually-hidden">{t!(i18n, privacy.history_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, privacy.when)}</th>
                        <th scope="col">{t!(i18n, privacy.what)}</th>
                        <th scope="col">{t!(i18n, privacy.channel)}</th>
                        <th scope="col">{t!(i18n, privacy.choice)}</th>
                        <th scope="col" class="num">{t!(i18n, privacy.version)}</th>
                        <th scope="col">{t!(i18n, privacy.how)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, privacy.history_title)}</h2>
            {body}
        </section>
    }
}

/// "Let customer service help me in my account": off, or on until a time the customer
/// chose, to look or also to make changes.
#[component]
fn HelpSection(
    now: Option<super::help::HelpPermission>,
    action: ServerAction<SetHelp>,
) -> impl IntoView {
    use super::help::HelpLength;
    let i18n = use_i18n();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let body = match now {
        Some(help) => {
            let until =
                crate::ui::format::date_time(&help.until_local, i18n.get_locale_untracked());
            let may_change = help.may_change;
            view! {
                <p class="alert alert-info" role="status">
                    {move || if may_change {
                        t_string!(i18n, privacy.help_on_change, until = until.clone()).to_string()
                    } else {
                        t_string!(i18n, privacy.help_on_look, until = until.clone()).to_string()
                    }}
                </p>
                <ActionForm action attr:class="stacked-form">
                    <input type="hidden" name="allow" value="false" />
                    <button type="submit">{t!(i18n, privacy.help_withdraw)}</button>
                </ActionForm>
            }
            .into_any()
        }
        None => {
            let lengths = HelpLength::ALL
                .into_iter()
                .map(|length| {
                    let id = format!("help-{}", length.as_str());
                    let label = match length {
                        HelpLength::Hour => t_string!(i18n, privacy.help_hour),
                        HelpLength::Day => t_string!(i18n, privacy.help_day),
                        HelpLength::Week => t_string!(i18n, privacy.help_week),
                    };
                    view! {
                        <div class="field checkbox">
                            <input type="radio" id=id.clone() name="length" value=length.as_str()
                                checked=length == HelpLength::Hour />
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <p>{t!(i18n, privacy.help_off)}</p>
                <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                    <input type="hidden" name="allow" value="true" />
                    <fieldset>
                        <legend>{t!(i18n, privacy.help_how_long)}</legend>
                        <FieldErrors field="length" field_id="help-length" error />
                        {lengths}
                    </fieldset>
                    <div class="field checkbox">
                        <input type="checkbox" id="help-may-change" name="may_change" value="on" />
                        <label for="help-may-change">{t!(i18n, privacy.help_may_change)}</label>
                    </div>
                    <button type="submit">{t!(i18n, privacy.help_allow)}</button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <section class="card" id="help" aria-labelledby="help-heading">
            <h2 id="help-heading">{t!(i18n, privacy.help_title)}</h2>
            <p>{t!(i18n, privacy.help_intro)}</p>
            {body}
        </section>
    }
}
