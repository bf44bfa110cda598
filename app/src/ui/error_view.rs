use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::*;

/// One sentence for an error, in the user's language, announced to screen readers.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    // The database away for a moment: the page says so, and so does its status (503, with
    // Retry-After), for browsers, load balancers and monitors alike.
    #[cfg(feature = "ssr")]
    if matches!(error, AppError::Unavailable) {
        crate::context::set_status(503);
    }
    // The way on: staff without two-step login set it up (or confirm it) first.
    let link = matches!(error, AppError::SecondFactorNeeded).then(|| {
        view! {
            " "<a href="/account/two-factor">{t!(i18n, two_factor.needed_link)}</a>
        }
    });
    let text = move || -> String {
        let text = match &error {
            AppError::NotFound => t_string!(i18n, error.not_found),
            AppError::Unauthorized => t_string!(i18n, error.unauthorized),
            AppError::Forbidden => t_string!(i18n, error.forbidden),
            AppError::SecondFactorNeeded => t_string!(i18n, two_factor.needed),
            AppError::ReadOnlyWhileHelping => t_string!(i18n, helping.read_only),
            AppError::Invalid(_) | AppError::FormInvalid { .. } => {
                t_string!(i18n, error.invalid_input)
            }
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
    view! { <p class="alert alert-error" role="alert">{text}{link}</p> }
}

/// The problems with one field, next to it, in the user's language. Give the input
/// `aria-describedby` the id `{field_id}-error` and `aria-invalid` when there are any.
#[component]
pub fn FieldErrors(
    #[prop(into)] field: String,
    #[prop(into)] field_id: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let messages = Signal::derive(move || {
        error
            .get()
            .map(|err| {
                err.field_codes(&field)
                    .map(|code| {
                        match (field.as_str(), code) {
                            ("reason", "required") => t_string!(i18n, field.choose_reason),
                            ("choice", "required") => t_string!(i18n, advisor.choose_one),
                            ("choices", "nothing_chosen") => t_string!(i18n, advisor.choose_some),
                            ("number", "out_of_range") => {
                                t_string!(i18n, advisor.number_out_of_range)
                            }
                            ("advice", "not_finished") => t_string!(i18n, advisor.not_finished),
                            (_, "unknown_icon") => t_string!(i18n, advisor.admin_icon_unknown),
                            ("max", "not_above_min") => {
                                t_string!(i18n, advisor.admin_max_above_min)
                            }
                            ("question", "inconsistent") => {
                                t_string!(i18n, advisor.admin_question_inconsistent)
                            }
                            (_, "over_limit_no_approver") => {
                                t_string!(i18n, field.over_limit_no_approver)
                            }
                            (_, "awaiting_approval") => t_string!(i18n, field.awaiting_approval),
                            ("request", "already_decided") => {
                                t_string!(i18n, field.already_decided_approval)
                            }
                            (_, "viewer_cannot_act") => t_string!(i18n, field.viewer_cannot_act),
                            (_, "viewer_cannot_order") => {
                                t_string!(i18n, reorder.viewer_cannot_order)
                            }
                            ("consent", "required") => {
                                t_string!(i18n, advisor.mail_consent_required)
                            }
                            ("publish", "dead_ends") => {
                                t_string!(i18n, advisor.admin_cannot_publish)
                            }
                            ("kind" | "channel" | "role", "required") => {
                                t_string!(i18n, field.choose_option)
                            }
                            ("slot", "required") => t_string!(i18n, field.choose_slot),
                            ("location", "required") => t_string!(i18n, quick.location_required),
                            ("location", "not_allowed") => {
                                t_string!(i18n, quick.location_not_allowed)
                            }
                            (f, "required") if f.starts_with("outcome_reason") => {
                                t_string!(i18n, field.reason_for_rejection)
                            }
                            (_, "required") => t_string!(i18n, field.required),
                            ("email", "invalid") => t_string!(i18n, field.invalid_email),
                            ("password" | "new_password", "too_short") => {
                                t_string!(i18n, field.password_too_short)
                            }
                            ("password" | "new_password", "too_long") => {
                                t_string!(i18n, field.password_too_long)
                            }
                            ("password" | "new_password", "too_common") => {
                                t_string!(i18n, field.password_too_common)
                            }
                            (_, "too_long") => t_string!(i18n, field.too_long),
                            ("card_number", "invalid") => t_string!(i18n, field.card_invalid),
                            ("card_number", "taken") => t_string!(i18n, field.card_taken),
                            ("code", "invalid") => t_string!(i18n, field.receipt_invalid),
                            ("code", "not_claimable") => {
                                t_string!(i18n, field.receipt_not_claimable)
                            }
                            (_, "verify_email_first") => t_string!(i18n, field.verify_email_first),
                            ("version", "text_changed") => t_string!(i18n, field.text_changed),
                            ("erasure", "verify_first") => {
                                t_string!(i18n, field.erasure_verify_first)
                            }
                            ("token", "accepted") => t_string!(i18n, field.invitation_accepted),
                            ("token", "withdrawn" | "expired") => {
                                t_string!(i18n, field.invitation_ended)
                            }
                            ("token", "other_account") => {
                                t_string!(i18n, field.invitation_other_account)
                            }
                            ("locations", "unknown") => t_string!(i18n, field.unknown_location),
                            (_, "not_an_amount") => t_string!(i18n, field.not_an_amount),
                            (_, "month_below_order") => t_string!(i18n, field.month_below_order),
                            (_, "last_admin") => t_string!(i18n, field.last_admin),
                            ("email", "already_member") => t_string!(i18n, field.already_member),
                            ("token", "invalid_or_expired") => {
                                t_string!(i18n, field.erasure_link_invalid)
                            }
                            ("export", "expired") => t_string!(i18n, field.export_expired),
                            ("export", "not_ready") => t_string!(i18n, field.export_not_ready),
                            ("export", "verify_first") => {
                                t_string!(i18n, privacy.export_verify_first)
                            }
                            (_, "email_marketing_only") => {
                                t_string!(i18n, field.email_marketing_only)
                            }
                            (_, "too_many_tries") => t_string!(i18n, field.too_many_tries),
                            (_, "invalid_postcode") => t_string!(i18n, field.invalid_postcode),
                            ("house_number", "invalid") => {
                                t_string!(i18n, field.invalid_house_number)
                            }
                            (_, "unsupported_country") => {
                                t_string!(i18n, field.unsupported_country)
                            }
                            (_, "invalid_phone") => t_string!(i18n, field.invalid_phone),
                            (_, "invalid_date") => t_string!(i18n, field.invalid_date),
                            (_, "day_format") => t_string!(i18n, field.day_format),
                            (_, "not_before_today") => t_string!(i18n, field.not_before_today),
                            ("customer", "help_not_allowed") => {
                                t_string!(i18n, helping.not_allowed_now)
                            }
                            ("customer", "no_account") => t_string!(i18n, helping.no_account),
                            ("code", "reauth_needed") => t_string!(i18n, field.reauth_needed),
                            ("store", "needed_for_store_staff") => {
                                t_string!(i18n, field.store_needed)
                            }
                            ("store", "unknown") => t_string!(i18n, field.store_unknown),
                            ("email", "has_account") => t_string!(i18n, field.email_has_account),
                            ("role", "keep_own_admin") => t_string!(i18n, field.keep_own_admin),
                            (_, "not_yourself") => t_string!(i18n, field.not_yourself),
                            ("code", "wrong_code") => t_string!(i18n, field.wrong_code),
                            ("code", "login_again") => t_string!(i18n, field.login_again),
                            ("code", "setup_again") => t_string!(i18n, field.setup_again),
                            ("code", "already_set_up") => t_string!(i18n, field.already_set_up),
                            ("code", "app_code_needed") => t_string!(i18n, field.app_code_needed),
                            (_, "day_before_from") => t_string!(i18n, field.day_before_from),
                            (_, "wrong_password") => t_string!(i18n, field.wrong_password),
                            (_, "throttled") => t_string!(i18n, field.throttled),
                            (_, "same_as_current") => t_string!(i18n, field.same_as_current),
                            (_, "in_use") => t_string!(i18n, field.email_in_use),
                            ("new_email", "invalid") => t_string!(i18n, field.invalid_email),
                            ("kind", "already_requested") => {
                                t_string!(i18n, field.delivery_already_requested)
                            }
                            (_, "already_requested") => t_string!(i18n, field.already_requested),
                            (_, "not_cancellable") => t_string!(i18n, field.not_cancellable),
                            (_, "nothing_selected") => t_string!(i18n, field.nothing_selected),
                            (_, "more_than_ordered") => t_string!(i18n, field.more_than_ordered),
                            (_, "nothing_chosen") => t_string!(i18n, field.nothing_chosen),
                            (_, "too_many") => t_string!(i18n, field.too_many),
                            (_, "no_longer_sold") => t_string!(i18n, field.no_longer_sold),
                            (_, "more_than_in_stock") => t_string!(i18n, field.more_than_in_stock),
                            (_, "not_pack_multiple") => t_string!(i18n, field.not_pack_multiple),
                            (_, "not_in_future") => t_string!(i18n, field.not_in_future),
                            (_, "too_far") => t_string!(i18n, field.too_far),
                            (_, "not_possible_now") => t_string!(i18n, field.not_possible_now),
                            (_, "unknown_placeholder") => {
                                t_string!(i18n, field.unknown_placeholder)
                            }
                            (_, "too_many_words") => t_string!(i18n, field.too_many_words),
                            (_, "out_of_range") => t_string!(i18n, field.out_of_range),
                            (_, "invalid_amount") => t_string!(i18n, field.invalid_amount),
                            (_, "unknown_category") => t_string!(i18n, field.unknown_category),
                            (_, "not_a_number" | "negative") => {
                                t_string!(i18n, field.not_a_whole_number)
                            }
                            _ => t_string!(i18n, error.invalid_input),
                        }
                        .to_string()
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let id = format!("{field_id}-error");
    view! {
        <Show when=move || !messages.get().is_empty()>
            <p class="field-error" id=id.clone()>{move || messages.get().join(" ")}</p>
        </Show>
    }
}
