use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::*;

/// One sentence for an error, in the user's language, announced to screen readers.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || -> String {
        let text = match &error {
            AppError::NotFound => t_string!(i18n, error.not_found),
            AppError::Unauthorized => t_string!(i18n, error.unauthorized),
            AppError::Forbidden => t_string!(i18n, error.forbidden),
            AppError::Invalid(_) => t_string!(i18n, error.invalid_input),
            AppError::LoginRefused {
                retry_minutes: None,
                ..
            } => t_string!(i18n, login.bad_credentials),
            AppError::LoginRefused {
                retry_minutes: Some(minutes),
                ..
            } => {
                return t_string!(i18n, login.throttled, minutes = *minutes).to_string();
            }
            AppError::Unavailable => t_string!(i18n, error.unavailable),
            AppError::Internal | AppError::Transport(_) => t_string!(i18n, error.internal),
        };
        text.to_string()
    };
    view! { <p class="alert alert-error" role="alert">{text}</p> }
}
