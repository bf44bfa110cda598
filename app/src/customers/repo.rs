//! The SQL of the customers area.
use super::{Address, Customer, PostalAddress};
use crate::db::{Db, Timestamp, Tx};
use crate::language::Language;
use crate::{db_run, tx_run};

pub struct CustomerFields<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub email_normalized: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub language: Language,
    pub loyalty_card: Option<&'a str>,
}

/// Inserts or updates the customer with this external id; returns its id.
pub async fn upsert(
    tx: &mut Tx,
    external_id: &str,
    c: &CustomerFields<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO customers (external_id, name, email, email_normalized, phone, language, loyalty_card, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, email = excluded.email, \
             email_normalized = excluded.email_normalized, phone = excluded.phone, language = excluded.language, \
             loyalty_card = excluded.loyalty_card, updated_at = excluded.updated_at \
             RETURNING id",
        )
        .bind(external_id)
        .bind(c.name)
        .bind(c.email)
        .bind(c.email_normalized)
        .bind(c.phone)
        .bind(c.language.as_str())
        .bind(c.loyalty_card)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    refresh_search(tx, id).await?;
    Ok(id)
}

/// Rewrites the terms customer service finds this customer by (`customers::search`):
/// called by every write here that changes a name, a phone number or an address.
pub async fn refresh_search(tx: &mut Tx, customer_id: i64) -> Result<(), sqlx::Error> {
    let person: Option<(String, Option<String>)> = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT name, phone FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(conn)
    .await)?;
    let addresses: Vec<(String, String)> = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT postcode, house_number FROM addresses WHERE customer_id = $1"
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await)?;
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM customer_search WHERE customer_id = $1"
    )
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    let Some((name, phone)) = person else {
        return Ok(());
    };
    let terms = super::search::terms(
        &name,
        phone.as_deref(),
        addresses.iter().map(|(p, n)| (p.as_str(), n.as_str())),
    );
    if terms.is_empty() {
        return Ok(());
    }
    let values = (0..terms.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("INSERT INTO customer_search (customer_id, term) VALUES {values}");
    tx_run!(tx, |conn| {
        let mut query = sqlx::query(&sql).bind(customer_id);
        for term in &terms {
            query = query.bind(term);
        }
        query.execute(conn).await.map(|_| ())
    })
}

/// Customers after `after_id` with no search terms yet (made before the index existed),
/// at most `limit`, by id.
pub async fn unindexed(db: &Db, after_id: i64, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_scalar(
        "SELECT c.id FROM customers c \
         WHERE c.id > $1 AND NOT EXISTS (SELECT 1 FROM customer_search s WHERE s.customer_id = c.id) \
         ORDER BY c.id LIMIT $2"
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await
    })
}

/// The customer holding this loyalty card, by id.
pub async fn id_by_loyalty_card(tx: &mut Tx, card: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::id_by_key(tx, "customers", "loyalty_card", card).await
}

pub async fn id_by_external_id(tx: &mut Tx, external_id: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::id_by_key(tx, "customers", "external_id", external_id).await
}

/// The customer number the retailer's systems know this customer by (`None` for a
/// customer who only exists in the portal).
pub async fn external_id(tx: &mut Tx, customer_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = tx_run!(tx, |conn| {
        sqlx::query_as("SELECT external_id FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row.and_then(|r| r.0))
}

/// The customer numbers of these customers (those that have one), in one query.
pub async fn external_ids(
    db: &Db,
    customer_ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, sqlx::Error> {
    if customer_ids.is_empty() {
        return Ok(Default::default());
    }
    let list = crate::db::id_list(customer_ids);
    let sql = format!(
        "SELECT id, external_id FROM customers WHERE id IN ({list}) AND external_id IS NOT NULL"
    );
    let rows: Vec<(i64, String)> = db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows.into_iter().collect())
}

/// The one customer with this e-mail address; `None` when there is none or several
/// (then a purchase cannot be attributed by e-mail alone). Only an address someone
/// proved counts: the retailer's own record (it has a customer number) or a portal
/// account whose owner confirmed it. A record made in the portal from an address nobody
/// confirmed never receives purchases by e-mail.
pub async fn id_by_email(tx: &mut Tx, email_normalized: &str) -> Result<Option<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "SELECT c.id FROM customers c LEFT JOIN users u ON u.id = c.user_id \
             WHERE c.email_normalized = $1 \
             AND (c.external_id IS NOT NULL \
                  OR (u.email_verified_at IS NOT NULL AND u.email_normalized = c.email_normalized)) \
             LIMIT 2",
        )
            .bind(email_normalized)
            .fetch_all(conn)
            .await
    })?;
    Ok(match rows.as_slice() {
        [(id,)] => Some(*id),
        _ => None,
    })
}

/// Links the customer to the verified portal account with its e-mail address, when it
/// has none yet and that account is not linked to another customer.
pub async fn link_verified_user(
    tx: &mut Tx,
    customer_id: i64,
    email_normalized: &str,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE customers SET user_id = ( \
                 SELECT u.id FROM users u WHERE u.email_normalized = $2 AND u.email_verified_at IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.user_id = u.id)) \
             WHERE id = $1 AND user_id IS NULL",
        )
        .bind(customer_id)
        .bind(email_normalized)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

/// After a user verifies their address: link the (oldest) unlinked customer with that
/// address, unless the user already has one.
pub async fn link_customer_to_user(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE customers SET user_id = $1 \
             WHERE id = (SELECT min(c.id) FROM customers c JOIN users u ON u.email_normalized = c.email_normalized \
                         WHERE u.id = $1 AND c.user_id IS NULL) \
             AND NOT EXISTS (SELECT 1 FROM customers WHERE user_id = $1)",
        )
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

pub struct AddressFields<'a> {
    pub external_id: &'a str,
    pub address: &'a PostalAddress,
    pub default_delivery: bool,
    pub default_billing: bool,
}

/// Replaces the addresses that came from the retailer's system with `addresses`; the
/// ones the customer made in the portal stay. At most one default of each kind remains.
pub async fn replace_external_addresses(
    tx: &mut Tx,
    customer_id: i64,
    addresses: &[AddressFields<'_>],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let keep: Vec<&str> = addresses.iter().map(|a| a.external_id).collect();
    let keep_json = serde_json::to_string(&keep).unwrap_or_else(|_| "[]".into());
    // One statement for both dialects: the ids to keep travel as a JSON array.
    let delete = format!(
        "DELETE FROM addresses WHERE customer_id = $1 AND external_id IS NOT NULL \
         AND external_id NOT IN {}",
        tx.backend().texts_in(2)
    );
    tx_run!(tx, |conn| sqlx::query(&delete)
        .bind(customer_id)
        .bind(&keep_json)
        .execute(conn)
        .await
        .map(|_| ()))?;
    if addresses.iter().any(|a| a.default_delivery) {
        tx_run!(tx, |conn| sqlx::query(
            "UPDATE addresses SET is_default_delivery = FALSE WHERE customer_id = $1"
        )
        .bind(customer_id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    if addresses.iter().any(|a| a.default_billing) {
        tx_run!(tx, |conn| sqlx::query(
            "UPDATE addresses SET is_default_billing = FALSE WHERE customer_id = $1"
        )
        .bind(customer_id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    for a in addresses {
        let p = a.address;
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO addresses (customer_id, external_id, name, street, house_number, addition, postcode, city, country, \
                 is_default_delivery, is_default_billing, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
                 ON CONFLICT (customer_id, external_id) DO UPDATE SET name = excluded.name, street = excluded.street, \
                 house_number = excluded.house_number, addition = excluded.addition, postcode = excluded.postcode, \
                 city = excluded.city, country = excluded.country, is_default_delivery = excluded.is_default_delivery, \
                 is_default_billing = excluded.is_default_billing, updated_at = excluded.updated_at",
            )
            .bind(customer_id)
            .bind(a.external_id)
            .bind(&p.name)
            .bind(&p.street)
            .bind(&p.house_number)
            .bind(&p.addition)
            .bind(&p.postcode)
            .bind(&p.city)
            .bind(&p.country)
            .bind(a.default_delivery)
            .bind(a.default_billing)
            .bind(now)
            .execute(conn)
            .await.map(|_| ())
        })?;
    }
    refresh_search(tx, customer_id).await
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    external_id: Option<String>,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    language: String,
    loyalty_card: Option<String>,
    has_account: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct AddressRow {
    id: i64,
    external_id: Option<String>,
    name: String,
    street: String,
    house_number: String,
    addition: Option<String>,
    postcode: String,
    city: String,
    country: String,
    is_default_delivery: bool,
    is_default_billing: bool,
}

impl From<AddressRow> for Address {
    fn from(r: AddressRow) -> Address {
        Address {
            id: r.id,
            external_id: r.external_id,
            address: PostalAddress {
                name: r.name,
                street: r.street,
                house_number: r.house_number,
                addition: r.addition,
                postcode: r.postcode,
                city: r.city,
                country: r.country,
            },
            default_delivery: r.is_default_delivery,
            default_billing: r.is_default_billing,
        }
    }
}

/// The customer with this external id and their addresses, and its internal id.
pub async fn find_by_external_id(
    db: &Db,
    external_id: &str,
) -> Result<Option<(i64, Customer)>, sqlx::Error> {
    let row: Option<CustomerRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, external_id, name, email, phone, language, loyalty_card, user_id IS NOT NULL AS has_account \
             FROM customers WHERE external_id = $1",
        )
        .bind(external_id)
        .fetch_optional(pool)
        .await
    })?;
    with_addresses(db, row).await
}

/// The customer with this id, with their addresses.
pub async fn find_by_id(db: &Db, customer_id: i64) -> Result<Option<(i64, Customer)>, sqlx::Error> {
    let row: Option<CustomerRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, external_id, name, email, phone, language, loyalty_card, user_id IS NOT NULL AS has_account \
             FROM customers WHERE id = $1",
        )
        .bind(customer_id)
        .fetch_optional(pool)
        .await
    })?;
    with_addresses(db, row).await
}

async fn with_addresses(
    db: &Db,
    row: Option<CustomerRow>,
) -> Result<Option<(i64, Customer)>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let addresses: Vec<AddressRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, external_id, name, street, house_number, addition, postcode, city, country, \
             is_default_delivery, is_default_billing FROM addresses WHERE customer_id = $1 ORDER BY id",
        )
        .bind(row.id)
        .fetch_all(pool)
        .await
    })?;
    Ok(Some((
        row.id,
        Customer {
            external_id: row.external_id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            language: Language::parse(&row.language).unwrap_or_default(),
            loyalty_card: row.loyalty_card,
            has_account: row.has_account,
            addresses: addresses.into_iter().map(Address::from).collect(),
        },
    )))
}

/// The customer linked to this portal account, if any.
pub async fn id_for_user(db: &Db, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id FROM customers WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|r| r.0))
}

/// The customer's loyalty card number, if they have one.
pub async fn loyalty_card(db: &Db, customer_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT loyalty_card FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.and_then(|r| r.0))
}

pub async fn set_loyalty_card(
    tx: &mut Tx,
    customer_id: i64,
    card: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE customers SET loyalty_card = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(customer_id)
    .bind(card)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Creates the customer record of a portal user who has none yet; returns its id.
pub async fn create_for_user(
    db: &Db,
    user_id: i64,
    name: &str,
    email: &str,
    language: Language,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let email_normalized = crate::validate::normalize_email(email);
    // Two requests at once: the UNIQUE user_id lets one insert; both read the same id.
    db_run!(db, |pool| {
        sqlx::query(
        "INSERT INTO customers (user_id, name, email, email_normalized, language, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (user_id) DO NOTHING"
    )
    .bind(user_id)
    .bind(name)
    .bind(email)
    .bind(&email_normalized)
    .bind(language.as_str())
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ())
    })?;
    let id = id_for_user(db, user_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let mut tx = db.begin().await?;
    refresh_search(&mut tx, id).await?;
    tx.commit().await?;
    Ok(id)
}

/// The contact details the customer keeps up to date themselves.
pub async fn contact_details(
    db: &Db,
    customer_id: i64,
) -> Result<(Option<String>, Option<chrono::NaiveDate>), sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT phone, birth_date FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_one(pool)
    .await)
}

pub async fn set_contact_details(
    tx: &mut Tx,
    customer_id: i64,
    name: &str,
    phone: Option<&str>,
    birth_date: Option<chrono::NaiveDate>,
    language: Language,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE customers SET name = $2, phone = $3, birth_date = $4, language = $5, updated_at = $6 WHERE id = $1"
    )
    .bind(customer_id)
    .bind(name)
    .bind(phone)
    .bind(birth_date)
    .bind(language.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    refresh_search(tx, customer_id).await
}

/// A confirmed new e-mail address of the user reaches their customer record too.
pub async fn set_email_of_user(
    tx: &mut Tx,
    user_id: i64,
    email: &str,
    email_normalized: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE customers SET email = $2, email_normalized = $3, updated_at = $4 WHERE user_id = $1"
    )
    .bind(user_id)
    .bind(email)
    .bind(email_normalized)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// The customers a search finds by name words, e-mail, phone, postcode and house number
/// or loyalty card (`customers::search::Query`), at most `limit`, by id. Every reading
/// uses an index: name words by the start of a term, the rest by equality.
pub async fn search_ids(
    db: &Db,
    query: &super::search::Query,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut found: Vec<i64> = Vec::new();
    if !query.words.is_empty() {
        // One range per word; a customer must have all of them.
        let ranges = (0..query.words.len())
            .map(|i| {
                format!(
                    "SELECT customer_id FROM customer_search WHERE term >= ${} AND term < ${}",
                    2 * i + 2,
                    2 * i + 3
                )
            })
            .collect::<Vec<_>>()
            .join(" INTERSECT ");
        let sql =
            format!("SELECT customer_id FROM ({ranges}) AS matches ORDER BY customer_id LIMIT $1");
        let bounds: Vec<(String, String)> = query
            .words
            .iter()
            .map(|w| (format!("n:{w}"), format!("n:{w}\u{10FFFF}")))
            .collect();
        found.extend(db_run!(db, |pool| {
            let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(limit);
            for (from, until) in &bounds {
                q = q.bind(from).bind(until);
            }
            q.fetch_all(pool).await
        })?);
    }
    let exact_terms: Vec<String> = [
        query.phone.as_ref().map(|p| format!("p:{p}")),
        query.address.as_ref().map(|a| format!("a:{a}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    for term in &exact_terms {
        found.extend(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT customer_id FROM customer_search WHERE term = $1 ORDER BY customer_id LIMIT $2"
        )
        .bind(term)
        .bind(limit)
        .fetch_all(pool)
        .await)?);
    }
    for (column, value) in [
        ("email_normalized", query.email.as_ref()),
        ("loyalty_card", query.card.as_ref()),
    ] {
        let Some(value) = value else { continue };
        let sql = format!("SELECT id FROM customers WHERE {column} = $1 ORDER BY id LIMIT $2");
        found.extend(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(&sql)
            .bind(value)
            .bind(limit)
            .fetch_all(pool)
            .await)?);
    }
    Ok(found)
}

/// A customer's name, e-mail address and language, to mail them (`None`: no such customer).
pub async fn mail_details(
    db: &Db,
    customer_id: i64,
) -> Result<Option<(String, Option<String>, String)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT name, email, language FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)
}
