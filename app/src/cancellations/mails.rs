//! The mail a customer gets when the back office answers their cancellation request.
use super::CancellationStatus;
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};
use crate::outbox::OutgoingMail;

#[allow(clippy::too_many_arguments)]
pub fn decided(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
    number: &str,
    status: CancellationStatus,
    whole_order: bool,
    note: Option<&str>,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/account/orders/{number}", ctx.public_url);
    let (subject, paragraph) = match (status, whole_order) {
        (CancellationStatus::Declined, _) => (
            td_string!(l, mail.cancel_declined_subject, number = number).to_string(),
            td_string!(l, mail.cancel_declined_text, number = number).to_string(),
        ),
        (_, true) => (
            td_string!(l, mail.cancel_confirmed_subject, number = number).to_string(),
            td_string!(l, mail.cancel_confirmed_text, number = number).to_string(),
        ),
        (_, false) => (
            td_string!(l, mail.cancel_partly_subject, number = number).to_string(),
            td_string!(l, mail.cancel_partly_text, number = number).to_string(),
        ),
    };
    let note = note.map(|n| td_string!(l, mail.cancel_note, note = n).to_string());
    compose(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject,
            language,
            paragraph,
            button: td_string!(l, mail.cancel_button).to_string(),
            link: &link,
            note,
        },
    )
}
