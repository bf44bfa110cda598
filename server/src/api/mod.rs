//! The integration API `/api/v1`: the retailer's webshop, tills, warehouse and carriers
//! push their data here with a bearer API key. Errors are RFC 9457 problem+json naming
//! each bad field; a rejected request changes nothing.
pub mod auth;
pub mod cancellations;
pub mod companies;
pub mod consents;
pub mod customers;
pub mod docs;
pub mod idempotency;
pub mod invoices;
pub mod orders;
pub mod problem;
pub mod products;
pub mod reorders;
pub mod returns;
pub mod shipments;
pub mod stores;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

use crate::state::AppState;

/// Every endpoint that needs a key, as (method, path). The OpenAPI document must list
/// exactly these (a test checks it against the router).
pub const ROUTES: &[(&str, &str)] = &[
    ("put", "/api/v1/stores/{code}"),
    ("put", "/api/v1/customers/{id}"),
    ("get", "/api/v1/customers/{id}"),
    ("put", "/api/v1/customers/{id}/consents"),
    ("get", "/api/v1/customers/{id}/consents"),
    ("put", "/api/v1/products/{sku}"),
    ("put", "/api/v1/companies/{id}"),
    ("put", "/api/v1/orders/{number}"),
    ("get", "/api/v1/orders/{number}"),
    ("get", "/api/v1/orders/{number}/cancellations"),
    ("put", "/api/v1/orders/{number}/cancellations/{id}"),
    ("get", "/api/v1/orders/{number}/reorders"),
    ("put", "/api/v1/orders/{number}/reorders/{id}"),
    ("put", "/api/v1/order-requests/{id}"),
    ("put", "/api/v1/invoices/{number}"),
    ("get", "/api/v1/invoices/{number}"),
    ("put", "/api/v1/shipments/{id}"),
    ("post", "/api/v1/shipment-events"),
    ("get", "/api/v1/shipments/{id}/requests"),
    ("put", "/api/v1/shipments/{id}/requests/{request_id}"),
    ("get", "/api/v1/returns/{code}"),
    ("put", "/api/v1/returns/{code}"),
    ("get", "/api/v1/orders/{number}/returns"),
    ("get", "/api/v1/returns/{code}/photos/{id}"),
];

/// Largest request body accepted (bigger: 413).
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::docs_page))
        .route("/stores/{code}", put(stores::put_store))
        .route(
            "/customers/{id}",
            put(customers::put_customer).get(customers::get_customer),
        )
        .route(
            "/customers/{id}/consents",
            put(consents::put_consents).get(consents::get_consents),
        )
        .route("/products/{sku}", put(products::put_product))
        .route("/companies/{id}", put(companies::put_company))
        .route(
            "/orders/{number}",
            put(orders::put_order).get(orders::get_order),
        )
        .route(
            "/orders/{number}/cancellations",
            get(cancellations::list_cancellations),
        )
        .route(
            "/orders/{number}/cancellations/{id}",
            put(cancellations::put_decision),
        )
        .route("/orders/{number}/reorders", get(reorders::list_reorders))
        .route(
            "/orders/{number}/reorders/{id}",
            put(reorders::put_reorder_decision),
        )
        .route(
            "/order-requests/{id}",
            put(reorders::put_order_request_decision),
        )
        .route(
            "/invoices/{number}",
            put(invoices::put_invoice).get(invoices::get_invoice),
        )
        .route("/shipments/{id}", put(shipments::put_shipment))
        .route("/shipment-events", post(shipments::post_events))
        .route(
            "/returns/{code}",
            get(returns::get_return).put(returns::put_return_status),
        )
        .route("/orders/{number}/returns", get(returns::list_order_returns))
        .route(
            "/returns/{code}/photos/{id}",
            get(returns::get_return_photo),
        )
        .route("/shipments/{id}/requests", get(shipments::list_requests))
        .route(
            "/shipments/{id}/requests/{request_id}",
            put(shipments::put_request_decision),
        )
        .fallback(problem::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}
