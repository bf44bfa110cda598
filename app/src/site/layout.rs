use leptos::prelude::*;
use leptos_router::components::A;

use crate::accounts::pages::{HelpingBanner, UnverifiedBanner, UserMenu};
use crate::branding::Branding;
use crate::i18n::*;
use crate::ui::language::LanguageSwitch;
use crate::ui::pages::ErrorPage;

/// Header with the retailer's name or logo, the main navigation and the language switch;
/// the page in a `<main>` landmark; a footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    crate::accounts::pages::provide_auth();
    let branding = Branding::current();
    let name = branding.retailer_name.clone();
    let brand = match branding.logo_url.clone() {
        Some(src) => view! { <img class="brand-logo" src=src alt=name.clone() /> }.into_any(),
        None => view! { <span class="brand-name">{name.clone()}</span> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main" rel="external">{t!(i18n, skip_to_content)}</a>
        // On a phone the navigation, the user menu and the language switch sit behind
        // "Menu": a <details>, so it opens without JavaScript. On a wide screen they are
        // always shown, in one row (see `.site-menu` in style/main.css).
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    {brand}
                    <span class="brand-sub">{t!(i18n, site.tagline)}</span>
                </a>
                <details class="site-menu">
                    <summary class="menu-button">{t!(i18n, nav.menu)}</summary>
                    <div class="menu-panel">
                        <nav class="main-nav" aria-label=move || t_string!(i18n, nav.label)>
                            <ul>
                                <li><A href="/" exact=true>{t!(i18n, nav.home)}</A></li>
                                <li><A href="/account" exact=true>{t!(i18n, nav.account)}</A></li>
                                <li><A href="/account/orders">{t!(i18n, nav.orders)}</A></li>
                                <li><A href="/account/privacy">{t!(i18n, nav.privacy)}</A></li>
                                <li><A href="/stores">{t!(i18n, nav.stores)}</A></li>
                            </ul>
                        </nav>
                        <UserMenu />
                        <LanguageSwitch />
                    </div>
                </details>
            </div>
        </header>
        <HelpingBanner />
        <UnverifiedBanner />
        <main id="main" class="container" tabindex="-1">
            // Anything a page could not handle itself: a friendly page, details in the log.
            <ErrorBoundary fallback=|_errors| view! { <ErrorPage /> }>{children()}</ErrorBoundary>
        </main>
        <footer class="site-footer">
            <div class="container">
                <p>{name}</p>
                <p class="muted">{t!(i18n, site.powered_by)}</p>
            </div>
        </footer>
    }
}
