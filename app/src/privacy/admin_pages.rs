//! `/admin/privacy`: the purposes customers consent to, with their texts in both
//! languages (saving changed words makes a new version), and how many customers chose
//! what. Every form is a plain POST.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{SavePurpose, privacy_admin};
use super::pages::channel_name;
use super::{ConsentCount, ContactChannel, PurposeAdmin};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
use crate::ui::pages::LoginFirst;

#[component]
pub fn PrivacyAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved"));
    let found = Resource::new(saved, |_| privacy_admin());
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, privacy.admin_title)) />
        <h1>{t!(i18n, privacy.admin_title)}</h1>
        <p class="lead">{t!(i18n, privacy.admin_intro)}</p>
        <div role="status">{move || saved().map(|_| view! { <p class="alert alert-success">{t!(i18n, privacy.admin_saved)}</p> })}</div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(admin) => {
                        let known: Vec<String> = admin.purposes.iter().map(|p| p.code.clone()).collect();
                        view! {
                            <div class="privacy">
                                {admin.purposes.into_iter().map(|purpose| view! { <PurposeForm purpose=Some(purpose) known=known.clone() /> }).collect_view()}
                                <PurposeForm purpose=None known />
                                <Counts counts=admin.counts />
                                <Exports exports=admin.exports />
                                <Erasures counts=admin.erasures queue=admin.erasure_queue />
                            </div>
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/admin/privacy".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One purpose's form (`None`: a new purpose). Every form posts to the same server
/// function: an error belongs to the form whose code it kept.
#[component]
fn PurposeForm(purpose: Option<PurposeAdmin>, known: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SavePurpose>::new();
    let is_new = purpose.is_none();
    let p = purpose.unwrap_or(PurposeAdmin {
        code: String::new(),
        channels: vec![ContactChannel::Email],
        marketing: true,
        active: true,
        soft_opt_in: false,
        position: 10,
        version: 0,
        asks_again_from: None,
        title_nl: String::new(),
        body_nl: String::new(),
        title_en: String::new(),
        body_en: String::new(),
    });
    let code = p.code.clone();
    let error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| match e.kept("code") {
                Some(sent) if is_new => !known.iter().any(|k| k == sent.trim()),
                Some(sent) => sent.trim() == code,
                None => !is_new,
            })
    });
    let slug = if is_new {
        "new".to_string()
    } else {
        p.code.clone()
    };
    let section_id = format!("purpose-{slug}");
    let id = move |field: &str| format!("{field}-{slug}");
    let heading_id = format!("{section_id}-heading");
    let labelled_by = heading_id.clone();
    let heading = if is_new {
        view! { {t!(i18n, privacy.admin_new)} }.into_any()
    } else {
        let title = match i18n.get_locale_untracked() {
            Locale::en => p.title_en.clone(),
            Locale::nl => p.title_nl.clone(),
        };
        let version = p.version;
        view! { {title}" "<span class="muted">{move || t_string!(i18n, privacy.text_version, version = version).to_string()}</span> }.into_any()
    };
    let code_field = if is_new {
        let code_id = id("code");
        view! {
            <div class="field">
                <label for=code_id.clone()>{t!(i18n, privacy.admin_code)}</label>
                <input id=code_id.clone() name="code" required autocomplete="off" value=kept(error, "code", String::new())
                    aria-invalid=invalid(error, "code") aria-describedby=format!("{code_id}-error") />
                <p class="hint">{t!(i18n, privacy.admin_code_hint)}</p>
                <FieldErrors field="code" field_id=code_id error />
            </div>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="code" value=p.code.clone() /> }.into_any()
    };
    let channel_boxes = ContactChannel::ALL
        .into_iter()
        .map(|c| {
            let box_id = id(&format!("channel-{}", c.as_str()));
            let label = channel_name(i18n, c);
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=box_id.clone() name=format!("channel_{}", c.as_str()) value="on" checked=p.channels.contains(&c) />
                    <label for=box_id>{label}</label>
                </div>
            }
        })
        .collect_view();
    let field_ids = id.clone();
    let text_field = move |field: &'static str, label: String, value: String, rows: Option<u8>| {
        let field_id = field_ids(field);
        let input = match rows {
            None => view! {
                <input id=field_id.clone() name=field required value=kept(error, field, value)
                    aria-invalid=invalid(error, field) aria-describedby=format!("{field_id}-error") />
            }
            .into_any(),
            Some(rows) => view! {
                <textarea id=field_id.clone() name=field required rows=rows
                    aria-invalid=invalid(error, field) aria-describedby=format!("{field_id}-error")>{kept(error, field, value)}</textarea>
            }
            .into_any(),
        };
        view! {
            <div class="field">
                <label for=field_id.clone()>{label}</label>
                {input}
                <FieldErrors field=field field_id=field_id.clone() error />
            </div>
        }
    };
    let (marketing_id, active_id, again_id, position_id) = (
        id("marketing"),
        id("active"),
        id("asks-again"),
        id("position"),
    );
    let soft_id = id("soft-opt-in");
    view! {
        <section class="card" id=section_id aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {move || error.get().filter(|e| e.field_codes("channels").next().is_some()).map(|_| view! {
                    <p class="field-error">{t!(i18n, privacy.admin_channels_required)}</p>
                })}
                {code_field}
                <fieldset>
                    <legend>{t!(i18n, privacy.admin_channels)}</legend>
                    {channel_boxes}
                </fieldset>
                {text_field("title_nl", t_string!(i18n, privacy.admin_title_nl).to_string(), p.title_nl.clone(), None)}
                {text_field("body_nl", t_string!(i18n, privacy.admin_body_nl).to_string(), p.body_nl.clone(), Some(3))}
                {text_field("title_en", t_string!(i18n, privacy.admin_title_en).to_string(), p.title_en.clone(), None)}
                {text_field("body_en", t_string!(i18n, privacy.admin_body_en).to_string(), p.body_en.clone(), Some(3))}
                <div class="field checkbox">
                    <input type="checkbox" id=marketing_id.clone() name="marketing" value="on" checked=p.marketing />
                    <label for=marketing_id>{t!(i18n, privacy.admin_marketing)}</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id=active_id.clone() name="active" value="on" checked=p.active />
                    <label for=active_id>{t!(i18n, privacy.admin_active)}</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id=soft_id.clone() name="soft_opt_in" value="on" checked=p.soft_opt_in
                        aria-invalid=invalid(error, "soft_opt_in") aria-describedby=format!("{soft_id}-error") />
                    <label for=soft_id.clone()>{t!(i18n, privacy.admin_soft_opt_in)}</label>
                    <FieldErrors field="soft_opt_in" field_id=soft_id.clone() error />
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id=again_id.clone() name="asks_again" value="on" />
                    <label for=again_id>{t!(i18n, privacy.admin_asks_again)}</label>
                </div>
                <div class="field">
                    <label for=position_id.clone()>{t!(i18n, privacy.admin_position)}</label>
                    <input id=position_id.clone() name="position" inputmode="numeric" value=kept(error, "position", p.position.to_string())
                        aria-invalid=invalid(error, "position") aria-describedby=format!("{position_id}-error") />
                    <FieldErrors field="position" field_id=position_id error />
                </div>
                <button type="submit">{t!(i18n, privacy.admin_save)}</button>
            </ActionForm>
        </section>
    }
}

/// How many customers have each purpose and channel on or off, per text version.
#[component]
fn Counts(counts: Vec<ConsentCount>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if counts.is_empty() {
        view! { <p>{t!(i18n, privacy.admin_no_counts)}</p> }.into_any()
    } else {
        let rows = counts
            .into_iter()
            .map(|c| {
                let channel = channel_name(i18n, c.channel);
                view! {
                    <tr>
                        <td data-label=move || t_string!(i18n, privacy.what)><code>{c.purpose}</code></td>
                        <td data-label=move || t_string!(i18n, privacy.channel)>{channel}</td>
                        <td class="num" data-label=move || t_string!(i18n, privacy.version)>{c.version}</td>
                        <td class="num" data-label=move || t_string!(i18n, privacy.granted)>{c.granted}</td>
                        <td class="num" data-label=move || t_string!(i18n, privacy.withdrawn)>{c.withdrawn}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="stacking privacy-history">
                <caption class="visually-hidden">{t!(i18n, privacy.admin_counts)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, privacy.what)}</th>
                        <th scope="col">{t!(i18n, privacy.channel)}</th>
                        <th scope="col" class="num">{t!(i18n, privacy.version)}</th>
                        <th scope="col" class="num">{t!(i18n, privacy.granted)}</th>
                        <th scope="col" class="num">{t!(i18n, privacy.withdrawn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="counts-heading">
            <h2 id="counts-heading">{t!(i18n, privacy.admin_counts)}</h2>
            <p class="hint">{t!(i18n, privacy.admin_counts_hint)}</p>
            {body}
        </section>
    }
}

/// The "Download my data" queue, newest first: a short reference, where it is, when.
#[component]
fn Exports(exports: Vec<super::export::ExportView>) -> impl IntoView {
    use super::export::ExportStatus;
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let body = if exports.is_empty() {
        view! { <p>{t!(i18n, privacy.admin_no_exports)}</p> }.into_any()
    } else {
        let rows = exports
            .into_iter()
            .map(|e| {
                let status = move || {
                    match e.status {
                        ExportStatus::Queued => t_string!(i18n, privacy.export_status_queued),
                        ExportStatus::Building => t_string!(i18n, privacy.export_status_building),
                        ExportStatus::Ready => t_string!(i18n, privacy.export_status_ready),
                        ExportStatus::Failed => t_string!(i18n, privacy.export_status_failed),
                        ExportStatus::Expired => t_string!(i18n, privacy.export_status_expired),
                    }
                    .to_string()
                };
                let progress = e.status.in_progress().then(|| format!(" ({} %)", e.percent));
                let reference: String = e.code.chars().take(8).collect();
                let requested = crate::ui::format::date_time(&e.requested_local, locale);
                let until = crate::ui::format::maybe_date_time(e.until_local.as_deref(), locale);
                let size = e.size_bytes.map(super::export::size_text).unwrap_or_default();
                view! {
                    <tr>
                        <td data-label=move || t_string!(i18n, privacy.admin_export_ref)><code>{reference}</code></td>
                        <td data-label=move || t_string!(i18n, privacy.admin_export_status)>{status}{progress}</td>
                        <td data-label=move || t_string!(i18n, privacy.admin_export_requested)>{requested}</td>
                        <td data-label=move || t_string!(i18n, privacy.admin_export_until)>{until}" "{size}</td>
                        <td class="num" data-label=move || t_string!(i18n, privacy.admin_export_downloads)>{e.downloads}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="stacking privacy-history">
                <caption class="visually-hidden">{t!(i18n, privacy.admin_exports)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, privacy.admin_export_ref)}</th>
                        <th scope="col">{t!(i18n, privacy.admin_export_status)}</th>
                        <th scope="col">{t!(i18n, privacy.admin_export_requested)}</th>
                        <th scope="col">{t!(i18n, privacy.admin_export_until)}</th>
                        <th scope="col" class="num">{t!(i18n, privacy.admin_export_downloads)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" id="exports" aria-labelledby="exports-heading">
            <h2 id="exports-heading">{t!(i18n, privacy.admin_exports)}</h2>
            <p class="hint">{t!(i18n, privacy.admin_exports_hint)}</p>
            {body}
        </section>
    }
}

/// How many "Delete my account" requests are where: the erasure queue, counts only.
#[component]
fn Erasures(
    counts: Vec<(super::erasure::ErasureStatus, i64)>,
    queue: Vec<super::erasure::QueueEntry>,
) -> impl IntoView {
    use super::erasure::ErasureStatus;
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let status_name = move |status: ErasureStatus| match status {
        ErasureStatus::AwaitingConfirmation => t_string!(i18n, privacy.admin_erasure_awaiting),
        ErasureStatus::CoolingOff => t_string!(i18n, privacy.admin_erasure_cooling_off),
        ErasureStatus::Cancelled => t_string!(i18n, privacy.admin_erasure_cancelled),
        ErasureStatus::Completed => t_string!(i18n, privacy.admin_erasure_completed),
    };
    let newest = (!queue.is_empty()).then(|| {
        let rows = queue
            .into_iter()
            .map(|e| {
                let requested = crate::ui::format::date_time(&e.requested_local, locale);
                let from = crate::ui::format::maybe_date_time(e.erase_after_local.as_deref(), locale);
                let status = e.status;
                view! {
                    <tr>
                        <td class="num" data-label=move || t_string!(i18n, privacy.admin_export_ref)>{e.id}</td>
                        <td data-label=move || t_string!(i18n, privacy.admin_export_status)>{move || status_name(status).to_string()}</td>
                        <td data-label=move || t_string!(i18n, privacy.admin_export_requested)>{requested}</td>
                        <td data-label=move || t_string!(i18n, privacy.admin_erasure_from)>{from}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="stacking privacy-history">
                <caption>{t!(i18n, privacy.admin_erasure_newest)}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{t!(i18n, privacy.admin_export_ref)}</th>
                        <th scope="col">{t!(i18n, privacy.admin_export_status)}</th>
                        <th scope="col">{t!(i18n, privacy.admin_export_requested)}</th>
                        <th scope="col">{t!(i18n, privacy.admin_erasure_from)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let rows = [
        ErasureStatus::AwaitingConfirmation,
        ErasureStatus::CoolingOff,
        ErasureStatus::Cancelled,
        ErasureStatus::Completed,
    ]
    .into_iter()
    .map(|status| {
        let name = move || status_name(status).to_string();
        let n = counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n);
        view! { <tr><th scope="row">{name}</th><td class="num">{n}</td></tr> }
    })
    .collect_view();
    view! {
        <section class="card" id="erasures" aria-labelledby="erasures-heading">
            <h2 id="erasures-heading">{t!(i18n, privacy.admin_erasures)}</h2>
            <p class="hint">{t!(i18n, privacy.admin_erasures_hint)}</p>
            <table class="privacy-history">
                <caption class="visually-hidden">{t!(i18n, privacy.admin_erasures)}</caption>
                <tbody>{rows}</tbody>
            </table>
            {newest}
        </section>
    }
}
