//! Page parts every area uses: the error page, "log in first".
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::i18n::*;

/// Shown when a page could not be rendered; the details are in the server log.
#[component]
pub fn ErrorPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=crate::ui::title(move || t_string!(i18n, error.title)) />
        <section class="message-page" role="alert">
            <h1>{t!(i18n, error.title)}</h1>
            <p>{t!(i18n, error.text)}</p>
            <p><a class="button" href="">{t!(i18n, error.retry)}</a></p>
        </section>
    }
}

/// Sends a visitor who is not logged in to the login page, and back here afterwards.
#[component]
pub fn LoginFirst(here: String) -> impl IntoView {
    let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
    view! { <Redirect path=format!("/login?next={next}") /> }
}
