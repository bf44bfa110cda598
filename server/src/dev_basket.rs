//! `/dev/basket`: the demo's stand-in for the retailer's webshop basket. "Buy again" sends
//! consumers to `SHOP_BASKET_URL`; `make run` (`serve --demo` without that setting) points
//! it here, so a person trying the demo sees which products the webshop would receive.
//! Routed only while `SHOP_BASKET_URL` points at it.
use axum::extract::{Query, State};
use axum::response::Html;
use html_escape::encode_text;

use crate::state::AppState;

/// The path `serve --demo` uses when no webshop is configured.
pub const PATH: &str = "/dev/basket";

#[derive(serde::Deserialize)]
pub struct BasketQuery {
    #[serde(default)]
    items: String,
}

/// `SKU:quantity,…` as "buy again" sends it; pieces that do not parse are left out.
pub fn parse_items(items: &str) -> Vec<(String, u32)> {
    items
        .split(',')
        .filter_map(|pair| {
            let (sku, quantity) = pair.rsplit_once(':')?;
            let quantity = quantity.parse().ok()?;
            Some((sku.to_string(), quantity))
        })
        .collect()
}

pub async fn show(State(state): State<AppState>, Query(query): Query<BasketQuery>) -> Html<String> {
    let mut rows = String::new();
    for (sku, quantity) in parse_items(&query.items) {
        let name = app::catalog::repo::find(&state.db, &sku)
            .await
            .ok()
            .flatten()
            .map(|p| p.name)
            .unwrap_or_default();
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}<br><span class=\"muted\">{}</span></th><td class=\"num\">{quantity}</td></tr>",
            encode_text(&name),
            encode_text(&sku)
        ));
    }
    crate::dev_mail::page(
        "Webshop basket (demo)",
        &format!(
            "<h1>Webshop basket (demo) · Winkelmandje webshop (demo)</h1>\
             <p class=\"lead\">In a real installation SHOP_BASKET_URL points at the retailer's webshop, \
             which would now show these products in the basket. / In een echte installatie wijst \
             SHOP_BASKET_URL naar de webshop van de winkelier, die deze producten nu in het winkelmandje zou tonen.</p>\
             <table class=\"order-lines\"><thead><tr><th scope=\"col\">Product</th><th scope=\"col\" class=\"num\">Aantal / Quantity</th></tr></thead>\
             <tbody>{rows}</tbody></table><p><a href=\"/account/orders\">Mijn bestellingen / My orders</a></p>"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_buy_again_sends() {
        assert_eq!(
            parse_items("MAT-160:1,KUS%2060:2,bad,X:y"),
            vec![("MAT-160".to_string(), 1), ("KUS%2060".to_string(), 2)]
        );
    }
}
