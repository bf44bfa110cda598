//! The mail with saved advice: its products in order, the code, and the link that opens it
//! (at home, or scanned and typed at the store's counter).
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose_listed, locale};
use crate::outbox::OutgoingMail;
use crate::ui::format::{date, money};

/// `view` is the saved advice in the recipient's `language`.
pub fn advice(
    ctx: &MailContext,
    to: &str,
    language: Language,
    view: &super::SavedView,
) -> OutgoingMail {
    let l = locale(language);
    let code = super::spaced_code(&view.code);
    let items: Vec<String> = view
        .advice
        .picks
        .iter()
        .map(|pick| {
            td_string!(
                l,
                mail.advice_item,
                name = pick.name.as_str(),
                score = pick.score,
                price = money(pick.price, &pick.currency, l)
            )
            .to_string()
        })
        .collect();
    let open_with = format!("{}/advies/code", ctx.public_url);
    let after = match &view.expires_local {
        Some(until) => td_string!(
            l,
            mail.advice_kept_until,
            code = code.as_str(),
            date = date(until, l),
            url = open_with.as_str()
        )
        .to_string(),
        None => td_string!(l, mail.advice_code, code = code.as_str()).to_string(),
    };
    compose_listed(
        ctx,
        Parts {
            to: to.trim().to_string(),
            name: "",
            subject: td_string!(
                l,
                mail.advice_subject,
                title = view.title.as_str(),
                code = code.as_str()
            )
            .to_string(),
            language,
            paragraph: td_string!(l, mail.advice_text, title = view.title.as_str()).to_string(),
            button: td_string!(l, mail.advice_button).to_string(),
            link: &view.link,
            note: Some(td_string!(l, mail.advice_note).to_string()),
        },
        &items,
        Some(&after),
    )
}
