//! Customers: the people who buy, as the webshop and the tills know them, linked to a
//! portal account when one exists; their addresses and loyalty card.
use serde::{Deserialize, Serialize};

use crate::language::Language;

pub mod address;
#[cfg(feature = "ssr")]
pub mod address_repo;
#[cfg(feature = "ssr")]
pub mod help_repo;
#[cfg(feature = "ssr")]
pub mod privacy_repo;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;

pub use address::PostalAddress;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Customer {
    /// The retailer's own customer number; absent for customers only the portal knows.
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Language,
    pub loyalty_card: Option<String>,
    /// Whether a portal account is linked to this customer.
    pub has_account: bool,
    pub addresses: Vec<Address>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Address {
    #[serde(skip)]
    pub id: i64,
    /// The id the retailer's system gave this address, if it came from there.
    pub external_id: Option<String>,
    pub address: PostalAddress,
    pub default_delivery: bool,
    pub default_billing: bool,
}

/// A loyalty card number: 6 to 20 digits (spaces as printed are ignored).
pub fn normalize_loyalty_card(card: &str) -> Option<String> {
    let digits: String = card.chars().filter(|c| !c.is_whitespace()).collect();
    ((6..=20).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

/// The GS1 check digit (EAN-8, EAN-13, …) for the digits before it: from the right,
/// weights 3, 1, 3, … ; what makes the sum a multiple of ten.
pub fn gs1_check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    (10 - sum % 10) % 10
}

/// Whether a card number's last digit is its GS1 check digit (a mistyped digit, or a
/// guessed number, almost never is).
pub fn has_valid_check_digit(card: &str) -> bool {
    let Some((last, body)) = card
        .char_indices()
        .last()
        .map(|(i, c)| (c.to_digit(10), &card[..i]))
    else {
        return false;
    };
    last == Some(gs1_check_digit(body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_digits_are_gs1() {
        use super::{gs1_check_digit, has_valid_check_digit};
        // EAN-13 from a real product, and EAN-8.
        assert_eq!(gs1_check_digit("400638133393"), 1);
        assert!(has_valid_check_digit("4006381333931"));
        assert!(has_valid_check_digit("96385074"));
        assert!(has_valid_check_digit("2620001000014"));
        assert!(!has_valid_check_digit("2620001000017"));
        assert!(!has_valid_check_digit(""));
    }

    #[test]
    fn loyalty_cards_are_digits() {
        use super::normalize_loyalty_card as card;
        assert_eq!(card("2620 0012 3456").as_deref(), Some("262000123456"));
        assert_eq!(card("12345"), None);
        assert_eq!(card("26200A123456"), None);
    }
}

/// An address in the customer's own address book (with its id, for editing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAddress {
    pub id: i64,
    pub address: PostalAddress,
    pub default_delivery: bool,
    pub default_billing: bool,
}
