//! The account mails, in the recipient's language, as plain text and HTML, with the
//! retailer's name and colour.

use crate::i18n::*;
use crate::language::Language;
pub use crate::mail::MailContext;
use crate::mail::{Parts, compose, locale, recipient};
use crate::outbox::OutgoingMail;

pub fn verify_email(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
    token: &str,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/verify-email?token={token}", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject: td_string!(l, mail.verify_subject, retailer = ctx.retailer.as_str())
                .to_string(),
            language,
            paragraph: td_string!(l, mail.verify_text, retailer = ctx.retailer.as_str())
                .to_string(),
            button: td_string!(l, mail.verify_button).to_string(),
            link: &link,
            note: Some(td_string!(l, mail.verify_ignore).to_string()),
        },
    )
}

pub fn already_registered(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/login", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject: td_string!(l, mail.exists_subject, retailer = ctx.retailer.as_str())
                .to_string(),
            language,
            paragraph: td_string!(l, mail.exists_text).to_string(),
            button: td_string!(l, mail.exists_button).to_string(),
            link: &link,
            note: None,
        },
    )
}

pub fn password_reset(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
    token: &str,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/reset-password?token={token}", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject: td_string!(l, mail.reset_subject, retailer = ctx.retailer.as_str())
                .to_string(),
            language,
            paragraph: td_string!(l, mail.reset_text).to_string(),
            button: td_string!(l, mail.reset_button).to_string(),
            link: &link,
            note: Some(td_string!(l, mail.reset_ignore).to_string()),
        },
    )
}

/// An admin made a staff account: choose a password with the link (7 days), then set up
/// two-step login.
pub fn staff_invite(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
    token: &str,
    invited_by: &str,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/reset-password?token={token}", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject: td_string!(l, mail.invite_subject, retailer = ctx.retailer.as_str())
                .to_string(),
            language,
            paragraph: td_string!(
                l,
                mail.invite_text,
                who = invited_by,
                retailer = ctx.retailer.as_str()
            )
            .to_string(),
            button: td_string!(l, mail.invite_button).to_string(),
            link: &link,
            note: Some(td_string!(l, mail.invite_note).to_string()),
        },
    )
}

/// What a support agent did while helping the customer in their account: who, when,
/// why, and what they changed (each change on a line, in the customer's language).
pub struct Helped<'a> {
    pub who: &'a str,
    pub when: &'a str,
    pub why: &'a str,
    pub changes: &'a [String],
}

/// After a support agent helped the customer in their account: who, when, why and what
/// was changed (or that nothing was).
pub fn helped(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
    helped: Helped<'_>,
) -> OutgoingMail {
    let Helped {
        who,
        when,
        why,
        changes,
    } = helped;
    let l = locale(language);
    let link = format!("{}/account/privacy#access-log", ctx.public_url);
    let (paragraph, after) = if changes.is_empty() {
        let text = td_string!(l, helping.mail_text, who = who, when = when, why = why);
        (text.to_string(), None)
    } else {
        let text = td_string!(
            l,
            helping.mail_text_changed,
            who = who,
            when = when,
            why = why
        );
        let after = td_string!(l, helping.mail_changes_end).to_string();
        (text.to_string(), Some(after))
    };
    crate::mail::compose_listed(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject: td_string!(l, helping.mail_subject, retailer = ctx.retailer.as_str())
                .to_string(),
            language,
            paragraph,
            button: td_string!(l, helping.mail_button).to_string(),
            link: &link,
            note: Some(td_string!(l, helping.mail_note).to_string()),
        },
        changes,
        after.as_deref(),
    )
}

pub fn password_changed(
    ctx: &MailContext,
    email: &str,
    name: &str,
    language: Language,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/forgot-password", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, email),
            name,
            subject: td_string!(l, mail.changed_subject, retailer = ctx.retailer.as_str())
                .to_string(),
            language,
            paragraph: td_string!(l, mail.changed_text).to_string(),
            button: td_string!(l, mail.changed_button).to_string(),
            link: &link,
            note: None,
        },
    )
}

/// To the new address: confirm it is yours.
pub fn email_change_confirm(
    ctx: &MailContext,
    new_email: &str,
    name: &str,
    language: Language,
    token: &str,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/account/confirm-email?token={token}", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, new_email),
            name,
            subject: td_string!(
                l,
                mail.email_change_subject,
                retailer = ctx.retailer.as_str()
            )
            .to_string(),
            language,
            paragraph: td_string!(l, mail.email_change_text).to_string(),
            button: td_string!(l, mail.email_change_button).to_string(),
            link: &link,
            note: Some(td_string!(l, mail.email_change_ignore).to_string()),
        },
    )
}

/// To the old address: someone (hopefully you) asked to move the account elsewhere.
pub fn email_change_notice(
    ctx: &MailContext,
    old_email: &str,
    name: &str,
    language: Language,
    new_email: &str,
) -> OutgoingMail {
    let l = locale(language);
    let link = format!("{}/forgot-password", ctx.public_url);
    compose(
        ctx,
        Parts {
            to: recipient(name, old_email),
            name,
            subject: td_string!(
                l,
                mail.email_notice_subject,
                retailer = ctx.retailer.as_str()
            )
            .to_string(),
            language,
            paragraph: td_string!(l, mail.email_notice_text, new_email = new_email).to_string(),
            button: td_string!(l, mail.email_notice_button).to_string(),
            link: &link,
            note: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> MailContext {
        MailContext {
            public_url: "https://mijn.slaapwereld.nl".into(),
            retailer: "Slaapwereld".into(),
            brand_colour: "#1f5f8b".into(),
        }
    }

    #[test]
    fn verification_mail_in_both_languages_with_the_link() {
        let nl = verify_email(&ctx(), "anna@example.nl", "Anna", Language::Nl, "tok123");
        assert_eq!(nl.subject, "Bevestig je e-mailadres voor Mijn Slaapwereld");
        assert!(
            nl.text
                .contains("https://mijn.slaapwereld.nl/verify-email?token=tok123")
        );
        assert!(
            nl.html
                .contains("href=\"https://mijn.slaapwereld.nl/verify-email?token=tok123\"")
        );
        assert!(nl.html.contains("lang=\"nl\""));
        let en = verify_email(&ctx(), "anna@example.nl", "Anna", Language::En, "tok123");
        assert!(en.subject.starts_with("Confirm your e-mail address"));
        assert!(en.text.starts_with("Hello Anna,"));
    }

    #[test]
    fn names_are_escaped_in_html_and_cannot_break_the_address() {
        let mail = verify_email(
            &ctx(),
            "x@example.nl",
            "<b>Evil\"\r\nBcc: y@z</b>",
            Language::En,
            "t",
        );
        assert!(!mail.html.contains("<b>Evil"));
        assert!(mail.html.contains("&lt;b&gt;Evil"));
        assert_eq!(mail.to, "\"<b>EvilBcc: y@z</b>\" <x@example.nl>");
    }
}
