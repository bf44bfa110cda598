//! Helpers for forms that must behave the same with and without JavaScript.
use std::sync::Arc;

use leptos::prelude::*;
use leptos::web_sys::FormData;

use crate::error::AppError;

/// For `<Form on_form_data=…>`: leptos_router adds the clicked submit button to the data
/// even when it has no name, which puts a stray `&=` in the address of GET searches; a
/// browser without JavaScript leaves it out. Drop it so both give the same URL.
pub fn without_unnamed_fields() -> Arc<dyn Fn(&FormData)> {
    Arc::new(|data: &FormData| data.delete(""))
}

/// A field's value: what was typed when the form came back with errors, else `initial`.
pub fn kept_value(
    error: Signal<Option<AppError>>,
    field: &'static str,
    initial: String,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || {
        error
            .get()
            .and_then(|e| e.kept(field).map(str::to_string))
            .unwrap_or_else(|| initial.clone())
    }
}

/// `aria-invalid="true"` while the field has an error.
pub fn invalid_flag(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Clone + Send + Sync + 'static {
    move || {
        error
            .get()
            .is_some_and(|e| e.field_codes(field).next().is_some())
            .then_some("true")
    }
}
