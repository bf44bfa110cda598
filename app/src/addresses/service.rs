//! The rules of the address book: what a valid address is (postal rules per country in
//! `customers::address`), the first address is the default, and only the customer's own
//! addresses can be changed. The addresses themselves are customer data
//! (`customers::address_repo`). A support agent helping the customer saves with an
//! audit row (before and after) in the same transaction.
use serde::Deserialize;

use crate::audit::service::Trail;
use crate::customers::{MyAddress, PostalAddress, address_repo as customers};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::validate::Checks;

/// An address as the customer typed it in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct AddressForm {
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub addition: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub default_delivery: bool,
    pub default_billing: bool,
}

impl AddressForm {
    /// What was typed, to put back in the form next to the errors.
    pub fn kept(&self) -> Vec<(String, String)> {
        [
            ("name", &self.name),
            ("street", &self.street),
            ("house_number", &self.house_number),
            ("addition", &self.addition),
            ("postcode", &self.postcode),
            ("city", &self.city),
            ("country", &self.country),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

pub async fn my_addresses(db: &Db, customer_id: Option<i64>) -> Result<Vec<MyAddress>, AppError> {
    match customer_id {
        Some(id) => Ok(customers::my_addresses(db, id).await?),
        None => Ok(Vec::new()),
    }
}

/// Adds or changes an address of the logged-in customer (`user`: their login). Orders keep
/// the address they were placed with (a copy), so this never rewrites history. `trail`:
/// an agent saves it for the customer (`changed_by`), recorded with before and after.
pub async fn save_my_address(
    db: &Db,
    user: &crate::accounts::UserSummary,
    id: Option<i64>,
    form: AddressForm,
    trail: Option<&Trail>,
) -> Result<i64, AppError> {
    let mut address = PostalAddress {
        name: form.name.clone(),
        street: form.street.clone(),
        house_number: form.house_number.clone(),
        addition: Some(form.addition.clone()),
        postcode: form.postcode.clone(),
        city: form.city.clone(),
        country: form.country.clone(),
    };
    let mut checks = Checks::new();
    address.check("", &mut checks);
    if !user.verified {
        // Addresses belong to the customer record, made only for a confirmed address.
        checks.push("street", "verify_email_first");
    }
    checks.finish().map_err(|e| e.keeping(form.kept()))?;
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    let known = customers::my_addresses(db, customer_id).await?;
    // The first address is the default for both.
    let first = known.is_empty();
    let before = id.and_then(|id| known.iter().find(|a| a.id == id));
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let saved = customers::save_address(
        &mut tx,
        customer_id,
        id,
        &address,
        form.default_delivery || first,
        form.default_billing || first,
        trail.and_then(|t| t.entry.actor_user_id),
        now,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let trail = trail.map(|t| {
        t.clone()
            .with("address", serde_json::json!(one_line(&address)))
            .with(
                "before",
                serde_json::json!(before.map(|b| one_line(&b.address))),
            )
            .with("after", serde_json::json!(one_line(&address)))
    });
    crate::audit::service::append_if(&mut tx, trail.as_ref(), now).await?;
    tx.commit().await?;
    Ok(saved)
}

/// An address on one line, as the audit trail and the customer's access log show it.
fn one_line(a: &PostalAddress) -> String {
    let addition = a.addition.as_deref().map(str::trim).unwrap_or_default();
    let number = if addition.is_empty() {
        a.house_number.trim().to_string()
    } else {
        format!("{} {addition}", a.house_number.trim())
    };
    format!(
        "{} {number}, {} {}",
        a.street.trim(),
        a.postcode.trim(),
        a.city.trim()
    )
}

/// Deletes one of the customer's addresses (`trail`: an agent does it for them, recorded
/// with the address it was).
pub async fn delete_my_address(
    db: &Db,
    customer_id: Option<i64>,
    id: i64,
    trail: Option<&Trail>,
) -> Result<(), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    let before = customers::my_addresses(db, customer_id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if !customers::delete_address(&mut tx, customer_id, id).await? {
        return Err(AppError::NotFound);
    }
    let trail = trail.map(|t| {
        let line = one_line(&before.address);
        t.clone()
            .with("address", serde_json::json!(line))
            .with("before", serde_json::json!(line))
            .with("after", serde_json::Value::Null)
    });
    crate::audit::service::append_if(&mut tx, trail.as_ref(), now).await?;
    tx.commit().await?;
    Ok(())
}
