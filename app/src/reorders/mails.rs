//! The mails of approvals: to the buyer and the company's approvers when a request waits,
//! and to the buyer when an approver decided.
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};
use crate::outbox::OutgoingMail;
use crate::ui::format::money;

/// Which request a mail is about: a reorder of an earlier order, or a request of no
/// order (a quick order or an order list) by its number.
#[derive(Clone, Copy)]
pub enum Which<'a> {
    Reorder(&'a str),
    Request(i64),
}

impl Which<'_> {
    pub fn of(request: &super::Reorder) -> Which<'_> {
        match request.order.as_deref() {
            Some(order) => Which::Reorder(order),
            None => Which::Request(request.id),
        }
    }

    fn words(self, l: Locale) -> String {
        match self {
            Which::Reorder(order) => {
                td_string!(l, approvals.what_reorder, order = order).to_string()
            }
            Which::Request(id) => td_string!(l, approvals.what_request, id = id).to_string(),
        }
    }

    /// Where the buyer sees it: the order's page, or the company's quick order page.
    fn link(self, ctx: &MailContext) -> String {
        match self {
            Which::Reorder(order) => format!("{}/account/orders/{order}", ctx.public_url),
            Which::Request(_) => format!("{}/account/company/quick-order", ctx.public_url),
        }
    }
}

/// A request waiting for approval.
pub struct Waiting<'a> {
    pub which: Which<'a>,
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

/// The limit as the approver reads it ("the limit per order of Joris").
fn their_limit_words(l: Locale, over_limit: &str) -> &'static str {
    if over_limit == "per_month" {
        td_string!(l, approvals.their_per_month)
    } else {
        td_string!(l, approvals.their_per_order)
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
        let link = w.which.link(ctx);
        let what = w.which.words(l);
        mails.push(compose(
            ctx,
            Parts {
                to: recipient(&buyer, &email),
                name: &buyer,
                subject: td_string!(l, approvals.mail_waiting_subject, what = what.as_str())
                    .to_string(),
                language,
                paragraph: td_string!(
                    l,
                    approvals.mail_waiting_text,
                    what = what.as_str(),
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
                    limit = their_limit_words(l, w.over_limit),
                    company = w.company,
                    what = w.which.words(l)
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
    which: Which<'_>,
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
    let link = which.link(ctx);
    let what = which.words(l);
    let what = what.as_str();
    let (subject, paragraph) = if approved {
        (
            td_string!(l, approvals.mail_approved_subject, what = what).to_string(),
            td_string!(l, approvals.mail_approved_text, who = approver, what = what).to_string(),
        )
    } else {
        (
            td_string!(l, approvals.mail_rejected_subject, what = what).to_string(),
            td_string!(
                l,
                approvals.mail_rejected_text,
                who = approver,
                what = what,
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
