//! Pages that belong to no single area: the home page and "not found".
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::branding::Branding;
use crate::i18n::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let retailer = Branding::current().retailer_name;
    let auth = expect_context::<crate::accounts::pages::Auth>();
    let features = move || {
        [
            (
                t_string!(i18n, home.feature_orders_title),
                t_string!(i18n, home.feature_orders_text),
            ),
            (
                t_string!(i18n, home.feature_tracking_title),
                t_string!(i18n, home.feature_tracking_text),
            ),
            (
                t_string!(i18n, home.feature_returns_title),
                t_string!(i18n, home.feature_returns_text),
            ),
            (
                t_string!(i18n, home.feature_details_title),
                t_string!(i18n, home.feature_details_text),
            ),
        ]
        .into_iter()
        .map(|(title, text)| view! { <li class="card"><h3>{title}</h3><p>{text}</p></li> })
        .collect_view()
    };
    view! {
        // The site name alone ("Mijn Slaapwereld"): the formatter in App adds it.
        <Title text="" />
        <section class="hero">
            <h1>{move || t_string!(i18n, home.title, retailer = retailer.clone()).to_string()}</h1>
            <p class="lead">{t!(i18n, home.intro)}</p>
        </section>
        <crate::advisor::pages::AdvisorCards />
        <section aria-labelledby="features-heading">
            <h2 id="features-heading">{t!(i18n, home.features_heading)}</h2>
            <ul class="card-grid">{features}</ul>
        </section>
        <p class="actions">
            // Only for visitors who are not logged in.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(auth.user.await, Ok(None))
                        .then(|| view! { <A href="/login" attr:class="button">{t!(i18n, login.link)}</A> })
                })}
            </Suspense>
            <A href="/stores" attr:class="button-outline">{t!(i18n, home.find_store)}</A>
        </p>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::context::set_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, not_found.title)) />
        <section class="message-page">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.text)}</p>
            <p><a class="button" href="/">{t!(i18n, not_found.home_link)}</a></p>
        </section>
    }
}
