//! The customer's story, gathered from the areas.
use super::{
    ConsentLine, CustomerStory, NOTES_SHOWN, ORDERS_SHOWN, OpenReturn, REQUESTS_SHOWN, RequestLine,
};
use crate::db::Db;
use crate::error::AppError;
use crate::orders::{HistoryQuery, StatusGroup};

/// Everything customer service sees of customer `customer_id`; `NotFound` for no one.
pub async fn story(db: &Db, customer_id: i64, retailer: &str) -> Result<CustomerStory, AppError> {
    let (id, customer) = crate::customers::repo::find_by_id(db, customer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = crate::orders::history::order_history(
        db,
        Some(id),
        &HistoryQuery {
            page: 1,
            ..HistoryQuery::default()
        },
    )
    .await?;
    // Attention comes from the open orders' parcels, as on the customer's own overview.
    let open = crate::orders::history::first_rows(
        db,
        Some(id),
        &HistoryQuery {
            status: Some(StatusGroup::Open),
            page: 1,
            ..HistoryQuery::default()
        },
        i64::from(crate::orders::PAGE_SIZE),
    )
    .await?;
    let numbers: Vec<&str> = open.iter().map(|r| r.number.as_str()).collect();
    let attention = crate::tracking::service::on_the_way(db, &numbers, retailer)
        .await?
        .attention;
    let open_returns = crate::returns::repo::open_of_customer(db, id)
        .await?
        .into_iter()
        .map(|r| OpenReturn {
            items: r
                .lines
                .iter()
                .map(|l| l.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            code: r.code,
            order: r.order,
            status: r.status,
        })
        .collect();
    let consents = crate::privacy::service::states(db, id)
        .await?
        .into_iter()
        .map(|c| ConsentLine {
            purpose: c.purpose,
            channel: c.channel.as_str().to_string(),
            granted: c.granted,
            soft_opt_in: c.basis == crate::privacy::service::ConsentBasis::SoftOptIn,
        })
        .collect();
    let notes = crate::customer_service::service::notes(db, id, NOTES_SHOWN).await?;
    let requests = requests(db, id).await?;
    Ok(CustomerStory {
        id,
        customer,
        orders: history.rows.into_iter().take(ORDERS_SHOWN).collect(),
        order_count: history.total,
        attention,
        open_returns,
        requests,
        consents,
        notes,
        help: crate::privacy::help::current(db, id, crate::db::Timestamp::now()).await?,
    })
}

/// The customer's cancellation, reorder and delivery change requests, newest first.
async fn requests(db: &Db, customer_id: i64) -> Result<Vec<RequestLine>, AppError> {
    let line = |kind: &str, (order, status, at): (String, String, crate::db::Timestamp)| {
        (
            at,
            RequestLine {
                kind: kind.to_string(),
                order,
                status,
                at_local: crate::time::local_time(at.0),
            },
        )
    };
    let mut all: Vec<_> = crate::cancellations::repo::of_customer(db, customer_id, REQUESTS_SHOWN)
        .await?
        .into_iter()
        .map(|r| line("cancellation", r))
        .collect();
    all.extend(
        crate::reorders::repo::of_customer(db, customer_id, REQUESTS_SHOWN)
            .await?
            .into_iter()
            .map(|(order, status, at)| match order {
                Some(order) => line("reorder", (order, status, at)),
                // A quick order or an order list: no order it repeats.
                None => line("order_request", (String::new(), status, at)),
            }),
    );
    all.extend(
        crate::tracking::repo::requests_of_customer(db, customer_id, REQUESTS_SHOWN)
            .await?
            .into_iter()
            .map(|r| line("delivery_change", r)),
    );
    all.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    Ok(all.into_iter().map(|(_, r)| r).collect())
}
