//! Guided product advisors (issue #21): a short conversation, one question at a time, that
//! ends with explained advice. A retailer defines an advisor as data
//! (`definition.rs`, README "Advisor definitions"); `engine.rs` turns answers into advice
//! (how, in its module text); `check.rs` walks every answer combination before a version
//! is published. The mattress advisor (`mattress.json`) is the demo's first.
//!
//! An area acting on a customer: it reads the catalogue (base area) and keeps advice for
//! a visitor or a customer.
pub mod admin;
pub mod admin_pages;
pub mod api;
#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod conversation;
#[cfg(feature = "ssr")]
pub mod definition;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod insights;
#[cfg(feature = "ssr")]
pub mod mails;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod question_edit;
pub mod question_pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod saved_pages;
#[cfg(feature = "ssr")]
pub mod service;

/// The demo's mattress advisor, as a retailer would import it.
#[cfg(feature = "ssr")]
pub const MATTRESS: &str = include_str!("mattress.json");

#[cfg(all(test, feature = "ssr"))]
mod tests;

use serde::{Deserialize, Serialize};

/// `XXXX-XXXX`: easier to read aloud and to type.
pub fn spaced_code(code: &str) -> String {
    if code.len() == 8 {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// A code as typed: upper case, spaces and dashes left out.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// How a question is answered, as the page draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AskKind {
    Single,
    Multiple,
    Number,
}

/// An answer the visitor can choose (those that would leave no product are left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerView {
    pub key: String,
    pub text: String,
    pub icon: Option<String>,
}

/// The question on the page, in the visitor's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub key: String,
    pub kind: AskKind,
    pub text: String,
    /// Why it is asked (always for a personal question).
    pub why: Option<String>,
    /// Body data: kept only with consent.
    pub personal: bool,
    pub answers: Vec<AnswerView>,
    /// For a number: the lowest and highest accepted, and the unit.
    pub min: i64,
    pub max: i64,
    pub unit: String,
    /// The answer given before, when it is being changed.
    pub chosen: Vec<String>,
    pub number: Option<i64>,
}

/// A question answered, with the answer in words ("Op mijn zij", "75 kg").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnsweredView {
    pub question: String,
    pub text: String,
    pub answer: String,
    pub personal: bool,
}

/// One advised product and, in plain words, why it fits and what it misses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickView {
    pub sku: String,
    pub name: String,
    /// Whole percent.
    pub score: u8,
    /// Minor units.
    pub price: i64,
    pub currency: String,
    pub fits: Vec<String>,
    pub misses: Vec<String>,
    /// The wishes it cannot meet (only when no product meets them all).
    pub unmet: Vec<String>,
    /// The stores where it can be tried ("try it in Utrecht"), when the catalogue says.
    #[serde(default)]
    pub showrooms: Vec<StoreLink>,
}

/// A store, as the advice names it: its name, and its town for the store finder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreLink {
    pub name: String,
    pub city: String,
}

/// An answer that, changed, puts another product first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub question: String,
    pub question_text: String,
    pub answer: String,
    pub first: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceView {
    pub picks: Vec<PickView>,
    /// Whether every wish that must be met is; otherwise the picks are the nearest.
    pub exact: bool,
    /// When not exact: what could not be met.
    pub unmet: Vec<String>,
    pub changes: Vec<ChangeView>,
}

/// Where a visitor is in a conversation: a question to answer, or the advice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub key: String,
    pub title: String,
    pub intro: String,
    pub question: Option<QuestionView>,
    /// The question's number among those asked (1-based), and how many are asked for the
    /// answers so far (a later answer can add one).
    pub number: usize,
    pub total: usize,
    /// The question before this one, for "back".
    pub previous: Option<String>,
    pub answered: Vec<AnsweredView>,
    /// Once every question asked is answered (and none is being changed).
    pub advice: Option<AdviceView>,
    /// Whether a personal question was answered (the save form then asks to keep it).
    pub personal_given: bool,
    /// Saved to a customer's account (logged in) or under a code (a guest).
    pub logged_in: bool,
    /// Going on with saved advice: the product it put first, to see what shifts.
    pub was_first: Option<String>,
    /// An admin trying the draft: nothing is saved.
    pub preview: bool,
}

/// Saved advice opened by its code (or from the account).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub code: String,
    pub key: String,
    pub title: String,
    /// Local time it was given.
    pub saved_local: String,
    /// A guest's advice can be opened until then.
    pub expires_local: Option<String>,
    pub version: i32,
    /// The answers to personal questions were kept (with consent).
    pub keeps_personal: bool,
    /// Personal questions were asked but not kept: the advice shown misses them.
    pub personal_missing: bool,
    pub answered: Vec<AnsweredView>,
    pub advice: AdviceView,
    /// The address that opens it (in the QR code).
    pub link: String,
    pub qr_svg: String,
    /// Opened by store staff: the store's tools are shown.
    pub store: bool,
    /// The order the advice led to, if any.
    pub purchase: Option<PurchaseView>,
}

/// The order advice led to (linked when the order came in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseView {
    pub order_number: String,
    /// The advised products bought with it.
    pub products: Vec<String>,
    /// Whether one of them was returned (for a mattress: within the trial nights).
    pub returned: bool,
}

/// An advisor as the home page links to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisorLink {
    pub key: String,
    pub title: String,
    pub intro: String,
}

/// Advice saved with the customer's account, in their list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceSummary {
    pub code: String,
    pub title: String,
    pub given_local: String,
    /// The product it put first, while it is sold.
    pub first: Option<String>,
}
