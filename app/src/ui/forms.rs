//! Helpers for forms that must behave the same with and without JavaScript.
use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::error_view::FieldErrors;

/// A field's value: what was typed when the form came back with errors, else `initial`.
pub fn kept_value(
    error: Signal<Option<AppError>>,
    field: impl Into<String>,
    initial: String,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let field: String = field.into();
    move || {
        error
            .get()
            .and_then(|e| e.kept(&field).map(str::to_string))
            .unwrap_or_else(|| initial.clone())
    }
}

/// `aria-invalid="true"` while the field has an error.
pub fn invalid_flag(
    error: Signal<Option<AppError>>,
    field: impl Into<String>,
) -> impl Fn() -> Option<&'static str> + Clone + Send + Sync + 'static {
    let field: String = field.into();
    move || {
        error
            .get()
            .is_some_and(|e| e.field_codes(&field).next().is_some())
            .then_some("true")
    }
}

/// The `id` of the quantity field of order line `line` in a form whose fields start with
/// `prefix` (for the `<label for=…>` in the line's row).
pub fn quantity_id(prefix: &str, line: i32) -> String {
    format!("{prefix}-{line}")
}

/// The quantity chosen for one order line (`quantity[<line>]`) in a "quantity per order
/// line" form (cancel, buy again), with its error next to it; after an error it shows
/// what was typed, else `initial`.
#[component]
pub fn QuantityInput(
    prefix: &'static str,
    line: i32,
    initial: String,
    max: i32,
    #[prop(optional)] disabled: bool,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = format!("quantity[{line}]");
    let id = quantity_id(prefix, line);
    let error_id = format!("{id}-error");
    let typed = field.clone();
    let value = move || {
        error
            .get()
            .and_then(|e| e.kept(&typed).map(str::to_string))
            .unwrap_or_else(|| initial.clone())
    };
    let checked = field.clone();
    let bad = move || {
        error
            .get()
            .is_some_and(|e| e.field_codes(&checked).next().is_some())
            .then_some("true")
    };
    view! {
        <input id=id.clone() name=field.clone() type="number" inputmode="numeric" min="0" max=max
            class="qty" value=value disabled=disabled aria-invalid=bad aria-describedby=error_id />
        <FieldErrors field=field field_id=id error />
    }
}
