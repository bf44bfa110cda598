//! The SQL of a customer's own address book (the addresses the retailer's systems send
//! are written by `repo::replace_external_addresses`). Every write refreshes the
//! customer's search terms (postcode + house number) in the same transaction.
use super::repo::{AddressRow, refresh_search};
use super::{Address, PostalAddress};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// The customer's addresses: defaults first, then oldest first.
pub async fn my_addresses(db: &Db, customer_id: i64) -> Result<Vec<super::MyAddress>, sqlx::Error> {
    let rows: Vec<AddressRow> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT id, external_id, name, street, house_number, addition, postcode, city, country, \
         is_default_delivery, is_default_billing FROM addresses WHERE customer_id = $1 \
         ORDER BY is_default_delivery DESC, is_default_billing DESC, id"
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let a = Address::from(r);
            super::MyAddress {
                id: a.id,
                address: a.address,
                default_delivery: a.default_delivery,
                default_billing: a.default_billing,
            }
        })
        .collect())
}

/// Adds (`id` = None) or changes one of the customer's addresses; `None` when `id` is not
/// theirs. Marking a default takes it from the customer's other addresses.
/// `changed_by` is the staff member who saves it for the customer (helping them in their
/// account), `None` when the customer does.
#[allow(clippy::too_many_arguments)]
pub async fn save_address(
    tx: &mut Tx,
    customer_id: i64,
    id: Option<i64>,
    a: &PostalAddress,
    default_delivery: bool,
    default_billing: bool,
    changed_by: Option<i64>,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let saved: Option<(i64,)> = match id {
        Some(id) => tx_run!(&mut *tx, |conn| {
            sqlx::query_as(
            "UPDATE addresses SET name = $3, street = $4, house_number = $5, addition = $6, postcode = $7, \
             city = $8, country = $9, updated_at = $10, changed_by = $11 \
             WHERE id = $1 AND customer_id = $2 RETURNING id"
        )
        .bind(id)
        .bind(customer_id)
        .bind(&a.name)
        .bind(&a.street)
        .bind(&a.house_number)
        .bind(&a.addition)
        .bind(&a.postcode)
        .bind(&a.city)
        .bind(&a.country)
        .bind(now)
        .bind(changed_by)
        .fetch_optional(conn)
        .await
        })?,
        None => tx_run!(&mut *tx, |conn| {
            sqlx::query_as(
            "INSERT INTO addresses (customer_id, name, street, house_number, addition, postcode, city, country, \
             created_at, updated_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id"
        )
        .bind(customer_id)
        .bind(&a.name)
        .bind(&a.street)
        .bind(&a.house_number)
        .bind(&a.addition)
        .bind(&a.postcode)
        .bind(&a.city)
        .bind(&a.country)
        .bind(now)
        .bind(changed_by)
        .fetch_optional(conn)
        .await
        })?,
    };
    let Some((id,)) = saved else { return Ok(None) };
    set_defaults(tx, customer_id, id, default_delivery, default_billing).await?;
    refresh_search(tx, customer_id).await?;
    Ok(Some(id))
}

/// Makes `id` the default delivery and/or billing address (only ever one of each).
pub async fn set_defaults(
    tx: &mut Tx,
    customer_id: i64,
    id: i64,
    delivery: bool,
    billing: bool,
) -> Result<(), sqlx::Error> {
    for (wanted, column) in [
        (delivery, "is_default_delivery"),
        (billing, "is_default_billing"),
    ] {
        if !wanted {
            continue;
        }
        let sql = format!("UPDATE addresses SET {column} = (id = $2) WHERE customer_id = $1");
        tx_run!(&mut *tx, |conn| sqlx::query(&sql)
            .bind(customer_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Deletes one of the customer's addresses; `false` when it is not theirs.
pub async fn delete_address(tx: &mut Tx, customer_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let deleted = tx_run!(&mut *tx, |conn| sqlx::query(
        "DELETE FROM addresses WHERE id = $1 AND customer_id = $2"
    )
    .bind(id)
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))?;
    refresh_search(tx, customer_id).await?;
    Ok(deleted)
}
