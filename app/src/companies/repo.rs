//! The SQL of B2B companies.
use super::{Company, CompanyMember, MemberRole};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

pub async fn upsert(
    tx: &mut Tx,
    external_id: &str,
    name: &str,
    vat_number: Option<&str>,
    kvk_number: Option<&str>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO companies (external_id, name, vat_number, kvk_number, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, vat_number = excluded.vat_number, \
             kvk_number = excluded.kvk_number, updated_at = excluded.updated_at RETURNING id",
        )
        .bind(external_id)
        .bind(name)
        .bind(vat_number)
        .bind(kvk_number)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    Ok(id)
}

pub async fn replace_members(
    tx: &mut Tx,
    company_id: i64,
    members: &[(i64, MemberRole)],
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM company_members WHERE company_id = $1"
    )
    .bind(company_id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    for (customer_id, role) in members {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO company_members (company_id, customer_id, role) VALUES ($1, $2, $3)"
        )
        .bind(company_id)
        .bind(customer_id)
        .bind(role.as_str())
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

pub async fn id_by_external_id(tx: &mut Tx, external_id: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::id_by_key(tx, "companies", "external_id", external_id).await
}

pub async fn find(db: &Db, external_id: &str) -> Result<Option<Company>, sqlx::Error> {
    type CompanyRow = (i64, String, String, Option<String>, Option<String>);
    let row: Option<CompanyRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, external_id, name, vat_number, kvk_number FROM companies WHERE external_id = $1"
        )
        .bind(external_id)
        .fetch_optional(pool)
        .await
    })?;
    let Some((id, external_id, name, vat_number, kvk_number)) = row else {
        return Ok(None);
    };
    let members: Vec<(Option<String>, String, String)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT c.external_id, c.name, m.role FROM company_members m JOIN customers c ON c.id = m.customer_id \
         WHERE m.company_id = $1 ORDER BY c.name, c.id"
    )
    .bind(id)
    .fetch_all(pool)
    .await
    })?;
    Ok(Some(Company {
        external_id,
        name,
        vat_number,
        kvk_number,
        members: members
            .into_iter()
            .map(|(customer, name, role)| CompanyMember {
                customer: customer.unwrap_or_default(),
                name,
                // The database allows only known roles; the narrowest if ever not.
                role: MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
            })
            .collect(),
    }))
}

/// The role of customer `customer_id` in the company with `external_id` (`None`: not a
/// member).
pub async fn role_in(
    db: &Db,
    customer_id: i64,
    external_id: &str,
) -> Result<Option<MemberRole>, sqlx::Error> {
    let role: Option<(String,)> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT m.role FROM company_members m JOIN companies c ON c.id = m.company_id \
             WHERE m.customer_id = $1 AND c.external_id = $2",
        )
        .bind(customer_id)
        .bind(external_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(role.and_then(|(r,)| MemberRole::parse(&r)))
}
