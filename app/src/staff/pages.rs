//! `/admin/audit`: the audit trail for the admin — a search (a plain GET form), the rows
//! newest first with a link to older ones, and the same search as a CSV download.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::audit_search;
use super::{AuditFilter, AuditLine, AuditPage};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::pages::LoginFirst;

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || query.with(filter_of);
    let found = Resource::new(filter, |(f, before)| {
        audit_search(f.who, f.customer, f.action, f.from, f.to, before)
    });
    let error = Signal::derive(move || found.get().and_then(Result::err));
    let (initial, _) = query.with_untracked(filter_of);
    let invalid = move |field: &'static str| {
        move || {
            error
                .get()
                .is_some_and(|e| e.field_codes(field).next().is_some())
                .then_some("true")
        }
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, staff.audit_title)) />
        <h1>{t!(i18n, staff.audit_title)}</h1>
        <p class="lead">{t!(i18n, staff.audit_intro)}</p>
        <Form method="GET" action="/admin/audit" attr:class="stacked-form audit-search">
            <div class="field">
                <label for="audit-who">{t!(i18n, staff.audit_who)}</label>
                <input id="audit-who" name="who" type="search" value=initial.who autocomplete="off" />
            </div>
            <div class="field">
                <label for="audit-customer">{t!(i18n, staff.audit_customer)}</label>
                <input id="audit-customer" name="customer" type="search" value=initial.customer autocomplete="off"
                    aria-describedby="audit-customer-hint" />
                <p class="hint" id="audit-customer-hint">{t!(i18n, staff.audit_customer_hint)}</p>
            </div>
            <div class="field">
                <label for="audit-action">{t!(i18n, staff.audit_action)}</label>
                <input id="audit-action" name="action" type="search" value=initial.action autocomplete="off"
                    aria-describedby="audit-action-hint" />
                <p class="hint" id="audit-action-hint">{t!(i18n, staff.audit_action_hint)}</p>
            </div>
            <div class="field">
                <label for="audit-from">{t!(i18n, staff.audit_from)}</label>
                <input id="audit-from" name="from" type="date" value=initial.from
                    aria-invalid=invalid("from") aria-describedby="audit-from-error" />
                <FieldErrors field="from" field_id="audit-from" error />
            </div>
            <div class="field">
                <label for="audit-to">{t!(i18n, staff.audit_to)}</label>
                <input id="audit-to" name="to" type="date" value=initial.to
                    aria-invalid=invalid("to") aria-describedby="audit-to-error" />
                <FieldErrors field="to" field_id="audit-to" error />
            </div>
            <button type="submit">{t!(i18n, staff.audit_search)}</button>
        </Form>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(page) => view! { <Results page filter=filter().0 /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/admin/audit".to_string() /> }.into_any(),
                    // Shown next to the fields above.
                    Err(AppError::Invalid(_) | AppError::FormInvalid { .. }) => ().into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The search in the address, and the row a page starts before.
fn filter_of(q: &leptos_router::params::ParamsMap) -> (AuditFilter, String) {
    let get = |name: &str| q.get(name).unwrap_or_default();
    (
        AuditFilter {
            who: get("who"),
            customer: get("customer"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
        },
        get("before"),
    )
}

#[component]
fn Results(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let i18n = use_i18n();
    let query = filter.query();
    let csv = format!("/admin/audit.csv?{query}");
    let older = page
        .older
        .map(|before| format!("/admin/audit?{query}&before={before}"));
    let body = if page.lines.is_empty() {
        view! { <p>{t!(i18n, staff.audit_none)}</p> }.into_any()
    } else {
        let rows = page
            .lines
            .into_iter()
            .map(|line| view! { <Line line /> })
            .collect_view();
        view! {
            <table class="stacking audit-trail">
                <caption class="visually-hidden">{t!(i18n, staff.audit_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, staff.audit_when)}</th>
                        <th scope="col">{t!(i18n, staff.audit_who)}</th>
                        <th scope="col">{t!(i18n, staff.audit_customer)}</th>
                        <th scope="col">{t!(i18n, staff.audit_action)}</th>
                        <th scope="col">{t!(i18n, staff.audit_why)}</th>
                        <th scope="col">{t!(i18n, staff.audit_where)}</th>
                        <th scope="col">{t!(i18n, staff.audit_details)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="audit-results-heading">
            <h2 id="audit-results-heading">{t!(i18n, staff.audit_results)}</h2>
            <p><a href=csv download>{t!(i18n, staff.audit_csv)}</a></p>
            {body}
            {older.map(|href| view! { <p><a href=href>{t!(i18n, staff.audit_older)}</a></p> })}
        </section>
    }
}

#[component]
fn Line(line: AuditLine) -> impl IntoView {
    let i18n = use_i18n();
    let at = crate::ui::format::date_time(&line.at_local, i18n.get_locale_untracked());
    let why = crate::audit::why_text(line.reason, line.ticket);
    let place = match line.store {
        Some(store) => format!("{store} · {}", line.ip),
        None => line.ip,
    };
    let details = line
        .details
        .unwrap_or_else(|| t_string!(i18n, staff.audit_redacted).to_string());
    view! {
        <tr>
            <td data-label=move || t_string!(i18n, staff.audit_when)>{at}" "<span class="muted">"#"{line.id}</span></td>
            <td data-label=move || t_string!(i18n, staff.audit_who)>{line.who}" ("{line.role}")"</td>
            <td data-label=move || t_string!(i18n, staff.audit_customer)>{line.customer.unwrap_or_else(|| "—".into())}</td>
            <td data-label=move || t_string!(i18n, staff.audit_action)><code>{line.action}</code></td>
            <td data-label=move || t_string!(i18n, staff.audit_why)>{why}</td>
            <td data-label=move || t_string!(i18n, staff.audit_where)>{place}</td>
            <td data-label=move || t_string!(i18n, staff.audit_details)><code class="audit-details">{details}</code></td>
        </tr>
    }
}
