//! What every mail shares: the installation it comes from, the recipient's language, and
//! one layout (a greeting, a paragraph, one button, an optional note) as plain text and
//! HTML in the retailer's colour. The areas write their own mails with it.
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::i18n::*;
use crate::language::Language;
use crate::outbox::OutgoingMail;

/// What a mail needs to know about the installation.
#[derive(Clone, Debug)]
pub struct MailContext {
    /// e.g. `https://mijn.slaapwereld.nl`, no trailing slash
    pub public_url: String,
    pub retailer: String,
    pub brand_colour: String,
}

pub fn locale(language: Language) -> Locale {
    match language {
        Language::Nl => Locale::nl,
        Language::En => Locale::en,
    }
}

/// A mail with a greeting, one paragraph, one button (a link) and an optional note.
pub struct Parts<'a> {
    pub to: String,
    pub name: &'a str,
    pub subject: String,
    pub language: Language,
    pub paragraph: String,
    pub button: String,
    pub link: &'a str,
    pub note: Option<String>,
}

pub fn compose(ctx: &MailContext, parts: Parts<'_>) -> OutgoingMail {
    compose_listed(ctx, parts, &[], None)
}

/// A mail whose paragraph is followed by a list (`items`, one line each) and a closing
/// sentence (`after`), e.g. what customer service changed for the customer.
pub fn compose_listed(
    ctx: &MailContext,
    parts: Parts<'_>,
    items: &[String],
    after: Option<&str>,
) -> OutgoingMail {
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
    // Advice mailed at the store's counter goes to an address without a name.
    let greeting = if name.trim().is_empty() {
        td_string!(l, mail.greeting_nameless).to_string()
    } else {
        td_string!(l, mail.greeting, name = name).to_string()
    };
    let footer = td_string!(l, mail.footer, retailer = ctx.retailer.as_str()).to_string();
    let mut plain = format!("{greeting}\n\n{paragraph}\n\n");
    let mut list_html = String::new();
    if !items.is_empty() {
        list_html.push_str("<ul>");
        for item in items {
            plain.push_str(&format!("- {item}\n"));
            list_html.push_str(&format!("<li>{}</li>", text(item)));
        }
        list_html.push_str("</ul>");
        plain.push('\n');
    }
    if let Some(after) = after {
        plain.push_str(&format!("{after}\n\n"));
        list_html.push_str(&format!("<p>{}</p>", text(after)));
    }
    plain.push_str(&format!("{button}: {link}\n"));
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
         <p>{greeting}</p><p>{paragraph}</p>{list_html}\
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

pub fn recipient(name: &str, email: &str) -> String {
    // Quoted display name: commas or dots in a name cannot break the address.
    format!(
        "\"{}\" <{}>",
        name.replace(['"', '\\', '\r', '\n'], ""),
        email.trim()
    )
}
