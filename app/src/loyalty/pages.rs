//! `/account/loyalty`: the card to show at the till, linking a physical card, claiming a
//! till slip. Every form works as a plain POST; the answer comes back in the address.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{AddLoyaltyCard, ClaimReceipt, RequestDigitalCard, my_loyalty};
use super::{Card, LoyaltyView, spaced};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::error_view::{ErrorMessage, FieldErrors};
use crate::ui::forms::{invalid_flag as invalid, kept_value as kept};
use crate::ui::pages::LoginFirst;

#[component]
pub fn LoyaltyPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let add = ServerAction::<AddLoyaltyCard>::new();
    let issue = ServerAction::<RequestDigitalCard>::new();
    let claim = ServerAction::<ClaimReceipt>::new();
    // Refetched after every change (the redirect changes the address).
    let view_data = Resource::new(
        move || query.with(|q| (q.get("linked"), q.get("issued"), q.get("claimed"))),
        |_| my_loyalty(),
    );
    let linked = move || {
        query
            .with(|q| q.get("linked"))
            .and_then(|n| n.parse::<u64>().ok())
    };
    let claimed = move || query.with(|q| q.get("claimed"));
    let issued = move || query.with(|q| q.get("issued")).is_some();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, loyalty.title)) />
        <h1>{t!(i18n, loyalty.title)}</h1>
        <div role="status">
            {move || linked().map(|n| view! { <p class="alert alert-success">{move || t_string!(i18n, loyalty.linked, count = n).to_string()}</p> })}
            {move || claimed().map(|number| {
                let href = format!("/account/orders/{number}");
                view! { <p class="alert alert-success">{t!(i18n, loyalty.claimed)}" "<a href=href>{number.clone()}</a></p> }
            })}
            {move || issued().then(|| view! { <p class="alert alert-success">{t!(i18n, loyalty.issued)}</p> })}
        </div>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => view! { <Loyalty data add issue claim /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/loyalty".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Loyalty(
    data: LoyaltyView,
    add: ServerAction<AddLoyaltyCard>,
    issue: ServerAction<RequestDigitalCard>,
    claim: ServerAction<ClaimReceipt>,
) -> impl IntoView {
    let i18n = use_i18n();
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let issue_error = Signal::derive(move || issue.value().get().and_then(Result::err));
    let claim_error = Signal::derive(move || claim.value().get().and_then(Result::err));
    let verify_first =
        (!data.verified).then(|| view! { <p class="alert">{t!(i18n, loyalty.verify_first)}</p> });
    let has_card = data.card.is_some();
    let card = match data.card {
        Some(card) => view! {
            <CardFace card name=data.name.clone() />
            // A full page load (not the app's own navigation), so the offline script runs.
            <p class="no-print"><a class="button" href="/account/loyalty/card" rel="external">{t!(i18n, loyalty.open_card)}</a></p>
        }
        .into_any(),
        None => view! {
            <section class="card" aria-labelledby="card-heading">
                <h2 id="card-heading">{t!(i18n, loyalty.no_card_title)}</h2>
                <p>{t!(i18n, loyalty.no_card_text)}</p>
                <ActionForm action=issue>
                    {move || issue_error.get().map(|error| view! { <ErrorMessage error /> })}
                    <button type="submit">{t!(i18n, loyalty.request_digital)}</button>
                </ActionForm>
            </section>
        }
        .into_any(),
    };
    view! {
        {verify_first}
        {card}
        <div class="overview-grid no-print">
            <section class="card" aria-labelledby="add-heading">
                <h2 id="add-heading">{move || if has_card { t_string!(i18n, loyalty.replace_title) } else { t_string!(i18n, loyalty.add_title) }}</h2>
                <p>{t!(i18n, loyalty.add_text)}</p>
                <ActionForm action=add attr:class="stacked-form" attr:novalidate=true>
                    <div class="field">
                        <label for="card-number">{t!(i18n, loyalty.card_number)}</label>
                        <input id="card-number" name="card_number" inputmode="numeric" autocomplete="off" required
                            value=kept(add_error, "card_number", String::new()) aria-invalid=invalid(add_error, "card_number")
                            aria-describedby="card-number-error" />
                        <FieldErrors field="card_number" field_id="card-number" error=add_error />
                    </div>
                    <button type="submit">{t!(i18n, loyalty.add_button)}</button>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="claim-heading">
                <h2 id="claim-heading">{t!(i18n, loyalty.claim_title)}</h2>
                <p>{t!(i18n, loyalty.claim_text)}</p>
                <ActionForm action=claim attr:class="stacked-form" attr:novalidate=true>
                    <div class="field">
                        <label for="receipt-code">{t!(i18n, loyalty.receipt_code)}</label>
                        <input id="receipt-code" name="code" autocomplete="off" autocapitalize="characters" required
                            value=kept(claim_error, "code", String::new()) aria-invalid=invalid(claim_error, "code")
                            aria-describedby="receipt-code-error" />
                        <FieldErrors field="code" field_id="receipt-code" error=claim_error />
                    </div>
                    <button type="submit">{t!(i18n, loyalty.claim_button)}</button>
                </ActionForm>
            </section>
        </div>
    }
}

/// The card as the till scans it: name, QR code, barcode and number.
#[component]
fn CardFace(card: Card, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let number = spaced(&card.number);
    let label = number.clone();
    view! {
        <section class="loyalty-card" aria-labelledby="card-heading">
            <h2 id="card-heading">{t!(i18n, loyalty.your_card)}</h2>
            <p class="loyalty-name">{name}</p>
            <div class="codes">
                <div class="qr" role="img" aria-label=move || t_string!(i18n, loyalty.qr_label, number = label.clone()).to_string()
                    inner_html=card.qr_svg></div>
                <div class="barcode" aria-hidden="true" inner_html=card.barcode_svg></div>
            </div>
            <p class="card-number">{number}</p>
            <p class="hint no-print">{t!(i18n, loyalty.show_at_till)}</p>
        </section>
    }
}

/// `/account/loyalty/card`: only the card, to show at the till. Once opened it also works
/// without a connection: `/offline-card.js` registers a service worker (`/sw.js`) that
/// keeps the last copy of this page. Logging out clears it (Clear-Site-Data).
#[component]
pub fn LoyaltyCardPage() -> impl IntoView {
    let i18n = use_i18n();
    let view_data = Resource::new(|| (), |_| my_loyalty());
    let nonce = leptos::nonce::use_nonce();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, loyalty.your_card)) />
        <p class="back-link no-print"><a href="/account/loyalty">{t!(i18n, loyalty.back)}</a></p>
        <Suspense fallback=move || view! { <p aria-busy="true">"…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(LoyaltyView { card: Some(card), name, .. }) => view! {
                        <h1 class="visually-hidden">{t!(i18n, loyalty.your_card)}</h1>
                        <CardFace card name />
                        <p class="hint no-print">{t!(i18n, loyalty.works_offline)}</p>
                    }.into_any(),
                    Ok(_) => view! {
                        <h1>{t!(i18n, loyalty.no_card_title)}</h1>
                        <p><a href="/account/loyalty">{t!(i18n, loyalty.no_card_text)}</a></p>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <LoginFirst here="/account/loyalty/card".to_string() /> }.into_any(),
                    Err(err) => view! { <ErrorMessage error=err /> }.into_any(),
                }
            })}
        </Suspense>
        <script src="/offline-card.js" defer nonce=nonce></script>
    }
}
