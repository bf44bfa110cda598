//! The "Download my data" box on the privacy page: ask for it, see how far it is, and
//! download it when ready. A plain POST and a plain link: it works without JavaScript.
use leptos::prelude::*;

use super::api::RequestExport;
use super::{ExportStatus, ExportView, download_path, size_text};
use crate::i18n::*;
use crate::ui::error_view::FieldErrors;

#[component]
pub fn ExportSection(
    export: Option<ExportView>,
    verified: bool,
    language: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let request = ServerAction::<RequestExport>::new();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    let locale = i18n.get_locale_untracked();
    let ask = move |again: bool| {
        view! {
            <ActionForm action=request>
                <input type="hidden" name="language" value=language />
                <button type="submit" class=if again { "button secondary" } else { "button" }>
                    {move || if again { t_string!(i18n, privacy.export_again) } else { t_string!(i18n, privacy.export_request) }}
                </button>
            </ActionForm>
        }
    };
    let body = match export {
        Some(e) if e.status.in_progress() => {
            let requested = crate::ui::format::date_time(&e.requested_local, locale);
            let percent = e.percent;
            let checked_at = e.checked_at.clone();
            view! {
                <p>{move || t_string!(i18n, privacy.export_building, requested = requested.clone()).to_string()}</p>
                <p>
                    <label for="export-progress">{t!(i18n, privacy.export_progress)}</label>" "
                    <progress id="export-progress" max="100" value=percent.to_string()>{format!("{percent} %")}</progress>
                    " "{format!("{percent} %")}
                </p>
                <p class="hint">{t!(i18n, privacy.export_mail_follows)}</p>
                <p>
                    <a href=format!("/account/privacy?checked={}#export", e.check_key)>{t!(i18n, privacy.export_refresh)}</a>
                    " "<span class="muted">{move || t_string!(i18n, privacy.export_checked_at, time = checked_at.clone()).to_string()}</span>
                </p>
            }
            .into_any()
        }
        Some(e) if e.status == ExportStatus::Ready => {
            let until = crate::ui::format::maybe_date_time(e.until_local.as_deref(), locale);
            let size = e.size_bytes.map(size_text).unwrap_or_default();
            let downloads = e.downloads;
            view! {
                <p>{move || t_string!(i18n, privacy.export_ready, until = until.clone()).to_string()}</p>
                <p>
                    <a class="button" href=download_path(&e.code) download>
                        {t!(i18n, privacy.export_download)}" ("{size}")"
                    </a>
                </p>
                {(downloads > 0).then(|| view! {
                    <p class="hint">{move || t_string!(i18n, privacy.export_downloaded, count = downloads).to_string()}</p>
                })}
                {ask(true)}
            }
            .into_any()
        }
        Some(e) => {
            let note = if e.status == ExportStatus::Failed {
                view! { <p class="alert">{t!(i18n, privacy.export_failed)}</p> }.into_any()
            } else {
                view! { <p>{t!(i18n, privacy.export_expired)}</p> }.into_any()
            };
            view! { {note} {ask(false)} }.into_any()
        }
        None if verified => ask(false).into_any(),
        None => view! { <p>{t!(i18n, privacy.export_verify_first)}</p> }.into_any(),
    };
    view! {
        <section class="card" id="export" aria-labelledby="export-heading">
            <h2 id="export-heading">{t!(i18n, privacy.export_title)}</h2>
            <p>{t!(i18n, privacy.export_intro)}</p>
            <FieldErrors field="export" field_id="export-request" error />
            {body}
        </section>
    }
}
