//! The SQL of the company's orders and its invoices.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// An order of the company, as its list needs it.
#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub number: String,
    pub placed_at: Timestamp,
    pub customer_id: Option<i64>,
    pub buyer: Option<String>,
    pub status: String,
    pub total_minor: i64,
    pub currency: String,
    pub delivery_address: Option<String>,
}

/// The company's orders placed in `[from, until)`, of one buyer when given, newest first;
/// at most `limit`.
pub async fn orders(
    db: &Db,
    company_id: i64,
    buyer: Option<i64>,
    (from, until): (Timestamp, Timestamp),
    limit: i64,
) -> Result<Vec<OrderRow>, sqlx::Error> {
    let by_buyer = if buyer.is_some() {
        "AND o.customer_id = $5"
    } else {
        ""
    };
    let sql = format!(
        "SELECT o.number, o.placed_at, o.customer_id, c.name AS buyer, o.status, o.total_minor, \
         o.currency, o.delivery_address FROM orders o LEFT JOIN customers c ON c.id = o.customer_id \
         WHERE o.company_id = $1 AND o.placed_at >= $2 AND o.placed_at < $3 {by_buyer} \
         ORDER BY o.placed_at DESC, o.id DESC LIMIT $4"
    );
    db_run!(db, |pool| {
        let query = sqlx::query_as(&sql)
            .bind(company_id)
            .bind(from)
            .bind(until)
            .bind(limit);
        match buyer {
            Some(b) => query.bind(b),
            None => query,
        }
        .fetch_all(pool)
        .await
    })
}

/// The first and last moment the company ordered, for the period filter's years.
pub async fn span(
    db: &Db,
    company_id: i64,
) -> Result<(Option<Timestamp>, Option<Timestamp>), sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT min(placed_at), max(placed_at) FROM orders WHERE company_id = $1"
    )
    .bind(company_id)
    .fetch_one(pool)
    .await)
}

/// An invoice as sent.
pub struct NewInvoice<'a> {
    pub number: &'a str,
    pub company_id: i64,
    pub order_id: Option<i64>,
    pub date: &'a str,
    pub due_date: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub status: &'a str,
    pub pdf: Option<&'a [u8]>,
    pub lines: &'a [super::InvoiceLine],
}

/// Stores an invoice (by its number: sent again, it is replaced, lines and all).
pub async fn upsert_invoice(
    tx: &mut Tx,
    i: &NewInvoice<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO invoices (number, company_id, order_id, issued_on, due_on, amount_minor, currency, \
         status, pdf, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         ON CONFLICT (number) DO UPDATE SET company_id = excluded.company_id, order_id = excluded.order_id, \
         issued_on = excluded.issued_on, due_on = excluded.due_on, amount_minor = excluded.amount_minor, \
         currency = excluded.currency, status = excluded.status, pdf = excluded.pdf, \
         updated_at = excluded.updated_at RETURNING id"
    )
    .bind(i.number)
    .bind(i.company_id)
    .bind(i.order_id)
    .bind(i.date)
    .bind(i.due_date)
    .bind(i.amount)
    .bind(i.currency)
    .bind(i.status)
    .bind(i.pdf)
    .bind(now)
    .fetch_one(conn)
    .await
    })?;
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM invoice_lines WHERE invoice_id = $1"
    )
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    for (n, line) in i.lines.iter().enumerate() {
        tx_run!(tx, |conn| {
            sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, line_no, description, quantity, unit_minor, amount_minor) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(n as i32 + 1)
        .bind(&line.description)
        .bind(line.quantity)
        .bind(line.unit_price)
        .bind(line.amount)
        .execute(conn)
        .await
        .map(|_| ())
        })?;
    }
    Ok(id)
}

/// An invoice's head: id, number, company id, company number, order number, date, due
/// date, amount, currency, status, whether a PDF was sent.
#[derive(sqlx::FromRow)]
pub struct InvoiceHead {
    pub id: i64,
    pub number: String,
    pub company_id: i64,
    pub company: String,
    pub order_number: Option<String>,
    pub issued_on: String,
    pub due_on: String,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
    pub has_pdf: bool,
}

const SELECT_HEAD: &str = "SELECT i.id, i.number, i.company_id, co.external_id AS company, \
     o.number AS order_number, i.issued_on, i.due_on, i.amount_minor, i.currency, i.status, \
     (i.pdf IS NOT NULL) AS has_pdf FROM invoices i JOIN companies co ON co.id = i.company_id \
     LEFT JOIN orders o ON o.id = i.order_id";

/// One invoice by its number.
pub async fn invoice(db: &Db, number: &str) -> Result<Option<InvoiceHead>, sqlx::Error> {
    let sql = format!("{SELECT_HEAD} WHERE i.number = $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(number)
        .fetch_optional(pool)
        .await)
}

/// The company's invoices, newest first; at most `limit`.
pub async fn invoices_of(
    db: &Db,
    company_id: i64,
    limit: i64,
) -> Result<Vec<InvoiceHead>, sqlx::Error> {
    let sql = format!(
        "{SELECT_HEAD} WHERE i.company_id = $1 ORDER BY i.issued_on DESC, i.id DESC LIMIT $2"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(company_id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// An invoice's lines in order.
pub async fn invoice_lines(
    db: &Db,
    invoice_id: i64,
) -> Result<Vec<super::InvoiceLine>, sqlx::Error> {
    let rows: Vec<(String, i32, i64, i64)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT description, quantity, unit_minor, amount_minor FROM invoice_lines \
         WHERE invoice_id = $1 ORDER BY line_no"
    )
    .bind(invoice_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(description, quantity, unit_price, amount)| super::InvoiceLine {
                description,
                quantity,
                unit_price,
                amount,
            },
        )
        .collect())
}

/// The PDF the back office sent with the invoice, if it did.
pub async fn invoice_pdf(db: &Db, invoice_id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let (pdf,): (Option<Vec<u8>>,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT pdf FROM invoices WHERE id = $1"
    )
    .bind(invoice_id)
    .fetch_one(pool)
    .await)?;
    Ok(pdf)
}
