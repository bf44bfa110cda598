//! The return form: parsing what the customer (or staff for them) filled in, checking it
//! against what the order allows, and working out what comes back and the money.
use chrono::NaiveDate;

use super::eligibility::own_order_options;
use super::service::{Actor, start};
use super::{Quote, REASONS, Resolution, Return, ReturnLine, ReturnMethod, ReturnOptions};
use crate::db::Db;
use crate::error::AppError;
use crate::mail::MailContext;
use crate::validate::{Checks, typed_quantities};

/// What the customer (or staff for them) filled in.
#[derive(Clone, Debug, Default)]
pub struct ReturnForm<'a> {
    /// (order line, quantity typed); empty or 0: not this line.
    pub quantities: Vec<(i32, &'a str)>,
    pub reasons: Vec<(i32, &'a str)>,
    pub notes: Vec<(i32, &'a str)>,
    pub exchange_for: Vec<(i32, &'a str)>,
    pub method: &'a str,
    pub resolution: &'a str,
    /// Store code for a drop-off.
    pub store: &'a str,
    /// `YYYY-MM-DD` and `morning`/`afternoon`, for a pickup at home.
    pub pickup_date: &'a str,
    pub pickup_slot: &'a str,
}

fn value_of<'a>(pairs: &[(i32, &'a str)], line: i32) -> &'a str {
    pairs
        .iter()
        .find(|(n, _)| *n == line)
        .map(|(_, v)| v.trim())
        .unwrap_or_default()
}

/// Checks the form against what the order allows and works out the money. Field errors
/// name `quantity[<line>]`, `reason[<line>]`, `note[<line>]`, `exchange_for[<line>]`,
/// `lines`, `method`, `resolution`, `store`, `pickup_date` and `pickup_slot`; a line whose
/// window has ended says so, with the day it ended, as `window_ended:<YYYY-MM-DD>`.
pub async fn quote(
    db: &Db,
    options: &ReturnOptions,
    form: &ReturnForm<'_>,
) -> Result<Quote, AppError> {
    let mut checks = Checks::new();
    let mut lines = Vec::new();
    let mut value = 0i64;
    // "0" is the form's default: that line is not coming back.
    let typed: Vec<(i32, &str)> = form
        .quantities
        .iter()
        .copied()
        .filter(|(_, text)| text.trim() != "0")
        .collect();
    for typed in typed_quantities(&typed, &options.lines, |l| l.line) {
        let Some(typed) = checks.keep(typed) else {
            continue;
        };
        let (field, quantity, choice, line_no) =
            (typed.field, typed.quantity, typed.offered, &typed.line);
        if let Some(blocked) = &choice.blocked {
            match &choice.ended_on {
                Some(day) => checks.push(field, &format!("{blocked}:{day}")),
                None => checks.push(field, blocked),
            }
            continue;
        }
        if quantity < 0 {
            checks.push(field, "negative");
            continue;
        }
        if quantity > choice.left {
            checks.push(field, "more_than_left");
            continue;
        }
        let reason = value_of(&form.reasons, *line_no);
        if !REASONS.contains(&reason) {
            checks.push(format!("reason[{line_no}]"), "required");
        }
        let note = Some(value_of(&form.notes, *line_no)).filter(|n| !n.is_empty());
        checks.optional_text(&format!("note[{line_no}]"), note, 500);
        let exchange_for = Some(value_of(&form.exchange_for, *line_no)).filter(|n| !n.is_empty());
        checks.optional_text(&format!("exchange_for[{line_no}]"), exchange_for, 100);
        // With sizes and variants on offer, the choice must be one of them.
        let exchange_name = match exchange_for {
            Some(sku) if !choice.exchange_options.is_empty() => {
                let offered = choice.exchange_options.iter().find(|o| o.sku == sku);
                if offered.is_none() {
                    checks.push(format!("exchange_for[{line_no}]"), "not_offered");
                }
                offered.map(|o| o.name.clone())
            }
            _ => None,
        };
        value += choice.unit_refund * i64::from(quantity);
        lines.push(ReturnLine {
            line: *line_no,
            sku: choice.sku.clone(),
            name: choice.name.clone(),
            quantity,
            reason: reason.to_string(),
            note: note.map(str::to_string),
            exchange_for: exchange_for.map(str::to_string),
            exchange_name,
            photos: Vec::new(),
            outcome: None,
            outcome_reason: None,
        });
    }
    if lines.is_empty() && checks.is_empty() {
        checks.push("lines", "nothing_chosen");
    }
    let method = ReturnMethod::parse(form.method);
    if method.is_none() {
        checks.push("method", "required");
    }
    let resolution = Resolution::parse(form.resolution);
    if resolution.is_none() {
        checks.push("resolution", "required");
    }
    if resolution == Some(Resolution::Exchange) {
        for l in &lines {
            if l.exchange_for.is_none() {
                checks.push(format!("exchange_for[{}]", l.line), "required");
            }
        }
    }
    let mut store = None;
    if method == Some(ReturnMethod::Store) {
        match crate::stores::repo::find_by_code(db, form.store.trim()).await? {
            Some(s) => store = Some(s.code),
            None => checks.push("store", "required"),
        }
    }
    let (_, today) = crate::time::clock();
    let mut pickup_date = None;
    let mut pickup_slot = None;
    if method == Some(ReturnMethod::Pickup)
        && !lines
            .iter()
            .any(|l| options.lines.iter().any(|c| c.line == l.line && c.large))
    {
        checks.push("method", "pickup_large_only");
    }
    if method == Some(ReturnMethod::Pickup) {
        match NaiveDate::parse_from_str(form.pickup_date.trim(), "%Y-%m-%d") {
            Ok(d) if d > today && d <= today + chrono::TimeDelta::days(28) => {
                pickup_date = Some(d.to_string())
            }
            Ok(d) if d <= today => checks.push("pickup_date", "not_in_future"),
            Ok(_) => checks.push("pickup_date", "too_far"),
            Err(_) => checks.push("pickup_date", "invalid_date"),
        }
        match form.pickup_slot.trim() {
            s @ ("morning" | "afternoon") => pickup_slot = Some(s.to_string()),
            _ => checks.push("pickup_slot", "required"),
        }
    }
    checks.finish()?;
    let (Some(method), Some(resolution)) = (method, resolution) else {
        return Err(AppError::Internal);
    };
    let cost = if method == ReturnMethod::Carrier {
        options.carrier_cost.min(value)
    } else {
        0
    };
    let refund = match resolution {
        Resolution::Exchange => 0,
        _ => value - cost,
    };
    Ok(Quote {
        lines,
        method,
        resolution,
        store,
        pickup_date,
        pickup_slot,
        currency: options.currency.clone(),
        refund,
        cost,
        refund_to: (resolution == Resolution::Refund)
            .then(|| options.refund_to.clone())
            .flatten(),
    })
}

/// Parses a return form sent as a query string (`quantity[1]=2&reason[1]=damaged&…`).
pub fn parse_form(pairs: &[(String, String)]) -> ReturnForm<'_> {
    let mut form = ReturnForm::default();
    for (key, value) in pairs {
        let indexed = |prefix: &str| -> Option<i32> {
            key.strip_prefix(prefix)?
                .strip_prefix('[')?
                .strip_suffix(']')?
                .parse()
                .ok()
        };
        if let Some(n) = indexed("quantity") {
            form.quantities.push((n, value));
        } else if let Some(n) = indexed("reason") {
            form.reasons.push((n, value));
        } else if let Some(n) = indexed("note") {
            form.notes.push((n, value));
        } else if let Some(n) = indexed("exchange_for") {
            form.exchange_for.push((n, value));
        } else {
            match key.as_str() {
                "method" => form.method = value,
                "resolution" => form.resolution = value,
                "store" => form.store = value,
                "pickup_date" => form.pickup_date = value,
                "pickup_slot" => form.pickup_slot = value,
                _ => {}
            }
        }
    }
    form
}

/// What the customer would get for this form, checked (the review step).
pub async fn review(
    db: &Db,
    customer_id: Option<i64>,
    number: &str,
    query: &str,
) -> Result<Quote, AppError> {
    let (_, _, options) = own_order_options(db, customer_id, number).await?;
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    quote(db, &options, &parse_form(&pairs)).await
}

/// The customer confirms the reviewed return.
pub async fn confirm(
    db: &Db,
    mail: &MailContext,
    actor: Actor,
    customer_id: Option<i64>,
    number: &str,
    query: &str,
    trail: Option<&crate::audit::service::Trail>,
) -> Result<Return, AppError> {
    let (order_id, order, options) = own_order_options(db, customer_id, number).await?;
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    let q = quote(db, &options, &parse_form(&pairs)).await?;
    start(db, mail, actor, order_id, &order, &q, trail).await
}
