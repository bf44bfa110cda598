//! The customer's own record and addresses as a data export writes them
//! (`privacy::export`; the field names are the export's columns), and what erasure
//! removes of them (`privacy::erasure`).
use serde::Serialize;

use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct ProfileRow {
    /// The retailer's own number for the customer, if it sent one.
    pub customer_number: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_date: Option<String>,
    pub language: String,
    pub loyalty_card: Option<String>,
    pub customer_since: Timestamp,
}

pub async fn profile(db: &Db, customer_id: i64) -> Result<Option<ProfileRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT external_id AS customer_number, name, email, phone, \
                CAST(birth_date AS TEXT) AS birth_date, language, loyalty_card, \
                created_at AS customer_since \
         FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct AddressRow {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub addition: Option<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub default_delivery: bool,
    pub default_billing: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The customer's addresses with an id after `after`, at most `limit`, in id order.
pub async fn addresses(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<AddressRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, name, street, house_number, addition, postcode, city, country, \
                is_default_delivery AS default_delivery, is_default_billing AS default_billing, \
                created_at, updated_at \
         FROM addresses WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Erasure: the customer record (its addresses, consents, company memberships, data
/// exports and saved advice go with it; orders and returns lose the link). Returns the retailer's own
/// number for the customer, for the back office's message.
pub async fn erase_customer(tx: &mut Tx, customer_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT external_id FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(conn)
    .await)?;
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(row.and_then(|(external,)| external))
}
