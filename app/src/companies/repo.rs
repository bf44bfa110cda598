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

/// A member as the API sends them: a limit `None` (left out) stays as it is.
pub struct MemberSet {
    pub customer_id: i64,
    pub role: MemberRole,
    pub limit_per_order: Option<Option<i64>>,
    pub limit_per_month: Option<Option<i64>>,
}

/// The company's members become exactly `members`: the others go, the rest keep what the
/// portal set for them (locations; limits unless given).
pub async fn replace_members(
    tx: &mut Tx,
    company_id: i64,
    members: &[MemberSet],
) -> Result<(), sqlx::Error> {
    let keep: Vec<i64> = members.iter().map(|m| m.customer_id).collect();
    let keep_json = serde_json::to_string(&keep).unwrap_or_else(|_| "[]".into());
    let delete = format!(
        "DELETE FROM company_members WHERE company_id = $1 AND customer_id NOT IN {}",
        tx.backend().ids_in(2)
    );
    tx_run!(tx, |conn| sqlx::query(&delete)
        .bind(company_id)
        .bind(&keep_json)
        .execute(conn)
        .await
        .map(|_| ()))?;
    for m in members {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO company_members (company_id, customer_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (company_id, customer_id) DO UPDATE SET role = excluded.role"
        )
        .bind(company_id)
        .bind(m.customer_id)
        .bind(m.role.as_str())
        .execute(conn)
        .await
        .map(|_| ()))?;
        for (column, limit) in [
            ("limit_per_order", m.limit_per_order),
            ("limit_per_month", m.limit_per_month),
        ] {
            if let Some(limit) = limit {
                set_limit(tx, company_id, m.customer_id, column, limit).await?;
            }
        }
    }
    Ok(())
}

/// `column`: `limit_per_order` or `limit_per_month` (never from input).
async fn set_limit(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    column: &str,
    limit: Option<i64>,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE company_members SET {column} = $3 WHERE company_id = $1 AND customer_id = $2"
    );
    tx_run!(tx, |conn| sqlx::query(&sql)
        .bind(company_id)
        .bind(customer_id)
        .bind(limit)
        .execute(conn)
        .await
        .map(|_| ()))
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
    type MemberRow = (Option<String>, String, String, Option<i64>, Option<i64>);
    let members: Vec<MemberRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT c.external_id, c.name, m.role, m.limit_per_order, m.limit_per_month \
         FROM company_members m JOIN customers c ON c.id = m.customer_id \
         WHERE m.company_id = $1 ORDER BY c.name, c.id",
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
            .map(
                |(customer, name, role, limit_per_order, limit_per_month)| CompanyMember {
                    customer: customer.unwrap_or_default(),
                    name,
                    // The database allows only known roles; the narrowest if ever not.
                    role: MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
                    limit_per_order,
                    limit_per_month,
                },
            )
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

/// The company of a member as their page needs it.
pub struct Membership {
    pub company_id: i64,
    pub external_id: String,
    pub name: String,
    pub role: MemberRole,
    pub limit_per_order: Option<i64>,
    pub limit_per_month: Option<i64>,
}

type MembershipRow = (i64, String, String, String, Option<i64>, Option<i64>);

fn membership(
    (company_id, external_id, name, role, per_order, per_month): MembershipRow,
) -> Membership {
    Membership {
        company_id,
        external_id,
        name,
        // The database allows only known roles; the narrowest if ever not.
        role: MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
        limit_per_order: per_order,
        limit_per_month: per_month,
    }
}

/// Every company the customer is a member of, by name.
pub async fn memberships(db: &Db, customer_id: i64) -> Result<Vec<Membership>, sqlx::Error> {
    let rows: Vec<MembershipRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT c.id, c.external_id, c.name, m.role, m.limit_per_order, m.limit_per_month \
             FROM company_members m JOIN companies c ON c.id = m.company_id \
             WHERE m.customer_id = $1 ORDER BY c.name, c.id",
        )
        .bind(customer_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(membership).collect())
}

/// The company's members with their limits and locations, by name.
pub async fn members(db: &Db, company_id: i64) -> Result<Vec<super::MemberRow>, sqlx::Error> {
    type Row = (
        i64,
        String,
        Option<String>,
        String,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT c.id, c.name, c.email, m.role, m.limit_per_order, m.limit_per_month \
             FROM company_members m JOIN customers c ON c.id = m.customer_id \
             WHERE m.company_id = $1 ORDER BY c.name, c.id",
        )
        .bind(company_id)
        .fetch_all(pool)
        .await
    })?;
    let allowed = member_locations(db, company_id).await?;
    Ok(rows
        .into_iter()
        .map(
            |(customer_id, name, email, role, limit_per_order, limit_per_month)| super::MemberRow {
                customer_id,
                name,
                email,
                role: MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
                limit_per_order,
                limit_per_month,
                locations: allowed
                    .iter()
                    .filter(|(c, _)| *c == customer_id)
                    .map(|(_, l)| *l)
                    .collect(),
                is_me: false,
            },
        )
        .collect())
}

/// `(customer id, location id)` of every member limited to some locations.
pub async fn member_locations(db: &Db, company_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT customer_id, location_id FROM company_member_locations \
             WHERE company_id = $1 ORDER BY customer_id, location_id",
        )
        .bind(company_id)
        .fetch_all(pool)
        .await
    })
}

/// Changes a member's role and limits; `false` when they are not a member (any more).
pub async fn set_member(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    role: MemberRole,
    per_order: Option<i64>,
    per_month: Option<i64>,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE company_members SET role = $3, limit_per_order = $4, limit_per_month = $5 \
         WHERE company_id = $1 AND customer_id = $2"
    )
    .bind(company_id)
    .bind(customer_id)
    .bind(role.as_str())
    .bind(per_order)
    .bind(per_month)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// The member may order for exactly these locations from now on (none: every location).
pub async fn set_member_locations(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    locations: &[i64],
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM company_member_locations WHERE company_id = $1 AND customer_id = $2"
    )
    .bind(company_id)
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    for location in locations {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO company_member_locations (company_id, customer_id, location_id) \
             SELECT $1, $2, id FROM company_locations WHERE id = $3 AND company_id = $1"
        )
        .bind(company_id)
        .bind(customer_id)
        .bind(location)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Adds a member; `false` when they already were one (nothing changes then).
pub async fn add_member(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    role: MemberRole,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO company_members (company_id, customer_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (company_id, customer_id) DO NOTHING"
    )
    .bind(company_id)
    .bind(customer_id)
    .bind(role.as_str())
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

pub async fn remove_member(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM company_members WHERE company_id = $1 AND customer_id = $2"
    )
    .bind(company_id)
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// How many admins the company has, read inside the change that might remove the last.
pub async fn admin_count(tx: &mut Tx, company_id: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT count(*) FROM company_members WHERE company_id = $1 AND role = 'admin'"
    )
    .bind(company_id)
    .fetch_one(conn)
    .await)?;
    Ok(n)
}

pub async fn locations(
    db: &Db,
    company_id: i64,
) -> Result<Vec<super::CompanyLocation>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, name, street, house_number, addition, postcode, city, country \
             FROM company_locations WHERE company_id = $1 ORDER BY name, id",
        )
        .bind(company_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, street, house_number, addition, postcode, city, country)| {
                super::CompanyLocation {
                    id,
                    address: crate::customers::PostalAddress {
                        name,
                        street,
                        house_number,
                        addition,
                        postcode,
                        city,
                        country,
                    },
                }
            },
        )
        .collect())
}

pub async fn insert_location(
    tx: &mut Tx,
    company_id: i64,
    a: &crate::customers::PostalAddress,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO company_locations (company_id, name, street, house_number, addition, postcode, city, country, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(company_id)
    .bind(&a.name)
    .bind(&a.street)
    .bind(&a.house_number)
    .bind(&a.addition)
    .bind(&a.postcode)
    .bind(&a.city)
    .bind(&a.country)
    .bind(now)
    .fetch_one(conn)
    .await
    })?;
    Ok(id)
}

/// `false` when the company has no such location.
pub async fn delete_location(
    tx: &mut Tx,
    company_id: i64,
    location_id: i64,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM company_locations WHERE company_id = $1 AND id = $2"
    )
    .bind(company_id)
    .bind(location_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// An invitation as its link finds it.
pub struct Invitation {
    pub id: i64,
    pub company_id: i64,
    pub company_external_id: String,
    pub company_name: String,
    pub email: String,
    pub email_normalized: String,
    pub role: MemberRole,
    pub invited_by: Option<String>,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub withdrawn_at: Option<Timestamp>,
}

pub struct NewInvitation<'a> {
    pub company_id: i64,
    pub email: &'a str,
    pub email_normalized: &'a str,
    pub role: MemberRole,
    pub token_hash: &'a str,
    pub invited_by: i64,
    pub expires_at: Timestamp,
}

/// Stores an invitation; an open one to the same address is withdrawn (the new link
/// replaces it).
pub async fn insert_invitation(
    tx: &mut Tx,
    new: &NewInvitation<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE company_invitations SET withdrawn_at = $3 \
         WHERE company_id = $1 AND email_normalized = $2 AND accepted_at IS NULL AND withdrawn_at IS NULL"
    )
    .bind(new.company_id)
    .bind(new.email_normalized)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO company_invitations (company_id, email, email_normalized, role, token_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(new.company_id)
    .bind(new.email)
    .bind(new.email_normalized)
    .bind(new.role.as_str())
    .bind(new.token_hash)
    .bind(new.invited_by)
    .bind(now)
    .bind(new.expires_at)
    .fetch_one(conn)
    .await
    })?;
    Ok(id)
}

/// Invitations neither accepted nor withdrawn (expired ones included), newest first:
/// `(id, e-mail, role, expires at)`.
pub async fn open_invitations(
    db: &Db,
    company_id: i64,
) -> Result<Vec<(i64, String, MemberRole, Timestamp)>, sqlx::Error> {
    let rows: Vec<(i64, String, String, Timestamp)> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, role, expires_at FROM company_invitations \
             WHERE company_id = $1 AND accepted_at IS NULL AND withdrawn_at IS NULL \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(company_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, email, role, expires)| {
            (
                id,
                email,
                MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
                expires,
            )
        })
        .collect())
}

/// `false` when the company has no such open invitation.
pub async fn withdraw_invitation(
    tx: &mut Tx,
    company_id: i64,
    id: i64,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE company_invitations SET withdrawn_at = $3 \
         WHERE company_id = $1 AND id = $2 AND accepted_at IS NULL AND withdrawn_at IS NULL"
    )
    .bind(company_id)
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

pub async fn invitation_by_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Timestamp,
        Option<Timestamp>,
        Option<Timestamp>,
    );
    let row: Option<Row> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT i.id, i.company_id, c.external_id, c.name, i.email, i.email_normalized, i.role, u.name, \
             i.expires_at, i.accepted_at, i.withdrawn_at \
             FROM company_invitations i JOIN companies c ON c.id = i.company_id \
             LEFT JOIN users u ON u.id = i.invited_by WHERE i.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(
        |(
            id,
            company_id,
            company_external_id,
            company_name,
            email,
            email_normalized,
            role,
            invited_by,
            expires_at,
            accepted_at,
            withdrawn_at,
        )| Invitation {
            id,
            company_id,
            company_external_id,
            company_name,
            email,
            email_normalized,
            role: MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
            invited_by,
            expires_at,
            accepted_at,
            withdrawn_at,
        },
    ))
}

/// Uses the invitation once: `false` when it was accepted, withdrawn or expired meanwhile.
pub async fn mark_accepted(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE company_invitations SET accepted_at = $2 \
         WHERE id = $1 AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2"
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Invitations (with their e-mail address) accepted, withdrawn or expired before `before`.
pub async fn purge_invitations(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
            "DELETE FROM company_invitations WHERE expires_at < $1 OR accepted_at < $1 OR withdrawn_at < $1",
        )
        .bind(before)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })
}

/// A member's customer number (if the back office gave one), name and e-mail address.
pub async fn contact(
    tx: &mut Tx,
    customer_id: i64,
) -> Result<(Option<String>, String, Option<String>), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_as(
        "SELECT external_id, name, email FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_one(conn)
    .await)
}

/// Who may approve the company's orders (approvers and admins) besides `except` (the
/// buyer): `(customer id, name, e-mail, language)`.
pub async fn approvers(
    db: &Db,
    external_id: &str,
    except: i64,
) -> Result<Vec<(i64, String, Option<String>, String)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT c.id, c.name, c.email, c.language FROM company_members m \
         JOIN companies co ON co.id = m.company_id JOIN customers c ON c.id = m.customer_id \
         WHERE co.external_id = $1 AND m.role IN ('approver', 'admin') AND m.customer_id <> $2 \
         ORDER BY c.name, c.id"
    )
    .bind(external_id)
    .bind(except)
    .fetch_all(pool)
    .await)
}

/// The member's order limits in the company (`None`: not a member).
pub async fn limits_of(
    db: &Db,
    customer_id: i64,
    external_id: &str,
) -> Result<Option<(Option<i64>, Option<i64>)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT m.limit_per_order, m.limit_per_month FROM company_members m \
         JOIN companies c ON c.id = m.company_id WHERE m.customer_id = $1 AND c.external_id = $2"
    )
    .bind(customer_id)
    .bind(external_id)
    .fetch_optional(pool)
    .await)
}
