#!/usr/bin/env bash
# The browser bundle's budget: builds the wasm the way a release does (`cargo leptos build
# --release`: profile wasm-release, wasm-bindgen, wasm-opt -Oz), compresses it with brotli
# at the highest level (as `--precompress` does) and fails when it is larger than
# BUNDLE_BUDGET bytes. In `make test` (`make test-bundle`), so the bundle cannot grow
# with each new page unnoticed. Prints the sizes of the wasm and the JavaScript glue.
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET="${BUNDLE_BUDGET:-250000}"
TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/mijn-portaal/target}"
TOOLS="${TOOLS_DIR:-$HOME/.cache/mijn-portaal/tools}"
OUT="$TARGET/bundle-budget"
export LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-mijn-portaal}"

# The same target directory and profile as cargo-leptos' release build, so they share work.
cargo build --quiet --package=app --lib --target-dir="$TARGET/front" \
    --target=wasm32-unknown-unknown --no-default-features --features=hydrate \
    --profile=wasm-release
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen --target web --out-name "$LEPTOS_OUTPUT_NAME" --out-dir "$OUT" \
    "$TARGET/front/wasm32-unknown-unknown/wasm-release/app.wasm"
WASM="$OUT/${LEPTOS_OUTPUT_NAME}_bg.wasm"
"$TOOLS/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$WASM" -o "$WASM"

node - "$WASM" "$OUT/$LEPTOS_OUTPUT_NAME.js" "$BUDGET" <<'JS'
const fs = require('fs');
const zlib = require('zlib');
const [wasm, js, budget] = process.argv.slice(2);
const brotli = (file) => zlib.brotliCompressSync(fs.readFileSync(file), {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: fs.statSync(file).size },
}).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const wasmBr = brotli(wasm);
console.log(`bundle: wasm ${kb(fs.statSync(wasm).size)} raw, ${kb(wasmBr)} brotli; js ${kb(fs.statSync(js).size)} raw, ${kb(brotli(js))} brotli; budget ${kb(Number(budget))} brotli for the wasm`);
if (wasmBr > Number(budget)) {
  console.error(`FAILED: the wasm bundle is ${kb(wasmBr)} brotli, over its budget of ${kb(Number(budget))} (see docs/architecture.md, "Islands and the bundle")`);
  process.exit(1);
}
JS
