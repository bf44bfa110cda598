//! The rules of the loyalty card.
use rand::Rng;

use super::{Card, LoyaltyView};
use crate::accounts::UserSummary;
use crate::customers::{normalize_loyalty_card, repo as customers};
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// Prefix of the digital cards the portal issues (physical cards use other numbers).
const DIGITAL_PREFIX: &str = "2629";

/// The check digit that makes a 12-digit number a valid EAN-13.
fn ean13_check_digit(first12: &str) -> u32 {
    let sum: u32 = first12
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d } else { d * 3 })
        .sum();
    (10 - sum % 10) % 10
}

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
/// nobody yet become theirs. Returns how many.
pub async fn add_card(db: &Db, user: &UserSummary, raw: &str) -> Result<u64, AppError> {
    require_verified(user, "card_number")?;
    let card = match normalize_loyalty_card(raw) {
        Some(card) => card,
        None if raw.trim().is_empty() => return Err(AppError::invalid("card_number", "required")),
        None => return Err(AppError::invalid("card_number", "invalid")),
    };
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    let mut tx = db.begin().await?;
    if let Some(holder) = customers::id_by_loyalty_card(&mut tx, &card).await?
        && holder != customer_id
    {
        // Held by someone else: the same answer as for a mistyped number would reveal
        // nothing, but the customer needs to know to call customer service.
        return Err(AppError::invalid("card_number", "taken"));
    }
    customers::set_loyalty_card(&mut tx, customer_id, &card, Timestamp::now()).await?;
    let linked =
        crate::orders::history_repo::attach_by_loyalty_card(&mut tx, customer_id, &card).await?;
    tx.commit().await?;
    Ok(linked)
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
        let number = format!("{first12}{}", ean13_check_digit(&first12));
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

/// Claims a till slip's purchase for the logged-in customer.
pub async fn claim_receipt(db: &Db, user: &UserSummary, code: &str) -> Result<String, AppError> {
    require_verified(user, "code")?;
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "required"));
    }
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    crate::orders::service::claim_receipt(db, customer_id, code).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn digital_cards_are_valid_ean13() {
        assert_eq!(super::ean13_check_digit("400638133393"), 1);
        assert_eq!(super::ean13_check_digit("871234567890"), 6);
    }

    #[test]
    fn codes_are_inline_svg() {
        let card = super::svg_codes("2620001000017").expect("codes");
        assert!(card.qr_svg.starts_with("<svg"));
        assert!(card.barcode_svg.starts_with("<svg"));
    }
}
