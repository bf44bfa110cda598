//! The invitation mail: who invites you to which company, in what role, and the link.
use super::MemberRole;
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale};
use crate::outbox::OutgoingMail;
use crate::ui::format::date;

pub struct Invitation<'a> {
    pub to: &'a str,
    pub company: &'a str,
    pub invited_by: &'a str,
    pub role: MemberRole,
    pub language: Language,
    pub token: &'a str,
    /// Local time the link stops working.
    pub until: &'a str,
}

pub fn invitation(ctx: &MailContext, i: Invitation<'_>) -> OutgoingMail {
    let l = locale(i.language);
    let link = format!("{}/account/company/join/{}", ctx.public_url, i.token);
    let role = super::pages::role_name(l, i.role);
    compose(
        ctx,
        Parts {
            to: i.to.trim().to_string(),
            name: "",
            subject: td_string!(
                l,
                mail.invitation_subject,
                company = i.company,
                retailer = ctx.retailer.as_str()
            )
            .to_string(),
            language: i.language,
            paragraph: td_string!(
                l,
                mail.invitation_text,
                who = i.invited_by,
                company = i.company,
                role = role,
                retailer = ctx.retailer.as_str(),
                date = date(i.until, l)
            )
            .to_string(),
            button: td_string!(l, mail.invitation_button, company = i.company).to_string(),
            link: &link,
            note: Some(td_string!(l, mail.invitation_ignore).to_string()),
        },
    )
}
