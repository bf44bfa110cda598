//! `/account/orders/{number}/cancel`: choose what to cancel and why; and the box on the
//! order page that shows a request and its answer.
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{RequestCancellation, cancel_choice};
use super::{CancelOptions, CancellationStatus, CancellationView, REASONS};
use crate::i18n::*;
use crate::orders::pages::OwnOrderPage;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::format::date_time;
use crate::ui::forms::{QuantityInput, invalid_flag as invalid, kept_value as kept, quantity_id};

#[component]
pub fn CancelOrderPage() -> impl IntoView {
    view! { <OwnOrderPage suffix="/cancel" fetch=cancel_choice render=|found| view! { <CancelForm found /> } /> }
}

fn reason_words(locale: Locale, reason: &str) -> String {
    match reason {
        "changed_mind" => td_string!(locale, cancel.reason_changed_mind),
        "ordered_by_mistake" => td_string!(locale, cancel.reason_ordered_by_mistake),
        "found_cheaper" => td_string!(locale, cancel.reason_found_cheaper),
        "delivery_too_late" => td_string!(locale, cancel.reason_delivery_too_late),
        _ => td_string!(locale, cancel.reason_other),
    }
    .to_string()
}

#[component]
fn CancelForm(found: CancelOptions) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestCancellation>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let number = found.number.clone();
    let title_number = number.clone();
    let title = move || t_string!(i18n, cancel.title, number = title_number.clone()).to_string();
    let heading = title.clone();
    let Some(blocked) = found.blocked.clone() else {
        let reason = kept(error, "reason", String::new());
        let lines = found
            .lines
            .into_iter()
            .map(|line| {
                let max = line.quantity;
                view! {
                    <tr>
                        <th scope="row"><label for=quantity_id("cancel-qty", line.line)>{line.name.clone()}</label><br /><span class="muted">{line.sku.clone()}</span></th>
                        <td class="num" data-label=move || t_string!(i18n, cancel.ordered)>{max}</td>
                        <td class="num" data-label=move || t_string!(i18n, cancel.to_cancel)>
                            <QuantityInput prefix="cancel-qty" line=line.line initial=max.to_string() max error />
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let options = REASONS
            .iter()
            .map(|code| {
                let code = *code;
                let chosen = reason.clone();
                view! { <option value=code selected=move || chosen() == code>{move || reason_words(i18n.get_locale(), code)}</option> }
            })
            .collect_view();
        return view! {
            <Title text=crate::ui::title(title) />
            <h1>{heading}</h1>
            <p>{t!(i18n, cancel.intro)}</p>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {move || error.get().map(|error| view! { <ErrorMessage error /> })}
                <FieldErrors field="order" field_id="cancel-order" error />
                <input type="hidden" name="number" value=number />
                <fieldset>
                    <legend>{t!(i18n, cancel.what)}</legend>
                    <p class="hint" id="cancel-lines-hint">{t!(i18n, cancel.what_hint)}</p>
                    <FieldErrors field="lines" field_id="cancel-lines" error />
                    <div class="table-scroll">
                        <table class="order-lines">
                            <thead><tr>
                                <th scope="col">{t!(i18n, orders.product)}</th>
                                <th scope="col" class="num">{t!(i18n, cancel.ordered)}</th>
                                <th scope="col" class="num">{t!(i18n, cancel.to_cancel)}</th>
                            </tr></thead>
                            <tbody>{lines}</tbody>
                        </table>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="cancel-reason">{t!(i18n, cancel.reason)}</label>
                    <select id="cancel-reason" name="reason" aria-invalid=invalid(error, "reason") aria-describedby="cancel-reason-error">
                        <option value="" selected=move || reason().is_empty()>{t!(i18n, cancel.choose_reason)}</option>
                        {options}
                    </select>
                    <FieldErrors field="reason" field_id="cancel-reason" error />
                </div>
                <div class="field">
                    <label for="cancel-note">{t!(i18n, cancel.note)}</label>
                    <textarea id="cancel-note" name="note" rows="3" maxlength="500"
                        aria-invalid=invalid(error, "note") aria-describedby="cancel-note-error">{kept(error, "note", String::new())}</textarea>
                    <FieldErrors field="note" field_id="cancel-note" error />
                </div>
                <p class="hint">{t!(i18n, cancel.what_happens)}</p>
                <button type="submit">{t!(i18n, cancel.submit)}</button>
            </ActionForm>
        }
        .into_any();
    };
    let why = move || match blocked.as_str() {
        "already_requested" => t_string!(i18n, cancel.blocked_already_requested),
        "store_purchase" => t_string!(i18n, cancel.blocked_store_purchase),
        "nothing_left" => t_string!(i18n, cancel.blocked_nothing_left),
        "viewer" => t_string!(i18n, cancel.blocked_viewer),
        _ => t_string!(i18n, cancel.blocked_being_prepared),
    };
    view! {
        <Title text=crate::ui::title(title) />
        <h1>{heading}</h1>
        <p class="alert">{why}</p>
    }
    .into_any()
}

/// The state of the newest cancellation request, on the order page.
#[component]
pub fn CancellationBox(cancellation: CancellationView) -> impl IntoView {
    let i18n = use_i18n();
    let c = cancellation;
    let requested = c.requested_local.clone();
    let decided = c.decided_local.clone();
    let items = c
        .lines
        .iter()
        .map(|l| view! { <li>{format!("{} × {}", l.quantity, l.name)}</li> })
        .collect_view();
    let whole = c.whole_order;
    let status = c.status;
    let heading = move || match (status, whole) {
        (CancellationStatus::Requested, _) => t_string!(i18n, cancel.box_requested),
        (CancellationStatus::Confirmed, true) => t_string!(i18n, cancel.box_confirmed),
        (CancellationStatus::Confirmed, false) => t_string!(i18n, cancel.box_confirmed_partly),
        (CancellationStatus::Declined, _) => t_string!(i18n, cancel.box_declined),
    };
    let explanation = move || match status {
        CancellationStatus::Requested => t_string!(i18n, cancel.box_requested_text),
        CancellationStatus::Confirmed => t_string!(i18n, cancel.box_confirmed_text),
        CancellationStatus::Declined => t_string!(i18n, cancel.box_declined_text),
    };
    let note = c.decision_note.clone();
    view! {
        <section class="card cancellation" aria-labelledby="cancellation-heading" data-status=status.as_str()>
            <h2 id="cancellation-heading">{heading}</h2>
            <p>{explanation}</p>
            <p class="muted">{move || t_string!(i18n, cancel.requested_on, date = date_time(&requested, i18n.get_locale())).to_string()}
                {decided.clone().map(|d| view! { " · "{move || t_string!(i18n, cancel.decided_on, date = date_time(&d, i18n.get_locale())).to_string()} })}
            </p>
            {(!whole).then(|| view! { <ul class="plain">{items}</ul> })}
            {note.map(|n| view! { <p><strong>{t!(i18n, cancel.their_note)}": "</strong>{n}</p> })}
        </section>
    }
}
