//! The language switch: a plain link to `/language/{code}`, which stores the choice in the
//! same cookie leptos_i18n reads and sends the visitor back to the same page.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::*;

pub fn other_locale(locale: Locale) -> Locale {
    match locale {
        Locale::nl => Locale::en,
        Locale::en => Locale::nl,
    }
}

/// `/language/en?next=%2Fstores%3Fq%3Dutrecht`
pub fn switch_href(target: Locale, path: &str, search: &str) -> String {
    let mut next = path.to_string();
    if !search.is_empty() {
        if !search.starts_with('?') {
            next.push('?');
        }
        next.push_str(search);
    }
    let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("/language/{}?next={}", target.as_str(), encoded)
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let target = move || other_locale(i18n.get_locale());
    let href = move || switch_href(target(), &location.pathname.get(), &location.search.get());
    view! {
        <a
            class="language-switch"
            href=href
            rel="external"
            hreflang=move || target().as_str()
            lang=move || target().as_str()
        >
            {t!(i18n, language.switch_to)}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_page_and_its_query() {
        assert_eq!(switch_href(Locale::en, "/", ""), "/language/en?next=%2F");
        assert_eq!(
            switch_href(Locale::nl, "/stores", "?q=den bosch&x=1"),
            "/language/nl?next=%2Fstores%3Fq%3Dden+bosch%26x%3D1"
        );
    }
}
