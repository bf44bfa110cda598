# Mijn Portaal — the two commands: `make run` and `make test`. Everything they need is
# installed on first use (Rust wasm target, cargo-leptos, wasm-bindgen, Chromium, npm
# packages, a local PostgreSQL for the tests).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Build output lives outside the clone so a fresh clone (and CI) reuses earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/mijn-portaal/target
# No incremental-compilation state: a clean clone (CI) builds each crate once, and that
# state (10-30 GB across the server, test and wasm builds) is what filled the disk.
export CARGO_INCREMENTAL ?= 0
TOOLS_DIR ?= $(HOME)/.cache/mijn-portaal/tools
# Compile-time name of the wasm bundle; set for every build so all builds agree.
export LEPTOS_OUTPUT_NAME := mijn-portaal
# cargo-leptos builds in dev mode with this flag; tests use it too to share the build.
DEV_RUSTFLAGS := --cfg erase_components

CARGO_LEPTOS_VERSION := 0.3.11
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION := 132.0.0
NEXTEST_VERSION := 0.9.143

PROFILE ?= release
PORT ?= 3000
HOST ?= 127.0.0.1
ifeq ($(PROFILE),release)
  # --precompress: .br/.gz copies of the bundle at the highest level, made once here.
  LEPTOS_BUILD_FLAGS := --release --precompress
  SERVER_BIN := $(CARGO_TARGET_DIR)/release/server
else
  LEPTOS_BUILD_FLAGS :=
  SERVER_BIN := $(CARGO_TARGET_DIR)/debug/server
endif

.PHONY: cluster cluster-deps resilience help run build tools wasm-opt test test-deps test-rust test-postgres test-e2e test-openapi test-api-fuzz test-bundle test-audit fuzz audit e2e-build bench-deps bench bench-scale lighthouse lint fmt clean

help:
	@echo "make run    build (release), migrate data/portal.db, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   install what tests need, run unit + integration tests (SQLite and PostgreSQL) and browser tests"
	@echo "make lint   rustfmt check and clippy (ssr and hydrate)"
	@echo "make fuzz   the API fuzzed against its OpenAPI document for half an hour (make test runs three minutes)"
	@echo "make audit  known vulnerabilities in the dependencies (cargo-audit; needs GitHub for the advisory database)"
	@echo "make bench  order list + detail under wrk, release build (BENCH_PEER=1: against django-oscar and nginx)"
	@echo "make bench-scale  the same at 100,000 customers on SQLite and PostgreSQL, plus every account page and the customer search"
	@echo "make lighthouse   Lighthouse (mobile) on home, login, overview, order list and an order's page"
	@echo "make cluster      two server processes on one PostgreSQL behind nginx, with the demo (SERVERS=N)"
	@echo "make resilience   that cluster under kill -9, SMTP down, a database restart and load; prints every figure"

## --- tools -------------------------------------------------------------------------

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
	  echo "Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (once per machine, ~20 minutes on 2 cores)…"; \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --ignore-rust-version; \
	fi
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (must match the wasm-bindgen crate)…"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# Release builds shrink the wasm with wasm-opt from npm's binaryen (Debian's is too old:
# hydration breaks with it).
wasm-opt:
	@if [ ! -x "$(TOOLS_DIR)/node_modules/.bin/wasm-opt" ]; then \
	  echo "Installing wasm-opt (npm binaryen@$(BINARYEN_VERSION))…"; \
	  mkdir -p "$(TOOLS_DIR)"; \
	  npm install --silent --no-audit --no-fund --prefix "$(TOOLS_DIR)" binaryen@$(BINARYEN_VERSION); \
	fi

## --- run ---------------------------------------------------------------------------

build: tools $(if $(filter release,$(PROFILE)),wasm-opt)
	PATH="$(TOOLS_DIR)/node_modules/.bin:$$PATH" cargo leptos build $(LEPTOS_BUILD_FLAGS)

run: build
	@mkdir -p data
	PORT=$(PORT) HOST=$(HOST) "$(SERVER_BIN)" serve --demo

## --- test --------------------------------------------------------------------------

test-deps: tools
	@command -v cargo-nextest >/dev/null || { echo "Installing cargo-nextest $(NEXTEST_VERSION) (once per machine)…"; \
	  cargo install cargo-nextest --version $(NEXTEST_VERSION) --locked; }
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@cd end2end && { [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

test: test-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-openapi
	$(MAKE) --no-print-directory test-api-fuzz
	$(MAKE) --no-print-directory test-bundle
	$(MAKE) --no-print-directory test-audit
	@echo "All tests passed: lint, unit + integration on SQLite and PostgreSQL, browser tests, OpenAPI validation, API fuzzing, the bundle budget (and the dependency audit where it could run)."

# Unit tests and integration tests on SQLite.
test-rust:
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo nextest run --workspace --no-fail-fast

# The same integration tests on PostgreSQL (a local server is installed and started
# when TEST_POSTGRES_URL is not set).
test-postgres:
	@url="$${TEST_POSTGRES_URL:-$$(server/scripts/ensure-postgres.sh)}"; \
	echo "Integration tests on PostgreSQL ($${url%%@*}@…)"; \
	TEST_DATABASE_URL="$$url" RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo nextest run -p server --no-fail-fast -E 'kind(test)'

e2e-build: tools
	cargo leptos build

# Browser tests: Playwright drives Debian's Chromium against the real server on a free
# port with a fresh database.
test-e2e: e2e-build
	@export E2E_PORT=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	export E2E_SERVER_BIN="$(CARGO_TARGET_DIR)/debug/server"; \
	export E2E_DATA_DIR=$$(mktemp -d); \
	cd end2end && npx playwright test; status=$$?; rm -rf "$$E2E_DATA_DIR"; exit $$status

# The OpenAPI document validates against the OpenAPI 3.1 schema (openapi-spec-validator
# from PyPI, installed on first use).
test-openapi: e2e-build
	@python3 -c 'import openapi_spec_validator' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check openapi-spec-validator
	@doc=$$(mktemp --suffix=.json); "$(CARGO_TARGET_DIR)/debug/server" openapi > "$$doc"; \
	python3 -m openapi_spec_validator "$$doc"; status=$$?; rm -f "$$doc"; exit $$status

# The API fuzzed against its OpenAPI document (schemathesis from PyPI, installed on first
# use): no 5xx, every answer as documented. A bounded run here; `make fuzz` runs long.
test-api-fuzz: e2e-build
	server/scripts/fuzz-api.sh 10 180

fuzz: e2e-build
	server/scripts/fuzz-api.sh 300 1800

# The wasm bundle as a release builds it, against its budget (250 KB brotli).
test-bundle: tools wasm-opt
	bench/bundle-budget.sh

# Known vulnerabilities in the dependencies (cargo-audit and the RustSec advisory
# database, fetched from GitHub: needs a machine that reaches it).
audit:
	@command -v cargo-audit >/dev/null || cargo install --locked cargo-audit
	cargo audit

# In make test: the audit where the advisory database can be fetched; elsewhere it says,
# loudly, that it did not run and why (a build machine without GitHub, like this one).
test-audit:
	@if timeout 15 git ls-remote https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory audit; \
	else \
	  echo "NOT RUN: dependency audit (make audit) — github.com/rustsec/advisory-db is not reachable from this machine"; \
	fi

## --- benchmarks --------------------------------------------------------------------

# wrk and brotli from Debian (as root), like the peer harness does.
bench-deps:
	@for tool in wrk brotli; do command -v $$tool >/dev/null || { \
	  echo "Installing $$tool (apt)…"; apt-get install -y $$tool >/dev/null 2>&1 || \
	  { apt-get update >/dev/null && apt-get install -y $$tool >/dev/null; }; }; done

# The order list and an order's page under load, release build, the peer's data shape;
# BENCH_PEER=1 also runs the django-oscar harness and the static-file limit in this run.
bench: bench-deps
	$(MAKE) --no-print-directory build PROFILE=release
	bench/bench.sh small

# Lighthouse (mobile) on home, login, overview, order list and an order's page.
lighthouse: test-deps
	$(MAKE) --no-print-directory build PROFILE=release
	bench/lighthouse.sh

# The same for one customer with 500 orders among 100,000 × 10, on SQLite and PostgreSQL,
# plus every account page at one connection.
bench-scale: bench-deps
	$(MAKE) --no-print-directory build PROFILE=release
	bench/bench.sh scale

## --- several processes ------------------------------------------------------------

# nginx and wrk from Debian, PostgreSQL's server binaries (ensure-postgres.sh installs them).
cluster-deps:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@server/scripts/ensure-postgres.sh >/dev/null

# Two (SERVERS=N) server processes on their own PostgreSQL behind nginx, with the demo,
# on http://127.0.0.1:<port> (printed), until Ctrl-C. README "When you outgrow one machine".
cluster: cluster-deps
	$(MAKE) --no-print-directory build PROFILE=release
	python3 deploy/cluster.py

# The cluster broken on purpose (kill -9, SMTP down, database restart, load), every
# figure printed; fails when a write, mail or webhook is lost or doubled. ~8 minutes.
resilience: cluster-deps
	$(MAKE) --no-print-directory build PROFILE=release
	python3 deploy/resilience.py

## --- code quality ------------------------------------------------------------------

lint:
	cargo fmt --all --check
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --workspace --all-targets -- -D warnings
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

clean:
	rm -rf data target end2end/test-results end2end/playwright-report
