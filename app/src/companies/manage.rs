//! The company manages itself (`/account/company`): every member sees their company, role,
//! limits and locations; the company's admin changes members' roles, order limits and
//! locations, removes members and keeps the delivery locations. A company always keeps
//! one admin. Every change to a member goes to the back office as `company.member_changed`
//! (signed webhook through the outbox, in the same transaction as the change).
use serde_json::json;

use super::repo::{self, Membership};
use super::{CompanyView, InvitationRow, MemberRole};
use crate::customers::PostalAddress;
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::validate::{Checks, parse_euros};

/// The webhook event of a member joining, changing or leaving.
pub const EVENT_MEMBER_CHANGED: &str = "company.member_changed";

/// The currency of order limits (the retailer's).
pub const CURRENCY: &str = "EUR";

/// The company `which` (its external id; `None`: the first by name) of which the customer
/// is a member, and the others; `NotFound` for a company they are not in.
pub(super) async fn membership(
    db: &Db,
    customer_id: Option<i64>,
    which: Option<&str>,
) -> Result<(Membership, Vec<Membership>), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let mut all = repo::memberships(db, customer_id).await?;
    let at = match which.map(str::trim).filter(|w| !w.is_empty()) {
        Some(which) => all.iter().position(|m| m.external_id == which),
        None => (!all.is_empty()).then_some(0),
    }
    .ok_or(AppError::NotFound)?;
    let chosen = all.remove(at);
    Ok((chosen, all))
}

/// As [`membership`], for what only the company's admin may do (`Forbidden` otherwise).
pub(super) async fn as_admin(
    db: &Db,
    customer_id: Option<i64>,
    which: Option<&str>,
) -> Result<Membership, AppError> {
    let (company, _) = membership(db, customer_id, which).await?;
    if company.role != MemberRole::Admin {
        return Err(AppError::Forbidden);
    }
    Ok(company)
}

/// `/account/company` for this customer.
pub async fn my_company(
    db: &Db,
    customer_id: Option<i64>,
    which: Option<&str>,
) -> Result<CompanyView, AppError> {
    let (company, others) = membership(db, customer_id, which).await?;
    let me = customer_id.unwrap_or_default();
    let locations = repo::locations(db, company.company_id).await?;
    let my_locations = repo::member_locations(db, company.company_id)
        .await?
        .into_iter()
        .filter(|(c, _)| *c == me)
        .map(|(_, l)| l)
        .collect();
    let admin = company.role == MemberRole::Admin;
    let (members, invitations) = if admin {
        let members = repo::members(db, company.company_id)
            .await?
            .into_iter()
            .map(|m| super::MemberRow {
                is_me: m.customer_id == me,
                ..m
            })
            .collect();
        let now = Timestamp::now();
        let invitations = repo::open_invitations(db, company.company_id)
            .await?
            .into_iter()
            .map(|(id, email, role, expires)| InvitationRow {
                id,
                email,
                role,
                expires_local: crate::time::local_time(expires.0),
                expired: expires <= now,
            })
            .collect();
        (members, invitations)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(CompanyView {
        external_id: company.external_id,
        name: company.name,
        role: company.role,
        limit_per_order: company.limit_per_order,
        limit_per_month: company.limit_per_month,
        currency: CURRENCY.into(),
        locations,
        my_locations,
        members,
        invitations,
        others: others
            .into_iter()
            .map(|m| (m.external_id, m.name))
            .collect(),
    })
}

/// An amount typed in a limit field: empty is no limit.
fn limit(checks: &mut Checks, field: &str, typed: &str) -> Option<i64> {
    if typed.trim().is_empty() {
        return None;
    }
    let parsed = parse_euros(typed);
    if parsed.is_none() {
        checks.push(field, "not_an_amount");
    }
    parsed
}

/// What the admin filled in for one member.
pub struct MemberForm<'a> {
    pub role: &'a str,
    pub limit_per_order: &'a str,
    pub limit_per_month: &'a str,
    /// The location ids ticked (none: every location).
    pub locations: Vec<&'a str>,
}

impl MemberForm<'_> {
    fn kept(&self) -> Vec<(String, String)> {
        let mut kept = vec![
            ("role".to_string(), self.role.to_string()),
            (
                "limit_per_order".to_string(),
                self.limit_per_order.to_string(),
            ),
            (
                "limit_per_month".to_string(),
                self.limit_per_month.to_string(),
            ),
        ];
        kept.extend(
            self.locations
                .iter()
                .map(|id| (format!("location[{}]", id.trim()), "on".to_string())),
        );
        kept
    }
}

/// The admin changes a member's role, limits and locations. Field errors: `role`
/// (`required`, `last_admin`), `limit_per_order` / `limit_per_month` (`not_an_amount`,
/// `month_below_order`), `locations` (`unknown`).
pub async fn save_member(
    db: &Db,
    admin_customer: Option<i64>,
    which: Option<&str>,
    member_id: i64,
    form: MemberForm<'_>,
) -> Result<(), AppError> {
    let company = as_admin(db, admin_customer, which).await?;
    let mut checks = Checks::new();
    let role = MemberRole::parse(form.role.trim());
    if role.is_none() {
        checks.push("role", "required");
    }
    let per_order = limit(&mut checks, "limit_per_order", form.limit_per_order);
    let per_month = limit(&mut checks, "limit_per_month", form.limit_per_month);
    if let (Some(order), Some(month)) = (per_order, per_month)
        && month < order
    {
        checks.push("limit_per_month", "month_below_order");
    }
    let known = repo::locations(db, company.company_id).await?;
    let mut locations = Vec::new();
    for typed in &form.locations {
        match typed.trim().parse::<i64>() {
            Ok(id) if known.iter().any(|l| l.id == id) => locations.push(id),
            _ => checks.push("locations", "unknown"),
        }
    }
    checks.finish().map_err(|e| e.keeping(form.kept()))?;
    let role = role.ok_or(AppError::Internal)?;
    let before = repo::members(db, company.company_id)
        .await?
        .into_iter()
        .find(|m| m.customer_id == member_id)
        .ok_or(AppError::NotFound)?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::set_member(
        &mut tx,
        company.company_id,
        member_id,
        role,
        per_order,
        per_month,
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    // Counted after the change, inside it: two admins demoting each other at once cannot
    // both succeed.
    if before.role == MemberRole::Admin
        && repo::admin_count(&mut tx, company.company_id).await? == 0
    {
        return Err(AppError::invalid("role", "last_admin").keeping(form.kept()));
    }
    repo::set_member_locations(&mut tx, company.company_id, member_id, &locations).await?;
    let state = MemberState {
        role: Some(role),
        limit_per_order: per_order,
        limit_per_month: per_month,
        locations: known.iter().filter(|l| locations.contains(&l.id)).collect(),
    };
    member_changed(
        &mut tx,
        &company,
        admin_customer,
        member_id,
        "changed",
        state,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The admin removes a member (themselves too, when another admin remains).
pub async fn remove_member(
    db: &Db,
    admin_customer: Option<i64>,
    which: Option<&str>,
    member_id: i64,
) -> Result<(), AppError> {
    let company = as_admin(db, admin_customer, which).await?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !repo::remove_member(&mut tx, company.company_id, member_id).await? {
        return Err(AppError::NotFound);
    }
    if repo::admin_count(&mut tx, company.company_id).await? == 0 {
        return Err(AppError::invalid("member", "last_admin"));
    }
    let state = MemberState {
        role: None,
        limit_per_order: None,
        limit_per_month: None,
        locations: Vec::new(),
    };
    member_changed(
        &mut tx,
        &company,
        admin_customer,
        member_id,
        "removed",
        state,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The admin adds a delivery location; the address is checked as any address is.
pub async fn add_location(
    db: &Db,
    admin_customer: Option<i64>,
    which: Option<&str>,
    mut address: PostalAddress,
) -> Result<i64, AppError> {
    let kept = vec![
        ("name".to_string(), address.name.clone()),
        ("street".to_string(), address.street.clone()),
        ("house_number".to_string(), address.house_number.clone()),
        (
            "addition".to_string(),
            address.addition.clone().unwrap_or_default(),
        ),
        ("postcode".to_string(), address.postcode.clone()),
        ("city".to_string(), address.city.clone()),
        ("country".to_string(), address.country.clone()),
    ];
    let company = as_admin(db, admin_customer, which).await?;
    let mut checks = Checks::new();
    address.check("", &mut checks);
    checks.finish().map_err(|e| e.keeping(kept))?;
    let mut tx = db.begin().await?;
    let id = repo::insert_location(&mut tx, company.company_id, &address, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The admin removes a delivery location (members limited to it lose it).
pub async fn remove_location(
    db: &Db,
    admin_customer: Option<i64>,
    which: Option<&str>,
    location_id: i64,
) -> Result<(), AppError> {
    let company = as_admin(db, admin_customer, which).await?;
    let mut tx = db.begin().await?;
    if !repo::delete_location(&mut tx, company.company_id, location_id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// A member as the webhook reports them after the change (`role` `None`: removed;
/// `locations` empty: every location).
pub(super) struct MemberState<'a> {
    pub role: Option<MemberRole>,
    pub limit_per_order: Option<i64>,
    pub limit_per_month: Option<i64>,
    pub locations: Vec<&'a super::CompanyLocation>,
}

/// Queues `company.member_changed`: `change` is `joined`, `changed` or `removed`; `by`
/// the customer who made the change (the admin, or the member who joined).
pub(super) async fn member_changed(
    tx: &mut Tx,
    company: &Membership,
    by: Option<i64>,
    member_id: i64,
    change: &str,
    state: MemberState<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    let (customer, name, email) = repo::contact(tx, member_id).await?;
    let by = match by {
        Some(id) => crate::customers::repo::external_id(tx, id).await?,
        None => None,
    };
    crate::outbox::repo::enqueue_webhook(
        tx,
        EVENT_MEMBER_CHANGED,
        json!({
            "company": company.external_id,
            "change": change,
            "customer": customer,
            "name": name,
            "email": email,
            "role": state.role.map(MemberRole::as_str),
            "limit_per_order": state.limit_per_order,
            "limit_per_month": state.limit_per_month,
            "locations": state
                .locations
                .iter()
                .map(|l| json!({"id": l.id, "address": l.address}))
                .collect::<Vec<_>>(),
            "by": by,
        }),
        now,
    )
    .await?;
    Ok(())
}
