//! API keys for the integration API (`/api/v1`): created and revoked by an operator from
//! the command line, shown once, stored hashed, each with the scopes it may use.
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// Every scope a key can have; an endpoint names the one it needs.
pub const SCOPES: &[&str] = &[
    "stores:write",
    "customers:write",
    "products:write",
    "orders:write",
    "shipments:write",
    "companies:write",
    "customers:read",
    "orders:read",
    "shipments:read",
    "returns:read",
    "returns:write",
];
