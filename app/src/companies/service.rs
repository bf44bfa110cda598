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

/// The company's delivery locations this member may order to: those the admin limited
/// them to, else all of them (none when the company has none).
pub async fn delivery_locations(
    db: &Db,
    company_id: i64,
    customer_id: i64,
) -> Result<Vec<super::CompanyLocation>, AppError> {
    let all = repo::locations(db, company_id).await?;
    let limited: Vec<i64> = repo::member_locations(db, company_id)
        .await?
        .into_iter()
        .filter(|(member, _)| *member == customer_id)
        .map(|(_, location)| location)
        .collect();
    Ok(if limited.is_empty() {
        all
    } else {
        all.into_iter()
            .filter(|l| limited.contains(&l.id))
            .collect()
    })
}

/// A delivery location as an order form offers it: its id and "name — street number,
/// town".
pub fn location_choice(location: &super::CompanyLocation) -> (i64, String) {
    let a = &location.address;
    let addition = a.addition.as_deref().unwrap_or_default();
    (
        location.id,
        format!(
            "{} — {} {}{}, {}",
            a.name, a.street, a.house_number, addition, a.city
        ),
    )
}

/// The locations the member may order to of company `company` (its number), as an
/// order form offers them; not a member, or no locations: none.
pub async fn location_choices(
    db: &Db,
    customer_id: i64,
    company: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    let Some(member) = repo::memberships(db, customer_id)
        .await?
        .into_iter()
        .find(|m| m.external_id == company)
    else {
        return Ok(Vec::new());
    };
    Ok(delivery_locations(db, member.company_id, customer_id)
        .await?
        .iter()
        .map(location_choice)
        .collect())
}

/// The delivery location chosen on an order form (`typed`: its id). A company without
/// locations: none. One the buyer may use: that one, also when nothing was chosen.
/// Field errors `location` / `required` (several to choose from) or `not_allowed` (not
/// one of those the buyer may use).
pub fn chosen_location(
    allowed: &[super::CompanyLocation],
    typed: &str,
) -> Result<Option<crate::customers::PostalAddress>, AppError> {
    let typed = typed.trim();
    match allowed {
        [] => Ok(None),
        [only] if typed.is_empty() => Ok(Some(only.address.clone())),
        _ if typed.is_empty() => Err(AppError::invalid("location", "required")),
        _ => allowed
            .iter()
            .find(|l| typed.parse() == Ok(l.id))
            .map(|l| Some(l.address.clone()))
            .ok_or_else(|| AppError::invalid("location", "not_allowed")),
    }
}

/// Where an order of the member for company `company` (its number) goes: see
/// [`chosen_location`]. Not a member: none.
pub async fn deliver_to(
    db: &Db,
    customer_id: i64,
    company: &str,
    typed: &str,
) -> Result<Option<crate::customers::PostalAddress>, AppError> {
    let Some(member) = repo::memberships(db, customer_id)
        .await?
        .into_iter()
        .find(|m| m.external_id == company)
    else {
        return Ok(None);
    };
    let allowed = delivery_locations(db, member.company_id, customer_id).await?;
    chosen_location(&allowed, typed)
}

#[cfg(test)]
mod location_tests {
    use super::*;
    use crate::companies::CompanyLocation;
    use crate::customers::PostalAddress;

    fn location(id: i64, name: &str) -> CompanyLocation {
        CompanyLocation {
            id,
            address: PostalAddress {
                name: name.into(),
                street: "Boulevard".into(),
                house_number: "1".into(),
                addition: None,
                postcode: "4381 AA".into(),
                city: "Vlissingen".into(),
                country: "NL".into(),
            },
        }
    }

    #[test]
    fn the_location_chosen_must_be_one_the_buyer_may_use() {
        assert_eq!(chosen_location(&[], "").expect("none"), None);
        assert_eq!(chosen_location(&[], "7").expect("none"), None);
        let one = [location(3, "Hotel")];
        assert_eq!(
            chosen_location(&one, "")
                .expect("ok")
                .expect("the one")
                .name,
            "Hotel"
        );
        let two = [location(3, "Hotel"), location(4, "Strandpaviljoen")];
        assert_eq!(
            chosen_location(&two, " 4 ")
                .expect("ok")
                .expect("chosen")
                .name,
            "Strandpaviljoen"
        );
        for (typed, code) in [("", "required"), ("5", "not_allowed"), ("x", "not_allowed")] {
            let err = chosen_location(&two, typed).expect_err(typed);
            assert!(format!("{err:?}").contains(code), "{typed}: {err:?}");
        }
    }
}
