//! The admin's return policy page: the form, its checks, and saving it.

use super::policy::Policy;
use super::repo;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::validate::Checks;

/// Sets the policy (admin).
pub async fn save_policy(db: &Db, policy: &Policy) -> Result<(), AppError> {
    let mut checks = Checks::new();
    if !(0..=365).contains(&policy.default_days) {
        checks.push("default_days", "out_of_range");
    }
    if !(0..=365).contains(&policy.trial_nights) {
        checks.push("trial_nights", "out_of_range");
    }
    if policy.carrier_cost < 0 {
        checks.push("carrier_cost", "negative");
    }
    checks.finish()?;
    let mut tx = db.begin().await?;
    repo::save_policy(&mut tx, policy, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The policy with every catalogue category (for the admin's page).
pub async fn policy_view(db: &Db) -> Result<super::PolicyView, AppError> {
    let p = repo::policy(db).await?;
    let categories = repo::categories(db)
        .await?
        .into_iter()
        .map(|c| {
            let days = p.categories.iter().find(|(n, _)| *n == c).map(|(_, d)| *d);
            (c, days)
        })
        .collect();
    Ok(super::PolicyView {
        default_days: p.default_days,
        trial_category: p.trial_category,
        trial_nights: p.trial_nights,
        carrier_cost: p.carrier_cost,
        categories,
        conditions_nl: p.conditions_nl,
        conditions_en: p.conditions_en,
    })
}

/// What the admin typed on the policy page.
pub struct PolicyForm<'a> {
    pub default_days: &'a str,
    pub trial_category: &'a str,
    pub trial_nights: &'a str,
    /// Euros, `4,95` or `4.95`.
    pub carrier_cost: &'a str,
    /// (category, days typed; empty: the default window)
    pub days: Vec<(&'a str, &'a str)>,
    pub conditions_nl: &'a str,
    pub conditions_en: &'a str,
}

fn parse_days(checks: &mut Checks, field: &str, typed: &str) -> Option<i32> {
    match typed.trim().parse::<i32>() {
        Ok(d) if (0..=365).contains(&d) => Some(d),
        Ok(_) => {
            checks.push(field, "out_of_range");
            None
        }
        Err(_) => {
            checks.push(field, "not_a_number");
            None
        }
    }
}

pub use crate::validate::parse_euros;

/// Saves the admin's policy; field errors name `default_days`, `trial_nights`,
/// `carrier_cost`, `days[<category>]`, `trial_category`, `conditions_nl`/`_en`.
pub async fn save_policy_form(db: &Db, form: &PolicyForm<'_>) -> Result<(), AppError> {
    let mut checks = Checks::new();
    let default_days = parse_days(&mut checks, "default_days", form.default_days);
    let trial_nights = parse_days(&mut checks, "trial_nights", form.trial_nights);
    let carrier_cost = parse_euros(form.carrier_cost);
    if carrier_cost.is_none_or(|c| c > 100_000) {
        checks.push("carrier_cost", "invalid_amount");
    }
    let known = repo::categories(db).await?;
    let trial_category = Some(form.trial_category.trim()).filter(|c| !c.is_empty());
    if trial_category.is_some_and(|c| !known.iter().any(|k| k == c)) {
        checks.push("trial_category", "unknown_category");
    }
    let mut categories = Vec::new();
    for (category, typed) in &form.days {
        if typed.trim().is_empty() {
            continue;
        }
        if !known.iter().any(|k| k == category) {
            continue;
        }
        if let Some(d) = parse_days(&mut checks, &format!("days[{category}]"), typed) {
            categories.push((category.to_string(), d));
        }
    }
    checks.optional_text("conditions_nl", Some(form.conditions_nl.trim()), 2000);
    checks.optional_text("conditions_en", Some(form.conditions_en.trim()), 2000);
    checks.finish()?;
    let (Some(default_days), Some(trial_nights), Some(carrier_cost)) =
        (default_days, trial_nights, carrier_cost)
    else {
        return Err(AppError::Internal);
    };
    save_policy(
        db,
        &Policy {
            default_days,
            categories,
            trial_category: trial_category.map(str::to_string),
            trial_nights,
            carrier_cost,
            conditions_nl: form.conditions_nl.trim().to_string(),
            conditions_en: form.conditions_en.trim().to_string(),
        },
    )
    .await
}
