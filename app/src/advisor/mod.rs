//! Guided product advisors (issue #21): a short conversation, one question at a time, that
//! ends with explained advice. A retailer defines an advisor as data
//! (`definition.rs`, README "Advisor definitions"); `engine.rs` turns answers into advice
//! (how, in its module text); `check.rs` walks every answer combination before a version
//! is published. The mattress advisor (`mattress.json`) is the demo's first.
//!
//! An area acting on a customer: it reads the catalogue (base area) and keeps advice for
//! a visitor or a customer.
#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod definition;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// The demo's mattress advisor, as a retailer would import it.
#[cfg(feature = "ssr")]
pub const MATTRESS: &str = include_str!("mattress.json");

#[cfg(all(test, feature = "ssr"))]
mod tests;
