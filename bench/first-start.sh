#!/usr/bin/env bash
# How long `make run` takes on a fresh machine, measured on this one: a clone of the
# repository built with empty CARGO_HOME, build and tools directories (every crate
# downloaded, cargo-leptos and wasm-bindgen-cli built, wasm-opt fetched from npm), timed
# to the first page served. Rust (rustup), Node.js and the Debian packages are used as
# installed, as the README assumes. Needs ~10 GB and about an hour on 2 cores.
#   bench/first-start.sh            # prints the time; everything lands in $WORK
#   WITH_TEST=1 bench/first-start.sh   # then stops the server and times `make test` too
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="${WORK:-$(mktemp -d /tmp/first-start.XXXXXX)}"
PORT="${PORT:-3301}"
RUSTUP_BIN="$(dirname "$(command -v rustup)")"

mkdir -p "$WORK/cargo" "$WORK/bin"
# Only the toolchain's own commands: no cargo-leptos or wasm-bindgen from this machine.
for tool in cargo cargo-clippy cargo-fmt clippy-driver rustc rustdoc rustfmt rustup; do
    ln -sf "$RUSTUP_BIN/$tool" "$WORK/bin/$tool"
done
git clone -q "$ROOT" "$WORK/clone"
export CARGO_HOME="$WORK/cargo" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export CARGO_TARGET_DIR="$WORK/target" npm_config_cache="$WORK/npm"
# /usr/local/bin as it is, less the cargo tools a fresh machine would not have either.
mkdir -p "$WORK/local-bin"
for tool in /usr/local/bin/*; do
    case "$(basename "$tool")" in cargo-*) continue ;; esac
    ln -sf "$tool" "$WORK/local-bin/"
done
export PATH="$WORK/cargo/bin:$WORK/bin:/usr/local/sbin:$WORK/local-bin:/usr/sbin:/usr/bin:/sbin:/bin"

cd "$WORK/clone"
start=$(date +%s)
echo "make run from $(git rev-parse --short HEAD), started $(date -u +%T) UTC; log: $WORK/run.log"
make run PORT="$PORT" TOOLS_DIR="$WORK/tools" >"$WORK/run.log" 2>&1 &
RUN_PID=$!
trap 'kill $RUN_PID 2>/dev/null; pkill -f "$WORK/target/release/server" 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do
    kill -0 $RUN_PID 2>/dev/null || { echo "make run stopped; see $WORK/run.log" >&2; exit 1; }
    sleep 5
done
elapsed=$(( $(date +%s) - start ))
echo "first page after $((elapsed / 60)) min $((elapsed % 60)) s"
grep -E 'Finished|Installed package' "$WORK/run.log" | sed 's/\x1b\[[0-9;]*m//g' || true

if [ -n "${WITH_TEST:-}" ]; then
    kill $RUN_PID 2>/dev/null || true
    pkill -f "$WORK/target/release/server" 2>/dev/null || true
    start=$(date +%s)
    echo "make test, started $(date -u +%T) UTC; log: $WORK/test.log"
    status=0
    make test TOOLS_DIR="$WORK/tools" >"$WORK/test.log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - start ))
    echo "make test exited $status after $((elapsed / 60)) min $((elapsed % 60)) s"
    exit $status
fi
