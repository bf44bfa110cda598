//! `/account/company/approvals`: the reorder requests over a buyer's limit that wait for
//! this approver — what, for how much, which limit — each approved in one click or
//! rejected with a reason. Plain POST forms, also without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::PendingApproval;
use super::api::{DecideApproval, pending_approvals};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date_time, money};
use crate::ui::pages::LoginFirst;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let found = Resource::new(
        move || query.with(|q| q.get("done")),
        |_| pending_approvals(),
    );
    let done = move || {
        query.with(|q| q.get("done")).map(|d| match d.as_str() {
            "rejected" => t_string!(i18n, approvals.done_rejected),
            _ => t_string!(i18n, approvals.done_approved),
        })
    };
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, approvals.title)) />
        <p class="back-link"><a href="/account/company">{t!(i18n, company.back)}</a></p>
        <h1>{t!(i18n, approvals.title)}</h1>
        <div role="status">
            {move || done().map(|words| view! { <p class="alert alert-success">{words}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, approvals.none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain approvals">
                            {list.into_iter().map(|p| view! { <Pending p /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/company/approvals".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Pending(p: PendingApproval) -> impl IntoView {
    let i18n = use_i18n();
    let approve = ServerAction::<DecideApproval>::new();
    let reject = ServerAction::<DecideApproval>::new();
    let error = Signal::derive(move || {
        reject
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| approve.value().get().and_then(Result::err))
    });
    let id = p.id.to_string();
    let heading_id = format!("approval-{}", p.id);
    let labelled_by = heading_id.clone();
    let note_id = format!("approval-{}-note", p.id);
    let (buyer, order, company) = (p.buyer.clone(), p.order.clone(), p.company.clone());
    let heading = move || {
        t_string!(
            i18n,
            approvals.item_heading,
            buyer = buyer.clone(),
            company = company.clone()
        )
        .to_string()
    };
    let (total, currency) = (p.total, p.currency.clone());
    let per_month = p.over_limit == "per_month";
    let amount = move || {
        let total = money(total, &currency, i18n.get_locale());
        if per_month {
            t_string!(i18n, approvals.item_total_month, total = total).to_string()
        } else {
            t_string!(i18n, approvals.item_total_order, total = total).to_string()
        }
    };
    let asked = p.requested_local.clone();
    let request_id = p.id;
    let from = move || {
        let what = match order.clone() {
            Some(order) => t_string!(i18n, approvals.what_reorder, order = order).to_string(),
            None => t_string!(i18n, approvals.what_request, id = request_id).to_string(),
        };
        t_string!(
            i18n,
            approvals.item_from,
            what = what,
            date = date_time(&asked, i18n.get_locale())
        )
        .to_string()
    };
    let items = p
        .lines
        .iter()
        .map(|l| view! { <li>{format!("{} × {} ({})", l.quantity, l.name, l.sku)}</li> })
        .collect_view();
    let (reject_id, reject_note_id) = (id.clone(), note_id.clone());
    let rejected = Signal::derive(move || reject.value().get().and_then(Result::err));
    let typed = crate::ui::forms::kept_value(rejected, "note", String::new());
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            <p><strong>{amount}</strong></p>
            <p class="muted">{from}</p>
            <ul class="plain">{items}</ul>
            {p.note.map(|n| view! { <p><strong>{t!(i18n, approvals.buyer_note)}": "</strong>{n}</p> })}
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <FieldErrors field="request" field_id=format!("approval-{}-request", p.id) error />
            <ActionForm action=approve attr:class="inline-form">
                <input type="hidden" name="request" value=id />
                <input type="hidden" name="decision" value="approve" />
                <button type="submit">{t!(i18n, approvals.approve)}</button>
            </ActionForm>
            <ActionForm action=reject attr:class="stacked-form narrow" attr:novalidate=true>
                <input type="hidden" name="request" value=reject_id />
                <input type="hidden" name="decision" value="reject" />
                <div class="field">
                    <label for=reject_note_id.clone()>{t!(i18n, approvals.reject_reason)}</label>
                    <textarea id=reject_note_id.clone() name="note" rows="2"
                        aria-describedby=format!("{reject_note_id}-error") prop:value=typed.clone()>{typed.clone()}</textarea>
                    <FieldErrors field="note" field_id=reject_note_id error=rejected />
                </div>
                <button type="submit" class="button-outline">{t!(i18n, approvals.reject)}</button>
            </ActionForm>
        </li>
    }
}
