//! The mails of approvals: to the buyer and the company's approvers when a request waits,
//! and to the buyer when an approver decided.
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};
use crate::outbox::OutgoingMail;
use crate::ui::format::money;

/// A request waiting for approval.
pub struct Waiting<'a> {
    pub order: &'a str,
    /// The company's name.
    pub company: &'a str,
    pub total: i64,
    pub currency: &'a str,
    /// `per_order` or `per_month`.
    pub over_limit: &'a str,
}

fn limit_words(l: Locale, over_limit: &str) -> &'static str {
    if over_limit == "per_month" {
        td_string!(l, approvals.over_per_month)
    } else {
        td_string!(l, approvals.over_per_order)
    }
}

/// One mail to the buyer (it waits) and one to each approver (please decide), each in
/// their own language; approvers without an e-mail address are left out.
pub async fn awaiting_approval(
    ctx: &MailContext,
    db: &Db,
    buyer_id: i64,
    approvers: &[(i64, String, Option<String>, String)],
    w: &Waiting<'_>,
) -> Result<Vec<OutgoingMail>, AppError> {
    let mut mails = Vec::new();
    let Some((buyer, buyer_email, buyer_language)) =
        crate::customers::repo::mail_details(db, buyer_id).await?
    else {
        return Ok(mails);
    };
    if let Some(email) = buyer_email {
        let language = Language::parse(&buyer_language).unwrap_or_default();
        let l = locale(language);
        let link = format!("{}/account/orders/{}", ctx.public_url, w.order);
        mails.push(compose(
            ctx,
            Parts {
                to: recipient(&buyer, &email),
                name: &buyer,
                subject: td_string!(l, approvals.mail_waiting_subject, order = w.order).to_string(),
                language,
                paragraph: td_string!(
                    l,
                    approvals.mail_waiting_text,
                    order = w.order,
                    total = money(w.total, w.currency, l),
                    limit = limit_words(l, w.over_limit),
                    company = w.company
                )
                .to_string(),
                button: td_string!(l, approvals.mail_waiting_button).to_string(),
                link: &link,
                note: None,
            },
        ));
    }
    let link = format!("{}/account/company/approvals", ctx.public_url);
    for (_, name, email, language) in approvers {
        let Some(email) = email else { continue };
        let language = Language::parse(language).unwrap_or_default();
        let l = locale(language);
        mails.push(compose(
            ctx,
            Parts {
                to: recipient(name, email),
                name,
                subject: td_string!(l, approvals.mail_please_subject, buyer = buyer.as_str())
                    .to_string(),
                language,
                paragraph: td_string!(
                    l,
                    approvals.mail_please_text,
                    buyer = buyer.as_str(),
                    total = money(w.total, w.currency, l),
                    limit = limit_words(l, w.over_limit),
                    company = w.company,
                    order = w.order
                )
                .to_string(),
                button: td_string!(l, approvals.mail_please_button).to_string(),
                link: &link,
                note: None,
            },
        ));
    }
    Ok(mails)
}

/// To the buyer: an approver approved (sent on to the back office) or rejected, and why.
pub async fn decided(
    ctx: &MailContext,
    db: &Db,
    buyer_id: i64,
    order: &str,
    approved: bool,
    approver: &str,
    note: Option<&str>,
) -> Result<Option<OutgoingMail>, AppError> {
    let Some((buyer, Some(email), language)) =
        crate::customers::repo::mail_details(db, buyer_id).await?
    else {
        return Ok(None);
    };
    let language = Language::parse(&language).unwrap_or_default();
    let l = locale(language);
    let link = format!("{}/account/orders/{order}", ctx.public_url);
    let (subject, paragraph) = if approved {
        (
            td_string!(l, approvals.mail_approved_subject, order = order).to_string(),
            td_string!(
                l,
                approvals.mail_approved_text,
                who = approver,
                order = order
            )
            .to_string(),
        )
    } else {
        (
            td_string!(l, approvals.mail_rejected_subject, order = order).to_string(),
            td_string!(
                l,
                approvals.mail_rejected_text,
                who = approver,
                order = order,
                reason = note.unwrap_or_default()
            )
            .to_string(),
        )
    };
    Ok(Some(compose(
        ctx,
        Parts {
            to: recipient(&buyer, &email),
            name: &buyer,
            subject,
            language,
            paragraph,
            button: td_string!(l, approvals.mail_waiting_button).to_string(),
            link: &link,
            note: None,
        },
    )))
}
