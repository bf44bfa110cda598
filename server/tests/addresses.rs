//! The customer's address book, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//! validation per country, one default of each kind, scoping, and past orders keeping
//! the address they were placed with.
mod common;

use app::accounts::{Language, Role, UserSummary};
use app::addresses::service::{AddressForm, delete_my_address, my_addresses, save_my_address};
use app::error::AppError;
use common::TestDb;

async fn anna(t: &TestDb) -> (UserSummary, i64) {
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    let summary = UserSummary {
        id: user.id,
        email: "anna@example.nl".into(),
        name: "Anna de Vries".into(),
        language: Language::Nl,
        verified: true,
        roles: vec![Role::Customer],
        second_factor: false,
        acting_for: None,
    };
    let customer = app::customers::repo::id_for_user(&t.db, user.id)
        .await
        .expect("query")
        .expect("customer");
    (summary, customer)
}

fn form(postcode: &str, number: &str, country: &str) -> AddressForm {
    AddressForm {
        name: "Anna de Vries".into(),
        street: "Oudegracht".into(),
        house_number: number.into(),
        addition: "bis".into(),
        postcode: postcode.into(),
        city: "Utrecht".into(),
        country: country.into(),
        default_delivery: false,
        default_billing: false,
    }
}

#[tokio::test]
async fn bad_addresses_are_explained_and_keep_what_was_typed() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let (user, customer) = anna(&t).await;
    let before = my_addresses(&t.db, Some(customer))
        .await
        .expect("list")
        .len();
    let err = save_my_address(&t.db, &user, None, form("0123AB", "12a", "NL"), None)
        .await
        .expect_err("invalid");
    assert_eq!(
        err.field_codes("postcode").collect::<Vec<_>>(),
        ["invalid_postcode"]
    );
    assert_eq!(
        err.field_codes("house_number").collect::<Vec<_>>(),
        ["invalid"]
    );
    assert_eq!(
        err.kept("postcode"),
        Some("0123AB"),
        "what was typed comes back"
    );
    let err = save_my_address(&t.db, &user, None, form("1234", "1", "US"), None)
        .await
        .expect_err("invalid");
    assert_eq!(
        err.field_codes("country").collect::<Vec<_>>(),
        ["unsupported_country"]
    );
    assert_eq!(
        my_addresses(&t.db, Some(customer))
            .await
            .expect("list")
            .len(),
        before
    );
}

#[tokio::test]
async fn addresses_are_normalised_with_one_default_each_and_orders_keep_theirs() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let (user, customer) = anna(&t).await;
    let mut new = form("3511ab", "45", "NL");
    new.default_delivery = true;
    let id = save_my_address(&t.db, &user, None, new, None)
        .await
        .expect("saved");
    let list = my_addresses(&t.db, Some(customer)).await.expect("list");
    let saved = list.iter().find(|a| a.id == id).expect("in the list");
    assert_eq!(saved.address.postcode, "3511 AB");
    assert_eq!(saved.address.addition.as_deref(), Some("bis"));
    assert_eq!(
        list.iter().filter(|a| a.default_delivery).count(),
        1,
        "one default delivery address"
    );
    assert!(
        list[0].default_delivery && list[0].id == id,
        "defaults first"
    );
    assert_eq!(
        list.iter().filter(|a| a.default_billing).count(),
        1,
        "billing default untouched"
    );

    // Changing her home address does not rewrite where earlier orders went.
    let home = list
        .iter()
        .find(|a| a.address.street == "Biltstraat")
        .expect("home")
        .id;
    save_my_address(&t.db, &user, Some(home), form("1000", "7", "BE"), None)
        .await
        .expect("changed");
    let order = app::orders::service::find_order(&t.db, "WS-240101")
        .await
        .expect("read")
        .expect("order");
    let delivered_to = order.delivery_address.expect("address");
    assert_eq!(
        (delivered_to.street.as_str(), delivered_to.postcode.as_str()),
        ("Biltstraat", "3572 AS")
    );

    delete_my_address(&t.db, Some(customer), id, None)
        .await
        .expect("deleted");
    assert!(
        my_addresses(&t.db, Some(customer))
            .await
            .expect("list")
            .iter()
            .all(|a| a.id != id)
    );
}

#[tokio::test]
async fn another_customers_address_cannot_be_changed_or_deleted() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let (user, customer) = anna(&t).await;
    let pieter = app::customers::repo::find_by_external_id(&t.db, "C-1002")
        .await
        .expect("query")
        .expect("pieter");
    let his = pieter.1.addresses[0].id;
    assert_eq!(
        save_my_address(&t.db, &user, Some(his), form("3511AB", "1", "NL"), None).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        delete_my_address(&t.db, Some(customer), his, None).await,
        Err(AppError::NotFound)
    );
    let still = app::customers::repo::find_by_external_id(&t.db, "C-1002")
        .await
        .expect("query")
        .expect("pieter");
    assert_eq!(still.1.addresses[0].address.street, "Witte de Withstraat");
}
