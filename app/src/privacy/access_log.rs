//! "Who looked at or changed my account": the audit trail's rows about the customer, on
//! their privacy page — when, which staff member in which role (and store), what, and why.
//! Not the staff member's address or browser: those are for the retailer's checks.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::action_label;
use crate::i18n::*;

/// How many of the newest entries the page shows.
pub const SHOWN: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// Local time, `YYYY-MM-DDTHH:MM`.
    pub at_local: String,
    /// The name the staff member is known by.
    pub who: String,
    /// `store_staff`, `support_agent` or `admin`.
    pub role: String,
    /// The store they worked at, by name.
    pub store: Option<String>,
    /// What they did: `return.viewed`, `return.inspected`, …
    pub action: String,
    /// What it was about, e.g. a return's code.
    pub object: Option<String>,
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

/// The customer's access log, newest first.
#[cfg(feature = "ssr")]
pub async fn of_customer(
    db: &crate::db::Db,
    customer_id: i64,
) -> Result<Vec<AccessEntry>, crate::error::AppError> {
    let rows = crate::audit::repo::of_subject(db, customer_id, SHOWN).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let stores = crate::stores::repo::search(db, "").await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let details: Option<serde_json::Value> = row
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok());
            AccessEntry {
                at_local: crate::time::local_time(row.at.0),
                who: row.actor_label,
                role: row.role,
                store: row.store_code.map(|code| {
                    stores
                        .iter()
                        .find(|s| s.code == code)
                        .map_or(code, |s| s.name.clone())
                }),
                action: row.action,
                object: details.as_ref().and_then(crate::audit::object_of),
                reason: row.reason,
                ticket: row.ticket,
            }
        })
        .collect())
}

fn role_name(i18n: leptos_i18n::I18nContext<Locale>, role: &str) -> String {
    match role {
        "store_staff" => t_string!(i18n, privacy.access_role_store_staff).to_string(),
        "support_agent" => t_string!(i18n, privacy.access_role_support_agent).to_string(),
        "admin" => t_string!(i18n, privacy.access_role_admin).to_string(),
        "customer" => t_string!(i18n, privacy.access_role_customer).to_string(),
        other => other.to_string(),
    }
}

/// The table on the privacy page.
#[component]
pub fn AccessLog(entries: Vec<AccessEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let body = if entries.is_empty() {
        view! { <p>{t!(i18n, privacy.access_empty)}</p> }.into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|e| {
                let at = crate::ui::format::date_time(&e.at_local, i18n.get_locale_untracked());
                let mut who = format!("{} ({}", e.who, role_name(i18n, &e.role));
                if let Some(store) = &e.store {
                    who.push_str(", ");
                    who.push_str(store);
                }
                who.push(')');
                let what = match &e.object {
                    Some(object) => format!("{} {object}", action_label(locale, &e.action)),
                    None => action_label(locale, &e.action),
                };
                let why = crate::audit::why_text(e.reason, e.ticket);
                view! {
                    <tr>
                        <td data-label=move || t_string!(i18n, privacy.when)>{at}</td>
                        <td data-label=move || t_string!(i18n, privacy.access_who)>{who}</td>
                        <td data-label=move || t_string!(i18n, privacy.what)>{what}</td>
                        <td data-label=move || t_string!(i18n, privacy.access_why)>{why}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="stacking access-log">
                <caption class="visually-hidden">{t!(i18n, privacy.access_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, privacy.when)}</th>
                        <th scope="col">{t!(i18n, privacy.access_who)}</th>
                        <th scope="col">{t!(i18n, privacy.what)}</th>
                        <th scope="col">{t!(i18n, privacy.access_why)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" id="access-log" aria-labelledby="access-heading">
            <h2 id="access-heading">{t!(i18n, privacy.access_title)}</h2>
            <p>{t!(i18n, privacy.access_intro)}</p>
            {body}
        </section>
    }
}
