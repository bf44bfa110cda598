//! The rules of the customers area.
use serde::Deserialize;

use super::{Customer, PostalAddress, normalize_loyalty_card, repo};
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::language::Language;
use crate::validate::{Checks, non_empty};
use crate::validate::{looks_like_email, normalize_email};

/// A customer as the webshop or CRM sends it (`PUT /api/v1/customers/{id}`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// `nl` (default) or `en`: the language of the customer's e-mails.
    #[serde(default)]
    pub language: Option<Language>,
    /// The loyalty card number (digits); store purchases with this card are theirs.
    #[serde(default)]
    pub loyalty_card: Option<String>,
    /// When given, replaces the addresses this system sent before (by their `id`);
    /// addresses the customer added in the portal stay.
    #[serde(default)]
    pub addresses: Option<Vec<AddressInput>>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// Your id for this address, unique per customer.
    pub id: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    #[serde(default)]
    pub addition: Option<String>,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. `NL`.
    pub country: String,
    #[serde(default)]
    pub default_delivery: bool,
    #[serde(default)]
    pub default_billing: bool,
}

/// Creates or updates a customer by the retailer's customer number, in one transaction.
pub async fn upsert_customer(
    db: &Db,
    external_id: &str,
    input: CustomerInput,
) -> Result<Customer, AppError> {
    let mut checks = Checks::new();
    checks.external_id("external_id", external_id);
    checks.text("name", &input.name, 200);
    let email = non_empty(input.email.as_deref());
    if email.is_some_and(|e| !looks_like_email(e)) {
        checks.push("email", "invalid");
    }
    let phone = non_empty(input.phone.as_deref());
    checks.optional_text("phone", phone, 32);
    let card = match non_empty(input.loyalty_card.as_deref()) {
        None => None,
        Some(raw) => {
            let card = normalize_loyalty_card(raw);
            if card.is_none() {
                checks.push("loyalty_card", "invalid");
            }
            card
        }
    };
    let mut addresses: Vec<(String, PostalAddress, bool, bool)> = Vec::new();
    for (i, a) in input.addresses.iter().flatten().enumerate() {
        let prefix = format!("addresses[{i}]");
        checks.external_id(&format!("{prefix}.id"), a.id.trim());
        if addresses.iter().any(|(id, ..)| id == a.id.trim()) {
            checks.push(format!("{prefix}.id"), "duplicate");
        }
        let mut postal = PostalAddress {
            name: a.name.clone(),
            street: a.street.clone(),
            house_number: a.house_number.clone(),
            addition: a.addition.clone(),
            postcode: a.postcode.clone(),
            city: a.city.clone(),
            country: a.country.clone(),
        };
        postal.check(&prefix, &mut checks);
        addresses.push((
            a.id.trim().to_string(),
            postal,
            a.default_delivery,
            a.default_billing,
        ));
    }
    for (flag, field) in [(2usize, "default_delivery"), (3, "default_billing")] {
        let count = addresses
            .iter()
            .filter(|a| if flag == 2 { a.2 } else { a.3 })
            .count();
        if count > 1 {
            checks.push(format!("addresses.{field}"), "only_one_default");
        }
    }
    checks.finish()?;

    let now = Timestamp::now();
    let email_normalized = email.map(normalize_email);
    let mut tx = db.begin().await?;
    if let Some(card) = &card
        && let Some(holder) = repo::id_by_loyalty_card(&mut tx, card).await?
        && Some(holder) != repo::id_by_external_id(&mut tx, external_id).await?
    {
        return Err(AppError::invalid("loyalty_card", "taken"));
    }
    let id = repo::upsert(
        &mut tx,
        external_id,
        &repo::CustomerFields {
            name: input.name.trim(),
            email,
            email_normalized: email_normalized.as_deref(),
            phone,
            language: input.language.unwrap_or_default(),
            loyalty_card: card.as_deref(),
        },
        now,
    )
    .await?;
    if let Some(email) = &email_normalized {
        repo::link_verified_user(&mut tx, id, email).await?;
    }
    if input.addresses.is_some() {
        let fields: Vec<repo::AddressFields> = addresses
            .iter()
            .map(|(id, address, dd, db)| repo::AddressFields {
                external_id: id,
                address,
                default_delivery: *dd,
                default_billing: *db,
            })
            .collect();
        repo::replace_external_addresses(&mut tx, id, &fields, now).await?;
    }
    tx.commit().await?;
    find_customer(db, external_id)
        .await?
        .ok_or(AppError::Internal)
}

pub async fn find_customer(db: &Db, external_id: &str) -> Result<Option<Customer>, AppError> {
    Ok(repo::find_by_external_id(db, external_id)
        .await?
        .map(|(_, c)| c))
}

/// Which customer a purchase belongs to: the customer number when the system knows it,
/// else the loyalty card shown at the till, else (only when `by_email`) the one customer
/// with that e-mail address. `Err(field)` names an identifier that matches no one.
pub async fn resolve_buyer(
    tx: &mut Tx,
    external_id: Option<&str>,
    loyalty_card: Option<&str>,
    email: Option<&str>,
    by_email: bool,
) -> Result<Result<Option<i64>, &'static str>, sqlx::Error> {
    if let Some(external_id) = external_id {
        return Ok(repo::id_by_external_id(tx, external_id)
            .await?
            .map(Some)
            .ok_or("customer"));
    }
    if let Some(card) = loyalty_card
        && let Some(id) = repo::id_by_loyalty_card(tx, card).await?
    {
        return Ok(Ok(Some(id)));
    }
    if by_email && let Some(email) = email {
        return Ok(Ok(repo::id_by_email(tx, &normalize_email(email)).await?));
    }
    Ok(Ok(None))
}

/// The customer record of a portal user, made on first need (a loyalty card, an
/// address) for users the retailer's systems do not know yet.
pub async fn ensure_customer_for(
    db: &Db,
    user_id: i64,
    name: &str,
    email: &str,
    language: Language,
) -> Result<i64, AppError> {
    if let Some(id) = repo::id_for_user(db, user_id).await? {
        return Ok(id);
    }
    Ok(repo::create_for_user(db, user_id, name, email, language, Timestamp::now()).await?)
}

/// Gives customers made before the search index existed their search terms, a batch at a
/// time (run at start-up; quick once every customer has terms). Answers how many.
pub async fn index_unindexed(db: &Db) -> Result<usize, AppError> {
    let (mut done, mut after) = (0, 0);
    loop {
        let ids = repo::unindexed(db, after, 500).await?;
        let Some(last) = ids.last() else {
            return Ok(done);
        };
        after = *last;
        let mut tx = db.begin().await?;
        for id in &ids {
            repo::refresh_search(&mut tx, *id).await?;
        }
        tx.commit().await?;
        done += ids.len();
    }
}
