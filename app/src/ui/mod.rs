//! Components shared by every area (the site's layout is in `site`).
pub mod error_view;
pub mod format;
pub mod forms;
pub mod language;
pub mod pages;

use leptos::text_prop::TextProp;

/// A page title for `<Title text=…>`. On the server it is worked out once, while the page
/// renders: leptos_meta reads titles again after rendering, when the page's signals (the
/// language among them) may already be gone, and under load that panicked. In the
/// browser it follows the language.
pub fn title<T: ToString>(text: impl Fn() -> T + Send + Sync + 'static) -> TextProp {
    #[cfg(feature = "ssr")]
    {
        TextProp::from(text().to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        TextProp::from(move || text().to_string())
    }
}
