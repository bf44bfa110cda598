//! The rules of "buy again": which lines can be ordered again, the webshop basket link
//! for consumers, and reorder requests of B2B buyers with the back office's answer.
use super::{
    MAX_QUANTITY, Reorder, ReorderChoice, ReorderOptions, ReorderStatus, ReorderView, repo,
};
use crate::db::Db;
use crate::decisions::{Standing, decide_once, record_answer_alone};
use crate::error::AppError;
use crate::orders::Order;
use crate::validate::{Checks, typed_quantities};

/// The placeholder in `SHOP_BASKET_URL` that becomes the chosen products.
pub const ITEMS_PLACEHOLDER: &str = "{items}";

/// The webshop basket address with the products filled in: `{items}` becomes
/// `SKU:quantity` pairs joined by commas (each SKU percent-encoded), the form most
/// webshops' "add to basket" links take (Shopify's `/cart/…` permalinks among them).
pub fn basket_link(template: &str, items: &[(String, i32)]) -> String {
    let encoded: Vec<String> = items
        .iter()
        .map(|(sku, quantity)| {
            let sku: String = percent_encode(sku);
            format!("{sku}:{quantity}")
        })
        .collect();
    template.replace(ITEMS_PLACEHOLDER, &encoded.join(","))
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whether an order belongs to a company, so buying it again goes through the back office.
pub fn is_company_order(order: &Order) -> bool {
    order.company.is_some() || order.channel == crate::orders::Channel::B2b
}

/// A product as ordered (or saved on an order list) before.
pub struct Then<'a> {
    pub line: i32,
    pub sku: &'a str,
    pub name: &'a str,
    pub quantity: i32,
    /// What one piece cost then, minor units.
    pub unit_price: i64,
    pub currency: &'a str,
}

/// How a product ordered before can be ordered now: today's price, stock and pack size;
/// a product no longer sold but replaced offers its successor (saying so); one no longer
/// sold at all has no price.
pub async fn offer(db: &Db, then: Then<'_>) -> Result<ReorderChoice, AppError> {
    let product = crate::catalog::repo::find(db, then.sku).await?;
    let (sold, replaces) = match product {
        Some(p) if p.active => (Some(p), None),
        Some(p) => match p.successor.as_deref() {
            Some(successor) => (
                crate::catalog::repo::find(db, successor)
                    .await?
                    .filter(|s| s.active),
                Some((then.sku.to_string(), then.name.to_string())),
            ),
            None => (None, None),
        },
        None => (None, None),
    };
    let replaces = replaces.filter(|_| sold.is_some());
    Ok(ReorderChoice {
        line: then.line,
        sku: sold
            .as_ref()
            .map_or_else(|| then.sku.to_string(), |p| p.sku.clone()),
        name: sold
            .as_ref()
            .map_or_else(|| then.name.to_string(), |p| p.name.clone()),
        ordered: then.quantity,
        price_now: sold.as_ref().map(|p| p.price),
        price_then: then.unit_price,
        replaces,
        stock: sold.as_ref().and_then(|p| p.stock),
        pack_size: sold.as_ref().map_or(1, |p| p.pack_size),
        currency: sold.map_or_else(|| then.currency.to_string(), |p| p.currency),
    })
}

struct OwnOrder {
    id: i64,
    order: Order,
    choices: Vec<ReorderChoice>,
}

async fn own_order(db: &Db, customer_id: Option<i64>, number: &str) -> Result<OwnOrder, AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let (id, order) = crate::orders::repo::find_for_customer(db, customer_id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut choices = Vec::with_capacity(order.lines.len());
    for line in order.lines.iter().filter(|l| l.quantity > l.cancelled) {
        let then = Then {
            line: line.line,
            sku: &line.sku,
            name: &line.name,
            quantity: line.quantity - line.cancelled,
            unit_price: line.unit_price,
            currency: &order.currency,
        };
        choices.push(offer(db, then).await?);
    }
    Ok(OwnOrder { id, order, choices })
}

/// Whether the customer may order again from a company order: a viewer of the company
/// may not (the order is still theirs to see). Not a company order: yes.
pub async fn may_order_for_company(
    db: &Db,
    customer_id: Option<i64>,
    order: &Order,
) -> Result<bool, AppError> {
    crate::companies::service::may_act_for(db, customer_id, order.company.as_deref()).await
}

/// The lines of one of the customer's orders, with today's prices, for the "buy again" form.
pub async fn reorder_options(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
    basket_template: Option<&str>,
) -> Result<ReorderOptions, AppError> {
    let own = own_order(db, customer_id, number).await?;
    let may_order = may_order_for_company(db, customer_id, &own.order).await?;
    let locations = match (customer_id, own.order.company.as_deref()) {
        (Some(customer_id), Some(company)) => {
            crate::companies::service::location_choices(db, customer_id, company).await?
        }
        _ => Vec::new(),
    };
    Ok(ReorderOptions {
        locations,
        number: own.order.number.clone(),
        for_company: is_company_order(&own.order),
        basket_available: basket_template.is_some(),
        may_order,
        lines: own.choices,
    })
}

/// Reads the typed quantities (`quantity[<line>]`) against the offered lines. Field
/// errors: `not_a_number`, `negative`, `too_many`, `no_longer_sold`, `unknown_line`,
/// `more_than_in_stock`, `not_pack_multiple`;
/// `lines` / `nothing_chosen` when every quantity is 0 or empty.
pub fn chosen_lines(
    choices: &[ReorderChoice],
    quantities: &[(i32, &str)],
) -> Result<Vec<(ReorderChoice, i32)>, AppError> {
    let mut checks = Checks::new();
    let mut chosen = Vec::new();
    for typed in typed_quantities(quantities, choices, |c| c.line) {
        let Some(typed) = checks.keep(typed) else {
            continue;
        };
        let (field, quantity) = (typed.field, typed.quantity);
        if quantity < 0 {
            checks.push(field, "negative");
        } else if quantity > MAX_QUANTITY {
            checks.push(field, "too_many");
        } else if quantity > 0 && typed.offered.price_now.is_none() {
            checks.push(field, "no_longer_sold");
        } else if typed.offered.stock.is_some_and(|stock| quantity > stock) {
            checks.push(field, "more_than_in_stock");
        } else if quantity % typed.offered.pack_size.max(1) != 0 {
            checks.push(field, "not_pack_multiple");
        } else if quantity > 0 {
            chosen.push((typed.offered.clone(), quantity));
        }
    }
    if chosen.is_empty() && checks.is_empty() {
        checks.push("lines", "nothing_chosen");
    }
    checks.finish()?;
    Ok(chosen)
}

/// What "buy again" led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuyAgain {
    /// A consumer: go to this webshop basket address.
    Basket(String),
    /// A B2B buyer: the request stored and sent to the back office (or waiting for the
    /// company's approver).
    Requested(Box<Reorder>),
}

/// What the customer filled in on the "buy again" form.
pub struct BuyAgainForm<'a> {
    /// Order line number and the quantity typed for it (empty or 0: not this one).
    pub quantities: Vec<(i32, &'a str)>,
    /// B2B only: a note for the back office (e.g. a delivery wish or PO number).
    pub note: &'a str,
    /// B2B only: the id of the company's delivery location chosen (empty: none).
    pub location: &'a str,
}

/// Consumers get the webshop basket link (`unavailable` when none is configured); B2B
/// buyers' requests are stored and queued as a webhook in one transaction.
pub async fn buy_again(
    db: &Db,
    ctx: &crate::mail::MailContext,
    user_id: i64,
    customer_id: Option<i64>,
    number: &str,
    form: BuyAgainForm<'_>,
    basket_template: Option<&str>,
) -> Result<BuyAgain, AppError> {
    let own = own_order(db, customer_id, number).await?;
    if !may_order_for_company(db, customer_id, &own.order).await? {
        return Err(AppError::invalid("lines", "viewer_cannot_order"));
    }
    let chosen = chosen_lines(&own.choices, &form.quantities)?;
    if !is_company_order(&own.order) {
        let Some(template) = basket_template else {
            return Err(AppError::invalid("lines", "unavailable"));
        };
        let items: Vec<(String, i32)> = chosen.into_iter().map(|(c, q)| (c.sku, q)).collect();
        return Ok(BuyAgain::Basket(basket_link(template, &items)));
    }
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    let mut checks = Checks::new();
    checks.optional_text("note", note, 500);
    checks.finish()?;
    let Some(customer_id) = customer_id else {
        return Err(AppError::NotFound);
    };
    let company = own.order.company.clone().unwrap_or_default();
    let deliver_to =
        crate::companies::service::deliver_to(db, customer_id, &company, form.location).await?;
    let request = super::requests::request(
        db,
        ctx,
        super::requests::NewOrderRequest {
            order: Some((own.id, &own.order.number)),
            company: &company,
            customer_id,
            user_id,
            chosen: &chosen,
            currency: &own.order.currency,
            note,
            deliver_to: deliver_to.as_ref(),
        },
    )
    .await?;
    Ok(BuyAgain::Requested(Box::new(request)))
}

/// The newest reorder request of an order, for its page.
pub async fn latest_for_order(db: &Db, order_id: i64) -> Result<Option<ReorderView>, AppError> {
    let Some(r) = repo::for_order(db, order_id, 1).await?.into_iter().next() else {
        return Ok(None);
    };
    let local = crate::time::local_time;
    Ok(Some(ReorderView {
        status: r.status,
        requested_local: local(r.requested_at),
        decided_local: r.decided_at.map(local),
        approval_local: r.approval.as_ref().and_then(|a| a.at).map(local),
        approval: r.approval,
        lines: r.lines,
        new_order: r.new_order,
        decision_note: r.decision_note,
    }))
}

/// Every reorder request of an order, newest first (for the back office).
pub async fn for_order(db: &Db, number: &str) -> Result<Vec<Reorder>, AppError> {
    let id = crate::orders::service::id_of(db, number).await?;
    Ok(repo::for_order(db, id, 1000).await?)
}

/// The back office's answer to a reorder request.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderDecision {
    /// `placed` (give `order`, the new order's number) or `declined` (say why in `note`).
    pub status: String,
    /// The number of the order placed for it; it appears in the buyer's history.
    #[serde(default)]
    pub order: Option<String>,
    /// Shown to the buyer.
    #[serde(default)]
    pub note: Option<String>,
}

/// Records the answer to request `request_id` — of order `number` when given (else any
/// request: quick orders and order lists repeat no order). The same answer again changes
/// nothing; another answer to a request already answered is refused (`status` /
/// `already_decided`); a request still waiting for the company's approver too
/// (`status` / `awaiting_approval`).
pub async fn decide(
    db: &Db,
    number: Option<&str>,
    request_id: i64,
    decision: ReorderDecision,
) -> Result<Reorder, AppError> {
    let mut checks = Checks::new();
    let (status, note) = checks.answer(
        ReorderStatus::parse(&decision.status),
        &[ReorderStatus::Placed, ReorderStatus::Declined],
        decision.note.as_deref(),
    );
    let new_order = decision
        .order
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if status == Some(ReorderStatus::Placed) && new_order.is_none() {
        checks.push("order", "required");
    }
    if let Some(n) = new_order {
        checks.external_id("order", n);
    }
    let status = checks.stop_or(status)?;
    if let Some(number) = number {
        crate::orders::service::id_of(db, number).await?;
    }
    let find = move || async move {
        Ok::<_, sqlx::Error>(
            repo::find(db, request_id)
                .await?
                .filter(|r| number.is_none() || r.order.as_deref() == number),
        )
    };
    let request = find().await?.ok_or(AppError::NotFound)?;
    // Waiting for the company's approver: the back office was never sent it.
    if request
        .approval
        .as_ref()
        .is_some_and(|a| a.state == super::ApprovalState::Awaiting)
    {
        return Err(AppError::invalid("status", "awaiting_approval"));
    }
    let extra = [("new_order_number", new_order)];
    decide_once(
        || Box::pin(async move { Ok(find().await?) }),
        |request: &Reorder| match Standing::of(request.status, status, ReorderStatus::Requested) {
            // "Placed" again, but as another order, is another answer.
            Standing::SameAnswer if request.new_order.as_deref() != new_order => {
                Standing::OtherAnswer
            }
            standing => standing,
        },
        |_: Reorder| {
            record_answer_alone(db, repo::TABLE, request_id, status.as_str(), note, &extra)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(line: i32, sku: &str, price_now: Option<i64>) -> ReorderChoice {
        ReorderChoice {
            line,
            sku: sku.into(),
            name: format!("Product {line}"),
            ordered: 2,
            price_now,
            currency: "EUR".into(),
            price_then: 100,
            replaces: None,
            stock: None,
            pack_size: 1,
        }
    }

    #[test]
    fn stock_and_pack_size_limit_what_can_be_ordered() {
        let mut boxed = choice(1, "SLOOP-10", Some(100));
        boxed.pack_size = 10;
        boxed.ordered = 25;
        assert_eq!(boxed.suggested(), 30, "rounded up to whole packs");
        boxed.stock = Some(24);
        assert_eq!(
            boxed.suggested(),
            20,
            "no more than in stock, in whole packs"
        );
        assert_eq!(boxed.low_stock(), Some(24));
        let err = chosen_lines(std::slice::from_ref(&boxed), &[(1, "30")]).expect_err("stock");
        assert!(format!("{err:?}").contains("more_than_in_stock"));
        let err = chosen_lines(std::slice::from_ref(&boxed), &[(1, "15")]).expect_err("pack");
        assert!(format!("{err:?}").contains("not_pack_multiple"));
        assert!(chosen_lines(&[boxed], &[(1, "20")]).is_ok());
        let mut gone = choice(2, "GONE", Some(100));
        gone.stock = Some(0);
        assert_eq!(gone.suggested(), 0);
    }

    #[test]
    fn a_price_change_is_flagged_only_for_the_same_product() {
        let mut line = choice(1, "A", Some(1310));
        line.price_then = 1250;
        assert_eq!(line.price_changed(), Some((1250, 1310)));
        line.replaces = Some(("OLD".into(), "Old".into()));
        assert_eq!(line.price_changed(), None);
        assert_eq!(choice(2, "B", Some(100)).price_changed(), None);
    }

    #[test]
    fn basket_link_fills_in_sku_quantity_pairs() {
        let link = basket_link(
            "https://shop.example/basket/add?items={items}&utm_source=portal",
            &[("MAT-160".into(), 1), ("KUS 60/70".into(), 2)],
        );
        assert_eq!(
            link,
            "https://shop.example/basket/add?items=MAT-160:1,KUS%2060%2F70:2&utm_source=portal"
        );
    }

    #[test]
    fn chosen_lines_keeps_positive_quantities_of_products_still_sold() {
        let choices = [choice(1, "A", Some(100)), choice(2, "B", Some(200))];
        let chosen = chosen_lines(&choices, &[(1, "3"), (2, "0")]).expect("valid");
        assert_eq!(chosen.len(), 1);
        assert_eq!((chosen[0].0.sku.as_str(), chosen[0].1), ("A", 3));
    }

    #[test]
    fn chosen_lines_names_each_bad_field() {
        let choices = [choice(1, "A", Some(100)), choice(2, "GONE", None)];
        let err = chosen_lines(&choices, &[(1, "x"), (2, "1"), (9, "1")]).expect_err("invalid");
        let AppError::Invalid(fields) = err else {
            panic!("expected field errors")
        };
        let codes: Vec<(String, String)> = fields.into_iter().map(|f| (f.field, f.code)).collect();
        assert!(codes.contains(&("quantity[1]".into(), "not_a_number".into())));
        assert!(codes.contains(&("quantity[2]".into(), "no_longer_sold".into())));
        assert!(codes.contains(&("quantity[9]".into(), "unknown_line".into())));
        let err = chosen_lines(&choices, &[(1, "1000")]).expect_err("invalid");
        assert!(format!("{err:?}").contains("too_many"));
    }

    #[test]
    fn chosen_lines_wants_at_least_one() {
        let choices = [choice(1, "A", Some(100))];
        let err = chosen_lines(&choices, &[(1, "0"), (1, " ")]).expect_err("invalid");
        assert!(format!("{err:?}").contains("nothing_chosen"));
    }
}
