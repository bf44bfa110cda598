//! `/account/company/quick-order`: paste lines or upload a CSV file and send them as an
//! order request of the company; its order lists (save, order in one go, remove) and its
//! requests with their state. Plain POST forms, also without JavaScript; the upload is a
//! multipart form (server/src/quick_order_upload.rs) that fills the text box.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{DeleteOrderList, OrderList, SendQuickOrder, quick_order};
use super::{LineError, OrderListView, QuickOrderData, RequestView, line_errors};
use crate::companies::pages::LocationChoice;
use crate::error::AppError;
use crate::i18n::*;
use crate::reorders::{ApprovalState, ReorderStatus};
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date_time, money};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
use crate::ui::pages::LoginFirst;

const HERE: &str = "/account/company/quick-order";

#[component]
pub fn QuickOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = move || {
        query.with(|q| {
            (
                q.get("company").unwrap_or_default(),
                q.get("list").unwrap_or_default(),
                q.get("uploaded").unwrap_or_default(),
                q.get("sent").unwrap_or_default(),
            )
        })
    };
    let found = Resource::new(asked, |(company, list, uploaded, _)| {
        quick_order(company, list, uploaded)
    });
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, quick.title)) />
        <p class="back-link"><a href="/account/company">{t!(i18n, company.back)}</a></p>
        <h1>{t!(i18n, quick.title)}</h1>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(data) => view! { <Found data /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here=HERE.to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the last form did, from the address it came back to.
#[component]
fn Done(data: QuickOrderData) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (sent, saved, deleted) = query.with_untracked(|q| {
        (
            q.get("sent").and_then(|s| s.parse::<i64>().ok()),
            q.get("saved").is_some(),
            q.get("deleted").is_some(),
        )
    });
    let waiting = sent
        .and_then(|id| data.requests.iter().find(|r| r.id == id))
        .is_some_and(|r| {
            r.approval
                .as_ref()
                .is_some_and(|a| a.state == ApprovalState::Awaiting)
        });
    let words = move || {
        if let Some(id) = sent {
            Some(if waiting {
                t_string!(i18n, quick.done_waiting, id = id).to_string()
            } else {
                t_string!(i18n, quick.done_sent, id = id).to_string()
            })
        } else if saved {
            Some(t_string!(i18n, quick.done_saved).to_string())
        } else if deleted {
            Some(t_string!(i18n, quick.done_deleted).to_string())
        } else {
            None
        }
    };
    view! {
        <div role="status">
            {move || words().map(|w| view! { <p class="alert alert-success">{w}</p> })}
        </div>
    }
}

#[component]
fn Found(data: QuickOrderData) -> impl IntoView {
    let i18n = use_i18n();
    let name = data.company_name.clone();
    let others = (!data.other_companies.is_empty()).then(|| {
        let links = data
            .other_companies
            .iter()
            .map(|(id, name)| {
                let href = format!(
                    "{HERE}?company={}",
                    form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
                );
                view! { <li><a href=href>{name.clone()}</a></li> }
            })
            .collect_view();
        view! { <p>{t!(i18n, quick.other_companies)}</p><ul class="plain inline-list">{links}</ul> }
    });
    let company = data.company.clone();
    let locations = data.locations.clone();
    let may_order = data.may_order;
    let lists = data.lists.clone();
    let requests = data.requests.clone();
    let form = if may_order {
        view! { <QuickForm data=data.clone() /> }.into_any()
    } else {
        view! { <p class="alert">{t!(i18n, reorder.viewer_cannot_order)}</p> }.into_any()
    };
    view! {
        <Done data=data.clone() />
        <p class="lead">{move || t_string!(i18n, quick.for_company, company = name.clone()).to_string()}</p>
        <p>{t!(i18n, quick.how)}</p>
        {others}
        {form}
        <OrderLists company=company.clone() lists locations may_order />
        <Requests requests />
    }
}

/// The text of line `n` (1-based) of what was typed, as the person sees it.
fn typed_line(text: &str, n: usize) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .nth(n.saturating_sub(1))
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn line_error_words(i18n: leptos_i18n::I18nContext<Locale>, e: &LineError) -> String {
    let hint = e.hint.clone().unwrap_or_default();
    match e.code.as_str() {
        "no_quantity" => t_string!(i18n, quick.line_no_quantity).to_string(),
        "not_a_whole_number" => t_string!(i18n, quick.line_not_a_whole_number).to_string(),
        "not_positive" => t_string!(i18n, quick.line_not_positive).to_string(),
        "too_many" => t_string!(
            i18n,
            quick.line_too_many,
            max = crate::reorders::MAX_QUANTITY
        )
        .to_string(),
        "too_many_fields" => t_string!(i18n, quick.line_too_many_fields).to_string(),
        "unreadable" => t_string!(i18n, quick.line_unreadable).to_string(),
        "unknown_sku" => t_string!(i18n, quick.line_unknown_sku).to_string(),
        "replaced" => t_string!(i18n, quick.line_replaced, sku = hint).to_string(),
        "no_longer_sold" => t_string!(i18n, quick.line_no_longer_sold).to_string(),
        "out_of_stock" => t_string!(i18n, quick.line_out_of_stock).to_string(),
        "more_than_in_stock" => {
            t_string!(i18n, quick.line_more_than_in_stock, count = hint).to_string()
        }
        "not_pack_multiple" => {
            t_string!(i18n, quick.line_not_pack_multiple, count = hint).to_string()
        }
        _ => t_string!(i18n, error.invalid_input).to_string(),
    }
}

/// Each wrong line with its number, what was typed and why; `text` is what was typed.
#[component]
fn LineErrorList(
    #[prop(into)] id: String,
    errors: Signal<Vec<LineError>>,
    text: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div id=id>
            <Show when=move || !errors.get().is_empty()>
                <div class="field-error" role="alert">
                    <p>{move || t_string!(i18n, quick.lines_wrong, count = errors.get().len()).to_string()}</p>
                    <ul>
                        {move || errors.get().into_iter().map(|e| {
                            let typed = typed_line(&text.get(), e.line);
                            let words = line_error_words(i18n, &e);
                            let line = e.line;
                            view! { <li>{move || t_string!(i18n, quick.line_label, line = line, text = typed.clone()).to_string()}" "{words}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn QuickForm(data: QuickOrderData) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SendQuickOrder>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let draft = data.draft.clone();
    let draft_text = draft.as_ref().map(|d| d.text.clone()).unwrap_or_default();
    let draft_problems = draft
        .as_ref()
        .map(|d| d.problems.clone())
        .unwrap_or_default();
    let draft_list = draft
        .as_ref()
        .and_then(|d| d.list.clone())
        .unwrap_or_default();
    let from_file = draft.as_ref().is_some_and(|d| d.list.is_none());
    let text = kept(error, "lines", draft_text);
    let text_signal = Signal::derive({
        let text = text.clone();
        move || text()
    });
    let errors = Signal::derive(move || match error.get() {
        Some(e) => line_errors(&e),
        None => draft_problems.clone(),
    });
    let lines_invalid =
        move || (!errors.get().is_empty() || invalid(error, "lines")().is_some()).then_some("true");
    let list_name = kept(error, "list_name", draft_list.clone());
    let file_error = use_query_map().with_untracked(|q| q.get("file_error"));
    let file_invalid = file_error.is_some().then_some("true");
    let file_words = file_error.map(|code| {
        view! {
            <p class="field-error" id="quick-file-error">{move || if code == "too_large" {
                t_string!(i18n, quick.file_too_large).to_string()
            } else {
                t_string!(i18n, quick.file_required).to_string()
            }}</p>
        }
    });
    let filled_from = (!draft_list.is_empty() || from_file).then(|| {
        let list = draft_list.clone();
        view! {
            <p class="alert">{move || if list.is_empty() {
                t_string!(i18n, quick.filled_from_file).to_string()
            } else {
                t_string!(i18n, quick.filled_from_list, name = list.clone()).to_string()
            }}</p>
        }
    });
    let (company, upload_company) = (data.company.clone(), data.company.clone());
    view! {
        <section aria-labelledby="quick-heading" class="card">
            <h2 id="quick-heading">{t!(i18n, quick.paste_heading)}</h2>
            {filled_from}
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {move || error.get().filter(|e| line_errors(e).is_empty()).map(|error| view! { <ErrorMessage error /> })}
                <input type="hidden" name="company" value=company />
                <div class="field">
                    <label for="quick-lines">{t!(i18n, quick.lines)}</label>
                    <p class="hint" id="quick-lines-hint">{t!(i18n, quick.lines_hint)}</p>
                    <textarea id="quick-lines" name="lines" rows="8" class="mono" spellcheck="false"
                        autocapitalize="characters" aria-invalid=lines_invalid
                        aria-describedby="quick-lines-hint quick-lines-problems quick-lines-error"
                        prop:value=text.clone()>{text.clone()}</textarea>
                    <LineErrorList id="quick-lines-problems" errors text=text_signal />
                    <FieldErrors field="lines" field_id="quick-lines" error />
                </div>
                <LocationChoice id="quick-location" locations=data.locations.clone() error />
                <div class="field">
                    <label for="quick-note">{t!(i18n, reorder.note)}</label>
                    <textarea id="quick-note" name="note" rows="2" maxlength="500"
                        aria-invalid=invalid(error, "note") aria-describedby="quick-note-error">{kept(error, "note", String::new())}</textarea>
                    <FieldErrors field="note" field_id="quick-note" error />
                </div>
                <p class="hint">{t!(i18n, quick.what_happens)}</p>
                <button type="submit" name="intent" value="send">{t!(i18n, quick.send)}</button>
                <fieldset>
                    <legend>{t!(i18n, quick.save_heading)}</legend>
                    <div class="field">
                        <label for="quick-list-name">{t!(i18n, quick.list_name)}</label>
                        <input id="quick-list-name" name="list_name" type="text" maxlength="80"
                            prop:value=list_name.clone() value=list_name.clone()
                            aria-invalid=invalid(error, "list_name") aria-describedby="quick-list-name-error" />
                        <FieldErrors field="list_name" field_id="quick-list-name" error />
                    </div>
                    <button type="submit" name="intent" value="save" class="button-outline">{t!(i18n, quick.save)}</button>
                </fieldset>
            </ActionForm>
            <form method="post" enctype="multipart/form-data" action=format!("{HERE}/upload") class="stacked-form upload-form">
                <input type="hidden" name="company" value=upload_company />
                <div class="field">
                    <label for="quick-file">{t!(i18n, quick.file)}</label>
                    <p class="hint" id="quick-file-hint">{t!(i18n, quick.file_hint)}</p>
                    <input id="quick-file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain"
                        aria-invalid=file_invalid aria-describedby="quick-file-hint quick-file-error" />
                    {file_words}
                </div>
                <button type="submit" class="button-outline">{t!(i18n, quick.file_read)}</button>
            </form>
        </section>
    }
}

#[component]
fn OrderLists(
    company: String,
    lists: Vec<OrderListView>,
    locations: Vec<(i64, String)>,
    may_order: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = if lists.is_empty() {
        view! { <p>{t!(i18n, quick.no_lists)}</p> }.into_any()
    } else {
        view! {
            <ul class="plain order-lists">
                {lists.into_iter().map(|list| view! {
                    <ListItem company=company.clone() list locations=locations.clone() may_order />
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="lists-heading">
            <h2 id="lists-heading">{t!(i18n, quick.lists_heading)}</h2>
            <p class="hint">{t!(i18n, quick.lists_hint)}</p>
            {items}
        </section>
    }
}

#[component]
fn ListItem(
    company: String,
    list: OrderListView,
    locations: Vec<(i64, String)>,
    may_order: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let order = ServerAction::<OrderList>::new();
    let delete = ServerAction::<DeleteOrderList>::new();
    let error = Signal::derive(move || order.value().get().and_then(Result::err));
    let deleted_error = Signal::derive(move || delete.value().get().and_then(Result::err));
    let heading_id = format!("list-{}", list.id);
    let labelled_by = heading_id.clone();
    let list_text: String = list
        .lines
        .iter()
        .map(|c| {
            format!(
                "{} {}\n",
                c.replaces.as_ref().map_or(&c.sku, |(old, _)| old),
                c.ordered
            )
        })
        .collect();
    let errors = Signal::derive(move || error.get().map(|e| line_errors(&e)).unwrap_or_default());
    let text = Signal::derive(move || list_text.clone());
    let rows = list
        .lines
        .iter()
        .map(|c| {
            let flags = crate::reorders::pages::flags(i18n, c);
            let currency = c.currency.clone();
            let price = c.price_now;
            let price = move || match price {
                Some(p) => money(p, &currency, i18n.get_locale()),
                None => t_string!(i18n, reorder.not_sold).to_string(),
            };
            view! {
                <tr>
                    <th scope="row">{c.name.clone()}<br /><span class="muted">{c.sku.clone()}</span>{flags}</th>
                    <td class="num" data-label=move || t_string!(i18n, orders.quantity)>{c.ordered}</td>
                    <td class="num" data-label=move || t_string!(i18n, reorder.price_now)>{price}</td>
                </tr>
            }
        })
        .collect_view();
    let by = list.by.clone().unwrap_or_default();
    let updated = list.updated_local.clone();
    let meta = move || {
        t_string!(
            i18n,
            quick.list_meta,
            who = by.clone(),
            date = date_time(&updated, i18n.get_locale())
        )
        .to_string()
    };
    let edit = format!(
        "{HERE}?company={}&list={}",
        form_urlencoded::byte_serialize(company.as_bytes()).collect::<String>(),
        list.id
    );
    let location_id = format!("list-{}-location", list.id);
    let problems_id = format!("list-{}-problems", list.id);
    let delete_company = company.clone();
    let forms = may_order.then(|| view! {
        <ActionForm action=order attr:class="stacked-form" attr:novalidate=true>
            {move || error.get().filter(|e| line_errors(e).is_empty()).map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="company" value=company.clone() />
            <input type="hidden" name="list" value=list.id.to_string() />
            <LineErrorList id=problems_id errors text />
            <LocationChoice id=location_id locations error />
            <button type="submit">{t!(i18n, quick.order_list)}</button>
        </ActionForm>
        <p><a href=edit>{t!(i18n, quick.edit_list)}</a></p>
        <ActionForm action=delete attr:class="inline-form">
            {move || deleted_error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="company" value=delete_company />
            <input type="hidden" name="list" value=list.id.to_string() />
            <button type="submit" class="button-outline">{t!(i18n, quick.delete_list)}</button>
        </ActionForm>
    });
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <h3 id=heading_id>{list.name.clone()}</h3>
            <p class="muted">{meta}</p>
            <div class="table-scroll">
                <table class="order-lines">
                    <thead><tr>
                        <th scope="col">{t!(i18n, orders.product)}</th>
                        <th scope="col" class="num">{t!(i18n, orders.quantity)}</th>
                        <th scope="col" class="num">{t!(i18n, reorder.price_now)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {forms}
        </li>
    }
}

#[component]
fn Requests(requests: Vec<RequestView>) -> impl IntoView {
    let i18n = use_i18n();
    let items = if requests.is_empty() {
        view! { <p>{t!(i18n, quick.no_requests)}</p> }.into_any()
    } else {
        view! {
            <ul class="plain">
                {requests.into_iter().map(|r| view! { <RequestItem r /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="requests-heading">
            <h2 id="requests-heading">{t!(i18n, quick.requests_heading)}</h2>
            {items}
        </section>
    }
}

#[component]
fn RequestItem(r: RequestView) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.id;
    let asked = r.requested_local.clone();
    let heading = move || {
        t_string!(
            i18n,
            quick.request_heading,
            id = id,
            date = date_time(&asked, i18n.get_locale())
        )
        .to_string()
    };
    let approval = r.approval.clone();
    let state = approval.as_ref().map(|a| a.state);
    let status = r.status;
    let new_order = r.new_order.clone();
    let state_words = move || match (state, status) {
        (Some(ApprovalState::Awaiting), _) => t_string!(i18n, approvals.box_awaiting).to_string(),
        (Some(ApprovalState::Rejected), _) => t_string!(i18n, quick.state_rejected).to_string(),
        (_, ReorderStatus::Requested) => t_string!(i18n, quick.state_sent).to_string(),
        (_, ReorderStatus::Placed) => t_string!(i18n, quick.state_placed).to_string(),
        (_, ReorderStatus::Declined) => t_string!(i18n, quick.state_declined).to_string(),
    };
    let approval_local = r.approval_local.clone();
    let decision = approval.filter(|a| a.state != ApprovalState::Awaiting).map(|a| {
        let who = a.by.clone().unwrap_or_default();
        let when = approval_local.unwrap_or_default();
        let approved = a.state == ApprovalState::Approved;
        let words = move || {
            let date = date_time(&when, i18n.get_locale());
            if approved {
                t_string!(i18n, approvals.box_approved_by, who = who.clone(), date = date).to_string()
            } else {
                t_string!(i18n, approvals.box_rejected_by, who = who.clone(), date = date).to_string()
            }
        };
        view! {
            <p>{words}</p>
            {a.note.map(|n| view! { <p><strong>{t!(i18n, approvals.reason)}": "</strong>{n}</p> })}
        }
    });
    let items = r
        .lines
        .iter()
        .map(|l| view! { <li>{format!("{} × {} ({})", l.quantity, l.name, l.sku)}</li> })
        .collect_view();
    let heading_id = format!("request-{id}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="card" aria-labelledby=labelled_by data-status=status.as_str()>
            <h3 id=heading_id>{heading}</h3>
            <p><strong>{state_words}</strong></p>
            {r.deliver_to.map(|place| view! { <p>{move || t_string!(i18n, quick.deliver_to, place = place.clone()).to_string()}</p> })}
            <ul class="plain">{items}</ul>
            {r.note.map(|n| view! { <p><strong>{t!(i18n, approvals.buyer_note)}": "</strong>{n}</p> })}
            {decision}
            {new_order.map(|n| {
                let href = format!("/account/orders/{n}");
                view! { <p><a href=href>{move || t_string!(i18n, reorder.see_new_order, number = n.clone()).to_string()}</a></p> }
            })}
            {r.decision_note.map(|n| view! { <p><strong>{t!(i18n, cancel.their_note)}": "</strong>{n}</p> })}
        </li>
    }
}
