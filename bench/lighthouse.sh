#!/usr/bin/env bash
# Lighthouse (mobile: a mid-range phone on a slow 4G line, simulated) on the pages a
# customer opens most: home, login, the account overview, the order list and an order's
# page. Starts the release server with the demo data on a fresh database, logs in as the
# demo customer through the login form, and prints performance, total blocking time,
# bytes transferred, accessibility and best practices per page (`make lighthouse`).
#
# Needs: the release build (make build), Chromium (/usr/bin/chromium), npm (installs
# lighthouse 12 under ~/.cache/mijn-portaal/tools on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="${TOOLS_DIR:-$HOME/.cache/mijn-portaal/tools}"
BIN="${CARGO_TARGET_DIR:-$HOME/.cache/mijn-portaal/target}/release/server"
PORT="${PORT:-8813}"
BASE="http://127.0.0.1:$PORT"
OUT="$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)-lighthouse"
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "no release server at $BIN (make build)" >&2; exit 1; }
[ -x "$TOOLS/node_modules/.bin/lighthouse" ] || \
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" lighthouse@12

DATA="$(mktemp -d)"
DATABASE_URL="sqlite://$DATA/portal.db" DATA_DIR="$DATA" HOST=127.0.0.1 PORT="$PORT" \
    SITE_ROOT="$ROOT/target/site" LOG_LEVEL=warn "$BIN" serve --demo >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "$BASE/readyz" && break; sleep 0.2; done

jar="$OUT/cookies.txt"
curl -sS -c "$jar" -o /dev/null -H "Origin: $BASE" -H "Accept: text/html" \
    --data-urlencode "email=anna@example.nl" --data-urlencode "password=slaapwel-demo-klant" \
    "$BASE/api/fn/login"
COOKIE="portal_session=$(awk -F'\t' '$6 == "portal_session" {print $7}' "$jar" | tail -n 1)"
ORDER="$(curl -sS -H "Cookie: $COOKIE" "$BASE/account/orders" | grep -o 'href="/account/orders/[A-Z0-9-]*"' | head -1 | cut -d'"' -f2)"

printf '%-28s %5s %8s %9s %5s %5s\n' page perf tbt_ms kB a11y bp | tee "$OUT/summary.txt"
for page in / /login /account /account/orders "$ORDER"; do
    name="$(echo "$page" | tr '/' '_')"
    headers='{}'
    case "$page" in /account*) headers="{\"Cookie\": \"$COOKIE\"}" ;; esac
    CHROME_PATH=/usr/bin/chromium "$TOOLS/node_modules/.bin/lighthouse" "$BASE$page" \
        --quiet --output=json --output-path="$OUT/$name.json" \
        --only-categories=performance,accessibility,best-practices \
        --extra-headers="$headers" \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || true
    node -e '
      const r = require(process.argv[1]);
      const c = r.categories, a = r.audits;
      const s = (k) => Math.round(c[k].score * 100);
      console.log(`${process.argv[2].padEnd(28)} ${String(s("performance")).padStart(5)} ${String(Math.round(a["total-blocking-time"].numericValue)).padStart(8)} ${String(Math.round(a["total-byte-weight"].numericValue / 1000)).padStart(9)} ${String(s("accessibility")).padStart(5)} ${String(s("best-practices")).padStart(5)}`);
    ' "$OUT/$name.json" "$page" | tee -a "$OUT/summary.txt"
done
echo "reports: $OUT"
