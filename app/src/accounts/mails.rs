//! The account mails, in the recipient's language, as plain text and HTML, with the
//! retailer's name and colour.
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::Language;
use crate::i18n::*;
use crate::outbox::OutgoingMail;

/// What a mail needs to know about the installation.
#[derive(Clone, Debug)]
pub struct MailContext {
    /// e.g. `https://mijn.slaapwereld.nl`, no trailing slash
    pub public_url: String,
    pub retailer: String,
    pub brand_colour: String,
}

pub(crate) fn locale(language: Language) -> Locale {
    match language {
        Language::Nl => Locale::nl,
        Language::En => Locale::en,
    }
}

/// A mail with a greeting, one paragraph, one button (a link) and an optional note.
pub(crate) struct Parts<'a> {
    pub to: String,
    pub name: &'a str,
    pub subject: String,
    pub language: Language,
    pub paragraph: String,
    pub button: String,
    pub link: &'a str,
    pub note: Option<String>,
}

pub(crate) fn compose(ctx: &MailContext, parts: Parts<'_>) -> OutgoingMail {
    let Parts {
        to,
        name,
        subject,
        language,
        paragraph,
        button,
        link,
        note,
    } = parts;
    let l = locale(language);
    let greeting = td_string!(l, mail.greeting, name = name).to_string();
    let footer = td_string!(l, mail.footer, retailer = ctx.retailer.as_str()).to_string();
    let mut plain = format!("{greeting}\n\n{paragraph}\n\n{button}: {link}\n");
    if let Some(note) = &note {
        plain.push_str(&format!("\n{note}\n"));
    }
    plain.push_str(&format!("\n-- \n{footer}\n"));
    let note_html = note
        .as_deref()
        .map(|n| format!("<p style=\"color:#4a5563\">{}</p>", text(n)))
        .unwrap_or_default();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"font-family:system-ui,Arial,sans-serif;color:#1b1f24;line-height:1.5\">\
         <p>{greeting}</p><p>{paragraph}</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;background:{colour};color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600\">{button}</a></p>\
         <p style=\"font-size:14px\">{link_text}</p>{note_html}\
         <hr style=\"border:none;border-top:1px solid #cfd6de\"><p style=\"font-size:13px;color:#4a5563\">{footer}</p></body></html>",
        lang = language.as_str(),
        greeting = text(&greeting),
        paragraph = text(&paragraph),
        link = attr(link),
        colour = attr(&ctx.brand_colour),
        button = text(&button),
        link_text = text(link),
        footer = text(&footer),
    );
    OutgoingMail {
        to,
        subject,
        text: plain,
        html,
    }
}

pub(crate) fn recipient(name: &str, email: &str) -> String {
    // Quoted display name: commas or dots in a name cannot break the address.
    format!(
        "\"{}\" <{}>",
        name.replace(['"', '\\', '\r', '\n'], ""),
        email.trim()
    )
}

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
