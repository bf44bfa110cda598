//! A customer with 5,000 orders gets their data export without the server holding it in
//! memory: this test binary counts every heap allocation (a counting global allocator)
//! and checks the build's peak stays far below the size of what it writes. On SQLite and
//! (with TEST_DATABASE_URL) PostgreSQL. Its own binary, so no other test's allocations
//! are counted.
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use app::db::{Db, Timestamp};
use app::language::Language;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call goes to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

const ORDERS: i64 = 5_000;

/// 5,000 delivered webshop orders of two lines each for the customer, in two statements.
async fn many_orders(db: &Db, customer_id: i64) {
    let orders = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3) \
        INSERT INTO orders (number, channel, customer_id, email, email_normalized, placed_at, \
            status, fulfilment, currency, subtotal_minor, discount_minor, shipping_minor, \
            total_minor, item_count, payments, delivery_address, created_at, updated_at) \
        SELECT 'BIG-' || i, 'webshop', $1, 'anna@example.nl', 'anna@example.nl', $2, \
            'delivered', 'delivery', 'EUR', 12900, 0, 0, 12900, 2, \
            '[{\"method\":\"ideal\",\"amount\":12900,\"currency\":\"EUR\"}]', \
            '{\"name\":\"Anna de Vries\",\"street\":\"Biltstraat\",\"house_number\":\"101\",\"postcode\":\"3572 AS\",\"city\":\"Utrecht\",\"country\":\"NL\"}', \
            $2, $2 FROM n";
    let lines = "INSERT INTO order_lines (order_id, line_no, sku, name, quantity, \
            unit_price_minor, discount_minor, total_minor) \
        SELECT o.id, l.n, 'KUS-' || l.n, 'Hoofdkussen synthetisch 60x70', 1, 6450, 0, 6450 \
        FROM orders o CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) l \
        WHERE o.number LIKE 'BIG-%'";
    let now = Timestamp::now();
    match db {
        Db::Sqlite(pool) => {
            sqlx::query(orders)
                .bind(customer_id)
                .bind(now)
                .bind(ORDERS)
                .execute(pool)
                .await
                .expect("orders");
            sqlx::query(lines).execute(pool).await.expect("lines");
        }
        Db::Postgres(pool) => {
            sqlx::query(orders)
                .bind(customer_id)
                .bind(now)
                .bind(ORDERS)
                .execute(pool)
                .await
                .expect("orders");
            sqlx::query(lines).execute(pool).await.expect("lines");
        }
    }
}

#[tokio::test]
async fn five_thousand_orders_are_exported_with_a_small_peak_in_memory() {
    let t = common::demo().await;
    let customer = common::customer_id(&t.db, "C-1001").await;
    many_orders(&t.db, customer).await;
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("q")
        .expect("anna")
        .summary(Vec::new());
    let asked = app::privacy::export::service::request(&t.db, &user, Some(customer), Language::Nl)
        .await
        .expect("asked");

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    app::privacy::export::service::build_next(&t.db, &common::mail_context(), Timestamp::now())
        .await
        .expect("built")
        .expect("an export");
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);

    // What it wrote, unpacked: data.json and the CSV files.
    let row = app::privacy::export::repo::by_code(&t.db, &asked.code)
        .await
        .expect("q")
        .expect("row");
    let mut zip_bytes = Vec::new();
    for seq in 0..row.parts {
        zip_bytes.extend(
            app::privacy::export::repo::part(&t.db, row.id, seq)
                .await
                .expect("q")
                .expect("part"),
        );
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect("zip");
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        unpacked += archive.by_index(i).expect("entry").size();
    }
    let data = {
        use std::io::Read;
        let mut text = String::new();
        archive
            .by_name("data.json")
            .expect("data.json")
            .read_to_string(&mut text)
            .expect("read");
        serde_json::from_str::<serde_json::Value>(&text).expect("json")
    };
    assert!(data["orders"].as_array().expect("orders").len() as i64 > ORDERS);
    assert!(data["order_lines"].as_array().expect("lines").len() as i64 > 2 * ORDERS);

    eprintln!(
        "export of {ORDERS}+ orders: {} KiB unpacked, {} KiB zipped, peak heap during the build {} KiB",
        unpacked / 1024,
        row.size_bytes.unwrap_or_default() / 1024,
        peak / 1024
    );
    // Holding the export would need at least its unpacked size; the build's peak is a
    // page of rows, the ZIP's compressor and one part of the file.
    assert!(
        unpacked > 6 * 1024 * 1024,
        "the export is big enough to tell"
    );
    assert!(
        (peak as u64) < unpacked / 2,
        "peak heap {peak} bytes against {unpacked} bytes written"
    );
}
