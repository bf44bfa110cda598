//! The data layer, run on SQLite and (with TEST_DATABASE_URL) on PostgreSQL.
mod common;

use app::db::Backend;
use app::error::AppError;
use app::stores::repo::{self, NewStore};
use app::stores::{DayHours, OpeningHours, service};
use common::TestDb;
use server::seed;

fn hours() -> OpeningHours {
    let open = Some(DayHours {
        opens: "09:00".into(),
        closes: "18:00".into(),
    });
    OpeningHours(vec![
        open.clone(),
        open.clone(),
        open.clone(),
        open.clone(),
        open,
        None,
        None,
    ])
}

async fn add(db: &app::db::Db, code: &str, name: &str, postcode: &str, city: &str) {
    repo::upsert(
        db,
        &NewStore {
            code,
            name,
            street: "Straat 1",
            postcode,
            city,
            phone: None,
            opening_hours: &hours(),
        },
    )
    .await
    .expect("upsert store");
}

#[tokio::test]
async fn migrations_apply_and_health_check_answers() {
    let t = TestDb::new().await;
    let expected = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    assert_eq!(t.db.backend(), expected);
    t.db.ping().await.expect("ping");
    // Running the migrations again is a no-op, as at every start-up.
    t.db.migrate().await.expect("migrate twice");
}

#[tokio::test]
async fn store_search_matches_name_town_and_postcode() {
    let t = TestDb::new().await;
    add(&t.db, "UTR", "Slaapwereld Utrecht", "3511 AB", "Utrecht").await;
    add(
        &t.db,
        "AMS",
        "Slaapwereld Amsterdam",
        "1012 PK",
        "Amsterdam",
    )
    .await;
    add(&t.db, "DBS", "Bedden 50% Outlet", "4811 AA", "Breda").await;

    let all = service::search_stores(&t.db, "").await.expect("all");
    let towns: Vec<_> = all.iter().map(|s| s.city.as_str()).collect();
    assert_eq!(towns, ["Amsterdam", "Breda", "Utrecht"], "ordered by town");
    assert_eq!(
        all[0].opening_hours,
        hours(),
        "opening hours survive the round trip"
    );

    let by_town = service::search_stores(&t.db, "  utrecht ")
        .await
        .expect("town");
    assert_eq!(by_town.len(), 1);
    assert_eq!(by_town[0].code, "UTR");

    let by_postcode = service::search_stores(&t.db, "1012pk")
        .await
        .expect("postcode");
    assert_eq!(
        by_postcode
            .iter()
            .map(|s| s.code.as_str())
            .collect::<Vec<_>>(),
        ["AMS"]
    );

    // % is a character to look for, not a wildcard.
    let literal = service::search_stores(&t.db, "50%").await.expect("literal");
    assert_eq!(
        literal.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        ["DBS"]
    );
    let wildcard = service::search_stores(&t.db, "%")
        .await
        .expect("percent alone");
    assert_eq!(wildcard.len(), 1);

    assert!(
        service::search_stores(&t.db, "Zwolle")
            .await
            .expect("none")
            .is_empty()
    );
}

#[tokio::test]
async fn too_long_search_is_a_field_error() {
    let t = TestDb::new().await;
    let err = service::search_stores(&t.db, &"x".repeat(101))
        .await
        .expect_err("too long");
    assert_eq!(err, AppError::invalid("query", "too_long"));
}

#[tokio::test]
async fn upsert_updates_by_code() {
    let t = TestDb::new().await;
    add(&t.db, "UTR", "Slaapwereld Utrecht", "3511 AB", "Utrecht").await;
    add(
        &t.db,
        "UTR",
        "Slaapwereld Utrecht Centrum",
        "3511 AB",
        "Utrecht",
    )
    .await;
    let all = service::search_stores(&t.db, "").await.expect("all");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "Slaapwereld Utrecht Centrum");
}

#[tokio::test]
async fn demo_data_loads_once_and_again_harmlessly() {
    let t = TestDb::new().await;
    assert!(!seed::demo_loaded(&t.db).await.expect("flag"));
    seed::demo(&t.db).await.expect("seed");
    seed::demo(&t.db).await.expect("seed again");
    assert!(seed::demo_loaded(&t.db).await.expect("flag"));
    let stores = service::search_stores(&t.db, "").await.expect("stores");
    assert_eq!(stores.len(), 5, "five demo stores, not ten");
    assert!(stores.iter().all(|s| s.opening_hours.0.len() == 7));
}
