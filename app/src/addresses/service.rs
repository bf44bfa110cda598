//! The rules of the address book: what a valid address is (postal rules per country in
//! `customers::address`), the first address is the default, and only the customer's own
//! addresses can be changed. The addresses themselves are customer data (`customers::repo`).
use serde::Deserialize;

use crate::customers::{MyAddress, PostalAddress, repo as customers};
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

/// Adds or changes an address of the logged-in customer. Orders keep the address they
/// were placed with (a copy), so this never rewrites history.
pub async fn save_my_address(
    db: &Db,
    user: &crate::accounts::UserSummary,
    id: Option<i64>,
    form: AddressForm,
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
    // The first address is the default for both.
    let first = customers::my_addresses(db, customer_id).await?.is_empty();
    customers::save_address(
        db,
        customer_id,
        id,
        &address,
        form.default_delivery || first,
        form.default_billing || first,
        Timestamp::now(),
    )
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn delete_my_address(db: &Db, customer_id: Option<i64>, id: i64) -> Result<(), AppError> {
    let customer_id = customer_id.ok_or(AppError::NotFound)?;
    if customers::delete_address(db, customer_id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
