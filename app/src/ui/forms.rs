//! Helpers for forms that must behave the same with and without JavaScript.
use std::sync::Arc;

use leptos::web_sys::FormData;

/// For `<Form on_form_data=…>`: leptos_router adds the clicked submit button to the data
/// even when it has no name, which puts a stray `&=` in the address of GET searches; a
/// browser without JavaScript leaves it out. Drop it so both give the same URL.
pub fn without_unnamed_fields() -> Arc<dyn Fn(&FormData)> {
    Arc::new(|data: &FormData| data.delete(""))
}
