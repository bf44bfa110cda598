//! The customer's address book (`/account/addresses`): add, change, delete, defaults.
//! The addresses are customer data (`customers`); this area is the customer's own door
//! to them.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
