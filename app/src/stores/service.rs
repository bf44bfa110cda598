//! The rules of the stores area.
use super::{MAX_QUERY_LEN, Store, repo};
use crate::db::Db;
use crate::error::AppError;

/// Stores whose name, town or postcode contains `query` (all stores when it is empty),
/// ordered by town and name.
pub async fn search_stores(db: &Db, query: &str) -> Result<Vec<Store>, AppError> {
    let query = query.trim();
    if query.chars().count() > MAX_QUERY_LEN {
        return Err(AppError::invalid("query", "too_long"));
    }
    Ok(repo::search(db, query).await?)
}

/// A store as the back office sends it (`PUT /api/v1/stores/{code}`).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreInput {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// Seven entries, Monday first; `null` for closed.
    pub opening_hours: Vec<Option<super::DayHours>>,
}

fn is_time(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && value[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && value[3..].parse::<u8>().is_ok_and(|m| m < 60)
}

/// Creates or updates a store by its code; the same request twice changes nothing more.
pub async fn upsert_store(db: &Db, code: &str, input: StoreInput) -> Result<Store, AppError> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    let mut push = |field: String, code: &str| {
        errors.push(FieldError {
            field,
            code: code.into(),
        })
    };
    let code = code.trim();
    if code.is_empty()
        || code.len() > 32
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        push("code".into(), "invalid");
    }
    for (field, value) in [
        ("name", &input.name),
        ("street", &input.street),
        ("postcode", &input.postcode),
        ("city", &input.city),
    ] {
        if value.trim().is_empty() {
            push(field.into(), "required");
        } else if value.chars().count() > 200 {
            push(field.into(), "too_long");
        }
    }
    if input.opening_hours.len() != 7 {
        push("opening_hours".into(), "seven_days");
    }
    for (day, hours) in input.opening_hours.iter().enumerate() {
        if let Some(h) = hours
            && (!is_time(&h.opens) || !is_time(&h.closes) || h.opens >= h.closes)
        {
            push(format!("opening_hours[{day}]"), "invalid_times");
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hours = super::OpeningHours(input.opening_hours);
    repo::upsert(
        db,
        &repo::NewStore {
            code,
            name: input.name.trim(),
            street: input.street.trim(),
            postcode: input.postcode.trim(),
            city: input.city.trim(),
            phone: input
                .phone
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty()),
            opening_hours: &hours,
        },
    )
    .await?;
    repo::find_by_code(db, code)
        .await?
        .ok_or(AppError::Internal)
}
