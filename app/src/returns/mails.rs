//! The customer's mails about their returns, in their language, linking to the return's
//! page.

use super::{Quote, ReturnMethod};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};

pub(super) async fn contact(
    db: &Db,
    order_id: i64,
) -> Result<Option<(String, String, Language)>, AppError> {
    let row = crate::orders::repo::customer_contact(db, order_id).await?;
    Ok(row.and_then(|(name, email, language)| {
        email.map(|e| (name, e, Language::parse(&language).unwrap_or(Language::Nl)))
    }))
}

/// The customer's mail about one of their returns, linking to its page: `words` gives the
/// subject and the paragraph in their language. `None` when the order has no e-mail.
pub(super) async fn return_mail(
    db: &Db,
    ctx: &MailContext,
    order_id: i64,
    code: &str,
    words: impl FnOnce(Locale) -> (String, String),
) -> Result<Option<crate::outbox::OutgoingMail>, AppError> {
    let Some((name, email, language)) = contact(db, order_id).await? else {
        return Ok(None);
    };
    let l = locale(language);
    let (subject, paragraph) = words(l);
    let link = format!("{}/account/returns/{code}", ctx.public_url);
    Ok(Some(compose(
        ctx,
        Parts {
            to: recipient(&name, &email),
            name: &name,
            subject,
            language,
            paragraph,
            button: td_string!(l, mail.return_button).to_string(),
            link: &link,
            note: None,
        },
    )))
}

/// "Your return R…": the code and what to do next, by the way it comes back.
pub(super) async fn confirmation_mail(
    db: &Db,
    ctx: &MailContext,
    order_id: i64,
    code: &str,
    quote: &Quote,
) -> Result<Option<crate::outbox::OutgoingMail>, AppError> {
    return_mail(db, ctx, order_id, code, |l| {
        let how = match quote.method {
            ReturnMethod::Carrier => td_string!(l, mail.return_how_carrier),
            ReturnMethod::Store => td_string!(l, mail.return_how_store),
            ReturnMethod::Pickup => td_string!(l, mail.return_how_pickup),
        };
        (
            td_string!(l, mail.return_subject, code = code).to_string(),
            format!("{} {how}", td_string!(l, mail.return_text, code = code)),
        )
    })
    .await
}
