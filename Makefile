# The two commands: `make run` and `make test`. Both install what is missing first
# (idempotent, and quick when everything is there).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

CARGO_LEPTOS_VERSION := 0.3.4
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print}' Cargo.lock)
NODE_BIN := $(CURDIR)/end2end/node_modules/.bin
export PATH := $(HOME)/.cargo/bin:$(NODE_BIN):$(PATH)
# cargo-leptos sets this while compiling; setting it for every cargo command lets tests, clippy
# and cargo-leptos share one build instead of recompiling leptos for each.
export LEPTOS_OUTPUT_NAME := leerplatform

# Configuration of the embedded run (see README); the environment overrides each.
export LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
export DATABASE_URL ?= sqlite://data/leerplatform.db?mode=rwc
export CONTENT_DIR ?= content
export RUST_LOG ?= info,tower_http=warn

.PHONY: run test build tools build-tools npm-packages chromium postgres bench fmt lint unit e2e

## make run: build, migrate, import content/ and serve on http://127.0.0.1:3000, with the
## local OpenID provider and its demo accounts unless OIDC_ISSUER_URL points elsewhere
run: build-tools
	cargo leptos build
	LEPTOS_SITE_ROOT=target/site end2end/oidc/with-local-provider.sh $${CARGO_TARGET_DIR:-target}/debug/leerplatform

## make test: formatting, clippy (warnings denied), all cargo tests (SQLite and PostgreSQL), end-to-end
test: build-tools chromium postgres
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo test --workspace --locked
	$(MAKE) --no-print-directory e2e

e2e: build-tools chromium
	cargo leptos build
	cd end2end && CI=$${CI:-} npx playwright test

## make bench: import and page-serving figures (see README)
bench: build-tools
	bash bench/run.sh

build-tools: wasm-target cargo-leptos wasm-bindgen npm-packages

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown

cargo-leptos:
	@cargo leptos --version 2>/dev/null | grep -qw "$(CARGO_LEPTOS_VERSION)" \
		|| cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads

wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -qw "$(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# Playwright, axe-core and binaryen's wasm-opt (for release builds) come from npm.
npm-packages:
	@if [ ! -f end2end/node_modules/.installed ] || [ end2end/package-lock.json -nt end2end/node_modules/.installed ]; then \
		(cd end2end && npm ci --no-audit --no-fund --loglevel=error) && touch end2end/node_modules/.installed; \
	fi

# Debian's Chromium: Playwright's own browser download cannot work offline.
chromium:
	@command -v chromium >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 \
		|| pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
