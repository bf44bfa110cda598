//! The Mijn Portaal server: configuration, routing, sessions, background work and the
//! command line. Domain rules live in `app` (feature `ssr`); this crate wires them up.
pub mod api;
pub mod apikeys;
pub mod carrier_webhooks;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod dev_basket;
pub mod dev_mail;
pub mod errors;
pub mod health;
pub mod jobs;
pub mod language;
pub mod mail;
pub mod receipt_pdf;
pub mod return_label;
pub mod return_photos;
pub mod router;
pub mod security;
pub mod seed;
pub mod sessions;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod users;
pub mod webhook_secret;
pub mod webhooks;
