//! Quick orders and order lists: a hotel buyer pastes lines (or a CSV file's) and sends
//! them as an order request of the company — nothing is sent while a line is wrong, each
//! named with why; the company's order lists are its own; over the buyer's limit the
//! request waits for an approver like a reorder does. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::{Language, Role, UserSummary};
use app::companies::manage::{MemberForm, add_location, save_member};
use app::customers::PostalAddress;
use app::error::AppError;
use app::quick_orders::service::{
    QuickOrderForm, check_text, delete_list, order_list, page, save_list, send,
};
use app::quick_orders::{LineError, line_errors};
use app::reorders::{ApprovalState, ReorderStatus};
use common::TestDb;

const HOTEL: &str = "HOTEL-ZS";

struct Member {
    user: UserSummary,
    customer: Option<i64>,
}

async fn member(t: &TestDb, email: &str, customer: &str) -> Member {
    let id = common::number(&t.db, "SELECT id FROM users WHERE email = $1", email).await;
    Member {
        user: UserSummary {
            id,
            email: email.into(),
            name: email.into(),
            language: Language::Nl,
            verified: true,
            roles: vec![Role::Customer],
            second_factor: false,
            acting_for: None,
        },
        customer: Some(common::customer_id(&t.db, customer).await),
    }
}

async fn marieke(t: &TestDb) -> Member {
    member(t, "inkoop@zeeuwsestromen.nl", "C-2001").await
}

async fn joris(t: &TestDb) -> Member {
    member(t, "huishouding@zeeuwsestromen.nl", "C-2002").await
}

async fn quick(t: &TestDb, who: &Member, lines: &str) -> Result<app::reorders::Reorder, AppError> {
    quick_at(t, who, lines, "").await
}

async fn quick_at(
    t: &TestDb,
    who: &Member,
    lines: &str,
    location: &str,
) -> Result<app::reorders::Reorder, AppError> {
    let form = QuickOrderForm {
        company: HOTEL,
        lines,
        note: "PO 2026-114",
        location,
    };
    send(
        &t.db,
        &common::mail_context(),
        who.user.id,
        who.customer,
        form,
    )
    .await
}

async fn requested(t: &TestDb) -> Vec<serde_json::Value> {
    common::outbox_payloads(t, "webhook")
        .await
        .into_iter()
        .filter(|h| h["type"] == "order.requested")
        .map(|h| h["data"].clone())
        .collect()
}

fn problems(err: &AppError) -> Vec<(usize, String, Option<String>)> {
    line_errors(err)
        .into_iter()
        .map(|LineError { line, code, hint }| (line, code, hint))
        .collect()
}

#[tokio::test]
async fn a_quick_order_with_bad_lines_sends_nothing_and_names_each_line() {
    let t = common::demo().await;
    let joris = joris(&t).await;
    let typed = "LIN-HOTEL-LAKEN-160 12\n\
                 LIN-ONBEKEND 3\n\
                 LIN-HOTEL-OVERTREK-200 4\n\
                 LIN-HOTEL-SLOOP 15\n\
                 LIN-HOTEL-LAKEN-160\n\
                 lin-hotel-laken-160;8\n";
    let refused = quick(&t, &joris, typed).await.expect_err("bad lines");
    assert_eq!(
        problems(&refused),
        [
            (2, "unknown_sku".into(), None),
            (
                3,
                "replaced".into(),
                Some("LIN-HOTEL-OVERTREK-200-PERCAL".into())
            ),
            (4, "not_pack_multiple".into(), Some("10".into())),
            (5, "no_quantity".into(), None),
        ]
    );
    assert!(requested(&t).await.is_empty(), "nothing sent");
    let stored = common::number(
        &t.db,
        "SELECT COUNT(*) FROM reorder_requests WHERE order_id IS NULL AND note = $1",
        "PO 2026-114",
    )
    .await;
    assert_eq!(stored, 0, "nothing stored");

    // Fixed as the messages say: the successor, whole packs, the line without a quantity gone.
    let fixed = "LIN-HOTEL-LAKEN-160 12\n\
                 LIN-HOTEL-OVERTREK-200-PERCAL 4\n\
                 LIN-HOTEL-SLOOP 20\n\
                 lin-hotel-laken-160;8\n";
    let request = quick(&t, &joris, fixed).await.expect("sent");
    assert_eq!(request.order, None);
    assert_eq!(request.company.as_deref(), Some(HOTEL));
    assert_eq!(request.status, ReorderStatus::Requested);
    assert_eq!(request.approval, None, "no limit set");
    let lines: Vec<(&str, i32)> = request
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity))
        .collect();
    assert_eq!(
        lines,
        [
            ("LIN-HOTEL-LAKEN-160", 20),
            ("LIN-HOTEL-OVERTREK-200-PERCAL", 4),
            ("LIN-HOTEL-SLOOP", 20),
        ],
        "the same product twice is added up"
    );
    let hooks = requested(&t).await;
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["order"], serde_json::Value::Null);
    assert_eq!(hooks[0]["company"], HOTEL);
    assert_eq!(hooks[0]["customer"], "C-2002");
    assert_eq!(hooks[0]["note"], "PO 2026-114");
    assert_eq!(
        hooks[0]["answer_with"],
        format!("PUT /api/v1/order-requests/{}", request.id)
    );

    // The company sees it, with its state; the back office answers it by its id.
    let shown = page(&t.db, joris.customer, HOTEL, None, None)
        .await
        .expect("page");
    assert_eq!(shown.requests.len(), 1);
    assert_eq!(shown.requests[0].id, request.id);
    let decision = app::reorders::service::ReorderDecision {
        status: "placed".into(),
        order: Some("B2B-ZS-2001".into()),
        note: None,
    };
    let answered = app::reorders::service::decide(&t.db, None, request.id, decision)
        .await
        .expect("placed");
    assert_eq!(answered.status, ReorderStatus::Placed);
    assert_eq!(answered.new_order.as_deref(), Some("B2B-ZS-2001"));
}

#[tokio::test]
async fn a_csv_file_with_a_bom_a_header_and_quoted_fields_is_read() {
    let t = common::demo().await;
    let file = "\u{feff}artikelnummer;aantal\r\n\"LIN-HOTEL-SLOOP\";\"30\"\r\n\"LIN-HOTEL-LAKEN-160\";2\r\n";
    let (chosen, problems) = check_text(&t.db, file).await.expect("checked");
    assert!(problems.is_empty(), "{problems:?}");
    let read: Vec<(&str, i32, usize)> = chosen
        .iter()
        .map(|(c, q)| (c.sku.as_str(), *q, c.line as usize))
        .collect();
    assert_eq!(
        read,
        [("LIN-HOTEL-SLOOP", 30, 2), ("LIN-HOTEL-LAKEN-160", 2, 3)],
        "line numbers as in the file"
    );
    // More than in stock: 12 percale covers.
    let (_, problems) = check_text(&t.db, "LIN-HOTEL-OVERTREK-200-PERCAL,13")
        .await
        .expect("checked");
    assert_eq!(problems[0].code, "more_than_in_stock");
    assert_eq!(problems[0].hint.as_deref(), Some("12"));
}

#[tokio::test]
async fn a_quick_order_over_the_limit_waits_and_is_approved_by_someone_else() {
    let t = common::demo().await;
    let db = &t.db;
    let (marieke, joris) = (marieke(&t).await, joris(&t).await);
    let form = MemberForm {
        role: "buyer",
        limit_per_order: "100",
        limit_per_month: "",
        locations: Vec::new(),
    };
    save_member(
        db,
        marieke.customer,
        Some(HOTEL),
        joris.customer.expect("id"),
        form,
    )
    .await
    .expect("limit set");

    let request = quick(&t, &joris, "LIN-HOTEL-SLOOP 40")
        .await
        .expect("asked");
    assert_eq!(
        request.approval.as_ref().map(|a| a.state),
        Some(ApprovalState::Awaiting)
    );
    assert!(requested(&t).await.is_empty(), "not sent before approval");
    let mails: Vec<String> = common::outbox_payloads(&t, "mail")
        .await
        .into_iter()
        .filter_map(|m| m["subject"].as_str().map(str::to_string))
        .collect();
    assert!(
        mails
            .iter()
            .any(|s| s.contains(&format!("bestelaanvraag nr. {}", request.id))),
        "the buyer is told: {mails:?}"
    );

    // Not Joris's to approve; Marieke sees it and approves.
    let ctx = common::mail_context();
    let refused = app::reorders::approvals::decide(
        db,
        &ctx,
        &joris.user,
        joris.customer,
        request.id,
        true,
        "",
    )
    .await
    .expect_err("the buyer");
    assert!(matches!(refused, AppError::NotFound), "{refused:?}");
    let waiting = app::reorders::approvals::pending(db, marieke.customer)
        .await
        .expect("pending");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].order, None);
    assert_eq!(waiting[0].total, 40 * 495);
    let early = app::reorders::service::ReorderDecision {
        status: "placed".into(),
        order: Some("B2B-ZS-2002".into()),
        note: None,
    };
    let refused = app::reorders::service::decide(db, None, request.id, early)
        .await
        .expect_err("waits");
    assert_eq!(
        common::field_codes(refused),
        [("status".to_string(), "awaiting_approval".to_string())]
    );
    app::reorders::approvals::decide(
        db,
        &ctx,
        &marieke.user,
        marieke.customer,
        request.id,
        true,
        "",
    )
    .await
    .expect("approved");
    let hooks = requested(&t).await;
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["reorder_id"], request.id);
    assert_eq!(hooks[0]["approved_by"], marieke.user.name.as_str());
}

#[tokio::test]
async fn the_location_chosen_goes_with_the_request() {
    let t = common::demo().await;
    let (marieke, joris) = (marieke(&t).await, joris(&t).await);
    let place = |name: &str, street: &str| PostalAddress {
        name: name.into(),
        street: street.into(),
        house_number: "1".into(),
        addition: None,
        postcode: "4381 AA".into(),
        city: "Vlissingen".into(),
        country: "NL".into(),
    };
    add_location(
        &t.db,
        marieke.customer,
        Some(HOTEL),
        place("Hotel", "Boulevard"),
    )
    .await
    .expect("hotel");
    let beach = add_location(
        &t.db,
        marieke.customer,
        Some(HOTEL),
        place("Strandpaviljoen", "Strand"),
    )
    .await
    .expect("beach");
    let refused = quick(&t, &joris, "LIN-HOTEL-SLOOP 10")
        .await
        .expect_err("where to?");
    assert_eq!(
        common::field_codes(refused),
        [("location".to_string(), "required".to_string())]
    );
    let request = quick_at(&t, &joris, "LIN-HOTEL-SLOOP 10", &beach.to_string())
        .await
        .expect("sent");
    assert_eq!(
        request.deliver_to.map(|a| a.name).as_deref(),
        Some("Strandpaviljoen")
    );
    let hooks = requested(&t).await;
    assert_eq!(hooks[0]["deliver_to"]["street"], "Strand");
}

#[tokio::test]
async fn order_lists_are_the_companys_own_and_a_viewer_only_looks() {
    let t = common::demo().await;
    let db = &t.db;
    let (marieke, joris) = (marieke(&t).await, joris(&t).await);
    let id = save_list(
        db,
        marieke.user.id,
        marieke.customer,
        HOTEL,
        "Maandelijkse linnenbestelling",
        "LIN-HOTEL-LAKEN-160 20\nLIN-HOTEL-SLOOP 40\n",
    )
    .await
    .expect("saved");
    let shown = page(db, joris.customer, HOTEL, Some(id), None)
        .await
        .expect("page");
    assert_eq!(shown.lists.len(), 1);
    assert_eq!(shown.lists[0].name, "Maandelijkse linnenbestelling");
    let draft = shown.draft.expect("the list fills the form");
    assert_eq!(draft.text, "LIN-HOTEL-LAKEN-160 20\nLIN-HOTEL-SLOOP 40\n");
    assert!(draft.problems.is_empty());

    // Another company's admin (Anna, of her own company) sees nothing of it.
    let input: app::companies::service::CompanyInput = serde_json::from_value(serde_json::json!({
        "name": "Pension Anna",
        "members": [{"customer": "C-1001", "role": "admin"}]
    }))
    .expect("input");
    app::companies::service::upsert_company(db, "PENSION-A", input)
        .await
        .expect("company");
    let anna = member(&t, "anna@example.nl", "C-1001").await;
    let hers = page(db, anna.customer, "PENSION-A", Some(id), None)
        .await
        .expect("her page");
    assert!(hers.lists.is_empty() && hers.draft.is_none() && hers.requests.is_empty());
    assert!(matches!(
        page(db, anna.customer, HOTEL, None, None).await,
        Err(AppError::NotFound)
    ));
    let ctx = common::mail_context();
    let theirs = order_list(db, &ctx, anna.user.id, anna.customer, "PENSION-A", id, "").await;
    assert!(matches!(theirs, Err(AppError::NotFound)), "{theirs:?}");
    let theirs = delete_list(db, anna.customer, "PENSION-A", id).await;
    assert!(matches!(theirs, Err(AppError::NotFound)), "{theirs:?}");

    // A viewer may look at the list but not order it.
    let form = MemberForm {
        role: "viewer",
        limit_per_order: "",
        limit_per_month: "",
        locations: Vec::new(),
    };
    save_member(
        db,
        marieke.customer,
        Some(HOTEL),
        joris.customer.expect("id"),
        form,
    )
    .await
    .expect("viewer");
    let refused = order_list(db, &ctx, joris.user.id, joris.customer, HOTEL, id, "")
        .await
        .expect_err("viewer");
    assert_eq!(
        common::field_codes(refused),
        [("lines".to_string(), "viewer_cannot_order".to_string())]
    );

    // Ordered in one go, as today's catalogue has it: fewer in stock than on the list.
    common::exec(
        db,
        "UPDATE products SET stock = 30 WHERE sku = 'LIN-HOTEL-SLOOP'",
    )
    .await;
    let refused = order_list(db, &ctx, marieke.user.id, marieke.customer, HOTEL, id, "")
        .await
        .expect_err("stock");
    assert_eq!(
        problems(&refused),
        [(2, "more_than_in_stock".into(), Some("30".into()))]
    );
    common::exec(
        db,
        "UPDATE products SET stock = 500 WHERE sku = 'LIN-HOTEL-SLOOP'",
    )
    .await;
    let request = order_list(db, &ctx, marieke.user.id, marieke.customer, HOTEL, id, "")
        .await
        .expect("ordered");
    assert_eq!(request.lines.len(), 2);
    assert_eq!(
        request.note.as_deref(),
        Some("Maandelijkse linnenbestelling")
    );
    delete_list(db, marieke.customer, HOTEL, id)
        .await
        .expect("deleted");
    assert!(
        page(db, marieke.customer, HOTEL, None, None)
            .await
            .expect("page")
            .lists
            .is_empty()
    );
}
