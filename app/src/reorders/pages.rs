//! `/account/orders/{number}/buy-again`: choose what to order again and how many; and the
//! box on the order page that shows a B2B reorder request and its answer.
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{BuyAgain, reorder_choice};
use super::{ApprovalState, ReorderOptions, ReorderStatus, ReorderView};
use crate::i18n::*;
use crate::orders::pages::OwnOrderPage;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::{date_time, money};
use crate::ui::forms::{QuantityInput, invalid_flag as invalid, kept_value as kept, quantity_id};

#[component]
pub fn BuyAgainPage() -> impl IntoView {
    view! { <OwnOrderPage suffix="/buy-again" fetch=reorder_choice render=|found| view! { <BuyAgainForm found /> } /> }
}

/// What changed since the earlier order, one line each under the product's name: the
/// price, a successor in place of a product no longer sold, low stock, the pack size.
pub fn flags(
    i18n: leptos_i18n::I18nContext<Locale>,
    line: &super::ReorderChoice,
) -> Option<impl IntoView + use<>> {
    let mut words: Vec<Box<dyn Fn() -> String + Send + Sync>> = Vec::new();
    if let Some((then, now)) = line.price_changed() {
        let currency = line.currency.clone();
        words.push(Box::new(move || {
            let l = i18n.get_locale();
            t_string!(
                i18n,
                reorder.flag_price,
                then = money(then, &currency, l),
                now = money(now, &currency, l)
            )
            .to_string()
        }));
    }
    if let Some((sku, name)) = line.replaces.clone() {
        words.push(Box::new(move || {
            t_string!(
                i18n,
                reorder.flag_successor,
                name = name.clone(),
                sku = sku.clone()
            )
            .to_string()
        }));
    }
    match line.stock {
        Some(0) if line.price_now.is_some() => words.push(Box::new(move || {
            t_string!(i18n, reorder.flag_out_of_stock).to_string()
        })),
        _ => {
            if let Some(stock) = line.low_stock() {
                words.push(Box::new(move || {
                    t_string!(i18n, reorder.flag_low_stock, count = stock).to_string()
                }));
            }
        }
    }
    if line.pack_size > 1 {
        let pack = line.pack_size;
        words.push(Box::new(move || {
            t_string!(i18n, reorder.flag_pack, count = pack).to_string()
        }));
    }
    (!words.is_empty()).then(|| {
        view! { <ul class="flags">{words.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul> }
    })
}

#[component]
fn BuyAgainForm(found: ReorderOptions) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<BuyAgain>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let number = found.number.clone();
    let title_number = number.clone();
    let title = move || t_string!(i18n, reorder.title, number = title_number.clone()).to_string();
    let heading = title.clone();
    if !found.for_company && !found.basket_available {
        return view! {
            <Title text=crate::ui::title(title) />
            <h1>{heading}</h1>
            <p class="alert">{t!(i18n, reorder.no_webshop)}</p>
        }
        .into_any();
    }
    if !found.may_order {
        return view! {
            <Title text=crate::ui::title(title) />
            <h1>{heading}</h1>
            <p class="alert">{t!(i18n, reorder.viewer_cannot_order)}</p>
        }
        .into_any();
    }
    let for_company = found.for_company;
    let lines = found
        .lines
        .into_iter()
        .map(|line| {
            let sold = line.price_now.is_some();
            let initial = line.suggested().to_string();
            let flags = flags(i18n, &line);
            let currency = line.currency.clone();
            let price = move || match line.price_now {
                Some(p) => money(p, &currency, i18n.get_locale()),
                None => t_string!(i18n, reorder.not_sold).to_string(),
            };
            view! {
                <tr>
                    <th scope="row"><label for=quantity_id("reorder-qty", line.line)>{line.name.clone()}</label><br /><span class="muted">{line.sku.clone()}</span>{flags}</th>
                    <td class="num" data-label=move || t_string!(i18n, reorder.ordered_then)>{line.ordered}</td>
                    <td class="num" data-label=move || t_string!(i18n, reorder.price_now)>{price}</td>
                    <td class="num" data-label=move || t_string!(i18n, orders.quantity)>
                        <QuantityInput prefix="reorder-qty" line=line.line initial max=super::MAX_QUANTITY disabled=!sold error />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=crate::ui::title(title) />
        <h1>{heading}</h1>
        <p>{move || if for_company { t_string!(i18n, reorder.intro_company) } else { t_string!(i18n, reorder.intro_webshop) }}</p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <input type="hidden" name="number" value=number />
            <fieldset>
                <legend>{t!(i18n, reorder.what)}</legend>
                <p class="hint">{t!(i18n, reorder.what_hint)}</p>
                <FieldErrors field="lines" field_id="reorder-lines" error />
                <div class="table-scroll">
                    <table class="order-lines">
                        <thead><tr>
                            <th scope="col">{t!(i18n, orders.product)}</th>
                            <th scope="col" class="num">{t!(i18n, reorder.ordered_then)}</th>
                            <th scope="col" class="num">{t!(i18n, reorder.price_now)}</th>
                            <th scope="col" class="num">{t!(i18n, orders.quantity)}</th>
                        </tr></thead>
                        <tbody>{lines}</tbody>
                    </table>
                </div>
            </fieldset>
            <crate::companies::pages::LocationChoice id="reorder-location" locations=found.locations.clone() error />
            {for_company.then(|| view! {
                <div class="field">
                    <label for="reorder-note">{t!(i18n, reorder.note)}</label>
                    <textarea id="reorder-note" name="note" rows="3" maxlength="500"
                        aria-invalid=invalid(error, "note") aria-describedby="reorder-note-error">{kept(error, "note", String::new())}</textarea>
                    <FieldErrors field="note" field_id="reorder-note" error />
                </div>
            })}
            <p class="hint">{move || if for_company { t_string!(i18n, reorder.what_happens_company) } else { t_string!(i18n, reorder.what_happens_webshop) }}</p>
            <button type="submit">{move || if for_company { t_string!(i18n, reorder.submit_company) } else { t_string!(i18n, reorder.submit_webshop) }}</button>
        </ActionForm>
    }
    .into_any()
}

/// The state of the newest B2B reorder request, on the order page.
#[component]
pub fn ReorderBox(reorder: ReorderView) -> impl IntoView {
    let i18n = use_i18n();
    let r = reorder;
    let status = r.status;
    let requested = r.requested_local.clone();
    let decided = r.decided_local.clone();
    let items = r
        .lines
        .iter()
        .map(|l| view! { <li>{format!("{} × {}", l.quantity, l.name)}</li> })
        .collect_view();
    let approval = r.approval.as_ref().map(|a| a.state);
    let heading = move || match (approval, status) {
        (Some(ApprovalState::Awaiting), _) => t_string!(i18n, approvals.box_awaiting),
        (Some(ApprovalState::Rejected), _) => t_string!(i18n, approvals.box_rejected),
        (_, ReorderStatus::Requested) => t_string!(i18n, reorder.box_requested),
        (_, ReorderStatus::Placed) => t_string!(i18n, reorder.box_placed),
        (_, ReorderStatus::Declined) => t_string!(i18n, reorder.box_declined),
    };
    let explanation = move || match (approval, status) {
        (Some(ApprovalState::Awaiting), _) => t_string!(i18n, approvals.box_awaiting_text),
        (Some(ApprovalState::Rejected), _) => t_string!(i18n, approvals.box_rejected_text),
        (_, ReorderStatus::Requested) => t_string!(i18n, reorder.box_requested_text),
        (_, ReorderStatus::Placed) => t_string!(i18n, reorder.box_placed_text),
        (_, ReorderStatus::Declined) => t_string!(i18n, reorder.box_declined_text),
    };
    // Who approved or rejected it, when, and why.
    let decision = r.approval.clone().filter(|a| a.state != ApprovalState::Awaiting).map(|a| {
        let when = r.approval_local.clone().unwrap_or_default();
        let who = a.by.clone().unwrap_or_default();
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
    let new_order = r.new_order.clone();
    let note = r.decision_note.clone();
    view! {
        <section class="card reorder" aria-labelledby="reorder-heading" data-status=status.as_str()>
            <h2 id="reorder-heading">{heading}</h2>
            <p>{explanation}</p>
            <p class="muted">{move || t_string!(i18n, reorder.requested_on, date = date_time(&requested, i18n.get_locale())).to_string()}
                {decided.clone().map(|d| view! { " · "{move || t_string!(i18n, cancel.decided_on, date = date_time(&d, i18n.get_locale())).to_string()} })}
            </p>
            <ul class="plain">{items}</ul>
            {decision}
            {new_order.map(|n| {
                let href = format!("/account/orders/{n}");
                view! { <p><a href=href>{move || t_string!(i18n, reorder.see_new_order, number = n.clone()).to_string()}</a></p> }
            })}
            {note.map(|n| view! { <p><strong>{t!(i18n, cancel.their_note)}": "</strong>{n}</p> })}
        </section>
    }
}
