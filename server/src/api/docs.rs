//! The OpenAPI 3.1 document, generated from the handlers' annotations (utoipa), at
//! `/api/v1/openapi.json`, and a readable page of it at `/api/v1/docs`.
use axum::Json;
use axum::response::Html;
use html_escape::encode_text;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mijn Portaal integration API",
        version = "1",
        description = "How the retailer's webshop, tills, warehouse and carriers push data into Mijn Portaal. \
                       Authenticate with `Authorization: Bearer <key>` (create keys with `server apikey create`)."
    ),
    paths(
        super::stores::put_store,
        super::customers::put_customer,
        super::customers::get_customer,
        super::consents::put_consents,
        super::consents::get_consents,
        super::products::put_product,
        super::companies::put_company,
        super::orders::put_order,
        super::orders::get_order,
        super::cancellations::list_cancellations,
        super::cancellations::put_decision,
        super::reorders::list_reorders,
        super::reorders::put_reorder_decision,
        super::reorders::put_order_request_decision,
        super::invoices::put_invoice,
        super::invoices::get_invoice,
        super::shipments::put_shipment,
        super::shipments::post_events,
        super::shipments::list_requests,
        super::shipments::put_request_decision,
        super::returns::get_return,
        super::returns::put_return_status,
        super::returns::list_order_returns,
        super::returns::get_return_photo,
    ),
    modifiers(&BearerKeys),
    tags(
        (name = "stores", description = "The retailer's shops"),
        (name = "customers", description = "Customers, their addresses, loyalty cards and consents"),
        (name = "products", description = "The catalogue order lines refer to"),
        (name = "companies", description = "B2B companies and their buyers"),
        (name = "orders", description = "Orders from every channel, with store receipts"),
        (name = "shipments", description = "Parcels and carrier events"),
        (name = "returns", description = "Returns from every channel")
    )
)]
pub struct ApiDoc;

struct BearerKeys;

impl Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("mp_…")
                    .build(),
            ),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A plain page listing every endpoint (no script from elsewhere: this machine and many
/// installations have no internet access for Swagger UI).
pub async fn docs_page() -> Html<String> {
    let doc = ApiDoc::openapi();
    let mut body = format!(
        "<h1>{}</h1><p class=\"lead\">{}</p><p><a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI {})</p>",
        encode_text(&doc.info.title),
        encode_text(doc.info.description.as_deref().unwrap_or_default()),
        encode_text(
            &serde_json::to_value(&doc.openapi)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        ),
    );
    for (path, item) in &doc.paths.paths {
        let json = serde_json::to_value(item).unwrap_or_default();
        if let Some(methods) = json.as_object() {
            for (method, op) in methods {
                let summary = op["summary"].as_str().unwrap_or_default();
                let description = op["description"].as_str().unwrap_or_default();
                let responses: Vec<String> = op["responses"]
                    .as_object()
                    .map(|r| {
                        r.iter()
                            .map(|(code, v)| {
                                format!(
                                    "<li><code>{}</code> {}</li>",
                                    encode_text(code),
                                    encode_text(v["description"].as_str().unwrap_or_default())
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                body.push_str(&format!(
                    "<section class=\"card\"><h2><code>{} {}</code></h2><p><strong>{}</strong></p><p>{}</p><ul>{}</ul></section>",
                    encode_text(&method.to_uppercase()),
                    encode_text(path),
                    encode_text(summary),
                    encode_text(description),
                    responses.join("")
                ));
            }
        }
    }
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{}\"><title>Integration API</title></head>\
         <body><main class=\"container\">{body}</main></body></html>",
        app::assets::stylesheet_href()
    ))
}
