//! The rules of B2B companies.
use serde::Deserialize;

use super::{Company, MemberRole, normalize_kvk_number, normalize_vat_number, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::validate::{Checks, non_empty};

/// A company as the back office sends it (`PUT /api/v1/companies/{id}`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyInput {
    pub name: String,
    #[serde(default)]
    pub vat_number: Option<String>,
    /// Dutch Chamber of Commerce number (8 digits).
    #[serde(default)]
    pub kvk_number: Option<String>,
    /// When given, the company's members become exactly these customers.
    #[serde(default)]
    pub members: Option<Vec<MemberInput>>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// The customer number of a customer sent before.
    pub customer: String,
    pub role: MemberRole,
    /// Most one order may cost without an approver's yes, in minor units (cents); `null`:
    /// no limit. Left out: as set before (in the portal by the company's admin).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0)]
    pub limit_per_order: Option<Option<i64>>,
    /// The same for all of a calendar month's orders of this buyer together.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0)]
    pub limit_per_month: Option<Option<i64>>,
}

/// A field given (`Some`, its value possibly `null`) as opposed to left out (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Whether the customer may act on an order of `company` — order again, cancel, return: a
/// viewer of the company may only look. Not a company order (`None`): yes.
pub async fn may_act_for(
    db: &Db,
    customer_id: Option<i64>,
    company: Option<&str>,
) -> Result<bool, AppError> {
    let (Some(customer_id), Some(company)) = (customer_id, company) else {
        return Ok(true);
    };
    Ok(repo::role_in(db, customer_id, company)
        .await?
        .is_none_or(MemberRole::may_order))
}

pub async fn upsert_company(
    db: &Db,
    external_id: &str,
    input: CompanyInput,
) -> Result<Company, AppError> {
    let mut checks = Checks::new();
    checks.external_id("external_id", external_id);
    checks.text("name", &input.name, 200);
    let vat = non_empty(input.vat_number.as_deref()).map(|v| {
        let normalized = normalize_vat_number(v);
        if normalized.is_none() {
            checks.push("vat_number", "invalid");
        }
        normalized
    });
    let kvk = non_empty(input.kvk_number.as_deref()).map(|v| {
        let normalized = normalize_kvk_number(v);
        if normalized.is_none() {
            checks.push("kvk_number", "invalid");
        }
        normalized
    });
    let mut tx = db.begin().await?;
    let mut members: Vec<repo::MemberSet> = Vec::new();
    for (i, m) in input.members.iter().flatten().enumerate() {
        match crate::customers::repo::id_by_external_id(&mut tx, m.customer.trim()).await? {
            Some(id) if members.iter().any(|seen| seen.customer_id == id) => {
                checks.push(format!("members[{i}].customer"), "duplicate")
            }
            Some(id) => {
                for (field, limit) in [
                    ("limit_per_order", m.limit_per_order),
                    ("limit_per_month", m.limit_per_month),
                ] {
                    if let Some(Some(value)) = limit {
                        checks.not_negative(&format!("members[{i}].{field}"), value);
                    }
                }
                members.push(repo::MemberSet {
                    customer_id: id,
                    role: m.role,
                    limit_per_order: m.limit_per_order,
                    limit_per_month: m.limit_per_month,
                })
            }
            None => checks.push(format!("members[{i}].customer"), "unknown_customer"),
        }
    }
    checks.finish()?;
    let id = repo::upsert(
        &mut tx,
        external_id,
        input.name.trim(),
        vat.flatten().as_deref(),
        kvk.flatten().as_deref(),
        Timestamp::now(),
    )
    .await?;
    if input.members.is_some() {
        repo::replace_members(&mut tx, id, &members).await?;
    }
    tx.commit().await?;
    repo::find(db, external_id).await?.ok_or(AppError::Internal)
}
