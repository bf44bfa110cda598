//! The demo world of Slaapwereld, a Dutch bedding retailer with a webshop and five
//! stores. Loaded through the same domain functions the integration API calls, so the
//! demo data obeys every rule real data does. Times are relative to now, so every
//! tracking state is current on the day it is loaded.
use app::catalog::service::{ProductInput, upsert_product};
use app::companies::service::{CompanyInput, upsert_company};
use app::customers::service::{CustomerInput, upsert_customer};
use app::db::Db;
use app::error::AppError;
use app::orders::service::{OrderInput, upsert_order};
use app::shipments::service::{EventsInput, ShipmentInput, record_events, upsert_shipment};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("{0} was rejected: {1:?}")]
    Rejected(String, AppError),
    #[error("{0} does not fit its input type: {1}")]
    Json(String, serde_json::Error),
}

fn input<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> Result<T, WorldError> {
    serde_json::from_value(value).map_err(|e| WorldError::Json(what.into(), e))
}

fn rejected(what: &str) -> impl FnOnce(AppError) -> WorldError + '_ {
    move |e| WorldError::Rejected(what.into(), e)
}

/// The unlinked till slip a visitor can claim (README lists it).
pub const UNCLAIMED_RECEIPT: &str = "RTM7A3K9Q2";
/// Till slips nobody has claimed: the first is README's, the others are for tests.
pub const UNCLAIMED_RECEIPTS: [&str; 2] = [UNCLAIMED_RECEIPT, "GRQ5H2J8K4"];
/// Plastic loyalty cards used in stores but not linked to any customer yet.
pub const UNLINKED_CARDS: [&str; 2] = ["2620001000052", "2620001000069"];
pub const ANNA_LOYALTY_CARD: &str = "2620001000014";

struct Clock(DateTime<Utc>);

impl Clock {
    fn ago(&self, days: i64, hours: i64) -> String {
        (self.0 - TimeDelta::days(days) - TimeDelta::hours(hours)).to_rfc3339()
    }
    fn date_in(&self, days: i64) -> String {
        (self.0 + TimeDelta::days(days)).date_naive().to_string()
    }
}

/// (sku, name, category, price in cents, attributes, returnable)
fn catalogue() -> Vec<(String, String, &'static str, i64, Value, bool)> {
    let mut products = Vec::new();
    let sizes = [(80, 200), (90, 200), (140, 200), (160, 200)];
    let mattresses = [
        (
            "NACHTRUST",
            "Nachtrust Pocket",
            "medium",
            "pocket springs",
            22,
            49900,
            ["side", "back"],
            false,
        ),
        (
            "WOLKEN",
            "Wolkenzacht Foam",
            "soft",
            "memory foam",
            20,
            39900,
            ["side", "side"],
            false,
        ),
        (
            "STEVIG",
            "Stevig Latex",
            "firm",
            "latex",
            18,
            59900,
            ["back", "stomach"],
            true,
        ),
        (
            "HYBRIDE",
            "Hybride Comfort",
            "medium-firm",
            "hybrid",
            26,
            79900,
            ["back", "side"],
            true,
        ),
    ];
    // Where each model is on display to try (store codes; the advice names the stores).
    let showrooms = |code: &str| match code {
        "NACHTRUST" => vec!["UTR", "AMS", "RTM", "EHV"],
        "WOLKEN" => vec!["UTR", "AMS"],
        "STEVIG" => vec!["UTR"],
        _ => vec!["AMS", "RTM"],
    };
    for (code, name, firmness, core, height, base_price, positions, cool) in mattresses {
        for (w, l) in sizes {
            let price = base_price + (i64::from(w) - 80) * 500;
            products.push((
                format!("MAT-{code}-{w}{l}"),
                format!("{name} matras {w}×{l}"),
                "mattresses",
                price,
                json!({"firmness": firmness, "core": core, "height_cm": height, "width_cm": w, "length_cm": l,
                       "sleep_positions": positions, "max_weight_kg": if firmness == "soft" { 90 } else { 130 },
                       "hot_sleeper_friendly": cool, "trial_nights": 100, "showrooms": showrooms(code)}),
                true,
            ));
        }
    }
    products.push((
        "MAT-MAATWERK".into(),
        "Maatwerk matras (op maat gemaakt)".into(),
        "mattresses",
        119900,
        json!({"firmness": "chosen", "core": "pocket springs", "custom_made": true}),
        false,
    ));
    let pillows = [
        ("DONS", "Dons hoofdkussen", "down", "soft", "back", false),
        (
            "MEMORY",
            "Memory foam kussen",
            "memory foam",
            "firm",
            "side",
            true,
        ),
        (
            "LATEX",
            "Latex hoofdkussen",
            "latex",
            "medium",
            "side",
            true,
        ),
        ("NEK", "Neksteunkussen", "memory foam", "firm", "back", true),
        (
            "SYNTH",
            "Synthetisch hoofdkussen",
            "polyester fibre",
            "medium",
            "stomach",
            true,
        ),
    ];
    for (code, name, filling, firmness, position, allergy) in pillows {
        for (variant, height, extra) in [("LAAG", 10, 0), ("HOOG", 14, 500)] {
            products.push((
                format!("KUS-{code}-{variant}"),
                format!("{name} {}", if variant == "LAAG" { "laag" } else { "hoog" }),
                "pillows",
                2995 + extra + if filling == "down" { 4000 } else { 1000 },
                json!({"filling": filling, "firmness": firmness, "sleep_position": position,
                       "height_cm": height, "allergy_friendly": allergy, "washable": filling != "down"}),
                true,
            ));
        }
    }
    let duvets = [
        ("ZOMER", "Zomerdekbed", 1, 4995),
        ("VIERSEIZ", "4-seizoenen dekbed", 4, 8995),
        ("WINTER", "Winterdekbed", 5, 7995),
    ];
    for (code, name, warmth, price) in duvets {
        for (w, l) in [(140, 220), (200, 220), (240, 220)] {
            products.push((
                format!("DEK-{code}-{w}{l}"),
                format!("{name} {w}×{l}"),
                "duvets",
                price + (i64::from(w) - 140) * 30,
                json!({"warmth_class": warmth, "filling": "synthetic", "width_cm": w, "length_cm": l, "allergy_friendly": true}),
                true,
            ));
        }
    }
    products.push((
        "DEK-DONS-200220".into(),
        "Donzen dekbed 200×220".into(),
        "duvets",
        24995,
        json!({"warmth_class": 3, "filling": "down", "width_cm": 200, "length_cm": 220, "allergy_friendly": false}),
        true,
    ));
    let frames = [
        (
            "BOXSPRING",
            "Boxspring Comfort",
            "upholstered",
            false,
            129900,
        ),
        ("EIK", "Houten bedframe Eik", "oak", false, 69900),
        ("METAAL", "Metalen bedframe Loft", "steel", false, 29900),
        (
            "OPBERG",
            "Bedframe met opbergruimte",
            "upholstered",
            true,
            89900,
        ),
        ("HOOFDBORD", "Gestoffeerd hoofdbord", "velvet", false, 24900),
    ];
    for (code, name, material, storage, price) in frames {
        for w in [140, 160] {
            products.push((
                format!("BED-{code}-{w}200"),
                format!("{name} {w}×200"),
                "bed-frames",
                price + (i64::from(w) - 140) * 1000,
                json!({"material": material, "storage": storage, "width_cm": w, "length_cm": 200,
                       "delivery": "appointment", "assembly_included": true}),
                true,
            ));
        }
    }
    for w in [90, 140, 160, 180] {
        products.push((
            format!("LIN-HOESLAKEN-{w}200"),
            format!("Hoeslaken percal {w}×200"),
            "linen",
            1995 + (i64::from(w) - 90) * 10,
            json!({"material": "cotton percale", "thread_count": 200, "width_cm": w, "length_cm": 200, "colour": "white"}),
            true,
        ));
    }
    for w in [140, 200, 240] {
        products.push((
            format!("LIN-OVERTREK-{w}220"),
            format!("Dekbedovertrek katoensatijn {w}×220"),
            "linen",
            4995 + (i64::from(w) - 140) * 20,
            json!({"material": "cotton sateen", "thread_count": 300, "width_cm": w, "length_cm": 220, "colour": "stone"}),
            true,
        ));
    }
    for (sku, name, price, attrs) in [
        (
            "LIN-SLOOP-2PACK",
            "Kussenslopen katoensatijn (2 stuks)",
            1995,
            json!({"material": "cotton sateen", "pieces": 2}),
        ),
        (
            "LIN-MOLTON-90200",
            "Moltonhoeslaken 90×200",
            2495,
            json!({"material": "molton", "waterproof": true, "width_cm": 90}),
        ),
        (
            "LIN-MOLTON-160200",
            "Moltonhoeslaken 160×200",
            3495,
            json!({"material": "molton", "waterproof": true, "width_cm": 160}),
        ),
        (
            "LIN-HOTEL-LAKEN-160",
            "Hotellaken wit 160×270 (professioneel)",
            1495,
            json!({"material": "cotton/polyester", "industrial_wash": true, "width_cm": 160}),
        ),
        (
            "LIN-HOTEL-OVERTREK-200",
            "Hotel dekbedovertrek wit 200×220 (professioneel)",
            2495,
            json!({"material": "cotton/polyester", "industrial_wash": true, "width_cm": 200}),
        ),
        (
            "LIN-HOTEL-SLOOP",
            "Hotel kussensloop wit 60×70 (professioneel)",
            495,
            json!({"material": "cotton/polyester", "industrial_wash": true}),
        ),
    ] {
        products.push((sku.into(), name.into(), "linen", price, attrs, true));
    }
    products
}

fn address(name: &str, street: &str, number: &str, postcode: &str, city: &str) -> Value {
    json!({"name": name, "street": street, "house_number": number, "postcode": postcode, "city": city, "country": "NL"})
}

struct World<'a> {
    db: &'a Db,
    now: Clock,
}

impl World<'_> {
    async fn order(&self, number: &str, mut body: Value) -> Result<(), WorldError> {
        // Totals and payments follow from the lines: no sums to keep right by hand.
        let lines = body["lines"].as_array().cloned().unwrap_or_default();
        let total: i64 = lines
            .iter()
            .map(|l| l["quantity"].as_i64().unwrap_or(0) * l["unit_price"].as_i64().unwrap_or(0))
            .sum::<i64>()
            + body["shipping"].as_i64().unwrap_or(0);
        if body.get("currency").is_none() {
            body["currency"] = json!("EUR");
        }
        if body.get("payments").is_none() {
            let method = match body["channel"].as_str() {
                Some("store") => "pin",
                Some("b2b") => "invoice",
                Some("phone") => "payment_link",
                _ => "ideal",
            };
            body["payments"] = json!([{"method": method, "amount": total, "currency": "EUR"}]);
        }
        let order: OrderInput = input(number, body)?;
        upsert_order(self.db, number, order)
            .await
            .map_err(rejected(number))?;
        Ok(())
    }

    async fn shipment(
        &self,
        id: &str,
        body: Value,
        events: &[(&str, &str, Option<&str>, i64, i64)],
    ) -> Result<(), WorldError> {
        let shipment: ShipmentInput = input(id, body)?;
        upsert_shipment(self.db, id, shipment)
            .await
            .map_err(rejected(id))?;
        if events.is_empty() {
            return Ok(());
        }
        let events: Vec<Value> = events
            .iter()
            .map(|(code, description, location, days, hours)| {
                json!({"shipment": id, "code": code, "description": description, "location": location,
                       "occurred_at": self.now.ago(*days, *hours)})
            })
            .collect();
        let events: EventsInput = input(id, json!({ "events": events }))?;
        record_events(self.db, events).await.map_err(rejected(id))?;
        Ok(())
    }
}

fn line(sku: &str, quantity: i64, unit_price: i64) -> Value {
    json!({"sku": sku, "quantity": quantity, "unit_price": unit_price})
}

/// Loads the world as it was at `now` (the first time it was loaded).
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<(), WorldError> {
    let w = World {
        db,
        now: Clock(now),
    };
    let products = catalogue();
    let price = |sku: &str| {
        products
            .iter()
            .find(|p| p.0 == sku)
            .map(|p| p.3)
            .unwrap_or_else(|| panic!("demo catalogue has no {sku}"))
    };
    // Sizes of one model share the SKU up to its last part (MAT-NACHTRUST-160200): that
    // family is what a webshop sends as the parent product.
    let family = |sku: &str| {
        let (stem, _) = sku.rsplit_once('-')?;
        let members = products
            .iter()
            .filter(|p| p.0.rsplit_once('-').is_some_and(|(s, _)| s == stem))
            .count();
        (members > 1).then(|| stem.to_string())
    };
    for (sku, name, category, price, attributes, returnable) in &products {
        let body = json!({"name": name, "description": format!("{name} van Slaapwereld."), "category": category,
                          "price": price, "currency": "EUR", "attributes": attributes, "returnable": returnable,
                          "variant_of": family(sku)});
        let product: ProductInput = input(sku, body)?;
        upsert_product(db, sku, product)
            .await
            .map_err(rejected(sku))?;
    }

    hotel_supply(db).await?;

    let anna_home = address("Anna de Vries", "Biltstraat", "101", "3572 AS", "Utrecht");
    let customers = [
        (
            "C-1001",
            json!({"name": "Anna de Vries", "email": "anna@example.nl", "phone": "06 1234 5678",
            "loyalty_card": ANNA_LOYALTY_CARD,
            "addresses": [{"id": "home", "default_delivery": true, "default_billing": true,
                           "name": "Anna de Vries", "street": "Biltstraat", "house_number": "101", "postcode": "3572 AS", "city": "Utrecht", "country": "NL"},
                          {"id": "work", "name": "Anna de Vries, Studio Noord", "street": "Vredenburg", "house_number": "40",
                           "addition": "B", "postcode": "3511 BD", "city": "Utrecht", "country": "NL"}]}),
        ),
        (
            "C-1002",
            json!({"name": "Pieter Jansen", "email": "pieter.jansen@example.nl", "loyalty_card": "2620001000021",
            "addresses": [{"id": "home", "default_delivery": true, "default_billing": true, "name": "Pieter Jansen",
                           "street": "Witte de Withstraat", "house_number": "12", "postcode": "3012 BP", "city": "Rotterdam", "country": "NL"}]}),
        ),
        (
            "C-1003",
            json!({"name": "Fatima el Amrani", "email": "fatima@example.com", "language": "en",
            "addresses": [{"id": "home", "default_delivery": true, "default_billing": true, "name": "Fatima el Amrani",
                           "street": "Rue Royale", "house_number": "55", "postcode": "1000", "city": "Brussel", "country": "BE"}]}),
        ),
        (
            "C-1004",
            json!({"name": "Daan de Boer", "email": "daan@example.nl", "loyalty_card": "2620001000038"}),
        ),
        (
            "C-2001",
            json!({"name": "Marieke Bakker", "email": "inkoop@zeeuwsestromen.nl", "phone": "0118 555 010"}),
        ),
        (
            "C-2002",
            json!({"name": "Joris Visser", "email": "huishouding@zeeuwsestromen.nl"}),
        ),
    ];
    for (id, body) in customers {
        let customer: CustomerInput = input(id, body)?;
        upsert_customer(db, id, customer)
            .await
            .map_err(rejected(id))?;
    }
    let company: CompanyInput = input(
        "HOTEL-ZS",
        json!({"name": "Hotel De Zeeuwse Stromen B.V.", "vat_number": "NL862277461B01", "kvk_number": "22045678",
               "members": [{"customer": "C-2001", "role": "admin"}, {"customer": "C-2002", "role": "buyer"}]}),
    )?;
    upsert_company(db, "HOTEL-ZS", company)
        .await
        .map_err(rejected("HOTEL-ZS"))?;

    anna(&w, &anna_home, &price).await?;
    others(&w, &price).await?;
    hotel(&w, &price).await?;
    Ok(())
}

/// Anna's history: every channel, and a parcel in every tracking state.
async fn anna(w: &World<'_>, home: &Value, price: &impl Fn(&str) -> i64) -> Result<(), WorldError> {
    let webshop = |days: i64, status: &str, lines: Vec<Value>| {
        json!({"channel": "webshop", "customer": "C-1001", "email": "anna@example.nl", "placed_at": w.now.ago(days, 3),
               "status": status, "lines": lines, "delivery_address": home, "billing_address": home})
    };
    // Delivered months ago: the mattress (and its trial period).
    let mat = "MAT-HYBRIDE-160200";
    w.order(
        "WS-240101",
        webshop(95, "delivered", vec![line(mat, 1, price(mat))]),
    )
    .await?;
    w.shipment(
        "SH-240101-1",
        json!({"order": "WS-240101", "carrier": "own_delivery", "tracking_number": "SW240101",
                                     "promised_date": w.now.date_in(-90)}),
        &[
            ("PLANNED", "Bezorging ingepland", None, 93, 0),
            (
                "APPOINTMENT_BOOKED",
                "Afspraak gemaakt: 10:00-14:00",
                None,
                92,
                0,
            ),
            ("ON_ROUTE", "Bezorgers onderweg", Some("Utrecht"), 90, 6),
            ("DELIVERED", "Bezorgd en opgesteld", Some("Utrecht"), 90, 3),
        ],
    )
    .await?;
    // In transit, due tomorrow: a duvet and pillows.
    let (duvet, pillow) = ("DEK-VIERSEIZ-200220", "KUS-MEMORY-HOOG");
    w.order(
        "WS-240315",
        webshop(
            2,
            "shipped",
            vec![line(duvet, 1, price(duvet)), line(pillow, 2, price(pillow))],
        ),
    )
    .await?;
    w.shipment(
        "SH-240315-1",
        json!({"order": "WS-240315", "carrier": "postnl", "tracking_number": "3SSLPW240315",
                                     "promised_date": w.now.date_in(1)}),
        &[
            ("1", "Zending is aangemeld", None, 2, 0),
            (
                "2",
                "Zending is ontvangen door PostNL",
                Some("Nieuwegein"),
                1,
                8,
            ),
            (
                "5",
                "Zending is gesorteerd",
                Some("Sorteercentrum Utrecht"),
                0,
                10,
            ),
        ],
    )
    .await?;
    // Out for delivery today.
    let sheet = "LIN-HOESLAKEN-160200";
    w.order(
        "WS-240322",
        webshop(1, "shipped", vec![line(sheet, 2, price(sheet))]),
    )
    .await?;
    w.shipment(
        "SH-240322-1",
        json!({"order": "WS-240322", "carrier": "dhl", "tracking_number": "JVGL0624032201",
                                     "promised_date": w.now.date_in(0)}),
        &[
            (
                "PRENOTIFICATION_RECEIVED",
                "Pre-notification received",
                None,
                1,
                0,
            ),
            (
                "PARCEL_ARRIVED_AT_LOCAL_DEPOT",
                "Parcel arrived at local depot",
                Some("Utrecht"),
                0,
                6,
            ),
            (
                "OUT_FOR_DELIVERY",
                "Out for delivery",
                Some("Utrecht"),
                0,
                2,
            ),
        ],
    )
    .await?;
    // Delayed: promised two days ago, no news since.
    let cover = "LIN-OVERTREK-200220";
    w.order(
        "WS-240298",
        webshop(6, "shipped", vec![line(cover, 1, price(cover))]),
    )
    .await?;
    w.shipment(
        "SH-240298-1",
        json!({"order": "WS-240298", "carrier": "postnl", "tracking_number": "3SSLPW240298",
                                     "promised_date": w.now.date_in(-2)}),
        &[
            ("1", "Zending is aangemeld", None, 5, 0),
            (
                "2",
                "Zending is ontvangen door PostNL",
                Some("Nieuwegein"),
                4,
                8,
            ),
            (
                "5",
                "Zending is gesorteerd",
                Some("Sorteercentrum Nieuwegein"),
                4,
                2,
            ),
        ],
    )
    .await?;
    // A failed delivery attempt.
    let latex = "KUS-LATEX-LAAG";
    w.order(
        "WS-240305",
        webshop(4, "shipped", vec![line(latex, 1, price(latex))]),
    )
    .await?;
    w.shipment(
        "SH-240305-1",
        json!({"order": "WS-240305", "carrier": "dpd", "tracking_number": "05212400305001",
                                     "promised_date": w.now.date_in(-1)}),
        &[
            ("ACCEPTED", "Parcel data received", None, 3, 0),
            (
                "AT_SENDING_DEPOT",
                "At sending depot",
                Some("Veghel"),
                2,
                10,
            ),
            (
                "AT_DELIVERY_DEPOT",
                "At delivery depot",
                Some("Utrecht"),
                1,
                9,
            ),
            (
                "NOT_DELIVERED",
                "Delivery attempt failed: recipient not at home",
                Some("Utrecht"),
                1,
                4,
            ),
        ],
    )
    .await?;
    // Waiting at a pickup point.
    let slopen = "LIN-SLOOP-2PACK";
    w.order(
        "WS-240290",
        webshop(7, "shipped", vec![line(slopen, 2, price(slopen))]),
    )
    .await?;
    w.shipment("SH-240290-1", json!({"order": "WS-240290", "carrier": "postnl", "tracking_number": "3SSLPW240290",
                                     "promised_date": w.now.date_in(-4),
                                     "pickup_point": {"name": "Primera Biltstraat", "street": "Biltstraat 60", "postcode": "3572 BD",
                                                      "city": "Utrecht", "collect_before": w.now.date_in(5)}}),
        &[("1", "Zending is aangemeld", None, 6, 0), ("5", "Zending is gesorteerd", Some("Sorteercentrum Utrecht"), 5, 6),
          ("8", "Zending niet afgeleverd: niemand thuis", Some("Utrecht"), 4, 3),
          ("12", "Zending ligt klaar bij het PostNL-punt", Some("Primera Biltstraat, Utrecht"), 4, 1)]).await?;
    // Paid, being prepared: no parcel yet.
    let frame = "BED-EIK-160200";
    w.order(
        "WS-240340",
        webshop(0, "processing", vec![line(frame, 1, price(frame))]),
    )
    .await?;
    // Ordered an hour ago and paid, not yet picked: the customer can still cancel it
    // (or part of it).
    let (latex, summer) = ("KUS-LATEX-HOOG", "DEK-ZOMER-200220");
    let mut fresh = webshop(
        0,
        "paid",
        vec![line(latex, 2, price(latex)), line(summer, 1, price(summer))],
    );
    fresh["placed_at"] = json!(w.now.ago(0, 1));
    w.order("WS-240350", fresh).await?;
    // Click & collect, ready in Amsterdam.
    let molton = "LIN-MOLTON-160200";
    let mut collect = webshop(1, "ready_for_pickup", vec![line(molton, 1, price(molton))]);
    collect["fulfilment"] = json!("collect");
    collect["collect_store"] = json!("AMS");
    w.order("WS-240335", collect).await?;
    // Two parcels: one from the warehouse (delivered), one from the Utrecht store (in transit).
    let (duvet2, sheet2) = ("DEK-ZOMER-200220", "LIN-HOESLAKEN-90200");
    w.order(
        "WS-240310",
        webshop(
            3,
            "shipped",
            vec![
                line(duvet2, 1, price(duvet2)),
                line(sheet2, 2, price(sheet2)),
            ],
        ),
    )
    .await?;
    w.shipment("SH-240310-1", json!({"order": "WS-240310", "carrier": "postnl", "tracking_number": "3SSLPW240310",
                                     "promised_date": w.now.date_in(-1), "lines": [{"sku": duvet2, "quantity": 1}]}),
        &[("1", "Zending is aangemeld", None, 3, 0), ("5", "Zending is gesorteerd", Some("Sorteercentrum Utrecht"), 2, 8),
          ("7", "Zending is onderweg naar de ontvanger", Some("Utrecht"), 1, 6), ("10", "Zending is afgeleverd", Some("Utrecht"), 1, 3)]).await?;
    w.shipment("SH-240310-2", json!({"order": "WS-240310", "carrier": "dhl", "tracking_number": "JVGL0624031002",
                                     "promised_date": w.now.date_in(1), "from_store": "UTR", "lines": [{"sku": sheet2, "quantity": 2}]}),
        &[("PRENOTIFICATION_RECEIVED", "Pre-notification received", None, 1, 2)]).await?;
    // A phone order, delivered.
    let pillow2 = "KUS-NEK-LAAG";
    w.order("PH-88012", json!({"channel": "phone", "customer": "C-1001", "placed_at": w.now.ago(40, 2), "status": "delivered",
                                "lines": [line(pillow2, 1, price(pillow2))], "shipping": 495,
                                "delivery_address": home, "billing_address": home})).await?;
    w.shipment(
        "SH-88012-1",
        json!({"order": "PH-88012", "carrier": "postnl", "tracking_number": "3SSLPW088012",
                                    "promised_date": w.now.date_in(-38)}),
        &[
            ("1", "Zending is aangemeld", None, 39, 0),
            ("10", "Zending is afgeleverd", Some("Utrecht"), 38, 4),
        ],
    )
    .await?;
    // Store purchases: the loyalty card was scanned at the till.
    let topper = "KUS-DONS-HOOG";
    w.order("ST-UTR-20261003-0042", json!({"channel": "store", "store": "UTR", "loyalty_card": ANNA_LOYALTY_CARD,
        "placed_at": w.now.ago(52, 5), "status": "completed", "lines": [line(topper, 2, price(topper))],
        "receipt": {"code": "UTR4K8M2P7", "till": "2"}})).await?;
    let linen = "LIN-OVERTREK-140220";
    w.order(
        "ST-AMS-20261115-0107",
        json!({"channel": "store", "store": "AMS", "loyalty_card": ANNA_LOYALTY_CARD,
        "placed_at": w.now.ago(9, 4), "status": "completed",
        "lines": [line(linen, 1, price(linen)), line(slopen, 1, price(slopen))],
        "receipt": {"code": "AMS9D3F6H1", "till": "1"}}),
    )
    .await?;
    // A guest order with Anna's address, placed before she had an account: offered to
    // her to attach, never attached by itself.
    let guest = "KUS-SYNTH-LAAG";
    w.order(
        "WS-239980",
        json!({"channel": "webshop", "email": "anna@example.nl", "placed_at": w.now.ago(200, 1),
        "status": "delivered", "lines": [line(guest, 2, price(guest))], "delivery_address": home}),
    )
    .await?;
    Ok(())
}

async fn others(w: &World<'_>, price: &impl Fn(&str) -> i64) -> Result<(), WorldError> {
    let pieter = address(
        "Pieter Jansen",
        "Witte de Withstraat",
        "12",
        "3012 BP",
        "Rotterdam",
    );
    let mat = "MAT-STEVIG-90200";
    w.order("WS-240200", json!({"channel": "webshop", "customer": "C-1002", "placed_at": w.now.ago(30, 0), "status": "delivered",
        "lines": [line(mat, 1, price(mat))], "delivery_address": pieter})).await?;
    w.shipment(
        "SH-240200-1",
        json!({"order": "WS-240200", "carrier": "own_delivery", "tracking_number": "SW240200",
                                     "promised_date": w.now.date_in(-26)}),
        &[
            ("PLANNED", "Bezorging ingepland", None, 29, 0),
            ("DELIVERED", "Bezorgd", Some("Rotterdam"), 26, 5),
        ],
    )
    .await?;
    let frame = "BED-BOXSPRING-160200";
    w.order("ST-RTM-20261120-0011", json!({"channel": "store", "store": "RTM", "loyalty_card": "2620001000021",
        "placed_at": w.now.ago(4, 6), "status": "paid", "fulfilment": "delivery", "lines": [line(frame, 1, price(frame))],
        "receipt": {"code": "RTM2B5N8W4"}, "delivery_address": pieter})).await?;
    w.shipment("SH-RTM-0011-1", json!({"order": "ST-RTM-20261120-0011", "carrier": "own_delivery", "tracking_number": "SWRTM0011",
                                       "promised_date": w.now.date_in(6), "from_store": "RTM"}),
        &[("PLANNED", "Bezorging ingepland", None, 3, 0), ("APPOINTMENT_BOOKED", "Afspraak gemaakt: 8:00-12:00, oude matras mee", None, 2, 0)]).await?;
    // Fatima (Brussels, English): a lost parcel.
    let fatima = json!({"name": "Fatima el Amrani", "street": "Rue Royale", "house_number": "55", "postcode": "1000", "city": "Brussel", "country": "BE"});
    let duvet = "DEK-DONS-200220";
    w.order("WS-240250", json!({"channel": "webshop", "customer": "C-1003", "placed_at": w.now.ago(12, 0), "status": "shipped",
        "lines": [line(duvet, 1, price(duvet))], "shipping": 995, "delivery_address": fatima})).await?;
    w.shipment(
        "SH-240250-1",
        json!({"order": "WS-240250", "carrier": "dpd", "tracking_number": "05212400250001",
                                     "promised_date": w.now.date_in(-8)}),
        &[
            ("ACCEPTED", "Parcel data received", None, 11, 0),
            (
                "AT_SENDING_DEPOT",
                "At sending depot",
                Some("Veghel"),
                10,
                6,
            ),
            (
                "EXCEPTION_DAMAGED",
                "Parcel damaged in transit",
                Some("Brussel"),
                8,
                2,
            ),
        ],
    )
    .await?;
    // Daan: store purchases only.
    let pillow = "KUS-SYNTH-HOOG";
    w.order("ST-EHV-20261101-0031", json!({"channel": "store", "store": "EHV", "loyalty_card": "2620001000038",
        "placed_at": w.now.ago(23, 3), "status": "completed", "lines": [line(pillow, 1, price(pillow))],
        "receipt": {"code": "EHV6C1R3T5"}})).await?;
    // The till slip nobody has claimed yet: no card shown, no e-mail given.
    let sheet = "LIN-HOESLAKEN-140200";
    w.order("ST-RTM-20261118-0093", json!({"channel": "store", "store": "RTM", "placed_at": w.now.ago(6, 2), "status": "completed",
        "lines": [line(sheet, 1, price(sheet)), line("KUS-LATEX-HOOG", 1, price("KUS-LATEX-HOOG"))],
        "receipt": {"code": UNCLAIMED_RECEIPT, "till": "3"}})).await?;
    // Plastic cards the portal does not know yet (the hotel's buyers use them privately):
    // linking one brings these purchases into the history.
    let duvet = "DEK-ZOMER-140220";
    for (number, store, card, code, days) in [
        (
            "ST-GRQ-20261110-0021",
            "GRQ",
            UNLINKED_CARDS[0],
            "GRQ3M7P1X5",
            14,
        ),
        (
            "ST-EHV-20261112-0044",
            "EHV",
            UNLINKED_CARDS[1],
            "EHV8T2W6Z3",
            12,
        ),
    ] {
        w.order(number, json!({"channel": "store", "store": store, "loyalty_card": card,
            "placed_at": w.now.ago(days, 5), "status": "completed", "lines": [line(duvet, 1, price(duvet))],
            "receipt": {"code": code}})).await?;
    }
    // A second unclaimed till slip.
    w.order("ST-GRQ-20261119-0077", json!({"channel": "store", "store": "GRQ", "placed_at": w.now.ago(5, 1),
        "status": "completed", "lines": [line(pillow, 2, price(pillow))], "receipt": {"code": UNCLAIMED_RECEIPTS[1]}})).await?;
    Ok(())
}

/// What the back office says of the hotel's linen, so that ordering again has something to
/// flag: the duvet cover was replaced by a percale one (12 in stock), pillowcases come in
/// tens (500 in stock).
async fn hotel_supply(db: &Db) -> Result<(), WorldError> {
    let linen = json!({"material": "cotton/polyester", "industrial_wash": true, "width_cm": 200});
    for (sku, body) in [
        (
            "LIN-HOTEL-OVERTREK-200-PERCAL",
            json!({"name": "Hotel dekbedovertrek percal wit 200×220 (professioneel)",
                   "description": "De opvolger van ons hotel-dekbedovertrek: percal, even sterk in de industriële was.",
                   "category": "linen", "price": 2695, "currency": "EUR", "attributes": linen, "stock": 12}),
        ),
        (
            "LIN-HOTEL-OVERTREK-200",
            json!({"name": "Hotel dekbedovertrek wit 200×220 (professioneel)",
                   "description": "Hotel dekbedovertrek wit 200×220 (professioneel) van Slaapwereld.", "category": "linen", "price": 2495,
                   "currency": "EUR", "attributes": linen, "active": false, "successor": "LIN-HOTEL-OVERTREK-200-PERCAL"}),
        ),
        (
            "LIN-HOTEL-SLOOP",
            json!({"name": "Hotel kussensloop wit 60×70 (professioneel)",
                   "description": "Hotel kussensloop wit 60×70 (professioneel) van Slaapwereld.", "category": "linen", "price": 495,
                   "currency": "EUR", "attributes": {"material": "cotton/polyester", "industrial_wash": true},
                   "pack_size": 10, "stock": 500}),
        ),
    ] {
        let product: ProductInput = input(sku, body)?;
        upsert_product(db, sku, product)
            .await
            .map_err(rejected(sku))?;
    }
    Ok(())
}

/// The invoice of a delivered hotel order, dated `days` ago, due 30 days later: paid
/// when that was more than two weeks ago, else open (the newest is a few days overdue).
/// Sent as lines: the portal makes its PDF.
async fn hotel_invoice(w: &World<'_>, order: &str, days: i64) -> Result<(), WorldError> {
    let (_, stored) = app::orders::repo::find(w.db, order)
        .await
        .map_err(|e| WorldError::Rejected(order.into(), e.into()))?
        .ok_or_else(|| WorldError::Rejected(order.into(), AppError::NotFound))?;
    let lines: Vec<Value> = stored
        .lines
        .iter()
        .map(|l| json!({"description": l.name, "quantity": l.quantity, "unit_price": l.unit_price, "amount": l.total}))
        .collect();
    let amount: i64 = stored.lines.iter().map(|l| l.total).sum();
    let due_in = 30 - days;
    let number = order.replace("B2B-ZS-", "F-ZS-");
    let body = json!({"company": "HOTEL-ZS", "order": order, "date": w.now.date_in(-days),
        "due_date": w.now.date_in(due_in), "amount": amount, "currency": "EUR",
        "status": if due_in < -14 { "paid" } else { "open" }, "lines": lines});
    app::company_orders::invoices::upsert_invoice(w.db, &number, input(&number, body)?)
        .await
        .map_err(rejected(&number))?;
    Ok(())
}

/// The hotel reorders the same linen every month.
async fn hotel(w: &World<'_>, price: &impl Fn(&str) -> i64) -> Result<(), WorldError> {
    let hotel = json!({"name": "Hotel De Zeeuwse Stromen, t.a.v. huishouding", "street": "Boulevard de Ruyter", "house_number": "8",
                       "postcode": "4381 KA", "city": "Vlissingen", "country": "NL"});
    for month in 0..6i64 {
        let number = format!("B2B-ZS-{:04}", 1001 + month);
        let buyer = if month % 2 == 0 { "C-2001" } else { "C-2002" };
        let days = 5 + (5 - month) * 30;
        let lines = vec![
            line(
                "LIN-HOTEL-LAKEN-160",
                40,
                price("LIN-HOTEL-LAKEN-160") - 150,
            ),
            line(
                "LIN-HOTEL-OVERTREK-200",
                30,
                price("LIN-HOTEL-OVERTREK-200") - 250,
            ),
            line("LIN-HOTEL-SLOOP", 60, price("LIN-HOTEL-SLOOP") - 50),
        ];
        let delivered = month < 5;
        w.order(&number, json!({"channel": "b2b", "company": "HOTEL-ZS", "customer": buyer, "placed_at": w.now.ago(days, 1),
            "status": if delivered { "delivered" } else { "shipped" }, "lines": lines,
            "delivery_address": hotel, "billing_address": hotel})).await?;
        let events: Vec<(&str, &str, Option<&str>, i64, i64)> = if delivered {
            vec![
                ("1", "Zending is aangemeld", None, days - 1, 0),
                (
                    "10",
                    "Zending is afgeleverd",
                    Some("Vlissingen"),
                    days - 2,
                    0,
                ),
            ]
        } else {
            vec![
                ("1", "Zending is aangemeld", None, days - 1, 0),
                (
                    "5",
                    "Zending is gesorteerd",
                    Some("Sorteercentrum Goes"),
                    days - 2,
                    0,
                ),
            ]
        };
        if delivered {
            hotel_invoice(w, &number, days - 2).await?;
        }
        w.shipment(
            &format!("SH-ZS-{:04}", 1001 + month),
            json!({"order": number, "carrier": "postnl",
            "tracking_number": format!("3SSLPWZS{:04}", 1001 + month),
            "promised_date": if delivered { w.now.date_in(2 - days) } else { w.now.date_in(1) }}),
            &events,
        )
        .await?;
    }
    // This month's order, placed two hours ago, not yet picked: it can still be cancelled.
    let (sloop, laken) = ("LIN-HOTEL-SLOOP", "LIN-HOTEL-LAKEN-160");
    w.order("B2B-ZS-1007", json!({"channel": "b2b", "company": "HOTEL-ZS", "customer": "C-2002", "placed_at": w.now.ago(0, 2),
        "status": "received", "lines": [line(sloop, 40, price(sloop) - 50), line(laken, 20, price(laken) - 150)],
        "delivery_address": hotel, "billing_address": hotel})).await?;
    Ok(())
}
