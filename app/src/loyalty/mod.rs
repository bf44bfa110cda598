//! The loyalty card: a digital card to show at the till, linking a physical card so
//! store purchases appear in the history, and claiming a till slip by its receipt code.
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoyaltyView {
    pub name: String,
    pub card: Option<Card>,
    /// Claiming and linking need a confirmed e-mail address.
    pub verified: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub number: String,
    /// The number as a QR code and as a Code 128 barcode, as SVG made on the server.
    pub qr_svg: String,
    pub barcode_svg: String,
}

/// Groups of four digits, as printed on the card.
pub fn spaced(number: &str) -> String {
    number
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
