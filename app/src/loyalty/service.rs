//! The rules of the loyalty card.
use rand::Rng;

use super::{Card, LoyaltyView};
use crate::accounts::UserSummary;
use crate::customers::{
    gs1_check_digit, has_valid_check_digit, normalize_loyalty_card, repo as customers,
};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::limits::{Limit, allow};

/// Prefix of the digital cards the portal issues (physical cards use other numbers).
const DIGITAL_PREFIX: &str = "2629";

fn svg_codes(number: &str) -> Result<Card, AppError> {
    Ok(Card {
        number: number.to_string(),
        qr_svg: crate::codes::qr_svg(number)?,
        // Character set B takes any number of digits (set C needs an even count).
        barcode_svg: crate::codes::code128_svg(number)?,
    })
}

pub async fn view(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
) -> Result<LoyaltyView, AppError> {
    let number = match customer_id {
        Some(id) => customers::loyalty_card(db, id).await?,
        None => None,
    };
    Ok(LoyaltyView {
        name: user.name.clone(),
        card: number.as_deref().map(svg_codes).transpose()?,
        verified: user.verified,
    })
}

fn require_verified(user: &UserSummary, field: &str) -> Result<(), AppError> {
    if user.verified {
        Ok(())
    } else {
        Err(AppError::invalid(field, "verify_email_first"))
    }
}

/// Links a physical card to the customer; store purchases made with it that belong to
/// nobody yet become theirs. Returns how many. Every try is recorded; numbers tried too
/// often (by this user, from this address, or this number from anywhere) are refused.
pub async fn add_card(
    db: &Db,
    user: &UserSummary,
    raw: &str,
    client: &str,
) -> Result<u64, AppError> {
    require_verified(user, "card_number")?;
    let card = match normalize_loyalty_card(raw) {
        Some(card) if has_valid_check_digit(&card) => card,
        None if raw.trim().is_empty() => return Err(AppError::invalid("card_number", "required")),
        // A typo (or a made-up number): no guess at anyone's card, nothing looked up.
        _ => return Err(AppError::invalid("card_number", "invalid")),
    };
    let claim = Claim {
        user,
        kind: super::repo::KIND_CARD,
        number: &card,
        client,
    };
    claim.allowed(db, "card_number").await?;
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    let mut tx = db.begin().await?;
    if let Some(holder) = customers::id_by_loyalty_card(&mut tx, &card).await?
        && holder != customer_id
    {
        drop(tx);
        claim.record(db, "taken").await?;
        // Held by someone else: the same answer as for a mistyped number would reveal
        // nothing, but the customer needs to know to call customer service.
        return Err(AppError::invalid("card_number", "taken"));
    }
    customers::set_loyalty_card(&mut tx, customer_id, &card, Timestamp::now()).await?;
    let linked =
        crate::orders::history_repo::attach_by_loyalty_card(&mut tx, customer_id, &card).await?;
    tx.commit().await?;
    claim.record(db, "linked").await?;
    Ok(linked)
}

/// One try at a card or receipt number, for the limits and the record.
struct Claim<'a> {
    user: &'a UserSummary,
    kind: &'static str,
    number: &'a str,
    client: &'a str,
}

impl Claim<'_> {
    /// Refused (and recorded as such) when this user, this client address or this
    /// number has been tried too often.
    async fn allowed(&self, db: &Db, field: &str) -> Result<(), AppError> {
        let per_number = format!("{}:{}", self.kind, self.number);
        if allow(db, Limit::ClaimPerUser, &self.user.id.to_string()).await
            && allow(db, Limit::ClaimPerClient, self.client).await
            && allow(db, Limit::ClaimPerNumber, &per_number).await
        {
            return Ok(());
        }
        self.record(db, "too_many_tries").await?;
        tracing::warn!(
            user_id = self.user.id,
            client = self.client,
            kind = self.kind,
            "claims refused: too many tries"
        );
        Err(AppError::invalid(field, "too_many_tries"))
    }

    async fn record(&self, db: &Db, outcome: &str) -> Result<(), AppError> {
        super::repo::record_claim(
            db,
            self.user.id,
            self.kind,
            self.number,
            self.client,
            outcome,
            Timestamp::now(),
        )
        .await?;
        Ok(())
    }
}

/// Gives the customer a digital card when they have none.
pub async fn request_digital_card(db: &Db, user: &UserSummary) -> Result<String, AppError> {
    require_verified(user, "card_number")?;
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    if let Some(existing) = customers::loyalty_card(db, customer_id).await? {
        return Ok(existing);
    }
    for _ in 0..5 {
        let body: u64 = rand::rng().random_range(0..100_000_000);
        let first12 = format!("{DIGITAL_PREFIX}{body:08}");
        let number = format!("{first12}{}", gs1_check_digit(&first12));
        let mut tx = db.begin().await?;
        if customers::id_by_loyalty_card(&mut tx, &number)
            .await?
            .is_none()
        {
            customers::set_loyalty_card(&mut tx, customer_id, &number, Timestamp::now()).await?;
            tx.commit().await?;
            return Ok(number);
        }
    }
    Err(AppError::Unavailable)
}

/// Claims a till slip's purchase for the logged-in customer (tries limited and recorded
/// as for cards).
pub async fn claim_receipt(
    db: &Db,
    user: &UserSummary,
    code: &str,
    client: &str,
) -> Result<String, AppError> {
    require_verified(user, "code")?;
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "required"));
    }
    let Some(normalized) = crate::orders::service::normalize_receipt_code(code) else {
        return Err(AppError::invalid("code", "invalid"));
    };
    let claim = Claim {
        user,
        kind: super::repo::KIND_RECEIPT,
        number: &normalized,
        client,
    };
    claim.allowed(db, "code").await?;
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    let result = crate::orders::service::claim_receipt(db, customer_id, &normalized).await;
    claim
        .record(
            db,
            if result.is_ok() {
                "claimed"
            } else {
                "not_claimable"
            },
        )
        .await?;
    result
}

#[cfg(test)]
mod tests {
    #[test]
    fn digital_cards_are_valid_ean13() {
        assert_eq!(super::gs1_check_digit("871234567890"), 6);
    }

    #[test]
    fn codes_are_inline_svg() {
        let card = super::svg_codes("2620001000014").expect("codes");
        assert!(card.qr_svg.starts_with("<svg"));
        assert!(card.barcode_svg.starts_with("<svg"));
    }
}
