//! Data sets. `demo`: a small, coherent world for trying the portal (loaded by `make run`
//! on first start): the retailer's five stores, the demo accounts, and (in `world`) a
//! catalogue, customers with history in every channel, shipments in every tracking state,
//! and a B2B hotel. `scale`: bulk data for benchmarks.
pub mod privacy;
pub mod scale;
pub mod world;
use app::accounts::service::{NewAccount, create_account};
use app::accounts::{Language, Role};
use app::db::Db;
use app::db_run;
use app::stores::repo::{NewStore, upsert};
use app::stores::{DayHours, OpeningHours};

const DEMO_SEEDED_KEY: &str = "demo_seeded_at";
/// Set by the scale data set: its accounts are generated (with a published password) too.
const SCALE_SEEDED_KEY: &str = "scale_seeded_at";

/// The demo accounts: (e-mail, password, name, role). Printed by `make run`, listed in
/// README.md. Demo data only: never load it into a real installation.
pub const DEMO_LOGINS: &[(&str, &str, &str, Role)] = &[
    (
        "anna@example.nl",
        "slaapwel-demo-klant",
        "Anna de Vries",
        Role::Customer,
    ),
    (
        "winkel@slaapwereld.nl",
        "slaapwel-demo-winkel",
        "Sanne Winkel",
        Role::StoreStaff,
    ),
    (
        "support@slaapwereld.nl",
        "slaapwel-demo-support",
        "Youssef Support",
        Role::SupportAgent,
    ),
    (
        "beheer@slaapwereld.nl",
        "slaapwel-demo-beheer",
        "Beheerder",
        Role::Admin,
    ),
    (
        "inkoop@zeeuwsestromen.nl",
        "slaapwel-demo-zakelijk",
        "Marieke Bakker",
        Role::Customer,
    ),
    (
        "huishouding@zeeuwsestromen.nl",
        "slaapwel-demo-zakelijk-2",
        "Joris Visser",
        Role::Customer,
    ),
];

/// The key the demo's staff accounts have two-step login with (base32, as an
/// authenticator app takes it): add it to an app to log in as them. Demo data only, like
/// the passwords; README.md shows it.
pub const DEMO_TWO_STEP_KEY: &str = "MIJNPORTAALDEMOSTAFFTWEESTAPPEN2";

/// The demo logins as lines for the console.
pub fn demo_logins_text() -> String {
    let mut text = String::from("  Demo logins (e-mail / password):\n");
    for (email, password, _, role) in DEMO_LOGINS {
        text.push_str(&format!("    {:<14} {email} / {password}\n", role.as_str()));
    }
    text.push_str(&format!(
        "  Staff log in with two steps: add the key {} to an authenticator app.\n",
        app::accounts::totp::grouped(DEMO_TWO_STEP_KEY)
    ));
    text
}

fn hours(
    weekdays: (&str, &str),
    thursday_late: bool,
    saturday: (&str, &str),
    sunday: Option<(&str, &str)>,
) -> OpeningHours {
    let day = |(opens, closes): (&str, &str)| {
        Some(DayHours {
            opens: opens.into(),
            closes: closes.into(),
        })
    };
    let thursday = if thursday_late {
        (weekdays.0, "21:00")
    } else {
        weekdays
    };
    OpeningHours(vec![
        day(weekdays),
        day(weekdays),
        day(weekdays),
        day(thursday),
        day(weekdays),
        day(saturday),
        sunday.and_then(day),
    ])
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "this database has {0} account(s) of its own and never had the demo data; the demo \
         (with its published admin password) is never loaded into a real installation. Use an \
         empty database (another DATABASE_URL or DATA_DIR) to try the demo"
    )]
    RealAccounts(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Loads the demo data. Safe to run again: rows are matched by their codes. Refuses a
/// database that has accounts but never had generated data (demo or scale): the demo
/// admin password is in the README.
pub async fn demo(db: &Db) -> Result<(), DemoError> {
    // The world's times count back from when it was first loaded, so loading it again
    // writes the very same rows (nothing new, nothing moved).
    let first_loaded = match demo_loaded_at(db).await? {
        Some(at) => at,
        None => {
            let (accounts,): (i64,) = db_run!(db, |pool| {
                sqlx::query_as("SELECT COUNT(*) FROM users")
                    .fetch_one(pool)
                    .await
            })?;
            if accounts > 0 && !has_meta(db, SCALE_SEEDED_KEY).await? {
                return Err(DemoError::RealAccounts(accounts));
            }
            let now = chrono::Utc::now();
            mark_generated_at(db, DEMO_SEEDED_KEY, now).await?;
            now
        }
    };
    stores(db).await?;
    accounts(db).await?;
    world::load(db, first_loaded)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo world: {e}")))?;
    privacy::load(db)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("demo consents: {e:?}")))?;
    returns_setup(db).await?;
    Ok(advisors(db).await?)
}

/// The demo's mattress advisor, imported and published as a retailer would (once: a
/// version published since stays).
async fn advisors(db: &Db) -> Result<(), sqlx::Error> {
    use app::advisor::service;
    let fail = |e: app::error::AppError| sqlx::Error::Protocol(format!("demo advisor: {e:?}"));
    if service::published(db, "matras")
        .await
        .map_err(fail)?
        .is_some()
    {
        return Ok(());
    }
    service::import_draft(db, app::advisor::MATTRESS, None)
        .await
        .map_err(fail)?
        .map_err(|problems| sqlx::Error::Protocol(format!("demo advisor: {problems:?}")))?;
    service::publish(db, "matras", None).await.map_err(fail)?;
    Ok(())
}

/// The demo's return policy (30 days, linen 14, mattresses 100 nights, sending back
/// costs €4.95; dropping off in a store is free) and where the store staff work.
async fn returns_setup(db: &Db) -> Result<(), sqlx::Error> {
    let policy = app::returns::policy::Policy {
        default_days: 30,
        categories: vec![("linen".into(), 14)],
        trial_category: Some("mattresses".into()),
        trial_nights: 100,
        carrier_cost: 495,
        conditions_nl:
            "Stuur artikelen ongebruikt en compleet terug, het liefst in de originele verpakking. \
Hoofdkussens en dekbedden alleen in de gesloten verpakking; maatwerk kan niet retour."
                .into(),
        conditions_en: "Return items unused and complete, preferably in their original packaging. \
Pillows and duvets only in their sealed packaging; made-to-measure products cannot be returned."
            .into(),
    };
    let mut tx = db.begin().await?;
    app::returns::repo::save_policy(&mut tx, &policy, app::db::Timestamp::now()).await?;
    let staff: Option<(i64,)> = app::tx_run!(&mut tx, |conn| sqlx::query_as(
        "SELECT id FROM users WHERE email_normalized = 'winkel@slaapwereld.nl'"
    )
    .fetch_optional(conn)
    .await)?;
    let utrecht = app::stores::repo::id_by_code(&mut tx, "UTR").await?;
    if let (Some((user_id,)), Some(store_id)) = (staff, utrecht) {
        app::staff::repo::add_staff_store(&mut tx, user_id, store_id).await?;
    }
    tx.commit().await
}

/// The retailer's five stores.
pub async fn stores(db: &Db) -> Result<(), sqlx::Error> {
    let stores = [
        (
            "AMS",
            "Slaapwereld Amsterdam",
            "Kalverstraat 112",
            "1012 PK",
            "Amsterdam",
            "020 555 0101",
            hours(
                ("10:00", "18:00"),
                true,
                ("10:00", "18:00"),
                Some(("12:00", "17:00")),
            ),
        ),
        (
            "UTR",
            "Slaapwereld Utrecht",
            "Oudegracht 45",
            "3511 AB",
            "Utrecht",
            "030 555 0102",
            hours(
                ("09:30", "18:00"),
                true,
                ("09:30", "17:30"),
                Some(("12:00", "17:00")),
            ),
        ),
        (
            "RTM",
            "Slaapwereld Rotterdam",
            "Lijnbaan 88",
            "3012 EP",
            "Rotterdam",
            "010 555 0103",
            hours(
                ("10:00", "18:00"),
                false,
                ("10:00", "17:30"),
                Some(("12:00", "17:00")),
            ),
        ),
        (
            "EHV",
            "Slaapwereld Eindhoven",
            "Demer 21",
            "5611 AS",
            "Eindhoven",
            "040 555 0104",
            hours(("09:30", "18:00"), false, ("09:30", "17:00"), None),
        ),
        (
            "GRQ",
            "Slaapwereld Groningen",
            "Herestraat 30",
            "9711 LK",
            "Groningen",
            "050 555 0105",
            hours(("09:30", "18:00"), true, ("09:30", "17:00"), None),
        ),
    ];
    for (code, name, street, postcode, city, phone, opening_hours) in &stores {
        upsert(
            db,
            &NewStore {
                code,
                name,
                street,
                postcode,
                city,
                phone: Some(phone),
                opening_hours,
            },
        )
        .await?;
    }
    Ok(())
}

async fn accounts(db: &Db) -> Result<(), sqlx::Error> {
    for (email, password, name, role) in DEMO_LOGINS {
        let account = NewAccount {
            email: (*email).into(),
            name: (*name).into(),
            language: Language::Nl,
            password: (*password).into(),
            roles: vec![*role],
            verified: true,
        };
        // An existing account is left as it is.
        let created = create_account(db, account)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("demo account {email}: {e}")))?;
        // Staff need two-step login: the demo's staff have it with the published key.
        if let app::accounts::service::Created::User(user_id) = created
            && *role != Role::Customer
        {
            let mut tx = db.begin().await?;
            app::accounts::two_factor_repo::enrol(
                &mut tx,
                user_id,
                DEMO_TWO_STEP_KEY,
                0,
                &[],
                app::db::Timestamp::now(),
            )
            .await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

async fn mark_generated(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    mark_generated_at(db, key, chrono::Utc::now()).await
}

async fn has_meta(db: &Db, key: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = db_run!(db, |pool| {
        sqlx::query_as("SELECT value FROM app_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

/// Records (once) that a generated data set was loaded at `at`.
async fn mark_generated_at(
    db: &Db,
    key: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    let at = at.to_rfc3339();
    db_run!(db, |pool| {
        sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(&at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// When the demo data was first loaded into this database, if ever.
async fn demo_loaded_at(db: &Db) -> Result<Option<chrono::DateTime<chrono::Utc>>, sqlx::Error> {
    let found: Option<(String,)> = db_run!(db, |pool| {
        sqlx::query_as("SELECT value FROM app_meta WHERE key = $1")
            .bind(DEMO_SEEDED_KEY)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found
        .and_then(|(value,)| chrono::DateTime::parse_from_rfc3339(&value).ok())
        .map(|at| at.with_timezone(&chrono::Utc)))
}

/// Whether the demo data was ever loaded into this database.
pub async fn demo_loaded(db: &Db) -> Result<bool, sqlx::Error> {
    Ok(demo_loaded_at(db).await?.is_some())
}
