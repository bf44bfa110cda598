#!/usr/bin/env bash
# Benchmarks of the two pages a customer opens most: the order list (first page) and the
# newest order's page, with the release server, measured with wrk the way the
# django-oscar peer harness (../shared/peers/django-oscar) measures Oscar.
#
#   bench/bench.sh small   (`make bench`)       the peer's data shape: bench@example.com with
#                                               200 orders, 1,000 others with 5, 100 products,
#                                               3 lines per order, shipments with events; SQLite.
#                                               BENCH_PEER=1 also runs the peer harness and the
#                                               static-file limit (nginx) in this run and prints
#                                               the ratios.
#   bench/bench.sh scale   (`make bench-scale`) one customer with 500 orders among 100,000 × 10,
#                                               on SQLite and on PostgreSQL, plus every account
#                                               page for that customer (1 connection), and the
#                                               ratio to the small data set.
#
# It logs in through the real login form (as a browser without JavaScript: POST, session
# cookie; CSRF protection here is the Origin check), checks the list shows the customer's
# newest orders and the detail page its lines and address, then runs wrk (2 threads, 16
# connections, 3 s warm-up, 10 s measured) and fails if any response is not 200. It
# records req/s, p50/p90/p99, HTML bytes, the server's RSS during the run, and who used
# the CPU (a run is NOISY when other processes took more than 0.15 core).
#
# Knobs: THREADS=2 CONNECTIONS=16 DURATION=10s WARMUP=3s PORT=8811 RSS_INTERVAL=0.2
#        PEER_DIR=../shared/peers/django-oscar  SCALE_CUSTOMERS=100000
# Output: bench/results/<stamp>-<mode>/ (summary.txt, wrk outputs, the pages, RSS samples).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export LC_ALL=C

MODE="${1:-small}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-3s}"
PORT="${PORT:-8811}"
RSS_INTERVAL="${RSS_INTERVAL:-0.2}"
# The peer harness lives in the workplace's shared folder, beside the main checkout; a
# clone elsewhere finds it through the checkout it was cloned from.
if [ -z "${PEER_DIR:-}" ]; then
    for base in "$ROOT" "$(git config --get remote.origin.url 2>/dev/null || true)"; do
        if [ -n "$base" ] && [ -d "$base/../shared/peers/django-oscar" ]; then
            PEER_DIR="$(cd "$base/../shared/peers/django-oscar" && pwd)"
            break
        fi
    done
fi
PEER_DIR="${PEER_DIR:-$ROOT/../shared/peers/django-oscar}"
SCALE_CUSTOMERS="${SCALE_CUSTOMERS:-100000}"
BASE="http://127.0.0.1:$PORT"
BIN="${CARGO_TARGET_DIR:-$HOME/.cache/mijn-portaal/target}/release/server"
EMAIL="bench@example.com"
PASSWORD="schaal-bench-wachtwoord"
STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$ROOT/bench/results/$STAMP-$MODE"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"

die() { echo "ERROR: $*" >&2; exit 1; }
say() { echo "$*" | tee -a "$SUMMARY"; }

command -v wrk >/dev/null || die "wrk not found (make bench installs it with apt)"
command -v curl >/dev/null || die "curl not found"
[ -x "$BIN" ] || die "no release server at $BIN (make bench builds it)"
# The bundle's name carries its content hash (cargo-leptos hash-files, hash.txt beside the binary).
HASH_FILE="$(dirname "$BIN")/hash.txt"
WASM_NAME="mijn-portaal.$(awk -F': *' '$1 == "wasm" {print $2}' "$HASH_FILE" 2>/dev/null).wasm"
[ -s "target/site/pkg/$WASM_NAME" ] || die "no release site in target/site (make bench builds it)"

SERVER_PID=""
SAMPLER=""
stop_all() {
    [ -n "$SAMPLER" ] && { kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; }
    SAMPLER=""
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_all EXIT

# --- data --------------------------------------------------------------------------
sql() {  # url query -> rows, fields separated by |
    case "$1" in
        sqlite://*) python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1][len("sqlite://"):])
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
        ;;
        postgres://*) psql "$1" -At -F '|' -c "$2" ;;
    esac
}

seed() {  # url customers orders_per_customer featured_orders
    local url="$1"
    echo "== fresh database: $2 customers × $3 orders, $EMAIL with $4 orders"
    DATABASE_URL="$url" DATA_DIR="$OUT/data" LOG_LEVEL=warn "$BIN" migrate >/dev/null
    DATABASE_URL="$url" DATA_DIR="$OUT/data" LOG_LEVEL=warn "$BIN" seed scale \
        --customers "$2" --orders-per-customer "$3" --lines-per-order 3 --products 100 \
        --featured-email "$EMAIL" --featured-orders "$4" | tee -a "$OUT/seed.txt"
}

start_server() {  # url
    echo "== starting the release server on $BASE"
    DATABASE_URL="$1" DATA_DIR="$OUT/data" HOST=127.0.0.1 PORT="$PORT" SITE_ROOT="$ROOT/target/site" \
        LOG_LEVEL=warn "$BIN" serve >"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "$BASE/readyz" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped; see $OUT/server.log"
        sleep 0.1
    done
    die "the server did not become ready; see $OUT/server.log"
}

COOKIE=""
log_in() {
    # The login form, as a browser without JavaScript sends it.
    curl -sS -o "$OUT/login.html" "$BASE/login"
    grep -q 'name="password"' "$OUT/login.html" || die "no login form at /login"
    local jar="$OUT/cookies.txt" result
    result="$(curl -sS -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
        -H "Origin: $BASE" -H "Accept: text/html" \
        --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "next=/account/orders" "$BASE/api/fn/login")"
    case "${result%% *}" in 302|303) ;; *) die "login did not redirect (got: $result)" ;; esac
    COOKIE="portal_session=$(awk -F'\t' '$6 == "portal_session" {print $7}' "$jar" | tail -n 1)"
    [ "$COOKIE" != "portal_session=" ] || die "no session cookie after login"
    echo "logged in as $EMAIL (login POST -> $result)"
}

fetch() {  # url file -> "code bytes"
    curl -sS -o "$2" -w '%{http_code} %{size_download}\n' -H "Cookie: $COOKIE" -H "Accept: text/html" "$1"
}

LIST_BYTES=0; DETAIL_BYTES=0; NEWEST=""
verify_pages() {  # url
    local cid code
    cid="$(sql "$1" "SELECT c.id FROM customers c JOIN users u ON u.id = c.user_id WHERE u.email = '$EMAIL'")"
    [ -n "$cid" ] || die "$EMAIL has no customer record"
    mapfile -t page1 < <(sql "$1" "SELECT number FROM orders WHERE customer_id = $cid ORDER BY placed_at DESC, id DESC LIMIT 25")
    [ "${#page1[@]}" -eq 25 ] || die "$EMAIL has fewer than 25 orders"
    NEWEST="${page1[0]}"
    read -r code LIST_BYTES < <(fetch "$BASE/account/orders" "$OUT/order_list.html")
    [ "$code" = 200 ] || die "order list: HTTP $code"
    for number in "${page1[@]}"; do
        grep -q "href=\"/account/orders/$number\"" "$OUT/order_list.html" || die "order list lacks $number"
    done
    echo "verified order list: HTTP 200, $LIST_BYTES bytes, the 25 newest orders linked"
    read -r code DETAIL_BYTES < <(fetch "$BASE/account/orders/$NEWEST" "$OUT/order_detail.html")
    [ "$code" = 200 ] || die "order detail: HTTP $code"
    local oid street lines=0
    oid="$(sql "$1" "SELECT id FROM orders WHERE number = '$NEWEST'")"
    while IFS= read -r name; do
        grep -qF "$name" "$OUT/order_detail.html" || die "detail page lacks line '$name'"
        lines=$((lines + 1))
    done < <(sql "$1" "SELECT name FROM order_lines WHERE order_id = $oid ORDER BY line_no")
    street="$(sql "$1" "SELECT delivery_address FROM orders WHERE id = $oid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["street"])')"
    grep -qF "$street" "$OUT/order_detail.html" || die "detail page lacks the address ($street)"
    echo "verified order detail $NEWEST: HTTP 200, $DETAIL_BYTES bytes, $lines lines, address '$street'"
}

# --- measuring ---------------------------------------------------------------------
HZ="$(getconf CLK_TCK)"
server_ticks() { local s; s="$(cat "/proc/$SERVER_PID/stat")"; s="${s##*) }"; set -- $s; echo $((${12} + ${13})); }
machine_ticks() { local _ u n sy i w q sq st; read -r _ u n sy i w q sq st _ </proc/stat; echo "$((u + n + sy + q + sq)) $st $((i + w))"; }
child_ticks() {  # CPU ticks of this shell's finished children (wrk) -> $CHILD_TICKS
    times >"$OUT/times.txt"  # not in $(...): a subshell would report zero
    CHILD_TICKS="$(awk -v hz="$HZ" 'NR == 2 {t = 0
        for (i = 1; i <= 2; i++) {sub(/s$/, "", $i); split($i, a, "m"); t += a[1] * 60 + a[2]}
        printf "%d\n", t * hz + 0.5}' "$OUT/times.txt")"
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }
rss_sampler() { trap - EXIT; while kill -0 "$SERVER_PID" 2>/dev/null; do echo "$EPOCHREALTIME $(rss_kb)"; sleep "$RSS_INTERVAL"; done; }

# name url [threads connections duration]: one measured wrk run; appends a result line
# "name req/s p50 p90 p99 requests bytes rss_median rss_peak server_cores wrk_cores other_cores"
run_wrk() {
    local name="$1" url="$2" t="${3:-$THREADS}" c="${4:-$CONNECTIONS}" d="${5:-$DURATION}" bytes="${6:-0}"
    [ "$WARMUP" = 0 ] || wrk -t"$t" -c"$c" -d"$WARMUP" -H "Cookie: $COOKIE" -H "Accept: text/html" "$url" >/dev/null
    local m0 g0 t0 m1 g1 t1 c0
    child_ticks; c0="$CHILD_TICKS"
    m0="$(machine_ticks)"; g0="$(server_ticks)"; t0="$EPOCHREALTIME"
    rss_sampler >"$OUT/rss_$name.txt" &
    SAMPLER=$!
    wrk -t"$t" -c"$c" -d"$d" --latency -s "$ROOT/bench/status_check.lua" \
        -H "Cookie: $COOKIE" -H "Accept: text/html" "$url" >"$OUT/wrk_$name.txt"
    kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    m1="$(machine_ticks)"; g1="$(server_ticks)"; t1="$EPOCHREALTIME"
    child_ticks
    grep -q 'status check: [0-9]* responses 200, 0 other' "$OUT/wrk_$name.txt" \
        || die "$name: some responses were not HTTP 200 (see $OUT/wrk_$name.txt)"
    # Cores used during the run: the server, wrk (this shell's children), everyone else.
    python3 - "$name" "$OUT/wrk_$name.txt" "$OUT/rss_$name.txt" "$bytes" "$t0" "$t1" "$HZ" \
        "$m0" "$m1" "$g0" "$g1" "$c0" "$CHILD_TICKS" >>"$OUT/results.txt" <<'PY'
import re, statistics, sys
name, wrk, rss, nbytes, t0, t1, hz = sys.argv[1:8]
m0 = [int(x) for x in sys.argv[8].split()]; m1 = [int(x) for x in sys.argv[9].split()]
g0, g1 = int(sys.argv[10]), int(sys.argv[11])
c0, c1 = int(sys.argv[12]), int(sys.argv[13])
text = open(wrk).read()
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
reqs = int(re.search(r"(\d+) requests in", text).group(1))
samples = [int(l.split()[1]) for l in open(rss) if len(l.split()) == 2] or [0]
dt = (float(t1) - float(t0)) * int(hz)
server = (g1 - g0) / dt
client = (c1 - c0) / dt
busy = (m1[0] - m0[0]) / dt
print(f"{name} {rps:.0f} {lat(50):.3f} {lat(90):.3f} {lat(99):.3f} {reqs} {nbytes} "
      f"{statistics.median(samples) / 1024:.1f} {max(samples) / 1024:.1f} {server:.2f} {client:.2f} "
      f"{max(busy - server - client, 0):.2f}")
PY
}

table() {  # title, then result names
    local title="$1"; shift
    say ""
    say "=== $title"
    printf '%-22s %9s %9s %9s %9s %9s %8s %8s %8s %7s %5s %6s\n' page req/s p50_ms p90_ms p99_ms requests html_B \
        rss_MiB rss_peak server wrk other | tee -a "$SUMMARY"
    for n in "$@"; do
        awk -v n="$n" '$1 == n {printf "%-22s %9s %9s %9s %9s %9s %8s %8s %8s %7s %5s %6s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12}' \
            "$OUT/results.txt" | tee -a "$SUMMARY"
    done
}

field() { awk -v n="$1" -v i="$2" '$1 == n {print $i; exit}' "$OUT/results.txt"; }

wasm_report() {
    local wasm="target/site/pkg/$WASM_NAME" raw br served headers budget=250000 verdict
    raw="$(stat -c %s "$wasm")"
    if command -v brotli >/dev/null; then br="$(brotli -c -q 11 "$wasm" | wc -c)"; else br="?"; fi
    headers="$(curl -sS -o /dev/null -D - -H 'Accept-Encoding: br' "$BASE/pkg/$WASM_NAME" | tr -d '\r')"
    served="$(awk -F': ' 'tolower($1) == "content-encoding" {print $2}' <<<"$headers")"
    served="$served, $(awk -F': ' 'tolower($1) == "content-length" {print $2 " bytes"}' <<<"$headers")"
    served="$served, cache-control: $(awk -F': ' 'tolower($1) == "cache-control" {print $2}' <<<"$headers")"
    if [ "$br" != "?" ] && [ "$br" -le "$budget" ]; then verdict="met"; else verdict="MISSED"; fi
    say "wasm bundle $WASM_NAME: $raw bytes raw, $br bytes brotli (q 11), budget $budget: $verdict; served as content-encoding: $served"
}

# Every account page for the featured customer, one connection (latency, not throughput).
page_sweep() {  # label
    local label="$1" number="$NEWEST" names=()
    local pages=(
        "overview /account"
        "orders /account/orders"
        "orders_page_10 /account/orders?page=10"
        "orders_search /account/orders?q=model+7"
        "orders_filtered /account/orders?channel=store&status=done"
        "order_detail /account/orders/$number"
        "receipt /account/orders/$number/receipt"
        "receipt_pdf /account/orders/$number/receipt.pdf"
        "addresses /account/addresses"
        "details /account/details"
        "loyalty /account/loyalty"
    )
    for p in "${pages[@]}"; do
        local n="${label}_${p%% *}" url="$BASE${p#* }" code bytes
        read -r code bytes < <(fetch "$url" "$OUT/$n.html")
        [ "$code" = 200 ] || die "$url: HTTP $code"
        WARMUP=1s run_wrk "$n" "$url" 1 1 3s "$bytes"
        names+=("$n")
    done
    table "$label: every account page, one connection (wrk -t1 -c1 -d3s)" "${names[@]}"
}

# Customer service at scale: a support agent searches one customer in the middle of the
# set every way the search reads, and opens their page. One connection, like page_sweep;
# every search and look is also written to the audit trail, as in real use.
service_sweep() {  # label url
    local label="$1" url="$2" names=() agent="agent@bench.example" pw="Bench-agent-quilt-harbour-$$"
    printf '%s' "$pw" | DATABASE_URL="$url" DATA_DIR="$OUT/data" LOG_LEVEL=warn "$BIN" user create \
        --email "$agent" --role support_agent --name "Bench Agent" --password-stdin >/dev/null \
        || die "could not create the support agent"
    EMAIL="$agent" PASSWORD="$pw" log_in
    local cid name phone postcode number email card order
    IFS='|' read -r cid name phone postcode number email card < <(sql "$url" \
        "SELECT c.id, c.name, c.phone, a.postcode, a.house_number, c.email, c.loyalty_card FROM customers c \
         JOIN addresses a ON a.customer_id = c.id WHERE c.loyalty_card IS NOT NULL AND c.phone IS NOT NULL \
         ORDER BY c.id LIMIT 1 OFFSET $(( SCALE_CUSTOMERS / 2 ))")
    [ -n "$cid" ] || die "no customer to search for"
    order="$(sql "$url" "SELECT number FROM orders WHERE customer_id = $cid ORDER BY id LIMIT 1")"
    local last="${name##* }"
    # name|query: what is searched. The exact ones must find this customer; a name is
    # shared by about a hundred customers here, so those searches show the first 20.
    local searches=(
        "search_name_start|${last:0:3}"
        "search_full_name|$name"
        "search_phone|$phone"
        "search_postcode|$postcode $number"
        "search_email|$email"
        "search_card|$card"
        "search_order|$order"
    )
    for s in "${searches[@]}"; do
        local n="${label}_${s%%|*}" q="${s#*|}" code bytes target
        target="$BASE/service/customers?q=$(python3 -c 'import sys, urllib.parse as u; print(u.quote_plus(sys.argv[1]))' "$q")"
        read -r code bytes < <(fetch "$target" "$OUT/$n.html")
        [ "$code" = 200 ] || die "$target: HTTP $code"
        case "${s%%|*}" in search_name_start|search_full_name) ;; *) grep -q "href=\"/service/customers/$cid\"" "$OUT/$n.html" \
            || die "$n ($q) did not find customer $cid" ;; esac
        WARMUP=1s run_wrk "$n" "$target" 1 1 3s "$bytes"
        names+=("$n")
    done
    local n="${label}_customer_page" code bytes
    read -r code bytes < <(fetch "$BASE/service/customers/$cid" "$OUT/$n.html")
    [ "$code" = 200 ] || die "customer page: HTTP $code"
    grep -qF "$order" "$OUT/$n.html" || die "the customer page lacks order $order"
    WARMUP=1s run_wrk "$n" "$BASE/service/customers/$cid" 1 1 3s "$bytes"
    names+=("$n")
    table "$label: customer service at $SCALE_CUSTOMERS customers, one connection (wrk -t1 -c1 -d3s)" "${names[@]}"
}

machine_line() {
    say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD); $(date -u '+%Y-%m-%d %H:%M UTC')"
}

noisy_note() {  # columns server, wrk, other: cores used during each measured run
    say "cpu columns: cores used during the measured run by the server, wrk, and all other processes"
    say "(PostgreSQL runs in its own processes: on postgres_* rows \"other\" is mostly the database)"
    awk '$12 > 0.15 && $1 !~ /^postgres_/ {print "NOISY: " $1 " ran beside other load (" $12 " cores): figures provisional"}' \
        "$OUT/results.txt" | tee -a "$SUMMARY"
}

# --- the modes ------------------------------------------------------------------------
bench_set() {  # label url customers orders featured
    local label="$1" url="$2"
    seed "$url" "$3" "$4" "$5"
    start_server "$url"
    log_in
    verify_pages "$url"
    run_wrk "${label}_list" "$BASE/account/orders" "$THREADS" "$CONNECTIONS" "$DURATION" "$LIST_BYTES"
    run_wrk "${label}_detail" "$BASE/account/orders/$NEWEST" "$THREADS" "$CONNECTIONS" "$DURATION" "$DETAIL_BYTES"
    # Still logged in afterwards?
    read -r code _ < <(fetch "$BASE/account/orders" /dev/null)
    [ "$code" = 200 ] || die "after the run the order list answered HTTP $code"
    cp "$OUT/order_list.html" "$OUT/${label}_order_list.html"
    cp "$OUT/order_detail.html" "$OUT/${label}_order_detail.html"
}

case "$MODE" in
small)
    machine_line
    bench_set small "sqlite://$OUT/data/bench.db" 1000 5 200
    table "Mijn Portaal, release, SQLite; wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up)" small_list small_detail
    wasm_report
    stop_all
    noisy_note
    if [ "${BENCH_PEER:-0}" = 1 ]; then
        [ -d "$PEER_DIR" ] || die "no peer harness at $PEER_DIR"
        # Somewhere nginx's unprivileged worker can read (not under /root).
        PEER="${PEER_WORK:-/tmp/mijn-portaal-peer-django-oscar}"
        echo "== peer: django-oscar harness (copied unchanged to $PEER)"
        mkdir -p "$PEER"
        chmod -R u+w "$PEER"
        cp -r "$PEER_DIR/." "$PEER/"
        chmod -R u+w "$PEER"  # the shared copy is read-only; the harness writes beside itself
        ( cd "$PEER" && ./setup.sh >"$OUT/peer_setup.txt" 2>&1 && .venv/bin/python seed.py >"$OUT/peer_seed.txt" 2>&1 \
            && ./run.sh >"$OUT/peer_run.txt" 2>&1 && ./bench.sh >"$OUT/peer_bench.txt" 2>&1 ) \
            || die "the peer harness failed; see $OUT/peer_*.txt"
        # Static-file limit: nginx serving our own two pages, byte for byte.
        mkdir -p "$OUT/static"
        cp "$OUT/small_order_list.html" "$OUT/static/order_list.html"
        cp "$OUT/small_order_detail.html" "$OUT/static/order_detail.html"
        ( cd "$PEER" && ./static_limit.sh "$OUT/static" >"$OUT/static_limit.txt" 2>&1 ) \
            || die "the static limit script failed; see $OUT/static_limit.txt"
        sed -n '/=== summary/,$p' "$OUT/peer_bench.txt" | tee -a "$SUMMARY"
        sed -n '/=== static limit/,$p' "$OUT/static_limit.txt" | tee -a "$SUMMARY"
        python3 "$ROOT/bench/ratios.py" "$OUT" | tee -a "$SUMMARY"
    fi
    ;;
scale)
    machine_line
    bench_set small "sqlite://$OUT/data/small.db" 1000 5 500
    stop_all
    bench_set sqlite "sqlite://$OUT/data/scale.db" "$SCALE_CUSTOMERS" 10 500
    page_sweep sqlite_pages
    service_sweep sqlite_service "sqlite://$OUT/data/scale.db"
    stop_all
    PG_ADMIN="${TEST_POSTGRES_URL:-$(server/scripts/ensure-postgres.sh)}"
    PG_DB="portal_bench_$$"
    psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
    PG_URL="$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(p._replace(path="/" + sys.argv[2]).geturl())' "$PG_ADMIN" "$PG_DB")"
    bench_set postgres "$PG_URL" "$SCALE_CUSTOMERS" 10 500
    page_sweep postgres_pages
    service_sweep postgres_service "$PG_URL"
    stop_all
    psql "$PG_ADMIN" -qc "DROP DATABASE $PG_DB" >/dev/null || true
    table "one customer with 500 orders: small set (1,000 × 5, SQLite) vs $SCALE_CUSTOMERS × 10 (SQLite, PostgreSQL); wrk -t$THREADS -c$CONNECTIONS -d$DURATION" \
        small_list small_detail sqlite_list sqlite_detail postgres_list postgres_detail
    python3 - "$OUT/results.txt" <<'PY' | tee -a "$SUMMARY"
import sys
r = {l.split()[0]: l.split() for l in open(sys.argv[1])}
print("\np99 at scale / p99 small (target ≤ 2):")
for db in ("sqlite", "postgres"):
    for page in ("list", "detail"):
        print(f"  {db:<9} {page:<7} {float(r[f'{db}_{page}'][4]) / float(r[f'small_{page}'][4]):.2f}")
PY
    noisy_note
    ;;
*) die "usage: bench/bench.sh small|scale" ;;
esac
say "raw output: $OUT/"
