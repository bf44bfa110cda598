//! The rules of the company's orders page: whose company, which orders match the
//! filters, which location an order went to, the totals per month.
use std::collections::BTreeMap;

use super::{
    CompanyOrderRow, CompanyOrdersData, CompanyOrdersQuery, InvoiceRow, InvoiceStatus, MonthTotal,
    ORDERS_SHOWN, repo,
};
use crate::companies::{CompanyLocation, MemberRole};
use crate::customers::PostalAddress;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::orders::OrderStatus;

/// Orders read for one page: the totals per month count them all. A company ordering more
/// than this in the chosen period sees the newest ones counted.
const ORDERS_READ: i64 = 5000;
const INVOICES_SHOWN: i64 = 100;

fn same_place(a: &PostalAddress, b: &PostalAddress) -> bool {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect()
    };
    squeeze(&a.postcode) == squeeze(&b.postcode)
        && squeeze(&a.house_number) == squeeze(&b.house_number)
        && squeeze(a.addition.as_deref().unwrap_or_default())
            == squeeze(b.addition.as_deref().unwrap_or_default())
}

/// The company location an order's delivery address is (same postcode and house number).
pub fn location_of<'a>(
    delivery: Option<&str>,
    locations: &'a [CompanyLocation],
) -> Option<&'a CompanyLocation> {
    let address: PostalAddress = serde_json::from_str(delivery?).ok()?;
    locations.iter().find(|l| same_place(&l.address, &address))
}

/// Totals per local calendar month (and currency), newest month first.
pub fn per_month(orders: &[(String, i64, String)]) -> Vec<MonthTotal> {
    let mut months: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for (placed_local, total, currency) in orders {
        let month = placed_local.get(..7).unwrap_or_default().to_string();
        let entry = months.entry((month, currency.clone())).or_default();
        entry.0 += 1;
        entry.1 += total;
    }
    months
        .into_iter()
        .rev()
        .map(|((month, currency), (orders, total))| MonthTotal {
            month,
            orders,
            total,
            currency,
        })
        .collect()
}

/// The page of the member's company `q.company` (empty: their first), filtered. Not a
/// member: 404 — another company's orders and invoices are never shown.
pub async fn page(
    db: &Db,
    customer_id: Option<i64>,
    q: &CompanyOrdersQuery,
) -> Result<CompanyOrdersData, AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let mut all = crate::companies::repo::memberships(db, customer_id).await?;
    let at = if q.company.trim().is_empty() {
        (!all.is_empty()).then_some(0)
    } else {
        all.iter().position(|m| m.external_id == q.company.trim())
    };
    let member = all.remove(at.ok_or(AppError::NotFound)?);
    let members: Vec<(i64, String)> = crate::companies::repo::members(db, member.company_id)
        .await?
        .into_iter()
        .map(|m| (m.customer_id, m.name))
        .collect();
    let locations = crate::companies::repo::locations(db, member.company_id).await?;
    let buyer = q
        .buyer
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|b| members.iter().any(|(id, _)| id == b));
    let location = q
        .location
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|l| locations.iter().any(|x| x.id == *l));
    let period = match q.period.trim() {
        "" => Some("12m"),
        "all" => None,
        chosen => Some(chosen),
    };
    let bounds = crate::orders::history::period_bounds(period, Timestamp::now());
    let rows = repo::orders(db, member.company_id, buyer, bounds, ORDERS_READ).await?;
    let mut orders = Vec::new();
    for row in rows {
        let at = location_of(row.delivery_address.as_deref(), &locations);
        if location.is_some() && at.map(|l| l.id) != location {
            continue;
        }
        orders.push(CompanyOrderRow {
            number: row.number,
            placed_local: crate::time::local_time(row.placed_at.0),
            buyer: row.buyer,
            location: at.map(|l| l.address.name.clone()),
            // The database allows only known states; shown as received if ever not.
            status: OrderStatus::parse(&row.status).unwrap_or(OrderStatus::Received),
            total: row.total_minor,
            currency: row.currency,
        });
    }
    let admin = member.role == MemberRole::Admin;
    let months = if admin {
        let totals: Vec<(String, i64, String)> = orders
            .iter()
            .map(|o| (o.placed_local.clone(), o.total, o.currency.clone()))
            .collect();
        per_month(&totals)
    } else {
        Vec::new()
    };
    let matching = orders.len() as i64;
    orders.truncate(ORDERS_SHOWN);
    let years = match repo::span(db, member.company_id).await? {
        (Some(first), Some(last)) => {
            let year = |t: Timestamp| {
                crate::time::local_time(t.0)
                    .get(..4)
                    .and_then(|y| y.parse::<i32>().ok())
                    .unwrap_or_default()
            };
            (year(first)..=year(last)).rev().collect()
        }
        _ => Vec::new(),
    };
    let today = crate::time::clock().1.format("%Y-%m-%d").to_string();
    let invoices = repo::invoices_of(db, member.company_id, INVOICES_SHOWN)
        .await?
        .into_iter()
        .map(|i| {
            let status = InvoiceStatus::parse(&i.status).unwrap_or(InvoiceStatus::Open);
            InvoiceRow {
                overdue: status == InvoiceStatus::Open && i.due_on < today,
                number: i.number,
                order: i.order_number,
                date: i.issued_on,
                due_date: i.due_on,
                amount: i.amount_minor,
                currency: i.currency,
                status,
            }
        })
        .collect();
    Ok(CompanyOrdersData {
        company: member.external_id,
        company_name: member.name,
        other_companies: all.into_iter().map(|m| (m.external_id, m.name)).collect(),
        admin,
        members,
        locations: locations
            .iter()
            .map(crate::companies::service::location_choice)
            .collect(),
        years,
        orders,
        matching,
        months,
        invoices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: i64, postcode: &str, number: &str) -> CompanyLocation {
        CompanyLocation {
            id,
            address: PostalAddress {
                name: format!("Locatie {id}"),
                street: "Boulevard".into(),
                house_number: number.into(),
                addition: None,
                postcode: postcode.into(),
                city: "Vlissingen".into(),
                country: "NL".into(),
            },
        }
    }

    #[test]
    fn an_order_went_to_the_location_with_its_postcode_and_house_number() {
        let locations = [place(1, "4381 AA", "1"), place(2, "4381 BB", "20")];
        let delivery = r#"{"name": "Hotel", "street": "Boulevard", "house_number": " 20", "postcode": "4381bb", "city": "Vlissingen", "country": "NL"}"#;
        assert_eq!(
            location_of(Some(delivery), &locations).map(|l| l.id),
            Some(2)
        );
        let elsewhere = delivery.replace("4381bb", "1011 AB");
        assert_eq!(
            location_of(Some(&elsewhere), &locations).map(|l| l.id),
            None
        );
        assert_eq!(location_of(None, &locations).map(|l| l.id), None);
        assert_eq!(
            location_of(Some("not json"), &locations).map(|l| l.id),
            None
        );
    }

    #[test]
    fn totals_add_up_per_month_newest_first() {
        let months = per_month(&[
            ("2026-11-20T10:00".into(), 1000, "EUR".into()),
            ("2026-10-02T09:00".into(), 250, "EUR".into()),
            ("2026-11-01T00:10".into(), 500, "EUR".into()),
        ]);
        let seen: Vec<(&str, i64, i64)> = months
            .iter()
            .map(|m| (m.month.as_str(), m.orders, m.total))
            .collect();
        assert_eq!(seen, [("2026-11", 2, 1500), ("2026-10", 1, 250)]);
    }
}
