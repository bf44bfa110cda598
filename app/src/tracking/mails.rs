//! The message a customer gets when a parcel is late, could not be delivered, went wrong
//! or needs them to act: what happened and what to do, in the status's own words.
use super::StatusWords;
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};
use crate::outbox::OutgoingMail;

pub struct Notice<'a> {
    pub email: &'a str,
    /// Empty for a guest without a name.
    pub name: &'a str,
    pub language: Language,
    pub number: &'a str,
    pub words: &'a StatusWords,
    /// A guest order: the link goes to the public tracking page.
    pub guest: bool,
}

pub fn parcel_notice(ctx: &MailContext, n: Notice<'_>) -> OutgoingMail {
    let l = locale(n.language);
    let link = if n.guest {
        format!("{}/track?order={}", ctx.public_url, n.number)
    } else {
        format!("{}/account/orders/{}", ctx.public_url, n.number)
    };
    let mut paragraph = format!("{} {}", n.words.text, n.words.next);
    if let Some(action) = &n.words.action {
        paragraph.push(' ');
        paragraph.push_str(action);
    }
    let fallback_name = td_string!(l, mail.customer).to_string();
    let name = if n.name.trim().is_empty() {
        fallback_name.as_str()
    } else {
        n.name
    };
    compose(
        ctx,
        Parts {
            to: recipient(name, n.email),
            name,
            subject: td_string!(
                l,
                mail.parcel_subject,
                title = n.words.title.as_str(),
                number = n.number
            )
            .to_string(),
            language: n.language,
            paragraph,
            button: td_string!(l, mail.parcel_button).to_string(),
            link: &link,
            note: None,
        },
    )
}
